// Test helper: reads a file written with `|` at the cursor into what the completion code sees.
import type { CursorText } from '../../../../src/core/completion/completionMode';

export function cursorIn(file: string): CursorText & { prefix: string; suffix: string } {
  const cursor = file.indexOf('|');
  const before = file.slice(0, cursor).split('\n');
  const after = file.slice(cursor + 1).split('\n');
  return {
    prefix: file.slice(0, cursor),
    suffix: file.slice(cursor + 1),
    linePrefix: before.at(-1)!,
    lineSuffix: after[0],
    linesAbove: before.slice(0, -1),
    linesBelow: after.slice(1),
  };
}
