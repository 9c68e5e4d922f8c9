/// <reference lib="dom" />
/**
 * Gets the renderer's one-off costs out of the way before the first answer streams: highlight.js
 * compiles a language's grammar the first time it meets it, the first renders run cold
 * JavaScript, and the first code block laid out loads the editor font. During a streamed answer
 * these were its longest tasks. Here they run when the view loads and the user has not asked
 * anything yet: every language once, then a sample answer streamed through the real streaming
 * path (provisional highlighting, a code block prepared while idle and settled, patching, the
 * final render), laid out in a hidden element.
 *
 * The work runs in slices of at most SLICE_MS (a grammar compiles in one step, however long it
 * takes). Idle callbacks are asked for with a short timeout: an embedded webview that paints
 * nothing may get no idle periods at all, and with the default timeout the warm-up then took
 * longer than a user takes to ask the first question.
 */
import { HIGHLIGHTED_LANGUAGES } from './highlightCode';
import type { MarkdownRenderer } from './renderMarkdown';
import { createStreamingMarkdown } from './streamingRenderer';
import type { UpdateScheduler } from './updatePacer';

/** Runs `callback` when the page is idle (requestIdleCallback, or a timer where there is none). */
export type IdleScheduler = (callback: () => void) => void;

/** Longest a slice keeps the main thread before yielding (half a 60 Hz frame). */
export const SLICE_MS = 8;

/** Meets the constructs most grammars have (strings, comments, numbers, calls, blocks, types). */
const CODE_SAMPLE = [
  '// line comment /* block */ # hash',
  'import { a, b } from "module"; let s = \'x\\n\' + `t ${v}` + "y";',
  'class A extends B<T> { constructor(private x: number = 0x1F) { super(3.14e-2); } }',
  'def f(a, b=1) -> int: return f"{a}" if a else None',
  'fn main() -> Result<(), String> { let v: Vec<i32> = vec![1, 2]; Ok(()) }',
  '<tag attr="v">text &amp; more</tag> $VAR ${x} SELECT * FROM t WHERE id = 1;',
  '- key: value',
  '',
].join('\n');

/** An answer shaped like a real one, streamed in chunks of CHUNK characters. */
const ANSWER_SAMPLE = `## Heading

Some *emphasis*, **strong**, \`code\`, a [link](https://example.com) and https://example.com.

- one
- two
  1. nested

\`\`\`ts
export async function retry<T>(task: () => Promise<T>, attempts = 3): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await task(); // done
    } catch (error) {
      last = error;
    }
  }
  throw last;
}
\`\`\`

1. first

2. second

> quoted with \`code\`

| a | b |
|:--|--:|
| 1 | 2 |

![image](https://example.com/x.png) and the end.
`;
const CHUNK = 24;

/**
 * Resolves once every language has been through the renderer, and with `host` a sample answer
 * through the streaming path, laid out in a hidden element inside `host`. `now` is the clock
 * slices are timed with.
 */
export function warmUpRenderer(
  renderer: MarkdownRenderer,
  scheduleIdle: IdleScheduler,
  host?: Element,
  now: () => number = () => performance.now(),
): Promise<void> {
  const steps = warmUpSteps(renderer, host);
  return new Promise((resolve) => {
    const slice = (): void => {
      const started = now();
      // Another step starts only in the first half of the slice: most steps take a few ms.
      do {
        if (steps.next().done) return resolve();
      } while (now() - started < SLICE_MS / 2);
      scheduleIdle(slice);
    };
    scheduleIdle(slice);
  });
}

/** The warm-up's work; each `yield` is a point where it may stop for the rest of the page. */
function* warmUpSteps(renderer: MarkdownRenderer, host: Element | undefined): Generator<void, void, void> {
  for (const language of HIGHLIGHTED_LANGUAGES) {
    renderer.renderFragment(`\`\`\`${language}\n${CODE_SAMPLE}\`\`\`\n`, { nextCodeBlock: 0 });
    yield;
  }
  if (!host) return;
  const probe = host.ownerDocument.createElement('div');
  probe.className = 'kestrel-warm-up';
  probe.setAttribute('aria-hidden', 'true');
  host.append(probe);
  // Frames and idle work become steps of the warm-up, each followed by a layout; no pacing.
  const pending: (() => void)[] = [];
  const queue = (callback: () => void): void => void pending.push(callback);
  const scheduler: UpdateScheduler = { frame: queue, afterFrame: () => {}, nextTask: queue, delay: queue, idle: queue, now: () => performance.now() };
  const stream = createStreamingMarkdown(probe, renderer, { scheduler, updateBudget: Infinity });
  for (let at = 0; at < ANSWER_SAMPLE.length; at += CHUNK) {
    stream.append(ANSWER_SAMPLE.slice(at, at + CHUNK));
    for (let task = pending.shift(); task; task = pending.shift()) {
      task();
      void probe.getBoundingClientRect().height;
      yield;
    }
  }
  stream.finish();
  void probe.getBoundingClientRect().height;
  probe.remove();
}

/** The idle scheduler for a browser window. */
export function idleSchedulerFor(win: Window): IdleScheduler {
  if (typeof win.requestIdleCallback === 'function') return (callback) => win.requestIdleCallback(() => callback(), { timeout: 50 });
  return (callback) => win.setTimeout(callback, 0);
}
