/**
 * The model reads and writes files with `\n` line endings whatever the file uses: it does not
 * reproduce the `\r` of a Windows file in the text it searches for, so the tools show it LF text
 * and an accepted edit is written back with the file's own line ending.
 */

export type LineEnding = '\n' | '\r\n';

/** `text` with every CRLF as LF. */
export function toLf(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

/** The line ending most of `text`'s lines use (as VS Code picks one for a file with both). */
export function dominantLineEnding(text: string): LineEnding {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

/** LF `text` with `ending` as its line ending. */
export function withLineEnding(text: string, ending: LineEnding): string {
  return ending === '\n' ? text : text.replace(/\n/g, '\r\n');
}
