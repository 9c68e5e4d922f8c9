/**
 * Whether a suggestion should replace the rest of the cursor's line rather than go in front of it.
 *
 * The editor auto-closes brackets and quotes, so the cursor often sits before a `)`, `"` or `}`
 * that the model writes again in the middle of its answer: `console.log(|)` and `'hi');`. Trimming
 * only works when the overlap is the very end of the answer. VS Code can instead take an item whose
 * range runs to the end of the line: when the old text is a subsequence of the new one, it draws
 * the suggestion around the existing closers, and accepting replaces them instead of doubling them.
 */
import { imbalance } from './cleanCompletion';

/**
 * How many characters after the cursor the suggestion replaces: 0 to insert it at the cursor, or
 * the length of the line suffix (without its trailing blanks, which stay) when that suffix appears
 * in order inside the suggestion's first line and keeping it would leave more unmatched closers or
 * open strings than replacing it.
 */
export function lineSuffixReplaced(suggestion: string, linePrefix: string, lineSuffix: string): number {
  const replaced = lineSuffix.trimEnd();
  if (replaced === '' || !isSubsequence(replaced, suggestion.split('\n')[0])) return 0;
  const kept = imbalance(linePrefix + suggestion + replaced);
  return kept > imbalance(linePrefix + suggestion) ? replaced.length : 0;
}

function isSubsequence(needle: string, haystack: string): boolean {
  let at = 0;
  for (const c of haystack) if (c === needle[at]) at++;
  return at >= needle.length;
}
