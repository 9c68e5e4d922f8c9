/// <reference lib="dom" />
/**
 * Small DOM builders bound to one document (the webview's, or a jsdom one in tests). Everything
 * the app shows is built with these DOM calls: text is only ever set as `textContent`, never
 * parsed as HTML (answers are the one exception, and they go through the markdown sanitiser).
 */
import type { IconName } from './icons';

export interface Dom {
  readonly document: Document;
  el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K];
  /** A codicon glyph, hidden from screen readers (the control carries the words). */
  icon(name: IconName, extraClass?: string): HTMLSpanElement;
  /** A toolbar-style button with only an icon: `label` becomes its aria-label and tooltip. */
  iconButton(icon: IconName, label: string, onClick: (event: MouseEvent) => void): HTMLButtonElement;
  /** A small button with an optional icon and a visible label. */
  textButton(label: string, onClick: (event: MouseEvent) => void, options?: { icon?: IconName; primary?: boolean; title?: string }): HTMLButtonElement;
}

export function createDom(document: Document): Dom {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const icon = (name: IconName, extraClass?: string): HTMLSpanElement => {
    const node = el('span', `codicon codicon-${name}${extraClass ? ` ${extraClass}` : ''}`);
    node.setAttribute('aria-hidden', 'true');
    return node;
  };
  return {
    document,
    el,
    icon,
    iconButton(name, label, onClick) {
      const button = el('button', 'icon-button');
      button.type = 'button';
      button.setAttribute('aria-label', label);
      button.title = label;
      button.append(icon(name));
      button.addEventListener('click', onClick);
      return button;
    },
    textButton(label, onClick, options = {}) {
      const button = el('button', options.primary ? 'text-button primary' : 'text-button');
      button.type = 'button';
      if (options.icon) button.append(icon(options.icon));
      button.append(el('span', 'text-button-label', label));
      if (options.title) button.title = options.title;
      button.addEventListener('click', onClick);
      return button;
    },
  };
}

/** Sets an icon button's glyph and words together (the Send/Stop button changes both). */
export function setIconButton(button: HTMLButtonElement, icon: IconName, label: string): void {
  const glyph = button.querySelector('.codicon');
  if (glyph) glyph.className = `codicon codicon-${icon}`;
  button.setAttribute('aria-label', label);
  button.title = label;
}
