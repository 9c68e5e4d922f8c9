/// <reference lib="dom" />
/**
 * Paces the streaming renderer's updates to a share of the main thread. An update's cost is its
 * JavaScript plus the browser's style, layout, paint and commit for it; the latter is measured
 * around the frame that renders the update (see `afterFrame`). After an update that cost `t` ms
 * the next waits `t / budget` ms: a fast machine updates every frame, a slow one (or a long code
 * block) updates less often instead of falling behind or janking.
 */

/** When updates run; `windowScheduler` is the browser's, tests inject a manual one. */
export interface UpdateScheduler {
  /** Runs `callback` before the next paint: once the current task's script is done. */
  frame(callback: () => void): void;
  /**
   * Runs `callback` once the frame showing the current task's changes has been rendered, with the
   * main-thread time (ms) the rest of the task and that rendering took (waiting for it not counted).
   */
  afterFrame(callback: (renderMs: number) => void): void;
  /**
   * Runs `callback` in a task of its own right after the current one, normally before the next
   * frame (a MessageChannel message): to split work that would make one long task.
   */
  nextTask(callback: () => void): void;
  /** Runs `callback` after `ms` milliseconds (setTimeout). */
  delay(callback: () => void, ms: number): void;
  /** Runs `callback` when the page is idle (requestIdleCallback), for work that can wait a little. */
  idle(callback: () => void): void;
  /** Milliseconds on a monotonic clock (performance.now). */
  now(): number;
}

export interface PacingOptions {
  /** Share of the main thread updates may take (default DEFAULT_UPDATE_BUDGET). */
  updateBudget?: number;
  /** Shortest wait between updates (default 0: every frame). */
  minUpdateIntervalMs?: number;
  /**
   * Longest wait between updates (default 300 ms), so even a slow machine shows progress. Where an
   * update and its frame cost over 6 ms (the 2-core CI machine: 7-10 ms) this decides the pace.
   */
  maxUpdateIntervalMs?: number;
}

/**
 * 2 %: receiving the tokens (about 0.5 %, 10 messages a second), following the answer's end, the
 * frames' own overhead and garbage collection come on top, and a streamed answer should stay under
 * 5 % of the main thread.
 */
export const DEFAULT_UPDATE_BUDGET = 0.02;

export interface UpdatePacer {
  /** Asks for `run` to be called, on a frame, once the budget allows. */
  request(): void;
  /** Drops any pending request for good. */
  cancel(): void;
}

/** Paces `run`, which returns whether it did any work (only work is charged to the budget). */
export function createUpdatePacer(run: () => boolean, scheduler: UpdateScheduler, options: PacingOptions = {}): UpdatePacer {
  const budget = options.updateBudget ?? DEFAULT_UPDATE_BUDGET;
  const minInterval = options.minUpdateIntervalMs ?? 0;
  const maxInterval = options.maxUpdateIntervalMs ?? 300;
  const pause = (cost: number): number => Math.min(maxInterval, Math.max(minInterval, cost / budget));
  let requested = false;
  let cancelled = false;
  let nextAt = -Infinity;

  const onFrame = (): void => {
    requested = false;
    if (cancelled) return;
    const started = scheduler.now();
    if (!run()) return;
    // Charge the JavaScript now and the rendering once it is known (it can only add).
    const scriptMs = scheduler.now() - started;
    nextAt = started + pause(scriptMs);
    scheduler.afterFrame((renderMs) => {
      nextAt = Math.max(nextAt, started + pause(scriptMs + renderMs));
    });
  };
  // Waiting happens on a timer, not by skipping frames: asking for frames while waiting would
  // make the browser produce (and pay for) frames with nothing new in them.
  const waitThenFrame = (): void => {
    if (cancelled) return;
    const wait = nextAt - scheduler.now();
    // A timer can fire a fraction of a millisecond early; waiting again for that costs a task.
    if (wait > 1) scheduler.delay(waitThenFrame, wait);
    else scheduler.frame(onFrame);
  };
  return {
    request() {
      if (requested || cancelled) return;
      requested = true;
      waitThenFrame();
    },
    cancel() {
      cancelled = true;
    },
  };
}

/** The browser's scheduler for `win`. */
export function windowScheduler(win: Window & typeof globalThis): UpdateScheduler {
  const channel = new win.MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return {
    // At the end of the current task rather than in a frame callback, so the frame that follows
    // draws the update (and the scroll following it, made in a task between the two; see
    // autoScroll.ts). A hidden page has no frames (nothing to show): it updates when shown again.
    frame: (callback) => (win.document.hidden ? win.requestAnimationFrame(() => callback()) : win.queueMicrotask(callback)),
    afterFrame: (callback) => {
      const from = win.performance.now();
      // A microtask queued now runs once the task's script (and the layout it forced) is done;
      // a frame callback runs when the frame starts, and a message posted there once it is drawn.
      win.queueMicrotask(() => {
        const taskMs = win.performance.now() - from;
        win.requestAnimationFrame(() => {
          const frameStarted = win.performance.now();
          waiting.push(() => callback(taskMs + win.performance.now() - frameStarted));
          channel.port2.postMessage(null);
        });
      });
    },
    nextTask: (callback) => {
      waiting.push(callback);
      channel.port2.postMessage(null);
    },
    delay: (callback, ms) => win.setTimeout(callback, ms),
    idle: (callback) =>
      typeof win.requestIdleCallback === 'function' ? win.requestIdleCallback(() => callback(), { timeout: 500 }) : win.setTimeout(callback, 0),
    now: () => win.performance.now(),
  };
}
