import * as assert from 'node:assert/strict';
import { compileQuery, findInText } from '../../../../src/core/tools/textSearch';
import { ToolOutputBudget } from '../../../../src/core/tools/toolOutputBudget';

describe('search_text matching', () => {
  it('matches plain text literally and case-insensitively, with 1-based line numbers', () => {
    const text = 'const a = 1;\nconst total = sum(a.b);\nlet x = "A.B";';
    assert.deepEqual(findInText(text, compileQuery('a.b', false), 10), [
      { line: 2, text: 'const total = sum(a.b);' },
      { line: 3, text: 'let x = "A.B";' },
    ]);
    assert.deepEqual(findInText(text, compileQuery('^let\\s', true), 10), [{ line: 3, text: 'let x = "A.B";' }]);
    assert.equal(findInText('x\nx\nx', compileQuery('x', false), 2).length, 2);
  });

  it('refuses regular expressions that can backtrack catastrophically, and explains invalid ones', () => {
    for (const pattern of ['(a+)+$', '(\\w*)*x', '(a|aa)+(b+)*', '(.*a){3}']) {
      assert.throws(() => compileQuery(pattern, true), /repeats a group that itself repeats/, pattern);
    }
    assert.throws(() => compileQuery('(unclosed', true), /invalid regular expression/);
    assert.doesNotThrow(() => compileQuery('(foo|bar)+baz', true));
    assert.doesNotThrow(() => compileQuery('\\(a+\\)+', true), 'escaped parentheses are not a group');
  });

  it('shortens long matching lines for display', () => {
    const [match] = findInText(`${'x'.repeat(500)}needle`, compileQuery('x', false), 1);
    assert.ok(match.text.length <= 201);
  });
});

describe('tool output budget', () => {
  it('passes small output through and counts it', () => {
    const budget = new ToolOutputBudget(1000, 500);
    assert.equal(budget.take('hello world'), 'hello world');
    assert.ok(budget.remaining < 1000 && budget.remaining > 990);
  });

  it('cuts large output at a line with a note saying what was shown', () => {
    const budget = new ToolOutputBudget(10_000, 300);
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i + 1}: const value${i} = compute(${i});`);
    const out = budget.take(lines.join('\n'), 'Ask for a line range.');
    assert.match(out, /^line 1: /);
    const note = /\[Output cut: showing (\d+) of 400 lines .*Ask for a line range\.\]$/.exec(out);
    assert.ok(note, out.slice(-200));
    assert.equal(out.split('\n').length, Number(note[1]) + 1);
    assert.ok(Number(note[1]) > 10 && Number(note[1]) < 400);
  });

  it('refuses further output once the answer has used its budget', () => {
    const budget = new ToolOutputBudget(600, 400);
    const big = 'word '.repeat(5000);
    budget.take(big);
    const second = budget.take(big);
    assert.match(second, /Output cut/);
    assert.throws(() => budget.take('more'), /tool output budget of this answer \(600 tokens\) is used up/);
  });
});
