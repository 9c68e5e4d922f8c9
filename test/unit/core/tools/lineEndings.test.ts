import * as assert from 'node:assert/strict';
import { dominantLineEnding, toLf, withLineEnding } from '../../../../src/core/tools/lineEndings';

describe('line endings of edited files', () => {
  it('picks the ending most lines use, LF on a tie or a single line', () => {
    assert.equal(dominantLineEnding('a\r\nb\r\nc\n'), '\r\n');
    assert.equal(dominantLineEnding('a\r\nb\nc\n'), '\n');
    assert.equal(dominantLineEnding('one line'), '\n');
  });

  it('round-trips CRLF text through LF', () => {
    const crlf = 'a\r\n\r\nb\r\n';
    assert.equal(toLf(crlf), 'a\n\nb\n');
    assert.equal(withLineEnding(toLf(crlf), '\r\n'), crlf);
    assert.equal(withLineEnding('a\nb', '\n'), 'a\nb');
  });
});
