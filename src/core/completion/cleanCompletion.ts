/**
 * Turns what the model wrote into what the editor should show, or nothing. Chat models asked to
 * fill a hole make the same mistakes again and again: markdown fences, a sentence of prose, the
 * current line repeated, brackets and quotes the editor already auto-closed closed a second time,
 * the line above or below written again, indentation doubled. Each rule here undoes one of them.
 */
import { indentOf, type CompletionMode } from './completionMode';
import { CURSOR } from './completionPrompt';

export interface CleanInput {
  raw: string;
  mode: CompletionMode;
  linePrefix: string;
  lineSuffix: string;
  /** Lines above the cursor line, nearest last. */
  linesAbove: readonly string[];
  /** Lines below the cursor line, nearest first. */
  linesBelow: readonly string[];
}

const MAX_BLOCK_LINES = 30;
const PROSE_OPENER = /^(here(?:'s| is| are)|sure|certainly|of course|the (?:completion|code|missing|rest)|this (?:code|completes|line)|to complete|completion|answer)\b.*[:.!]$/i;
const CLOSER_LINE = /^\s*([})\]]|end\b)/;

/** The cleaned suggestion, or undefined when nothing useful is left. */
export function cleanCompletion(input: CleanInput): string | undefined {
  let text = unwrap(input.raw);
  text = dropEchoedLinePrefix(text, input.linePrefix);
  text = dropDoubledIndent(text, input.linePrefix);
  if (input.mode === 'single') text = text.split('\n')[0];
  else text = cutBlock(text, input);
  text = dropSuffixOverlap(text, input.linePrefix, input.lineSuffix);
  text = text.replace(/\s+$/, '');
  if (text.trim() === '' || repeatsSurroundings(text, input)) return undefined;
  return text;
}

