/**
 * Streamed answer text, posted to the webview in batches (`intervalMs`, 100 ms by default): one
 * message per token would make the webview's work grow with the model's speed instead of the
 * screen's. The webview redraws a streaming answer about 3 times a second on a slow machine
 * anyway, so 100 ms batches cost no smoothness, and they halve the messages it must receive
 * (bench:chat: 5.0% -> 4.6% of the main thread). The first words of an answer go at once (not
 * those of a continuation: the answer is already on screen).
 */

/** How often streamed text is posted to the webview (bench:chat streams at the same pace). */
export const DELTA_INTERVAL_MS = 100;

export class DeltaBatcher {
  private unsent = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sentAny: boolean;

  /** `send` gets each batch, in order; `firstAtOnce`: the first text is sent without waiting. */
  constructor(
    private readonly send: (text: string) => void,
    firstAtOnce: boolean,
    private readonly intervalMs = DELTA_INTERVAL_MS,
  ) {
    this.sentAny = !firstAtOnce;
  }

  add(text: string): void {
    this.unsent += text;
    if (!this.sentAny && this.timer === undefined) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends what is waiting now (before a tool step, at the end of the answer). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.unsent) return;
    this.sentAny = true;
    const text = this.unsent;
    this.unsent = '';
    this.send(text);
  }
}
