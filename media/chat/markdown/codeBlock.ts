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
  /** highlight.js markup for the code (checked before use). */
  html: string;
  /** The code itself, shown as plain text if `html` fails the check. */
  text: string;
}

/** The block's element, owned by `doc`. */
export function createCodeBlock(doc: Document, { index, language, html, text }: CodeBlockParts): HTMLElement {
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
  const code = element('code', { class: language ? `hljs language-${language}` : 'hljs' });
  // Only spans and text can come out of markup that passes the check (see sanitizeHtml.ts).
  if (isHighlighterMarkup(html)) code.innerHTML = html;
  else code.textContent = text;
  const pre = element('pre', { class: 'kestrel-code-pre' });
  pre.append(code);
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
