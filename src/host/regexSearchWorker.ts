/**
 * The worker thread that runs search_text's regular expressions (see lineMatcher.ts). It matches
 * one file's text per message and answers with the matching lines. Nothing else runs here, so
 * when a pattern backtracks without end, terminating this thread ends it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { findInText } from '../core/tools/textSearch';

const { source, flags } = workerData as { source: string; flags: string };
const matcher = new RegExp(source, flags);

parentPort?.on('message', ({ id, text, max }: { id: number; text: string; max: number }) => {
  parentPort?.postMessage({ id, matches: findInText(text, matcher, max) });
});
