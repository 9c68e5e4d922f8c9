import * as assert from 'node:assert/strict';
import { findSimilarSnippets, indexDocument } from '../../../../src/core/completion/similarSnippets';

describe('similar snippets', () => {
  const util = indexDocument(
    'src/util.ts',
    [
      'export function formatCurrency(amount: number, currency: string) {',
      '  return new Intl.NumberFormat("en", { style: "currency", currency }).format(amount);',
      '}',
      ...Array.from({ length: 30 }, (_, i) => `export const unrelated${i} = ${i};`),
    ].join('\n'),
  );
  const other = indexDocument('src/other.ts', 'import fs from "fs";\nfs.readFileSync(path);\nconsole.log(content, data, buffer);\n');

  it('finds the window of another file that shares the identifiers around the cursor', () => {
    const [best, ...rest] = findSimilarSnippets('const price = formatCurrency(order.amount, order.currency', [other, util]);
    assert.equal(best.path, 'src/util.ts');
    assert.equal(best.startLine, 0);
    assert.match(best.text, /formatCurrency/);
    assert.equal(rest.length, 0, 'unrelated files are left out');
  });

  it('returns nothing when nothing resembles the cursor', () => {
    assert.deepEqual(findSimilarSnippets('zebra giraffe elephant', [util, other]), []);
  });
});
