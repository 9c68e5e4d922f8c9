/// <reference lib="dom" />
/**
 * Banners at the top of the view for `notice` messages (and connection test results when the
 * connection panel is not on screen). Each stays until dismissed; the same message is not
 * stacked twice, and only the newest few are kept.
 */
import type { Dom } from './dom';

const MAX_NOTICES = 3;

export interface Notices {
  readonly element: HTMLElement;
  show(level: 'info' | 'error', message: string): void;
}

export function createNotices(dom: Dom): Notices {
  const element = dom.el('div', 'notices');
  return {
    element,
    show(level, message) {
      for (const old of Array.from(element.children)) if (old.getAttribute('data-message') === message) old.remove();
      const banner = dom.el('div', `notice notice-${level}`);
      banner.setAttribute('role', level === 'error' ? 'alert' : 'status');
      banner.setAttribute('data-message', message);
      const dismiss = dom.iconButton('close', 'Dismiss', () => banner.remove());
      banner.append(dom.icon(level === 'error' ? 'error' : 'info'), dom.el('span', 'notice-text', message), dismiss);
      element.append(banner);
      while (element.childElementCount > MAX_NOTICES) element.firstElementChild?.remove();
    },
  };
}
