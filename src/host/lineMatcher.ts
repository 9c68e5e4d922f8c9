/**
 * Runs search_text's matching where a runaway pattern cannot freeze the extension host.
 *
 * JavaScript cannot interrupt a regular expression mid-match, and the model writes the pattern:
 * `(a|a)*b` against a line of `a`s never finishes, and no check of the pattern's shape catches
 * every such case. So a regular expression runs in a worker thread, one file per message, and a
 * file that takes longer than `perFileMs` ends the worker and the search with a clear error.
 * Plain-text queries cannot backtrack and stay on this thread.
 */
import * as path from 'node:path';
import type { Worker as WorkerThread } from 'node:worker_threads';
import { compileQuery, findInText, type LineMatch } from '../core/tools/textSearch';
import type { LineMatcher } from '../core/tools/workspacePort';

/** The worker's compiled file: beside this one, both in `out/` (tsc) and `dist/` (esbuild). */
const WORKER_FILE = path.join(__dirname, 'regexSearchWorker.js');

export function createLineMatcher(query: string, isRegex: boolean, perFileMs = 1000): LineMatcher {
  const matcher = compileQuery(query, isRegex);
  if (!isRegex) return { match: async (text, max) => findInText(text, matcher, max), dispose: () => undefined };

  // Required here, not at the top: loading worker_threads costs activation about 3 ms.
  const { Worker } = require('node:worker_threads') as { Worker: typeof WorkerThread };
  const worker = new Worker(WORKER_FILE, { workerData: { source: matcher.source, flags: matcher.flags } });
  worker.unref();
  let next = 0;
  let failure: Error | undefined;
  const waiting = new Map<number, { resolve(matches: LineMatch[]): void; reject(error: Error): void }>();
  const fail = (error: Error) => {
    failure ??= error;
    for (const pending of waiting.values()) pending.reject(failure);
    waiting.clear();
    void worker.terminate();
  };
  worker.on('message', ({ id, matches }: { id: number; matches: LineMatch[] }) => {
    waiting.get(id)?.resolve(matches);
    waiting.delete(id);
  });
  worker.on('error', (error) => fail(new Error(`the search failed: ${error.message}`)));

  return {
    match(text, max) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise<LineMatch[]>((resolve, reject) => {
        const timer = setTimeout(
          () => fail(new Error(`the regular expression took over ${perFileMs / 1000} s on one file (it backtracks too much); use a simpler pattern.`)),
          perFileMs,
        );
        waiting.set(id, {
          resolve: (matches) => (clearTimeout(timer), resolve(matches)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        });
        worker.postMessage({ id, text, max });
      });
    },
    dispose: () => void worker.terminate(),
  };
}
