import * as assert from 'node:assert/strict';
import { cleanCompletion } from '../../../../src/core/completion/cleanCompletion';
import { lineSuffixReplaced } from '../../../../src/core/completion/lineSuffixReplacement';
import { cursorIn } from './markedCursor';

/** The line after accepting the model's `raw` answer at `|`, as VS Code applies the item. */
function accepted(line: string, raw: string): string {
  const { linePrefix, lineSuffix, linesAbove, linesBelow } = cursorIn(line);
  const suggestion = cleanCompletion({ raw, mode: 'single', linePrefix, lineSuffix, linesAbove, linesBelow });
  assert.ok(suggestion !== undefined, `nothing to suggest for ${raw}`);
  return linePrefix + suggestion + lineSuffix.slice(lineSuffixReplaced(suggestion, linePrefix, lineSuffix));
}

describe('lineSuffixReplaced (closers the model writes again mid-answer)', () => {
  it('does not double an auto-closed bracket, quote or brace that the answer closes before its end', () => {
    assert.equal(accepted('console.log(|)', "'hi');"), "console.log('hi');");
    assert.equal(accepted('if (|)', 'x > 0) {'), 'if (x > 0) {');
    assert.equal(accepted('const s = "|"', 'hello";'), 'const s = "hello";');
    assert.equal(accepted('const o = {|}', ' a: 1 };'), 'const o = { a: 1 };');
  });

  it('replaces the whole closing run, and keeps blanks after it', () => {
    assert.equal(lineSuffixReplaced("'hi');", 'console.log(', ')'), 1);
    assert.equal(lineSuffixReplaced("items[0]));", 'f(g(', '))  '), 2);
    assert.equal(accepted('f(g(|))  ', 'items[0]));'), 'f(g(items[0]));  ');
  });

  it('keeps the text after the cursor when the answer needs it', () => {
    assert.equal(lineSuffixReplaced('a, b', 'foo(', ')'), 0);
    assert.equal(accepted('foo(|)', 'a, b'), 'foo(a, b)');
    // The answer holds a `)` of its own, but keeping the suffix leaves nothing unmatched.
    assert.equal(lineSuffixReplaced('g(x)', 'foo(', ')'), 0);
    assert.equal(accepted('foo(|)', 'g(x)'), 'foo(g(x))');
  });

  it('replaces nothing when the suffix is not inside the first line, or there is none', () => {
    assert.equal(lineSuffixReplaced('x = 1;', 'let ', ''), 0);
    assert.equal(lineSuffixReplaced("'hi'", 'console.log(', ');'), 0, 'no `;` in the answer');
    assert.equal(lineSuffixReplaced('\n  return 1;\n}', 'function f() {', '}'), 0);
  });

  it('looks at the first line only when the answer has several', () => {
    assert.equal(lineSuffixReplaced('() => {\n  run();\n});', 'setTimeout(', ')'), 1);
  });
});
