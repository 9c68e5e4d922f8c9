/// <reference lib="dom" />
/**
 * Browser side of `npm run bench:chat`, bundled by runChatBench.ts with the webview bundle's
 * esbuild settings. Streams an answer into the real streaming renderer and CSS the way the chat
 * app will: the renderer is created and warmed up when the view loads, tokens arrive as separate
 * tasks on a fixed cadence, and the transcript follows the end of the answer after each update.
 * Compiled by `tsc -p .` only for type-checking.
 */
import '../../media/chat/markdown/markdown.css';
import { createMarkdownRenderer } from '../../media/chat/markdown/renderMarkdown';
import { createStreamingMarkdown } from '../../media/chat/markdown/streamingRenderer';
import { windowScheduler } from '../../media/chat/markdown/updatePacer';
import { idleSchedulerFor, warmUpRenderer } from '../../media/chat/markdown/warmUp';

export interface StreamResult {
  /** From the first chunk to the end of finish(), wall clock. */
  streamMs: number;
  /** Messages the page received (each a task), and tokens that arrived late. */
  messages: number;
  lateTokens: number;
  /** Tail updates the renderer ran, and their JavaScript time as measured in the page. */
  frameUpdates: number;
  updateMsTotal: number;
  updateMsMax: number;
  finishMs: number;
  html: string;
}

declare global {
  interface Window {
    /** Resolves when the renderer is warmed up (the view has loaded; the user is typing). */
    __ready: Promise<void>;
    /** Streams `chunks` (one per token), `intervalMs` apart, posted `batchMs` apart (0: one message per token). */
    __stream(chunks: string[], intervalMs: number, batchMs: number): Promise<StreamResult>;
    __renderWhole(markdown: string): string;
  }
}

const renderer = createMarkdownRenderer(window);
const transcript = document.getElementById('transcript')!;

window.__ready = warmUpRenderer(renderer, idleSchedulerFor(window), transcript);
window.__renderWhole = (markdown) => renderer.render(markdown);

window.__stream = (chunks, intervalMs, batchMs) =>
  new Promise<StreamResult>((resolve) => {
    const answer = document.createElement('div');
    transcript.append(answer);
    const stats = { messages: 0, lateTokens: 0, frameUpdates: 0, updateMsTotal: 0, updateMsMax: 0 };
    const browser = windowScheduler(window);
    const view = createStreamingMarkdown(answer, renderer, {
      scheduler: {
        ...browser,
        frame: (callback) =>
          browser.frame(() => {
            const start = performance.now();
            callback();
            // What the chat does after each update: follow the end of the answer.
            transcript.scrollTop = transcript.scrollHeight;
            const ms = performance.now() - start;
            stats.frameUpdates++;
            stats.updateMsTotal += ms;
            stats.updateMsMax = Math.max(stats.updateMsMax, ms);
          }),
      },
    });
    console.timeStamp('kestrel-bench-start');
    const started = performance.now();
    const dueAt = (token: number): number => started + token * intervalMs;
    let next = 0;
    // One task per message, like a webview's message events; the due times are fixed from the
    // start, so a late task delivers its backlog instead of drifting.
    const deliver = (): void => {
      const now = performance.now();
      stats.messages++;
      while (next < chunks.length && dueAt(next) <= now + 0.5) {
        if (now - dueAt(next) > intervalMs + batchMs) stats.lateTokens++;
        view.append(chunks[next++]);
      }
      if (next < chunks.length) {
        setTimeout(deliver, Math.max(batchMs, Math.ceil(dueAt(next) - performance.now())));
        return;
      }
      const finishStart = performance.now();
      view.finish();
      const ended = performance.now();
      console.timeStamp('kestrel-bench-end');
      resolve({ ...stats, streamMs: ended - started, finishMs: ended - finishStart, html: answer.innerHTML });
    };
    deliver();
  });
