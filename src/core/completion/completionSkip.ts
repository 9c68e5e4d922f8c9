/**
 * When not to ask the model at all. Every skipped request is time and money saved, and some
 * content (secrets, binaries, minified bundles) must never be sent.
 */

export interface SkipLimits {
  /** Characters other than closers allowed to the right of the cursor. */
  maxCharsRightOfCursor: number;
  maxDocumentChars: number;
  maxLineChars: number;
}

export const DEFAULT_SKIP_LIMITS: SkipLimits = {
  maxCharsRightOfCursor: 3,
  maxDocumentChars: 2_000_000,
  maxLineChars: 1_000,
};

/** What the editor auto-closes or what commonly ends a line. */
const CLOSERS = /[\s)\]}>'"`;,.:]/g;

/** Why a completion is not requested, or undefined when it should be. */
export function reasonToSkip(input: {
  hasSelection: boolean;
  lineSuffix: string;
  currentLine: string;
  documentLength: number;
  /** The start of the document, checked for NUL bytes. */
  head: string;
  limits?: SkipLimits;
}): string | undefined {
  const limits = input.limits ?? DEFAULT_SKIP_LIMITS;
  if (input.hasSelection) return 'text is selected';
  if (input.lineSuffix.replace(CLOSERS, '').length > limits.maxCharsRightOfCursor) return 'the cursor is in the middle of text';
  if (input.documentLength > limits.maxDocumentChars) return 'the file is too large';
  if (input.currentLine.length > limits.maxLineChars) return 'the line is too long (minified code?)';
  if (input.head.includes('\u0000')) return 'the file looks binary';
  return undefined;
}
