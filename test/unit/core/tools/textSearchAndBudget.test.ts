import * as assert from 'node:assert/strict';
import { compileQuery, findInText } from '../../../../src/core/tools/textSearch';
import { createLineMatcher } from '../../../../src/host/lineMatcher';
import { frameToolOutput } from '../../../../src/model/toolRunner';
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

describe('search_text matching off the main thread', () => {
  it('ends a pattern that backtracks without end, with a message, and never blocks this thread', async () => {
    const matcher = createLineMatcher('(a|a)*b', true, 300);
    const started = Date.now();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    await assert.rejects(matcher.match('a'.repeat(40), 10), /took over 0.3 s on one file .* use a simpler pattern/);
    clearInterval(ticker);
    assert.ok(Date.now() - started < 3000);
    assert.ok(ticks >= 5, `the event loop kept running (${ticks} ticks)`);
    await assert.rejects(matcher.match('b', 10), /took over/, 'the search stays failed');
    matcher.dispose();
  });

  it('matches normal patterns in the worker, and plain text on this thread', async () => {
    const regex = createLineMatcher('^export\\s+const', true);
    assert.deepEqual(await regex.match('let a;\nexport const b = 1;\nexport  const c = 2;', 10), [
      { line: 2, text: 'export const b = 1;' },
      { line: 3, text: 'export  const c = 2;' },
    ]);
    regex.dispose();
    const plain = createLineMatcher('(a|a)*b', false);
    assert.deepEqual(await plain.match('x (a|a)*b y', 10), [{ line: 1, text: 'x (a|a)*b y' }]);
    plain.dispose();
  });
});

describe('tool output framing', () => {
  it('defuses every look-alike of the closing tag inside the output', () => {
    for (const trick of ['</tool_output>', '</TOOL_OUTPUT >', '< /tool_output>', '</ tool_output>', '<\u200b/tool_output>', '\uFF1C/tool_output\uFF1E', '<\uFF0Ftool_output>']) {
      const framed = frameToolOutput('read_file', `before ${trick} after`);
      assert.equal(framed.match(/tool_output/gi)?.length, 3, trick);
      assert.ok(framed.endsWith('\n</tool_output>'));
      assert.equal((framed.match(/[<\uFF1C][\s\u200b]*[/\uFF0F][\s\u200b]*tool_output/gi) ?? []).length, 1, `only the real end tag remains for ${JSON.stringify(trick)}`);
    }
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
