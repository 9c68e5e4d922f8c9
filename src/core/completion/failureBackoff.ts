/**
 * How long inline completions stay quiet after failures. A completion is asked for on nearly every
 * keystroke; without a backoff a dead server or a rate limit would turn each one into a failed
 * request and a log line. Auth failures pause until the key changes.
 */

export type FailureKind = 'auth' | 'notFound' | 'rateLimit' | 'badRequest' | 'server' | 'network' | 'timeout' | 'interrupted' | 'config';

const BASE_MS = 1_000;
const MAX_MS = 60_000;

export class FailureBackoff {
  private failures = 0;
  private pausedUntil = 0;
  private reason: { kind: FailureKind; message: string } | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** Why requests are paused right now, or undefined when they may go ahead. */
  pausedBecause(): { kind: FailureKind; message: string } | undefined {
    return this.now() < this.pausedUntil ? this.reason : undefined;
  }

  /** Milliseconds left in the pause (Infinity until the key changes, after an auth failure). */
  remainingMs(): number {
    return Math.max(0, this.pausedUntil - this.now());
  }

  recordSuccess(): void {
    this.failures = 0;
    this.pausedUntil = 0;
    this.reason = undefined;
  }

  /** Records a failure; returns the pause it caused in milliseconds (0 for none). */
  recordFailure(kind: FailureKind, message: string, retryAfterMs?: number): number {
    this.failures++;
    let pause: number;
    switch (kind) {
      case 'auth':
      case 'config':
        pause = Infinity;
        break;
      case 'notFound':
      case 'badRequest':
        pause = MAX_MS;
        break;
      case 'rateLimit':
        pause = Math.max(retryAfterMs ?? 0, this.exponential());
        break;
      case 'server':
      case 'network':
      case 'timeout':
        // One slow answer is not an outage; pause from the second failure in a row.
        pause = this.failures >= 2 ? this.exponential() : 0;
        break;
      case 'interrupted':
        pause = 0;
        break;
    }
    if (pause > 0) {
      this.pausedUntil = this.now() + pause;
      this.reason = { kind, message };
    }
    return pause;
  }

  private exponential(): number {
    return Math.min(MAX_MS, BASE_MS * 2 ** Math.max(0, this.failures - 1));
  }
}
