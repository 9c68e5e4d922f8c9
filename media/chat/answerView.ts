/// <reference lib="dom" />
/**
 * One answer in the transcript. While it streams, deltas go to the streaming markdown renderer
 * (which re-renders only the open tail, once per frame); a finished answer from history is
 * rendered whole. Under the text: how the answer ended when that needs saying (cut at the output
 * limit: Continue; interrupted by an error: Retry; stopped), and a small toolbar with Copy,
 * Regenerate and what the answer cost. Buttons that act on "the last answer" show only on it.
 */
import type { ToolStepView, TurnView, WebviewToHost } from '../../src/shared/protocol';
import type { Dom } from './dom';
import { formatUsd } from './format';
import type { IconName } from './icons';
import type { MarkdownRenderer } from './markdown/renderMarkdown';
import { createStreamingMarkdown, type StreamingMarkdown, type UpdateScheduler } from './markdown/streamingRenderer';
import { createToolSteps } from './toolSteps';

export interface AnswerContext {
  dom: Dom;
  renderer: MarkdownRenderer;
  scheduler: UpdateScheduler;
  post(message: WebviewToHost): void;
  /** Reads `text` out through the polite live region. */
  announce(text: string): void;
}

export interface AnswerView {
  readonly element: HTMLElement;
  /** Streamed text for this answer (restarts streaming if the answer had finished: Continue). */
  appendDelta(text: string): void;
  /** The answer's new state; a final status ends streaming. */
  update(turn: TurnView): void;
  /** A tool call of this answer started or ended. */
  showStep(step: ToolStepView): void;
  /** Whether this is the conversation's last answer, and whether a request is running. */
  setAvailability(isLast: boolean, busy: boolean): void;
}

/** Longest answer text read out when an answer finishes; the rest stays in the transcript. */
const ANNOUNCE_LIMIT = 2000;

