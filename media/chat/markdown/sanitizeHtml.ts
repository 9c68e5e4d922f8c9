/// <reference lib="dom" />
/**
 * The last line of defence between model output and the webview DOM. markdown-it already runs
 * with raw HTML off; this strips anything outside a short allow-list (no `style`, no `on*`, no
 * unknown tags), keeps `img` only for inline `data:image/…` sources (a remote `src` would let a
 * prompt-injected answer exfiltrate data through the URL), and rewrites links so that only
 * http(s) targets stay clickable, marked with `data-href` for the chat app to open through the
 * extension host; every other link becomes its plain text. Code blocks are not in the HTML it
 * sees: they are built afterwards from our own markup (codeBlock.ts).
 */
import DOMPurify, { type Config, type WindowLike } from 'dompurify';

/** What the renderer needs from a window: the browser's, or a jsdom window in unit tests. */
export type RendererWindow = WindowLike & { document: Document };

export type SanitizeToFragment = (html: string) => DocumentFragment;

// What markdown-it (raw HTML off) emits, plus the `<div data-code-slot>` code block placeholders.
const ALLOWED_TAGS = [
  'a', 'blockquote', 'br', 'code', 'del', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'img', 'li', 'ol', 'p',
  's', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
];
const ALLOWED_ATTR = ['alt', 'class', 'data-code-slot', 'href', 'src', 'start', 'title'];

/** The only tags highlight.js emits: `<span class="…">` with plain class names, and `</span>`. */
const HIGHLIGHTER_TAG = /<span class="[\w -]{1,100}">|<\/span>/g;

/**
 * Whether `html` is exactly what highlight.js emits: those tags around escaped text. Once the tags
 * are taken out no `<`, `>` or quote may remain, so every `<` starts one of them and the HTML
 * parser can only make spans and text of it. Highlighted code is most of an answer's nodes, so it
 * is checked this way and parsed directly instead of being walked node by node by DOMPurify.
 */
export function isHighlighterMarkup(html: string): boolean {
  return !/[<>"']/.test(html.replace(HIGHLIGHTER_TAG, ''));
}

/** Inline images markdown-it itself accepts (no SVG: it can carry script and external refs). */
export const SAFE_IMAGE_SRC = /^data:image\/(?:gif|png|jpeg|webp);/i;

/** True for absolute http(s) URLs: the only links the chat lets the user open. */
export function isWebUrl(href: string): boolean {
  if (!/^https?:\/\//i.test(href)) return false;
  try {
    const url = new URL(href);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Builds the sanitiser for one window; its hooks belong to this DOMPurify instance only. */
export function createSanitizer(win: RendererWindow): SanitizeToFragment {
  const purify = DOMPurify(win);
  if (!purify.isSupported) throw new Error('DOMPurify cannot run in this window');
  const config: Config = {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    IN_PLACE: true,
  };
  // Decided per attribute so a remote image is never created in the live document, where
  // the browser would start fetching it before any later clean-up could run.
  purify.addHook('uponSanitizeAttribute', (node, event) => {
    if (event.attrName === 'src' && (node.nodeName !== 'IMG' || !SAFE_IMAGE_SRC.test(event.attrValue))) event.keepAttr = false;
  });
  purify.setConfig(config);
  // Given a string, DOMPurify parses it into a new document each time, which was most of its cost
  // in a streaming update (and garbage for the collector). Instead the HTML is parsed here into
  // one reused inert document (a template's: it never loads or runs anything) under a `div`
  // that the fragment parser cannot close, and DOMPurify cleans that tree in place.
  const inert = win.document.createElement('template').content.ownerDocument;
  // A streaming answer sanitises the same HTML over and over: its open tail while that is a code
  // block (the code itself is built in afterwards, so the HTML is just the placeholder), a block
  // that settles as it was last rendered. So a few recent results are kept and copied out.
  const recent = new Map<string, DocumentFragment>();
  return (html) => {
    const known = recent.get(html);
    if (known) return known.cloneNode(true) as DocumentFragment;
    const root = inert.createElement('div');
    root.innerHTML = html;
    purify.sanitize(root);
    const fragment = inert.createDocumentFragment();
    fragment.append(...Array.from(root.childNodes));
    rewriteLinks(fragment);
    if (recent.size >= RECENT_RESULTS) recent.delete(recent.keys().next().value as string);
    recent.set(html, fragment.cloneNode(true) as DocumentFragment);
    return fragment;
  };
}

/** How many sanitised inputs `createSanitizer` keeps. */
const RECENT_RESULTS = 8;

/** Keeps http(s) links (adding `data-href`); unwraps every other anchor into its content. */
function rewriteLinks(root: DocumentFragment): void {
  for (const anchor of Array.from(root.querySelectorAll('a'))) {
    const href = anchor.getAttribute('href') ?? '';
    if (isWebUrl(href)) {
      anchor.setAttribute('data-href', href);
      continue;
    }
    anchor.replaceWith(...Array.from(anchor.childNodes));
  }
  for (const image of Array.from(root.querySelectorAll('img'))) {
    if (!SAFE_IMAGE_SRC.test(image.getAttribute('src') ?? '')) image.remove();
  }
}
