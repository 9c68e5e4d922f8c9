/**
 * Checks and limits on code attached to a chat question. A binary file is refused (its bytes mean
 * nothing to the model and cost a fortune in tokens); a text too large for the budget is cut at a
 * line boundary, and the caller says so on the chip, so the user knows what the model saw.
 */
import { estimateTextTokens } from '../tokenEstimate';

/** NUL characters, or many replacement characters from undecodable bytes, mean binary. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  if (sample.includes('\u0000')) return true;
  const replaced = sample.split('\uFFFD').length - 1;
  return sample.length > 0 && replaced / sample.length > 0.02;
}

export interface FittedText {
  text: string;
  tokens: number;
  /** Whole lines kept; equals `totalLines` unless the text was cut. */
  keptLines: number;
  totalLines: number;
}

/** The longest run of whole lines from the start of `text` within `maxTokens`. */
export function fitToTokens(whole: string, maxTokens: number): FittedText {
  const totalLines = countLines(whole);
  // No token is shorter than a character: beyond 12 per token, nothing can fit, so a 50 MB
  // document costs no more to cut than a large one.
  const text = whole.length > maxTokens * 12 ? whole.slice(0, maxTokens * 12) : whole;
  const lines = text.split('\n');
  if (text !== whole) lines.pop(); // the slice's last line is cut short
  const tokens = estimateTextTokens(text);
  if (text === whole && tokens <= maxTokens) return { text, tokens, keptLines: lines.length, totalLines };
  let kept = 0;
  let used = 0;
  for (const line of lines) {
    const cost = estimateTextTokens(line) + 1;
    if (used + cost > maxTokens) break;
    used += cost;
    kept++;
  }
  return { text: lines.slice(0, kept).join('\n'), tokens: used, keptLines: kept, totalLines };
}

function countLines(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