export function createAnswerView(ctx: AnswerContext, initial: TurnView): AnswerView {
  const { dom } = ctx;
  let turn = initial;
  let stream: StreamingMarkdown | undefined;
  /** Text the body shows when not streaming. */
  let renderedText: string | undefined;
  let isLast = false;
  let busy = false;
  let lastOnly: HTMLButtonElement[] = [];

  const element = dom.el('article', 'turn turn-assistant');
  element.dataset.turnId = turn.id;
  element.setAttribute('aria-label', 'Kestrel’s answer');
  const header = dom.el('div', 'turn-header');
  header.append(dom.icon('sparkle'), dom.el('span', 'turn-role', 'Kestrel'));
  const body = dom.el('div', 'answer-body kestrel-markdown');
  const pending = dom.el('div', 'answer-pending');
  pending.append(dom.icon('loading', 'codicon-modifier-spin'), dom.el('span', undefined, 'Working…'));
  const status = dom.el('div', 'answer-status');
  const footer = dom.el('div', 'answer-footer');
  const steps = createToolSteps(dom, ctx.post);
  steps.setAll(turn.steps ?? []);
  element.append(header, steps.element, body, pending, status, footer);

  const startStreaming = (seed: string): StreamingMarkdown => {
    body.replaceChildren();
    renderedText = undefined;
    const started = createStreamingMarkdown(body, ctx.renderer, { scheduler: ctx.scheduler });
    if (seed) started.append(seed);
    body.setAttribute('aria-busy', 'true');
    element.classList.add('is-streaming');
    stream = started;
    return started;
  };

  const renderWhole = (text: string): void => {
    body.replaceChildren(ctx.renderer.renderFragment(text, { nextCodeBlock: 0 }));
    renderedText = text;
  };

  const currentText = (): string => stream?.text ?? turn.text;

  /** A turn action button that applies to the last answer only. */
  const lastOnlyButton = (button: HTMLButtonElement): HTMLButtonElement => {
    lastOnly.push(button);
    return button;
  };
  const regenerate = (label: string, icon: IconName = 'refresh'): HTMLButtonElement =>
    lastOnlyButton(dom.textButton(label, () => ctx.post({ type: 'regenerate', turnId: turn.id }), { icon }));

  const renderStatus = (): void => {
    lastOnly = [];
    status.replaceChildren();
    footer.replaceChildren();
    const streaming = turn.status === 'streaming';
    pending.hidden = !streaming || currentText() !== '';
    element.classList.toggle('is-interrupted', turn.status === 'interrupted');
    element.classList.toggle('is-error', turn.error !== undefined);
    if (streaming) return;
    let hasOwnRetry = false;
    if (turn.error !== undefined || turn.status === 'interrupted') {
      const note = dom.el('div', 'answer-note note-error');
      note.setAttribute('role', 'note');
      note.append(dom.icon('error'), dom.el('span', 'note-text', turn.error ?? 'The answer was interrupted.'));
      status.append(note, regenerate('Retry'));
      hasOwnRetry = true;
    } else if (turn.status === 'truncated') {
      const note = dom.el('div', 'answer-note');
      // A continuation that was stopped or failed stays continuable; its error says why it ended.
      note.append(dom.icon('warning'), dom.el('span', 'note-text', turn.error ?? 'The answer reached the output limit.'));
      status.append(note, lastOnlyButton(dom.textButton('Continue', () => ctx.post({ type: 'continue', turnId: turn.id }), { icon: 'debug-continue', primary: true })));
    } else if (turn.status === 'cancelled') {
      const note = dom.el('div', 'answer-note');
      note.append(dom.icon('debug-stop'), dom.el('span', 'note-text', 'Stopped.'));
      status.append(note, regenerate('Regenerate'));
      hasOwnRetry = true;
    }
    status.hidden = status.childElementCount === 0;

    const text = currentText();
    if (text !== '') {
      const copy = dom.iconButton('copy', 'Copy answer', () => {
        ctx.post({ type: 'copy', text: currentText() });
        flashCopied(copy);
        ctx.announce('Copied');
      });
      footer.append(copy);
    }
    if (!hasOwnRetry) {
      const again = lastOnlyButton(dom.iconButton('refresh', 'Regenerate answer', () => ctx.post({ type: 'regenerate', turnId: turn.id })));
      footer.append(again);
    }
    if (turn.usage) {
      const { promptTokens, completionTokens, usd } = turn.usage;
      const usage = dom.el('span', 'answer-usage', `${promptTokens.toLocaleString('en-US')} in · ${completionTokens.toLocaleString('en-US')} out${usd > 0 ? ` · ${formatUsd(usd)}` : ''}`);
      usage.title = `Prompt: ${promptTokens} tokens, answer: ${completionTokens} tokens${usd > 0 ? `, cost $${usd.toFixed(6)}` : ''}`;
      footer.append(usage);
    }
    footer.hidden = footer.childElementCount === 0;
    applyAvailability();
  };

  const applyAvailability = (): void => {
    for (const button of lastOnly) button.hidden = !isLast || busy;
  };

  /** Reads the finished answer out once (not token by token), with how it ended. */
  const announceEnd = (): void => {
    const text = (body.textContent ?? '').trim();
    const parts = [text.length > ANNOUNCE_LIMIT ? `${text.slice(0, ANNOUNCE_LIMIT)}… (continues in the transcript)` : text];
    parts.push(...Array.from(status.querySelectorAll('.note-text'), (note) => note.textContent ?? ''));
    const words = parts.filter((part) => part !== '').join(' ');
    if (words) ctx.announce(`Kestrel: ${words}`);
  };

  if (turn.status === 'streaming') startStreaming(turn.text);
  else renderWhole(turn.text);
  renderStatus();

  return {
    element,
    appendDelta(text) {
      if (!stream) {
        // More text for a finished answer (Continue appends to it): it is streaming again.
        startStreaming(renderedText ?? turn.text);
        turn = { ...turn, status: 'streaming', error: undefined };
        renderStatus();
      }
      stream?.append(text);
      // Only touch the DOM on a change: even an unchanged attribute write makes the browser
      // produce a new frame, and deltas arrive 20 times a second.
      if (!pending.hidden) pending.hidden = true;
    },
    showStep(step) {
      steps.show(step);
      pending.hidden = true;
    },
    update(next) {
      const wasStreaming = stream !== undefined;
      turn = next;
      steps.setAll(turn.steps ?? []);
      if (turn.status === 'streaming') {
        if (!stream) startStreaming(turn.text);
      } else if (stream) {
        stream.finish();
        // The host's text is the answer; what streamed can differ (a reload mid-answer).
        if (stream.text !== turn.text.replace(/\r\n?/g, '\n')) renderWhole(turn.text);
        else renderedText = turn.text;
        stream = undefined;
        body.removeAttribute('aria-busy');
        element.classList.remove('is-streaming');
      } else if (renderedText !== turn.text) {
        renderWhole(turn.text);
      }
      renderStatus();
      if (wasStreaming && !stream) announceEnd();
    },
    setAvailability(last, running) {
      isLast = last;
      busy = running;
      applyAvailability();
    },
  };
}

/** Shows "Copied" on a copy button for a moment (its accessible name stays the same). */
export function flashCopied(button: HTMLElement): void {
  const win = button.ownerDocument.defaultView;
  button.classList.add('is-copied');
  // Icon buttons change their glyph; the code block's text buttons say "Copied".
  const label = button.classList.contains('kestrel-code-action') ? button : button.querySelector('.text-button-label');
  const before = label?.textContent ?? '';
  if (label) label.textContent = 'Copied';
  const glyph = button.querySelector('.codicon-copy');
  glyph?.classList.replace('codicon-copy', 'codicon-check');
  win?.setTimeout(() => {
    button.classList.remove('is-copied');
    if (label && label.textContent === 'Copied') label.textContent = before;
    glyph?.classList.replace('codicon-check', 'codicon-copy');
  }, 1500);
}
