/**
 * Line matching for search_text. A regular expression comes from the model, and JavaScript
 * cannot interrupt a running match: a pattern with nested quantifiers such as `(a+)+$` can take
 * exponential time on one long line and freeze the extension host. Such patterns are refused
 * (the model can always search for a simpler one), and each line is matched on at most its
 * first 1,000 characters.
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

/** Up to `max` matching lines of `text`, 1-based, trimmed for display. */
export function findInText(text: string, matcher: RegExp, max: number): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && found.length < max; i++) {
    const line = lines[i].length > MAX_LINE_CHARS ? lines[i].slice(0, MAX_LINE_CHARS) : lines[i];
    if (!matcher.test(line)) continue;
    const trimmed = line.trim();
    found.push({ line: i + 1, text: trimmed.length > SHOWN_LINE_CHARS ? `${trimmed.slice(0, SHOWN_LINE_CHARS)}…` : trimmed });
  }
  return found;
}
