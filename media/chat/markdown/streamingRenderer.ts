/// <reference lib="dom" />
/**
 * Renders a chat answer while it streams, without re-parsing the whole answer per token. The
 * answer is split into *settled* top-level blocks, rendered once and appended as fixed nodes, and
 * the *open tail* (the block still being written, plus anything whose structure the next lines
 * could still change), re-rendered at most once per frame, paced to a CPU budget (updatePacer.ts)
 * and patched into the DOM so unchanged nodes stay (patchNodes.ts).
 *
 * Where to split is decided by markdown-it's own parse of the tail, not by guessing at blank
 * lines: a split goes before a top-level block that starts after a blank line on a complete line.
 * Such a block can no longer join what came before it (a fence, a loose list or a lazy
 * continuation would have made it part of the previous block), so rendering the two parts
 * separately gives the same HTML as rendering the whole answer. Code block numbers carry across
 * parts; the one construct that reaches backwards, a `[label]: url` definition used earlier in the
 * answer, is covered by re-rendering the whole answer once at `finish()`.
 */
import { patchNodes } from './patchNodes';
import type { MarkdownEnv, MarkdownRenderer, MarkdownToken } from './renderMarkdown';
import { createUpdatePacer, windowScheduler, type PacingOptions, type UpdateScheduler } from './updatePacer';

export type { UpdateScheduler } from './updatePacer';

export interface StreamingMarkdownOptions extends PacingOptions {
  /** Defaults to the container's window (requestAnimationFrame, timers, a MessageChannel). */
  scheduler?: UpdateScheduler;
}

export interface StreamingMarkdown {
  /** Adds streamed text; the view updates before the next frame (when the pacing allows). */
  append(chunk: string): void;
  /** Renders everything now, as final. The container then equals `renderer.render(text)`. */
  finish(): void;
  /** The markdown received so far (line endings normalised to `\n`). */
  readonly text: string;
}

/** Streams markdown into `container`, which the view owns: it must hold nothing else. */
export function createStreamingMarkdown(
  container: Element,
  renderer: MarkdownRenderer,
  options: StreamingMarkdownOptions = {},
): StreamingMarkdown {
  const scheduler = options.scheduler ?? schedulerFor(container);
  container.classList.add('kestrel-markdown');
  const settledEnv: MarkdownEnv = { nextCodeBlock: 0 };
  let text = '';
  let heldCarriageReturn = false;
  let tailStart = 0;
  let renderedLength = -1;
  let settledParts = 0;
  let tailNodes: ChildNode[] = [];
  let finished = false;
  const preparing = new Set<string>();
  const pacer = createUpdatePacer(
    () => {
      if (finished || text.length === renderedLength) return false;
      update(false);
      return true;
    },
    scheduler,
    options,
  );

  /**
   * Highlighting a finished code block whole is the costliest step of an update. It is done while
   * idle instead (the result is cached), and a block settles only once it is done: until then
   * the block stays in the tail with a cheap provisional highlighting. Returns the index of the
   * first finished block not yet prepared (the settled part must end before it).
   */
  function firstUnpreparedBlock(tail: string, tokens: readonly MarkdownToken[]): number {
    let first = tokens.length;
    for (let i = tokens.length - 1; i >= 0; i--) {
      const token = tokens[i];
      if (token.type !== 'fence' || token.level !== 0 || renderer.isCodeBlockPrepared(token)) continue;
      if (i === tokens.length - 1 && !isClosedFence(tail, token)) continue;
      first = i;
      if (preparing.has(token.content)) continue;
      preparing.add(token.content);
      scheduler.idle(() => {
        preparing.delete(token.content);
        renderer.prepareCodeBlock(token);
      });
    }
    return first;
  }

  function update(final: boolean): void {
    renderedLength = text.length;
    const tail = text.slice(tailStart);
    const parseEnv: MarkdownEnv = { nextCodeBlock: 0, references: settledEnv.references && { ...settledEnv.references } };
    const tokens = renderer.parse(tail, parseEnv);
    const split = final ? undefined : findSettledSplit(tail, tokens, firstUnpreparedBlock(tail, tokens));
    const fresh: ChildNode[] = [];
    let settledCount = 0;
    if (split) {
      fresh.push(...Array.from(renderer.renderTokens(tokens.slice(0, split.tokenIndex), settledEnv).childNodes));
      settledCount = fresh.length;
      settledEnv.references = parseEnv.references;
      tailStart += split.offset;
      settledParts++;
    }
    const tailTokens = split ? tokens.slice(split.tokenIndex) : tokens;
    // The final render advances the shared numbering; a provisional one works on a copy.
    fresh.push(...Array.from(renderer.renderTokens(tailTokens, final ? settledEnv : { ...settledEnv, provisional: true }).childNodes));
    // The old tail's nodes become the newly settled ones (if any) followed by the new tail.
    tailNodes = patchNodes(container, tailNodes, fresh).slice(settledCount);
    if (final && settledParts > 0 && parseEnv.references && Object.keys(parseEnv.references).length > 0) {
      // A definition may be used above the part it arrived in; only a whole render resolves that.
      container.replaceChildren(renderer.renderFragment(text, { nextCodeBlock: 0 }));
    }
  }

  return {
    append(chunk) {
      if (finished) throw new Error('append() after finish()');
      // markdown-it turns \r\n and \r into \n; do it here too, even across chunk edges, so
      // block lines and offsets agree with what the parser sees.
      let piece = (heldCarriageReturn ? '\r' : '') + chunk;
      heldCarriageReturn = piece.endsWith('\r');
      if (heldCarriageReturn) piece = piece.slice(0, -1);
      text += piece.replace(/\r\n?/g, '\n');
      pacer.request();
    },
    finish() {
      if (finished) return;
      if (heldCarriageReturn) text += '\n';
      heldCarriageReturn = false;
      finished = true;
      pacer.cancel();
      update(true);
    },
    get text() {
      return text;
    },
  };
}

