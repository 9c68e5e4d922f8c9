/// <reference lib="dom" />
/**
 * Host side of `npm run bench:chat`, in the page that embeds the webview frame from another site
 * (as VS Code's workbench embeds a webview), so the host's work runs outside the webview's
 * renderer thread, as it does in VS Code. Posts the protocol messages ChatSession posts: the
 * state on `ready`, then a question, an answer that starts streaming, `answerDelta` batches every
 * `batchMs` with the tokens due by then, and the final `turnUpdated`.
 * Compiled by `tsc -p .` only for type-checking; runChatBench.ts bundles it.
 */
import type { ConversationView, HostToWebview, TurnView } from '../../src/shared/protocol';
import { ANSWER_ID, type BenchReport } from './pageHarness';

export interface StreamResult {
  /** In the webview: from the first delta to the final render. */
  streamMs: number;
  /** answerDelta messages posted. */
  messages: number;
  /** Tokens posted later than one interval plus one batch after they were due. */
  lateTokens: number;
  /** The streamed answer's HTML once finished. */
  html: string;
}

declare global {
  interface Window {
    /** Resolves when the app has said `ready`, got its state and had idle time to warm up. */
    __ready: Promise<void>;
    __stream(chunks: string[], intervalMs: number, batchMs: number): Promise<StreamResult>;
    __renderWhole(markdown: string): Promise<string>;
  }
}

const frame = document.querySelector('iframe')!;
const post = (message: HostToWebview): void => frame.contentWindow!.postMessage(message, '*');
const QUESTION: TurnView = { id: 'q1', role: 'user', text: 'Give me a long answer with code.', createdAt: 0 };
const conversation = (turns: TurnView[]): ConversationView => ({ id: 'c1', title: 'Bench', turns, turnsOutOfContext: 0 });
const waiters: ((report: BenchReport) => boolean)[] = [];
const nextReport = <K extends BenchReport['kestrelBench']>(kind: K): Promise<Extract<BenchReport, { kestrelBench: K }>> =>
  new Promise((resolve) => waiters.push((report) => report.kestrelBench === kind && (resolve(report as Extract<BenchReport, { kestrelBench: K }>), true)));

window.addEventListener('message', (event: MessageEvent<BenchReport>) => {
  const index = waiters.findIndex((waiter) => waiter(event.data));
  if (index >= 0) waiters.splice(index, 1);
});

window.__ready = (async () => {
  const ready = await nextReport('fromApp');
  if (ready.message.type !== 'ready') throw new Error(`expected ready, got ${ready.message.type}`);
  post({ type: 'connection', connection: { provider: 'openai', endpoint: 'https://api.openai.com/v1', model: 'gpt-4o-mini', keySource: 'secret-storage' } });
  post({ type: 'conversation', conversation: conversation([]), busy: false });
  post({ type: 'context', chips: [], estimate: { promptTokens: 120, usdPerPromptToken: 0.15e-6, usdPerAnswerToken: 0.6e-6, typicalAnswerTokens: 400 } });
  // The user reads the empty chat and types a question (5 s): the app warms its renderer up
  // meanwhile (highlight.js grammars compile on first use; about 4 s on the 2-core CI machine).
  await new Promise((resolve) => setTimeout(resolve, 5000));
})();

window.__stream = async (chunks, intervalMs, batchMs) => {
  post({ type: 'turnAdded', turn: QUESTION });
  post({ type: 'turnAdded', turn: { id: ANSWER_ID, role: 'assistant', text: '', createdAt: 0, status: 'streaming' } });
  post({ type: 'busy', busy: true });
  const done = nextReport('streamed');
  const started = performance.now();
  const dueAt = (token: number): number => started + token * intervalMs;
  let next = 0;
  let messages = 0;
  let lateTokens = 0;
  // Due times are fixed from the start, so a late batch carries its backlog instead of drifting.
  await new Promise<void>((resolve) => {
    const send = (): void => {
      const now = performance.now();
      let text = '';
      while (next < chunks.length && dueAt(next) <= now + 0.5) {
        if (now - dueAt(next) > intervalMs + batchMs) lateTokens++;
        text += chunks[next++];
      }
      if (text) {
        messages++;
        post({ type: 'answerDelta', turnId: ANSWER_ID, text });
      }
      if (next < chunks.length) setTimeout(send, Math.max(batchMs, Math.ceil(dueAt(next) - performance.now())));
      else resolve();
    };
    send();
  });
  post({ type: 'busy', busy: false });
  post({ type: 'turnUpdated', turn: { id: ANSWER_ID, role: 'assistant', text: chunks.join(''), createdAt: 0, status: 'complete', usage: { promptTokens: 120, completionTokens: chunks.length, usd: 0.0024 } } });
  const { html, streamMs } = await done;
  return { streamMs, messages, lateTokens, html };
};

window.__renderWhole = async (markdown) => {
  const whole = nextReport('whole');
  post({ type: 'conversation', conversation: conversation([QUESTION, { id: ANSWER_ID, role: 'assistant', text: markdown, createdAt: 0, status: 'complete' }]), busy: false });
  return (await whole).html;
};
