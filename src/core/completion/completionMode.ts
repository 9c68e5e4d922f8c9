/**
 * Single line or multi-line? Decided from the text around the cursor, before asking, because it
 * sets the stop sequence and the token cap: a single-line request stops at the first newline and
 * pays for nothing after it.
 */

export type CompletionMode = 'single' | 'multi';

/** Lines that open a block: the body is what the user wants next. */
const OPENS_BLOCK = /([{([:]|=>|\bthen|\bdo|\belse)\s*$/;
/** A line that looks finished: what follows is a new line, not more of this one. */
const ENDS_STATEMENT = /[;})\]]\s*$/;
const COMMENT_LINE = /^\s*(\/\/|#|--|\/\*|\*|"""|''')/;
const CLOSES_BLOCK = /^\s*([})\]]|end\b|fi\b|done\b|esac\b)/;

export interface CursorText {
  /** The current line up to the cursor. */
  linePrefix: string;
  /** The current line after the cursor. */
  lineSuffix: string;
  /** Lines above the current one, nearest last (a few are enough). */
  linesAbove: readonly string[];
  /** Lines below the current one, nearest first (a few are enough). */
  linesBelow: readonly string[];
}

/**
 * Multi-line at the start of an empty block, right after a block opener, after a comment, or at
 * the end of a finished line (the suggestion then starts with the next line); single-line in the
 * middle of a line or of ordinary code, where the next line is usually already there.
 */
export function decideMode(cursor: CursorText): CompletionMode {
  const { linePrefix, lineSuffix } = cursor;
  if (lineSuffix.trim() !== '' && !CLOSES_BLOCK.test(lineSuffix)) return 'single';
  if (linePrefix.trim() !== '') {
    if (lineSuffix.trim() !== '') return 'single';
    // Right after `{`, `:` or `=>` the body follows; after a finished line, the next lines do.
    return OPENS_BLOCK.test(linePrefix) || ENDS_STATEMENT.test(linePrefix) ? 'multi' : 'single';
  }
  const above = cursor.linesAbove.findLast((line) => line.trim() !== '');
  const below = cursor.linesBelow.find((line) => line.trim() !== '');
  if (above === undefined) return 'multi'; // an empty file or the top of one
  if (OPENS_BLOCK.test(above) || COMMENT_LINE.test(above)) return 'multi';
  // An empty block: the next non-blank line closes it or sits further left.
  if (below === undefined || CLOSES_BLOCK.test(below) || indentOf(below) < indentOf(linePrefix)) return 'multi';
  return 'single';
}

export function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}
