/**
 * Finds code in other files that resembles the code around the cursor (the way Copilot's
 * "neighboring tabs" do): windows of lines scored by the Jaccard similarity of their identifiers.
 * Documents are indexed once per version by the caller, so a request only scores windows.
 */

export interface IndexedWindow {
  startLine: number;
  text: string;
  words: ReadonlySet<string>;
}

export interface IndexedDocument {
  path: string;
  windows: readonly IndexedWindow[];
}

export interface Snippet {
  path: string;
  startLine: number;
  text: string;
  score: number;
}

const WINDOW_LINES = 16;
const WINDOW_STEP = 8;
const WORD = /[A-Za-z_$][A-Za-z0-9_$]{2,}/g;
/** Words too common to say two pieces of code are related. */
const STOP_WORDS = new Set(['const', 'let', 'var', 'function', 'return', 'this', 'the', 'for', 'new', 'import', 'from', 'export', 'def', 'self', 'class', 'public', 'private', 'true', 'false', 'null', 'undefined', 'else', 'await', 'async']);

export function wordsOf(text: string): Set<string> {
  const words = new Set<string>();
  for (const [word] of text.matchAll(WORD)) if (!STOP_WORDS.has(word)) words.add(word);
  return words;
}

/** Splits a document into overlapping windows of lines, ready to be scored. */
export function indexDocument(path: string, text: string, maxLines = 5_000): IndexedDocument {
  const lines = text.split('\n', maxLines);
  const windows: IndexedWindow[] = [];
  for (let start = 0; start < lines.length; start += WINDOW_STEP) {
    const windowText = lines.slice(start, start + WINDOW_LINES).join('\n');
    const words = wordsOf(windowText);
    if (words.size >= 3) windows.push({ startLine: start, text: windowText, words });
    if (start + WINDOW_LINES >= lines.length) break;
  }
  return { path, windows };
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const word of small) if (large.has(word)) shared++;
  return shared / (a.size + b.size - shared || 1);
}

/** The best window of each document, best documents first, above a minimum similarity. */
export function findSimilarSnippets(query: string, documents: readonly IndexedDocument[], maxSnippets = 3, minScore = 0.12): Snippet[] {
  const queryWords = wordsOf(query);
  if (queryWords.size === 0) return [];
  const best: Snippet[] = [];
  for (const document of documents) {
    let top: Snippet | undefined;
    for (const window of document.windows) {
      const score = jaccard(queryWords, window.words);
      if (score >= minScore && (!top || score > top.score)) top = { path: document.path, startLine: window.startLine, text: window.text, score };
    }
    if (top) best.push(top);
  }
  return best.sort((a, b) => b.score - a.score).slice(0, maxSnippets);
}