/** Removes the cursor marker, fences and prose around the code. */
export function unwrap(raw: string): string {
  let text = raw.split(CURSOR).join('').replace(/\r\n/g, '\n');
  const fence = /(^|\n)[ \t]*(```|~~~)[^\n]*\n([\s\S]*?)(?:\n[ \t]*\2[ \t]*(?:\n|$)|$)/.exec(text);
  if (fence) text = fence[3];
  // A lone fence line (a single-line request stopped right after it) holds no code.
  else if (/^\s*(```|~~~)[\w+#.-]*\s*$/.test(text)) return '';
  const lines = text.split('\n');
  // A sentence of prose before the code ("Here is the completion:"), and the blank lines after it.
  while (lines.length > 0 && PROSE_OPENER.test(lines[0].trim())) {
    lines.shift();
    while (lines.length > 0 && lines[0].trim() === '') lines.shift();
  }
  // Trailing explanation after a blank line ("This function returns ...").
  const blank = lines.findIndex((line, i) => i > 0 && line.trim() === '' && /^(this|the|it|note|explanation)\b[^;{}=]*$/i.test(lines[i + 1]?.trim() ?? ''));
  return (blank > 0 ? lines.slice(0, blank) : lines).join('\n');
}

/** The model wrote the whole current line, or the word being typed, again. */
function dropEchoedLinePrefix(text: string, linePrefix: string): string {
  const typed = linePrefix.trimStart();
  if (typed.length > 0 && text.trimStart().startsWith(typed)) {
    const rest = text.trimStart().slice(typed.length);
    // Only when the echo is a whole line start with a word in it, not a coincidence like `a`
    // then `a + b`, or `/` then the `/ comment` that continues it.
    if (/\w/.test(typed) && (typed.length >= 3 || rest.length === 0 || !/\w/.test(rest[0]))) return rest;
  }
  const fragment = /[A-Za-z_$][\w$]*$/.exec(linePrefix)?.[0];
  if (fragment && fragment.length >= 2 && text.startsWith(fragment) && /^[\w$]/.test(text.slice(fragment.length))) {
    return text.slice(fragment.length);
  }
  return text;
}

/** The cursor already sits after the indentation; the model indented the first line again. */
function dropDoubledIndent(text: string, linePrefix: string): string {
  if (linePrefix === '' || linePrefix.trim() !== '') return text;
  const leading = /^[ \t]*/.exec(text)![0];
  return text.slice(Math.min(leading.length, linePrefix.length));
}

/** Keeps one block: stops where the code leaves the cursor's block, and at a sane length. */
function cutBlock(text: string, input: CleanInput): string {
  const lines = text.split('\n').slice(0, MAX_BLOCK_LINES);
  const baseIndent = input.linePrefix.trim() === '' ? input.linePrefix.length : indentOf(input.linePrefix);
  // With nothing after the cursor on its line, the suggestion is followed by the lines below.
  const below = input.lineSuffix.trim() === '' ? input.linesBelow.filter((line) => line.trim() !== '') : [];
  const kept: string[] = [];
  for (const [i, line] of lines.entries()) {
    if (i === 0 || line.trim() === '') {
      kept.push(line);
      continue;
    }
    // Code below that is deeper than this closer belongs to the block it would close: that block
    // goes on after the suggestion, so closing it here is wrong (the stray brace).
    const closesBlockThatContinues = CLOSER_LINE.test(line) && below.length > 0 && indentOf(line) < indentOf(below[0]);
    if (closesBlockThatContinues) break;
    if (indentOf(line) < baseIndent) {
      if (CLOSER_LINE.test(line)) kept.push(line);
      break;
    }
    kept.push(line);
  }
  const fresh = dropRepeatOfBelow(kept, below);
  while (fresh.length > 1 && fresh.at(-1)!.trim() === '') fresh.pop();
  return fresh.join('\n');
}

/**
 * The suggestion ends by writing again the lines right below the cursor (the closing brace that
 * is already there, or the statement that follows): drops that tail. Lines must match with their
 * indentation, so a brace closing the suggestion's own block is not taken for the one below.
 */
function dropRepeatOfBelow(lines: readonly string[], below: readonly string[]): string[] {
  const same = (a: string, b: string | undefined) => b !== undefined && a.trim() === b.trim() && indentOf(a) === indentOf(b);
  for (let start = 1; start < lines.length; start++) {
    const tail = lines.slice(start).filter((line) => line.trim() !== '');
    if (tail.length > 0 && tail.every((line, i) => same(line, below[i]))) return lines.slice(0, start);
  }
  return [...lines];
}

/**
 * The end of the suggestion overlaps the text right of the cursor (`)`, `"`, `;`, `) {`): trim the
 * overlap when keeping it would leave more unmatched closers or an unclosed string than before.
 */
function dropSuffixOverlap(text: string, linePrefix: string, lineSuffix: string): string {
  if (!lineSuffix || !text) return text;
  const before = imbalance(linePrefix + lineSuffix);
  if (imbalance(linePrefix + text + lineSuffix) <= before) return text;
  for (let k = 1; k <= Math.min(text.length, lineSuffix.length); k++) {
    if (!text.endsWith(lineSuffix.slice(0, k))) continue;
    const trimmed = text.slice(0, -k);
    if (imbalance(linePrefix + trimmed + lineSuffix) <= before) return trimmed;
  }
  return text;
}

/** Unmatched closing brackets plus one for a string left open. */
export function imbalance(code: string): number {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let unmatched = 0;
  let quote: string | undefined;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      else if (c === '\n' && quote !== '`') quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === '(' || c === '[' || c === '{') {
      stack.push(c);
    } else if (c in pairs) {
      if (stack.at(-1) === pairs[c]) stack.pop();
      else unmatched++;
    }
  }
  return unmatched + (quote ? 1 : 0);
}

/** The suggestion only writes again the line above or the lines below. */
function repeatsSurroundings(text: string, input: CleanInput): boolean {
  const firstLine = (input.linePrefix + text.split('\n')[0]).trim();
  const above = input.linesAbove.findLast((line) => line.trim() !== '')?.trim();
  if (above !== undefined && firstLine.length >= 4 && firstLine === above && input.linePrefix.trim() !== firstLine) return true;
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  const below = input.linesBelow.map((line) => line.trim()).filter(Boolean);
  if (input.linePrefix.trim() === '' && lines.length > 0 && lines.every((line, i) => below[i] === line)) return true;
  return false;
}
