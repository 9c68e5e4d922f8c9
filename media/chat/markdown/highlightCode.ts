/**
 * Syntax highlighting for chat code blocks. Uses highlight.js's core plus a fixed set of common
 * languages (not the full build) so the webview bundle stays small; anything else is escaped as
 * plain text. Never auto-detects: detection is slow and flips between languages while a block is
 * still streaming.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = { bash, c, cpp, csharp, css, diff, go, java, javascript, json, markdown, python, rust, shell, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

/** The languages highlighted (fence aliases such as `ts`, `py`, `sh`, `html` map onto these). */
export const HIGHLIGHTED_LANGUAGES: readonly string[] = Object.keys(LANGUAGES);

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

// While an answer streams, a finished block is highlighted whole once (ahead of time, when the
// page is idle) and then used by every render until it settles, and by the final one. A few
// recent results, least recently used out first, cover that.
const cache = new Map<string, string>();
const CACHE_SIZE = 32;

/**
 * HTML for `code` highlighted as `languageHint` (a fence info word such as `ts`, `py`, `sh`):
 * highlight.js `<span class="hljs-…">` tokens, or just the escaped code for unknown languages.
 */
export function highlightCode(code: string, languageHint: string): string {
  const key = `${languageHint}\0${code}`;
  const cached = cache.get(key);
  cache.delete(key);
  const result = cached ?? highlightUncached(code, languageHint);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
  return result;
}

/** Whether `highlightCode(code, languageHint)` would answer from its cache. */
export function isHighlightCached(code: string, languageHint: string): boolean {
  return cache.has(`${languageHint}\0${code}`);
}

/** The growing code block of the previous provisional call, as highlighted pieces of whole lines. */
let growing = { language: '', text: '', pieces: [] as string[] };

/**
 * Highlighting for a code block that is still being written, in time proportional to what is
 * new rather than to the whole block: the whole lines added since the previous call become a
 * piece of their own, highlighted once and kept; the unfinished last line is highlighted alone.
 * Returns the pieces' HTML in order (joined, they are the block's markup): the pieces already
 * returned come back as the same strings, so what was built from them can be reused.
 * A construct spanning pieces (a block comment, a multi-line string) can be coloured wrongly
 * until the block is complete; it is then highlighted whole (`highlightCode`).
 */
export function highlightCodeProvisionally(code: string, languageHint: string): string[] {
  if (growing.language !== languageHint || !code.startsWith(growing.text)) growing = { language: languageHint, text: '', pieces: [] };
  const wholeLines = code.slice(0, code.lastIndexOf('\n') + 1);
  if (wholeLines.length > growing.text.length) {
    growing.pieces.push(highlightUncached(wholeLines.slice(growing.text.length), languageHint));
    growing.text = wholeLines;
  }
  const rest = code.slice(growing.text.length);
  return rest ? [...growing.pieces, highlightUncached(rest, languageHint)] : [...growing.pieces];
}

function highlightUncached(code: string, languageHint: string): string {
  if (!languageHint || !hljs.getLanguage(languageHint)) return escapeHtml(code);
  // ignoreIllegals: a half-streamed block is often "illegal" until its closing quote arrives.
  return hljs.highlight(code, { language: languageHint, ignoreIllegals: true }).value;
}
