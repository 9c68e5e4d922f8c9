import * as assert from 'node:assert/strict';
import { encode } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import { buildCompletionPrompt, completionLimits, CURSOR, DEFAULT_BUDGET } from '../../../../src/core/completion/completionPrompt';

const line = (i: number) => `  const value${i} = compute(${i}, "some text to make the line longer");`;
const bigPrefix = Array.from({ length: 600 }, (_, i) => line(i)).join('\n') + '\n  const next = ';
const bigSuffix = '\n' + Array.from({ length: 300 }, (_, i) => line(1000 + i)).join('\n');
const tokensOf = (messages: { content: string }[]) => messages.reduce((sum, m) => sum + encode(m.content).length + 4, 3);

describe('completion prompt', () => {
  it('puts the fixed instructions first and the file with the cursor last', () => {
    const prompt = buildCompletionPrompt({ path: 'src/a.ts', languageId: 'typescript', prefix: 'let x = ', prefixStartLine: 0, suffix: ';\n', snippets: [], mode: 'single' });
    assert.equal(prompt.messages[0].role, 'system');
    const last = prompt.messages.at(-1)!;
    assert.equal(last.role, 'user');
    assert.ok(last.content.includes(`<file path="src/a.ts" language="typescript">\nlet x = ${CURSOR};\n`));
    assert.match(last.content, /Complete the current line at <CURSOR>\.$/);
  });

  it('stays within the budget on a large file, measured with the real tokenizer', () => {
    const prompt = buildCompletionPrompt({ path: 'a.ts', languageId: 'typescript', prefix: bigPrefix, prefixStartLine: 0, suffix: bigSuffix, snippets: [], mode: 'multi' });
    const fixed = tokensOf(prompt.messages.slice(0, -1));
    const context = tokensOf(prompt.messages) - fixed;
    assert.ok(context <= DEFAULT_BUDGET.contextTokens * 1.12, `context is ${context} tokens`);
    assert.ok(context >= DEFAULT_BUDGET.contextTokens * 0.75, `context of ${context} tokens uses the budget`);
    assert.ok(Math.abs(prompt.estimatedTokens - tokensOf(prompt.messages)) / tokensOf(prompt.messages) < 0.12);
    const user = prompt.messages.at(-1)!.content;
    assert.ok(user.includes('const next = <CURSOR>'), 'the cursor line is always there');
    assert.ok(user.includes(line(1000)), 'the line after the cursor is there');
    assert.ok(!user.includes(line(1299)), 'the far suffix is cut');
  });

  it('keeps the start of the file window still while the user types, so the prompt cache hits', () => {
    const first = buildCompletionPrompt({ path: 'a.ts', languageId: 'ts', prefix: bigPrefix, prefixStartLine: 0, suffix: '', snippets: [], mode: 'single' });
    const typed = buildCompletionPrompt({ path: 'a.ts', languageId: 'ts', prefix: bigPrefix + 'compute(', prefixStartLine: 0, suffix: '', snippets: [], mode: 'single' });
    const a = first.messages.at(-1)!.content;
    const b = typed.messages.at(-1)!.content;
    assert.equal(a.slice(0, a.indexOf(CURSOR) - 20), b.slice(0, a.indexOf(CURSOR) - 20));
    const startLine = /value(\d+) =/.exec(a)![1];
    assert.equal(Number(startLine) % 16, 0, 'the window starts on an aligned line');
  });

  it('adds snippets from other files within their share of the budget, before the file', () => {
    const snippets = [
      { path: 'src/util.ts', startLine: 10, text: 'export function compute(n: number, label: string) {\n  return n * 2;\n}', score: 0.5 },
      { path: 'src/huge.ts', startLine: 0, text: line(1).repeat(200), score: 0.4 },
    ];
    const prompt = buildCompletionPrompt({ path: 'a.ts', languageId: 'ts', prefix: 'const a = ', prefixStartLine: 0, suffix: '', snippets, mode: 'single' });
    const user = prompt.messages.at(-1)!.content;
    assert.ok(user.indexOf('<snippet path="src/util.ts" line="11">') < user.indexOf('<file'));
    assert.ok(!user.includes('src/huge.ts'), 'a snippet over the budget is left out');
  });

  it('keeps the fixed part identical between requests and short', () => {
    const a = buildCompletionPrompt({ path: 'a.ts', languageId: 'ts', prefix: 'a', prefixStartLine: 0, suffix: '', snippets: [], mode: 'single' });
    const b = buildCompletionPrompt({ path: 'b.py', languageId: 'python', prefix: 'b', prefixStartLine: 0, suffix: '', snippets: [], mode: 'multi' });
    assert.deepEqual(a.messages.slice(0, -1), b.messages.slice(0, -1));
    assert.ok(tokensOf(a.messages.slice(0, -1)) < 500);
  });

  it('stops single lines at the newline with a small cap, and blocks at a blank gap', () => {
    assert.deepEqual(completionLimits('single', 256), { stop: ['\n'], maxCompletionTokens: 64 });
    assert.deepEqual(completionLimits('multi', 256), { stop: ['\n\n\n'], maxCompletionTokens: 256 });
  });
});
