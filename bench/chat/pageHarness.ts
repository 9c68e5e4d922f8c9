/// <reference lib="dom" />
/**
 * Webview side of `npm run bench:chat`, loaded before the real chat bundle in the webview frame.
 * It stands in for VS Code's webview glue: `acquireVsCodeApi` forwards the app's messages to the
 * parent frame (the "host", hostHarness.ts). It only watches the protocol messages the host
 * sends (it never sends its own to the app): the first `answerDelta` starts the measured window,
 * the final `turnUpdated` ends it once that frame is rendered, and a `conversation` holding the
 * finished answer (the same chat loaded from history, rendered at once) is reported back for the
 * comparison. Compiled by `tsc -p .` only for type-checking; runChatBench.ts bundles it.
 */
import type { HostToWebview, WebviewToHost } from '../../src/shared/protocol';

/** What the webview frame reports to the host frame. */
export type BenchReport =
  | { kestrelBench: 'fromApp'; message: WebviewToHost }
  | { kestrelBench: 'streamed'; html: string; streamMs: number }
  | { kestrelBench: 'whole'; html: string };

export const ANSWER_ID = 'r1';

declare global {
  interface Window {
    acquireVsCodeApi(): { postMessage(message: WebviewToHost): void; getState(): unknown; setState(state: unknown): void };
  }
}

const report = (message: BenchReport): void => window.parent.postMessage(message, '*');
let state: unknown;
window.acquireVsCodeApi = () => ({
  postMessage: (message) => report({ kestrelBench: 'fromApp', message }),
  getState: () => state,
  setState: (next) => void (state = next),
});

const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
const answerHtml = (): string => document.querySelector(`[data-turn-id="${ANSWER_ID}"] .answer-body`)?.innerHTML ?? '';
let startedAt: number | undefined;

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (message.type === 'answerDelta' && startedAt === undefined) {
    console.timeStamp('kestrel-bench-start');
    startedAt = performance.now();
  } else if (message.type === 'turnUpdated' && message.turn.id === ANSWER_ID && message.turn.status === 'complete') {
    void nextFrame().then(() => {
      console.timeStamp('kestrel-bench-end');
      report({ kestrelBench: 'streamed', html: answerHtml(), streamMs: performance.now() - (startedAt ?? 0) });
    });
  } else if (message.type === 'conversation' && message.conversation.turns.some((turn) => turn.id === ANSWER_ID)) {
    void nextFrame().then(() => report({ kestrelBench: 'whole', html: answerHtml() }));
  }
});
