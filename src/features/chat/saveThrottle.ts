/**
 * Saves a streaming answer now and then: the first text at once, then at most once per interval,
 * one save at a time. A crash of the extension host then loses at most the last seconds of an
 * answer, while a fast stream costs a disk write every couple of seconds rather than one per batch.
 */

/** How often a streaming answer is saved at most. */
export const SAVE_INTERVAL_MS = 2000;

export class SaveThrottle {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastStarted = -Infinity;
  private running: Promise<void> = Promise.resolve();

  /** `save` reports its own failures: it never rejects. */
  constructor(
    private readonly save: () => Promise<void>,
    private readonly intervalMs = SAVE_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Something changed: saves now, or when the interval since the last save has passed. */
  request(): void {
    if (this.timer !== undefined) return;
    const wait = this.lastStarted + this.intervalMs - this.now();
    if (wait <= 0) this.start();
    else this.timer = setTimeout(() => this.start(), wait);
  }

  /** Drops a save not yet started; resolves when the one running (if any) has ended. */
  settle(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.running;
  }

  private start(): void {
    this.timer = undefined;
    this.lastStarted = this.now();
    this.running = this.running.then(this.save);
  }
}