export interface Split {
  /** First token of the part that stays in the tail. */
  tokenIndex: number;
  /** Offset in the tail text where that part starts. */
  offset: number;
}

/** Whether the closing line of fence `token` has arrived (a later block would also mean so). */
function isClosedFence(tail: string, token: MarkdownToken): boolean {
  if (!token.map || token.map[1] - 1 <= token.map[0]) return false;
  const closing = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(tail.split('\n', token.map[1])[token.map[1] - 1] ?? '');
  return closing !== null && closing[1][0] === token.markup[0] && closing[1].length >= token.markup.length;
}

/**
 * The last place the tail can be cut so that everything before it is final (see header), at or
 * before token `limit`.
 */
export function findSettledSplit(tail: string, tokens: readonly MarkdownToken[], limit = tokens.length): Split | undefined {
  const lineStarts = [0];
  for (let i = tail.indexOf('\n'); i !== -1; i = tail.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  for (let i = Math.min(limit, tokens.length - 1); i > 0; i--) {
    const token = tokens[i];
    if (token.level !== 0 || token.nesting === -1 || !token.map) continue;
    const line = token.map[0];
    if (line === 0) continue;
    // After a list or indented code the block's first line must be complete: a paragraph "1"
    // may yet become "10. item" of the list above, "  " a line of that code. Nothing else takes
    // in a block after a blank line, so a long first line (a whole paragraph, often) does not
    // keep the block before it in the tail.
    if (line + 1 >= lineStarts.length && mayTakeInNextBlock(tokens[i - 1])) continue;
    const previous = tail.slice(lineStarts[line - 1], lineStarts[line] - 1);
    if (/^[ \t]*$/.test(previous)) return { tokenIndex: i, offset: lineStarts[line] };
  }
  return undefined;
}

/** Whether the top-level block ending with `last` can grow past a blank line. */
function mayTakeInNextBlock(last: MarkdownToken): boolean {
  return last.type === 'bullet_list_close' || last.type === 'ordered_list_close' || last.type === 'code_block';
}

function schedulerFor(container: Element): UpdateScheduler {
  const win = container.ownerDocument.defaultView;
  if (!win) throw new Error('the container is not in a window; pass options.scheduler');
  return windowScheduler(win);
}
