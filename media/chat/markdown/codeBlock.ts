/// <reference lib="dom" />
/**
 * One chat code block: a toolbar (Copy, Insert at cursor, Replace selection, New file) above the
 * highlighted code. Buttons only carry `data-action`, `data-block` (the block's index within the
 * answer) and `data-lang`; the chat app wires clicks by event delegation, so rendered content
 * never holds handlers and a re-rendered streaming block needs no re-wiring. `readCodeBlock` gives
 * the app the exact code for an index.
 *
 * The block is built with DOM calls, not HTML, after the answer has been sanitised: its markup is
 * ours, and the only text from the model (the language id) is checked and set as an attribute
 * value. Passing it through DOMPurify cost more than the rest of a streaming update together.
 */
import { isHighlighterMarkup } from './sanitizeHtml';

export type CodeBlockAction = 'copy' | 'insert' | 'replace' | 'newFile';

export const CODE_BLOCK_ACTIONS: readonly { action: CodeBlockAction; label: string; ariaLabel: string }[] = [
  { action: 'copy', label: 'Copy', ariaLabel: 'Copy code' },
  { action: 'insert', label: 'Insert', ariaLabel: 'Insert code at cursor' },
  { action: 'replace', label: 'Replace', ariaLabel: 'Replace selection with code' },
  { action: 'newFile', label: 'New file', ariaLabel: 'Open code in a new file' },
];

/** The language id from a fence info string (`ts title="x"` -> `ts`), or '' when absent or odd. */
export function languageOfInfo(info: string): string {
  const word = info.trim().split(/\s+/, 1)[0] ?? '';
  return /^[\w+#.-]{1,32}$/.test(word) ? word.toLowerCase() : '';
}

export interface CodeBlockParts {
  /** 0-based, in document order across the whole answer. */
  index: number;
  /** From languageOfInfo. */
  language: string;
  /**
   * highlight.js markup for the code (checked before use); for a block still being written, the
   * markup of its pieces (see highlightCodeProvisionally).
   */
  html: string | readonly string[];
  /** The code itself, shown as plain text if `html` fails the check. */
  text: string;
}

/** The empty block `createCodeBlock` made last (see there). */
let lastEmpty: HTMLElement | undefined;

/** The block's element, owned by `doc`. */
export function createCodeBlock(doc: Document, { index, language, html, text }: CodeBlockParts): HTMLElement {
  // A streaming answer builds the same block again on every update while its code grows:
  // cloning the last empty block is much cheaper than building its toolbar anew.
  if (lastEmpty?.ownerDocument !== doc || lastEmpty.dataset.block !== String(index) || lastEmpty.dataset.lang !== language) {
    lastEmpty = createEmptyCodeBlock(doc, index, language);
  }
  const block = lastEmpty.cloneNode(true) as HTMLElement;
  const code = block.querySelector('code') as HTMLElement;
  const pieces = typeof html === 'string' ? undefined : html.map((piece) => pieceElement(doc, piece));
  // Only spans and text can come out of markup that passes the check (see sanitizeHtml.ts).
  if (typeof html === 'string' && isHighlighterMarkup(html)) code.innerHTML = html;
  else if (pieces?.every((piece) => piece !== undefined)) code.append(...pieces);
  else code.textContent = text;
  return block;
}

/** Recently parsed pieces of growing code blocks, by their markup. */
const parsedPieces = new Map<string, HTMLElement>();
const PARSED_PIECES = 128;

/**
 * A piece of a growing code block as an element of its own: a block's pieces are parsed once,
 * not on every update, and the patch that follows compares the code piece by piece instead of
 * token by token. The wrapping span has no style, and the finished block (highlighted whole) has
 * no wrappers.
 */
function pieceElement(doc: Document, html: string): HTMLElement | undefined {
  let parsed = parsedPieces.get(html);
  if (parsed?.ownerDocument !== doc) {
    if (!isHighlighterMarkup(html)) return undefined;
    parsed = doc.createElement('span');
    parsed.className = 'kestrel-code-piece';
    parsed.innerHTML = html;
  }
  // Least recently used out first.
  parsedPieces.delete(html);
  parsedPieces.set(html, parsed);
  if (parsedPieces.size > PARSED_PIECES) parsedPieces.delete(parsedPieces.keys().next().value as string);
  return parsed.cloneNode(true) as HTMLElement;
}

/** A code block with its toolbar and an empty `code` element. */
function createEmptyCodeBlock(doc: Document, index: number, language: string): HTMLElement {
  const element = <K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string>): HTMLElementTagNameMap[K] => {
    const node = doc.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    return node;
  };
  const block = element('div', { class: 'kestrel-code', 'data-block': String(index), 'data-lang': language });
  const toolbar = element('div', { class: 'kestrel-code-toolbar', role: 'toolbar', 'aria-label': `Code block ${index + 1} actions` });
  if (language) toolbar.append(Object.assign(element('span', { class: 'kestrel-code-lang' }), { textContent: language }));
  for (const { action, label, ariaLabel } of CODE_BLOCK_ACTIONS) {
    const button = element('button', {
      type: 'button',
      class: 'kestrel-code-action',
      'data-action': action,
      'data-block': String(index),
      'data-lang': language,
      'aria-label': ariaLabel,
      title: ariaLabel,
    });
    button.textContent = label;
    toolbar.append(button);
  }
  const pre = element('pre', { class: 'kestrel-code-pre' });
  pre.append(element('code', { class: language ? `hljs language-${language}` : 'hljs' }));
  block.append(toolbar, pre);
  return block;
}

export interface CodeBlockContent {
  code: string;
  /** The fence's language id ('' when none was given). */
  language: string;
}

/** The code of block `index` under `root` (a transcript or one message), as the user sees it. */
export function readCodeBlock(root: ParentNode, index: number): CodeBlockContent | undefined {
  const block = root.querySelector(`.kestrel-code[data-block="${index}"]`);
  const code = block?.querySelector('code');
  if (!block || !code) return undefined;
  return { code: code.textContent ?? '', language: block.getAttribute('data-lang') ?? '' };
}
