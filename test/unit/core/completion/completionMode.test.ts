import * as assert from 'node:assert/strict';
import { decideMode } from '../../../../src/core/completion/completionMode';
import { cursorIn } from './markedCursor';

const modeAt = (file: string) => decideMode(cursorIn(file));

describe('single or multi-line', () => {
  it('is single-line in the middle of a line', () => {
    assert.equal(modeAt('const total = items.|'), 'single');
    assert.equal(modeAt('print(|)'), 'single');
    assert.equal(modeAt('foo(|, bar)'), 'single');
  });
  it('is multi-line in an empty block', () => {
    assert.equal(modeAt('function f(a) {\n  |\n}'), 'multi');
    assert.equal(modeAt('def f(a):\n    |'), 'multi');
  });
  it('is multi-line right after a signature or block opener', () => {
    assert.equal(modeAt('function f(a) {|'), 'multi');
    assert.equal(modeAt('const g = (x) =>|'), 'multi');
  });
  it('is multi-line after a comment that describes what comes next', () => {
    assert.equal(modeAt('const a = 1;\n// sort the users by age\n|\nconst b = 2;'), 'multi');
  });
  it('offers the next lines at the end of a finished line, but finishes an unfinished one', () => {
    assert.equal(modeAt('const a = compute(1);|'), 'multi');
    assert.equal(modeAt('  }|'), 'multi');
    assert.equal(modeAt('const a = comp|'), 'single');
    assert.equal(modeAt('const a = compute(|)'), 'single');
  });
  it('is single-line between ordinary statements', () => {
    assert.equal(modeAt('  const a = 1;\n  |\n  const b = 2;'), 'single');
  });
});
