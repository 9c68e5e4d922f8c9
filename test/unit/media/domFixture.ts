/**
 * A jsdom window and a markdown renderer bound to it, shared by the webview unit tests: the
 * renderer is browser code and needs a real DOM (DOMPurify refuses to run without one).
 */
import { JSDOM } from 'jsdom';
import { createMarkdownRenderer, type MarkdownRenderer } from '../../../media/chat/markdown/renderMarkdown';

export interface DomFixture {
  window: JSDOM['window'];
  document: Document;
  renderer: MarkdownRenderer;
  /** Parses `html` into a fresh element, so it can be queried like the webview's DOM. */
  parse(html: string): HTMLElement;
}

export function createDomFixture(): DomFixture {
  const { window } = new JSDOM('<!doctype html><html><body></body></html>');
  const renderer = createMarkdownRenderer(window);
  return {
    window,
    document: window.document,
    renderer,
    parse(html) {
      const holder = window.document.createElement('div');
      holder.innerHTML = html;
      return holder;
    },
  };
}
