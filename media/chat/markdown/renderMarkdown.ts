/// <reference lib="dom" />
/**
 * Markdown to safe HTML for chat answers: markdown-it (raw HTML off, linkify on), remote images
 * turned into visible inert links, the result sanitised (sanitizeHtml.ts), then code blocks built
 * in with their highlighting and action toolbar (codeBlock.ts). `render` is the whole-answer path
 * (history, tests, the benchmark's reference); the streaming renderer uses `parse` and
 * `renderTokens` on parts of an answer.
 */
import MarkdownIt, { type Env, type Token } from 'markdown-it';
import { createCodeBlock, languageOfInfo, type CodeBlockParts } from './codeBlock';
import { escapeHtml, highlightCode, highlightCodeProvisionally, isHighlightCached } from './highlightCode';
import { createSanitizer, isWebUrl, SAFE_IMAGE_SRC, type RendererWindow } from './sanitizeHtml';

export type { RendererWindow } from './sanitizeHtml';

/**
 * State carried between the pieces of one answer. `nextCodeBlock` numbers code blocks across
 * pieces so the streamed answer numbers them exactly as the whole answer would; `references` is
 * markdown-it's own table of `[label]: url` definitions.
 */
export interface MarkdownEnv extends Env {
  nextCodeBlock: number;
  /**
   * Set for a streaming tail: code blocks not yet highlighted whole (see `prepareCodeBlock`) get a
   * cheaper provisional highlighting instead of holding up the frame.
   */
  provisional?: boolean;
}

/** One markdown-it block or inline token (its `map` gives a block's source lines). */
export type MarkdownToken = Token;

export interface MarkdownRenderer {
  /** Sanitised HTML for a whole answer; code blocks are numbered from 0. */
  render(source: string): string;
  /** Sanitised nodes for `source`, owned by the renderer's document; advances `env.nextCodeBlock`. */
  renderFragment(source: string, env: MarkdownEnv): DocumentFragment;
  /** markdown-it's token stream for `source` (fills `env.references`). */
  parse(source: string, env: MarkdownEnv): MarkdownToken[];
  /** Sanitised nodes for a run of whole top-level blocks from `parse`; advances `env.nextCodeBlock`. */
  renderTokens(tokens: MarkdownToken[], env: MarkdownEnv): DocumentFragment;
  /** Highlights a finished code block (a `fence` token) whole, ahead of its final render. */
  prepareCodeBlock(token: MarkdownToken): void;
  /** Whether `prepareCodeBlock` has been done (and is still cached) for this block. */
  isCodeBlockPrepared(token: MarkdownToken): boolean;
}

/**
 * Code blocks render as `<div data-code-slot="n">` placeholders; `slots` collects their parts
 * during one render call, and the blocks are built into the placeholders after sanitising.
 */
function createMarkdownIt(slots: CodeBlockParts[]): ReturnType<typeof MarkdownIt> {
  const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
  const codeBlock = (tokens: Token[], idx: number, info: string, env: Env | undefined): string => {
    const code = tokens[idx].content;
    const language = languageOfInfo(info);
    const provisional = env?.provisional === true && !isHighlightCached(code, language);
    const html = provisional ? highlightCodeProvisionally(code, language) : highlightCode(code, language);
    slots.push({ index: takeBlockIndex(env), language, html, text: code });
    return `<div data-code-slot="${slots.length - 1}"></div>\n`;
  };
  md.renderer.rules.fence = (tokens, idx, _options, env) => codeBlock(tokens, idx, md.utils.unescapeAll(tokens[idx].info), env);
  md.renderer.rules.code_block = (tokens, idx, _options, env) => codeBlock(tokens, idx, '', env);
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const src = String(token.attrGet('src') ?? '');
    const alt = self.renderInlineAsText(token.children ?? [], options, env);
    if (SAFE_IMAGE_SRC.test(src)) return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">`;
    // Never an <img> with a remote src: loading it would send whatever the URL encodes to its host.
    const label = `${escapeHtml(`[image: ${alt}]`)} ${escapeHtml(src)}`;
    if (!isWebUrl(src) || insideLink(tokens, idx)) return label;
    return `<a href="${escapeHtml(src)}" class="kestrel-image-link">${label}</a>`;
  };
  // The sanitiser drops `style`, so table alignment travels as a class instead.
  md.core.ruler.push('kestrel_table_align', (state) => {
    for (const token of state.tokens) {
      if (token.type !== 'th_open' && token.type !== 'td_open') continue;
      const align = /^text-align:(left|center|right)$/.exec(String(token.attrGet('style') ?? ''));
      if (!token.attrs) continue;
      token.attrs = token.attrs.filter(([name]) => name !== 'style');
      if (align) token.attrSet('class', `kestrel-align-${align[1]}`);
    }
  });
  return md;
}

/** The next code block number; `env` is ours (see MarkdownEnv) whenever we call markdown-it. */
function takeBlockIndex(env: Env | undefined): number {
  if (!env) return 0;
  const index = typeof env.nextCodeBlock === 'number' ? env.nextCodeBlock : 0;
  env.nextCodeBlock = index + 1;
  return index;
}

/** Whether inline token `idx` sits inside a link (an anchor there would nest anchors). */
function insideLink(tokens: MarkdownToken[], idx: number): boolean {
  let depth = 0;
  for (let i = idx - 1; i >= 0; i--) {
    if (tokens[i].type === 'link_close') depth--;
    else if (tokens[i].type === 'link_open' && ++depth > 0) return true;
  }
  return false;
}

/** A renderer bound to one window (the webview's, or a jsdom window in tests). */
export function createMarkdownRenderer(win: RendererWindow): MarkdownRenderer {
  const slots: CodeBlockParts[] = [];
  const md = createMarkdownIt(slots);
  const sanitize = createSanitizer(win);
  const renderTokens = (tokens: MarkdownToken[], env: MarkdownEnv): DocumentFragment => {
    slots.length = 0;
    const fragment = sanitize(md.renderer.render(tokens, md.options, env));
    for (const placeholder of Array.from(fragment.querySelectorAll('div[data-code-slot]'))) {
      const parts = slots[Number(placeholder.getAttribute('data-code-slot'))];
      if (parts) placeholder.replaceWith(createCodeBlock(win.document, parts));
      else placeholder.remove();
    }
    return fragment;
  };
  const renderFragment = (source: string, env: MarkdownEnv): DocumentFragment => renderTokens(md.parse(source, env), env);
  return {
    render(source) {
      const holder = win.document.createElement('div');
      holder.append(renderFragment(source, { nextCodeBlock: 0 }));
      return holder.innerHTML;
    },
    renderFragment,
    parse: (source, env) => md.parse(source, env),
    renderTokens,
    prepareCodeBlock(token) {
      highlightCode(token.content, languageOfInfo(md.utils.unescapeAll(token.info)));
    },
    isCodeBlockPrepared: (token) => isHighlightCached(token.content, languageOfInfo(md.utils.unescapeAll(token.info))),
  };
}
