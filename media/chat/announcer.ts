/// <reference lib="dom" />
/**
 * The one polite live region of the app. The transcript itself is not live (a streaming answer
 * would be read token by token); instead a finished answer, how it ended, and small confirmations
 * ("Copied") are put here, once. Each announcement is a new node, so saying the same words twice
 * is announced twice.
 */
import type { Dom } from './dom';

export interface Announcer {
  readonly element: HTMLElement;
  announce(text: string): void;
}

export function createAnnouncer(dom: Dom): Announcer {
  const element = dom.el('div', 'visually-hidden');
  element.setAttribute('aria-live', 'polite');
  element.setAttribute('aria-atomic', 'false');
  element.setAttribute('aria-relevant', 'additions');
  return {
    element,
    announce(text) {
      element.replaceChildren(dom.el('p', undefined, text));
    },
  };
}
