import * as assert from 'node:assert/strict';
import { cleanCompletion, imbalance, type CleanInput } from '../../../../src/core/completion/cleanCompletion';
import { cursorIn } from './markedCursor';

/** Builds the input from a file written with `|` at the cursor. */
function at(file: string, raw: string, mode: CleanInput['mode'] = 'single'): CleanInput {
  const { linePrefix, lineSuffix, linesAbove, linesBelow } = cursorIn(file);
  return { raw, mode, linePrefix, lineSuffix, linesAbove, linesBelow };
}

describe('cleanCompletion', () => {
  describe('fences and prose', () => {
    it('takes the code out of a markdown fence', () => {
      assert.equal(cleanCompletion(at('const x = |', '```typescript\ncomputeTotal(items);\n```')), 'computeTotal(items);');
    });
    it('drops a sentence of prose before a fence', () => {
      const raw = "Here's the completion:\n\n```js\nreturn a + b;\n```\n";
      assert.equal(cleanCompletion(at('function add(a, b) {\n  |\n}', raw, 'multi')), 'return a + b;');
    });
    it('drops prose before bare code and an explanation after it', () => {
      const raw = 'Sure! Here is the code:\nreturn a * b;\n\nThis returns the product of a and b.';
      assert.equal(cleanCompletion(at('function mul(a, b) {\n  |\n}', raw, 'multi')), 'return a * b;');
    });
    it('shows nothing for a prose-only answer', () => {
      assert.equal(cleanCompletion(at('x = |', 'The code is already complete.')), undefined);
    });
    it('shows nothing when a single-line answer stopped right after its opening fence', () => {
      assert.equal(cleanCompletion(at('const x = |', '```javascript')), undefined);
    });
    it('handles an unclosed fence and the cursor marker echoed back', () => {
      assert.equal(cleanCompletion(at('let y = |', '```\n42;<CURSOR>')), '42;');
    });
  });

  describe('overlap with the text after the cursor', () => {
    it('does not close a bracket the editor already auto-closed', () => {
      assert.equal(cleanCompletion(at('print(|)', 'len(items))')), 'len(items)');
    });
    it('keeps a closing bracket the completion needs for itself', () => {
      assert.equal(cleanCompletion(at('print(|)', 'len(items)')), 'len(items)');
    });
    it('does not close a quote the editor already auto-closed', () => {
      assert.equal(cleanCompletion(at('greet("|")', 'world")')), 'world');
    });
    it('trims a longer overlap such as `) {`', () => {
      assert.equal(cleanCompletion(at('if (|) {', 'count > 0) {')), 'count > 0');
    });
    it('leaves text that does not overlap alone', () => {
      assert.equal(cleanCompletion(at('const s = [|];', '1, 2, 3')), '1, 2, 3');
    });
  });

  describe('repetition', () => {
    it('removes the current line when the model repeats it', () => {
      assert.equal(cleanCompletion(at('  const total = |', 'const total = items.length;')), 'items.length;');
    });
    it('removes the word being typed when the model starts it again', () => {
      assert.equal(cleanCompletion(at('const resu|', 'result = compute();')), 'lt = compute();');
    });
    it('keeps the slash that continues a comment the user started', () => {
      assert.equal(cleanCompletion(at('/|', '/ Generated file, do not edit.')), '/ Generated file, do not edit.');
    });
    it('drops a suggestion that repeats the line above', () => {
      assert.equal(cleanCompletion(at('  counter += 1;\n  |', 'counter += 1;')), undefined);
    });
    it('drops a suggestion that only rewrites the lines below', () => {
      assert.equal(cleanCompletion(at('function f() {\n  |\n  return 1;\n}', 'return 1;\n}', 'multi')), undefined);
    });
  });

  describe('blocks', () => {
    it('does not write the closing brace a second time (the duplicated brace)', () => {
      const file = 'function area(r) {\n  |\n}\n';
      assert.equal(cleanCompletion(at(file, 'return Math.PI * r * r;\n}', 'multi')), 'return Math.PI * r * r;');
    });
    it('keeps the closing brace when the block has none yet', () => {
      const file = 'function area(r) {|\n\nexport { area };';
      assert.equal(cleanCompletion(at(file, '\n  return Math.PI * r * r;\n}', 'multi')), '\n  return Math.PI * r * r;\n}');
    });
    it('stops where the code leaves the block', () => {
      const file = 'class A {\n  m() {\n    |\n  }\n}';
      const raw = 'const x = 1;\n    return x;\n  }\n\n  other() {}';
      assert.equal(cleanCompletion(at(file, raw, 'multi')), 'const x = 1;\n    return x;');
    });
    it('adds no closing brace from the end of a statement in the middle of a block (the block goes on below)', () => {
      const file = 'function f() {\n  const a = load();|\n  return a;\n}\n';
      assert.equal(cleanCompletion(at(file, '\n  if (!a) throw new Error("missing");\n}', 'multi')), '\n  if (!a) throw new Error("missing");');
    });
    it('drops a tail that writes again the lines below the cursor', () => {
      const file = 'function f() {\n  const a = load();|\n  return a;\n}\n';
      const raw = '\n  if (!a) throw new Error("missing");\n  return a;\n}';
      assert.equal(cleanCompletion(at(file, raw, 'multi')), '\n  if (!a) throw new Error("missing");');
      assert.equal(cleanCompletion(at(file, '\n  return a;\n}', 'multi')), undefined);
    });
    it('does not close a block that was just opened when its body continues below', () => {
      const file = 'function f(x) {\n  if (x) {|\n    run(x);\n  }\n}\n';
      assert.equal(cleanCompletion(at(file, '\n    log(x);\n  }', 'multi')), '\n    log(x);');
    });
    it("keeps the brace that closes the suggestion's own block, even with a brace below", () => {
      const file = 'function f(x) {\n  |\n}\n';
      assert.equal(cleanCompletion(at(file, 'if (x) {\n    run(x);\n  }', 'multi')), 'if (x) {\n    run(x);\n  }');
    });
    it('does not indent the first line twice', () => {
      assert.equal(cleanCompletion(at('def f():\n    |', '    return 1', 'multi')), 'return 1');
    });
    it('cuts a single-line request at the first newline', () => {
      assert.equal(cleanCompletion(at('x = |', 'compute()\ny = 2')), 'compute()');
    });
  });

  it('shows nothing for an empty or whitespace answer', () => {
    assert.equal(cleanCompletion(at('x = |', '')), undefined);
    assert.equal(cleanCompletion(at('x = |', '  \n\t')), undefined);
  });

  it('measures bracket and quote imbalance, ignoring brackets inside strings', () => {
    assert.equal(imbalance('print(len(x))'), 0);
    assert.equal(imbalance('print(len(x)))'), 1);
    assert.equal(imbalance('print(")")'), 0);
    assert.equal(imbalance('greet("world")")'), 1);
    assert.equal(imbalance('a = "it\\"s"'), 0);
  });
});
