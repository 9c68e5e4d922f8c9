/**
 * A discrete-event virtual clock implementing the engine's `Clock`, so a typing session of many
 * minutes runs in seconds and gives the same figures on every run.
 *
 * Real asynchronous work still happens inside the simulation (HTTP to the local test server,
 * promise chains), so virtual time only moves when the process is otherwise idle: the driver
 * flushes microtasks and immediates, waits until no "real work" is in progress (the re-timed
 * model counts its real HTTP requests with `beginRealWork`), and only then pops the next timer.
 * Timers due at the same virtual time fire in the order they were set, one per idle point.
 */
import type { Clock } from '../../src/core/completion/completionEngine';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
  cancelled: boolean;
}

/** How many idle immediates in a row count as "nothing left to do at this virtual instant". */
const QUIET_TURNS = 2;

export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly heap: Timer[] = [];
  private realWork = 0;
  private idleWaiters: (() => void)[] = [];
  /** Timers fired so far (a measure of simulation effort). */
  events = 0;

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.sleepUntil(this.time + Math.max(0, ms), signal);
  }

  /** Resolves at virtual time `at` (now if it has passed), or as soon as `signal` aborts. */
  sleepUntil(at: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer: Timer = { at: Math.max(at, this.time), seq: this.seq++, resolve, cancelled: false };
      const onAbort = () => {
        timer.cancelled = true;
        resolve();
      };
      timer.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.push(timer);
    });
  }

  /** Marks real (wall-clock) work in progress; virtual time stands still until `end` is called. */
  beginRealWork(): () => void {
    this.realWork++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.realWork === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    };
  }

  /** Drives the simulation until `main` settles; returns its value (or throws its error). */
  async run<T>(main: Promise<T>): Promise<T> {
    let settled = false;
    main.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      await this.settle();
      if (settled) return main;
      const timer = this.pop();
      if (!timer) throw new Error('virtual clock: nothing scheduled, yet the simulation has not finished (deadlock)');
      this.time = timer.at;
      this.events++;
      timer.resolve();
    }
  }

  /** Waits until microtasks, immediates and real work have all run dry. */
  private async settle(): Promise<void> {
    for (let quiet = 0; quiet < QUIET_TURNS; ) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.realWork > 0) {
        await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
        quiet = 0;
      } else {
        quiet++;
      }
    }
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): Timer | undefined {
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap[0];
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && before(heap[l], heap[m])) m = l;
          if (r < heap.length && before(heap[r], heap[m])) m = r;
          if (m === i) break;
          [heap[i], heap[m]] = [heap[m], heap[i]];
          i = m;
        }
      }
      if (!top.cancelled) return top;
    }
    return undefined;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
