/**
 * Line matching for search_text. A regular expression comes from the model, and a pattern can
 * backtrack for ever on the right text. The host runs regular expressions in a worker thread with
 * a deadline (host/lineMatcher.ts); this refuses the obvious cases up front, with a message the
 * model can act on, and matches each line on at most its first 1,000 characters.
 */

const MAX_LINE_CHARS = 1000;
const SHOWN_LINE_CHARS = 200;

/** A group that is itself repeated and contains a repetition: the shape of catastrophic backtracking. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*(?:[+*?]|\{\d)/;

/** Turns a query into a case-insensitive matcher; throws a sentence the model can act on. */
export function compileQuery(query: string, isRegex: boolean): RegExp {
  if (!isRegex) return new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  if (NESTED_QUANTIFIER.test(query)) {
    throw new Error('the regular expression repeats a group that itself repeats (like (a+)+), which can take forever; use a simpler pattern.');
  }
  try {
    return new RegExp(query, 'i');
  } catch (error) {
    throw new Error(`invalid regular expression: ${(error as Error).message}`);
  }
}

export interface LineMatch {
  /** 1-based. */
  line: number;
  text: string;
}

/** Up to `max` matching lines of `text`, trimmed for display. */
export function findInText(text: string, matcher: RegExp, max: number): LineMatch[] {
  const found: LineMatch[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && found.length < max; i++) {
    const line = lines[i].length > MAX_LINE_CHARS ? lines[i].slice(0, MAX_LINE_CHARS) : lines[i];
    if (!matcher.test(line)) continue;
    const trimmed = line.trim();
    found.push({ line: i + 1, text: trimmed.length > SHOWN_LINE_CHARS ? `${trimmed.slice(0, SHOWN_LINE_CHARS)}…` : trimmed });
  }
  return found;
}
