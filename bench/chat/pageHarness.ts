/// <reference lib="dom" />
/**
 * Browser side of `npm run bench:chat`, bundled by runChatBench.ts with the webview bundle's
 * esbuild settings. Streams an answer into the real streaming renderer and CSS the way the chat
 * app will: one task per token on a fixed cadence, rendering batched per animation frame, the
 * transcript kept scrolled to the bottom. Compiled by `tsc -p .` only for type-checking.
 */
import '../../media/chat/markdown/markdown.css';
import { createMarkdownRenderer } from '../../media/chat/markdown/renderMarkdown';
import { createStreamingMarkdown } from '../../media/chat/markdown/streamingRenderer';

export interface StreamResult {
  /** From the first chunk to the end of finish(), wall clock. */
  streamMs: number;
  /** Frame updates the renderer ran, and their JavaScript time as measured in the page. */
  frameUpdates: number;
  updateMsTotal: number;
  updateMsMax: number;
  finishMs: number;
  /** Chunks that arrived more than one interval late (the page could not keep up). */
  lateChunks: number;
  html: string;
}

declare global {
  interface Window {
    __stream(chunks: string[], intervalMs: number, minUpdateIntervalMs?: number): Promise<StreamResult>;
    __renderWhole(markdown: string): string;
  }
}

const renderer = createMarkdownRenderer(window);
const transcript = document.getElementById('transcript')!;

window.__renderWhole = (markdown) => renderer.render(markdown);

window.__stream = (chunks, intervalMs, minUpdateIntervalMs) =>
  new Promise<StreamResult>((resolve) => {
    const answer = document.createElement('div');
    transcript.append(answer);
    const stats = { frameUpdates: 0, updateMsTotal: 0, updateMsMax: 0, lateChunks: 0 };
    const view = createStreamingMarkdown(answer, renderer, {
      minUpdateIntervalMs,
      scheduler: {
        now: () => performance.now(),
        delay: (callback, ms) => setTimeout(callback, ms),
        frame: (callback) =>
          requestAnimationFrame(() => {
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
    let next = 0;
    const deliver = (): void => {
      const now = performance.now();
      // Due times are fixed from the start, so a slow tick delivers its backlog, not a drift.
      while (next < chunks.length && started + next * intervalMs <= now) {
        if (now - (started + next * intervalMs) > intervalMs) stats.lateChunks++;
        view.append(chunks[next++]);
      }
      if (next < chunks.length) {
        setTimeout(deliver, Math.max(0, started + next * intervalMs - performance.now()));
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
