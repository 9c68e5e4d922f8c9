/**
 * The scheduling brain of inline completions, free of VS Code so it can run on a virtual clock in
 * the completion benchmark exactly as it runs in the editor.
 *
 * - Typing-through: while the user types what the shown suggestion says, the rest is served from
 *   the cache with no new request.
 * - An answer still on its way is reused, not thrown away, while it can still serve (the typed
 *   text agrees with what it has produced so far); only requests that can no longer serve (the
 *   cursor moved elsewhere, the typed text contradicts them) are aborted. VS Code cancelling its
 *   own call (it does on every keystroke) does not abort the HTTP request.
 * - A short debounce before a new request; none when the cache or an in-flight answer serves.
 * - After an accept, `prefetch` starts the next suggestion at once; after one that finished its
 *   line, for the next line (the `lead` the user is about to type, a line break), shown from the
 *   end of the finished line and still serving once the user pressed Enter.
 */
import type { CompletionMode } from './completionMode';
import { SuggestionCache } from './suggestionCache';

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    }),
};

/** Where the cursor is, in the few terms the engine needs to match answers to states. */
export interface CompletionSnapshot {
  /** The document (its URI). */
  documentKey: string;
  /** Up to the last PREFIX_TAIL characters before the cursor. */
  prefixTail: string;
  /** Up to the first SUFFIX_HEAD characters after the cursor. */
  suffixHead: string;
  mode: CompletionMode;
}

export const PREFIX_TAIL = 2_000;
export const SUFFIX_HEAD = 500;

/**
 * Asks the model for one suggestion; undefined when it has none. Never throws: a failed request
 * (timeout, server error, no network) resolves undefined too, after calling `onFailure`, so that
 * the state is not remembered as one where the model had nothing to suggest.
 */
export interface SuggestionSource<R> {
  fetch(request: R, signal: AbortSignal, onPartial: (raw: string) => void, onFailure?: () => void): Promise<string | undefined>;
}

export interface EngineStats {
  /** Requests started (each one an HTTP request), aborted ones included. */
  requests: number;
  /** Requests aborted because they could no longer serve. */
  aborted: number;
  /** Suggestions served from the cache (typing-through or an earlier answer). */
  cacheHits: number;
  /** Calls served by joining an answer already on its way. */
  joined: number;
}

interface InFlight<R> {
  snapshot: CompletionSnapshot;
  controller: AbortController;
  /** Raw text received so far (fences stripped), to judge whether the answer can still serve. */
  partial: string;
  result: Promise<string | undefined>;
  request: R;
  /** The request failed: its undefined says nothing about the state. */
  failed: boolean;
}

export interface EngineOptions<R> {
  source: SuggestionSource<R>;
  clock?: Clock;
  /** A number, or a function so a settings change applies without a new engine. */
  debounceMs: number | (() => number);
  cacheEntries?: number;
  /** Most requests in flight at once; the oldest is aborted to make room. */
  maxInFlight?: number;
  /** Asked before every new request (false while paused after failures). */
  mayRequest?: () => boolean;
}

export class CompletionEngine<R> {
  private readonly cache: SuggestionCache;
  private readonly inFlight: InFlight<R>[] = [];
  private readonly clock: Clock;
  readonly stats: EngineStats = { requests: 0, aborted: 0, cacheHits: 0, joined: 0 };

  constructor(private readonly options: EngineOptions<R>) {
    this.clock = options.clock ?? realClock;
    this.cache = new SuggestionCache(options.cacheEntries ?? 500);
  }

  /**
   * The suggestion to show at `snapshot`, or undefined. Resolves undefined as soon as `cancel`
   * aborts (VS Code moved on), while a useful request keeps running for the next call.
   * `buildRequest` is only called when a new request is needed.
   */
  async provide(at: CompletionSnapshot, buildRequest: () => R, cancel: AbortSignal, options: { explicit?: boolean } = {}): Promise<string | undefined> {
    const snapshot = withLfLineBreaks(at);
    this.dropUseless(snapshot);
    const cached = this.cache.lookup(snapshot);
    if (cached !== undefined) {
      this.stats.cacheHits++;
      return cached;
    }
    // The model already said it has nothing here; only an explicit request asks again.
    if (!options.explicit && this.cache.isKnownEmpty(snapshot)) return undefined;
    let joined = this.joinable(snapshot);
    if (!joined && !options.explicit) {
      // No debounce after joining: that call has already waited for the model.
      const debounceMs = typeof this.options.debounceMs === 'function' ? this.options.debounceMs() : this.options.debounceMs;
      if (debounceMs > 0) {
        await this.clock.sleep(debounceMs, cancel);
        if (cancel.aborted) return undefined;
        const late = this.cache.lookup(snapshot);
        if (late !== undefined) return late;
        joined = this.joinable(snapshot); // a prefetch may have started meanwhile
      }
    }
    if (joined) {
      this.stats.joined++;
      const served = await this.serveFrom(joined, snapshot, cancel);
      if (served !== undefined || cancel.aborted) return served;
      // Completions never retry: after a failure this call shows nothing, and the next one asks.
      if (joined.failed) return undefined;
      const late = this.cache.lookup(snapshot);
      if (late !== undefined) return late;
      if (!options.explicit && this.cache.isKnownEmpty(snapshot)) return undefined;
    }
    if (this.options.mayRequest?.() === false) return undefined;
    const started = this.start(snapshot, buildRequest());
    return this.serveFrom(started, snapshot, cancel);
  }

  /**
   * Starts the suggestion for `snapshot` now (after an accept), unless one is cached or coming.
   * With a `lead`, the request (which `buildRequest` makes as if `lead` had been typed) answers
   * what follows the lead, and serves at `snapshot` with the lead in front of its answer.
   */
  prefetch(at: CompletionSnapshot, buildRequest: () => R, lead = ''): void {
    const snapshot = withLfLineBreaks(at);
    this.dropUseless(snapshot);
    if (this.cache.lookup(snapshot) !== undefined || this.cache.isKnownEmpty(snapshot) || this.joinable(snapshot)) return;
    if (this.options.mayRequest?.() === false) return;
    this.start(snapshot, buildRequest(), lead);
  }

  /** The cursor moved or the text changed: abort what can no longer serve. */
  observe(snapshot: CompletionSnapshot): void {
    this.dropUseless(withLfLineBreaks(snapshot));
  }

  /** The document was closed: its requests can serve no one, and its answers are dead weight. */
  forgetDocument(documentKey: string): void {
    for (const entry of this.inFlight.filter((e) => e.snapshot.documentKey === documentKey)) this.abort(entry);
    this.cache.forgetDocument(documentKey);
  }

  /** Forgets every answer (settings changed, say) and aborts every request. */
  reset(): void {
    for (const request of this.inFlight.splice(0)) request.controller.abort();
    this.cache.clear();
  }

  private start(snapshot: CompletionSnapshot, request: R, lead = ''): InFlight<R> {
    while (this.inFlight.length >= (this.options.maxInFlight ?? 2)) this.abort(this.inFlight[0]);
    const controller = new AbortController();
    const entry: InFlight<R> = { snapshot, controller, partial: lead, request, result: Promise.resolve(undefined), failed: false };
    this.stats.requests++;
    entry.result = this.options.source
      .fetch(request, controller.signal, (raw) => (entry.partial = lead + stripFenceOpening(raw)), () => (entry.failed = true))
      // Nothing after the lead is nothing to suggest: a bare line break is no suggestion.
      .then((answer) => (answer ? lead + answer : undefined))
      .then((suggestion) => {
        if (!controller.signal.aborted) {
          if (suggestion !== undefined) this.cache.store(snapshot, suggestion);
          else if (!entry.failed) this.cache.storeEmpty(snapshot);
        }
        return controller.signal.aborted ? undefined : suggestion;
      })
      .finally(() => {
        const at = this.inFlight.indexOf(entry);
        if (at >= 0) this.inFlight.splice(at, 1);
      });
    this.inFlight.push(entry);
    return entry;
  }

  /** Waits for `entry` (or for `cancel`) and adapts its answer to what was typed since. */
  private async serveFrom(entry: InFlight<R>, snapshot: CompletionSnapshot, cancel: AbortSignal): Promise<string | undefined> {
    const suggestion = await raceAbort(entry.result, cancel);
    if (suggestion === undefined || cancel.aborted) return undefined;
    const typed = this.cache.typedSince(entry.snapshot, snapshot);
    if (typed === undefined || !suggestion.startsWith(typed) || suggestion.length === typed.length) return undefined;
    return suggestion.slice(typed.length);
  }

  /** An in-flight request whose answer can still serve `snapshot`. */
  private joinable(snapshot: CompletionSnapshot): InFlight<R> | undefined {
    return this.inFlight.findLast((entry) => this.canServe(entry, snapshot));
  }

  private canServe(entry: InFlight<R>, snapshot: CompletionSnapshot): boolean {
    const typed = this.cache.typedSince(entry.snapshot, snapshot);
    if (typed === undefined) return false;
    const partial = entry.snapshot.mode === 'single' ? entry.partial.split('\n')[0] : entry.partial;
    return partial.startsWith(typed) || typed.startsWith(partial);
  }

  private dropUseless(snapshot: CompletionSnapshot): void {
    for (const entry of [...this.inFlight]) {
      if (entry.snapshot.documentKey === snapshot.documentKey && !this.canServe(entry, snapshot)) this.abort(entry);
    }
  }

  private abort(entry: InFlight<R>): void {
    const at = this.inFlight.indexOf(entry);
    if (at >= 0) this.inFlight.splice(at, 1);
    entry.controller.abort();
    this.stats.aborted++;
  }
}

/**
 * Suggestions are written with '\n', and VS Code inserts them with the document's own line
 * breaks. In a CRLF document the text typed since a suggestion (Enter, or typing through a line
 * break) says "\r\n" where the suggestion says "\n", so states are compared with LF breaks.
 */
function withLfLineBreaks(snapshot: CompletionSnapshot): CompletionSnapshot {
  if (!snapshot.prefixTail.includes('\r') && !snapshot.suffixHead.includes('\r')) return snapshot;
  return { ...snapshot, prefixTail: snapshot.prefixTail.replace(/\r\n/g, '\n'), suffixHead: snapshot.suffixHead.replace(/\r\n/g, '\n') };
}

function stripFenceOpening(raw: string): string {
  return raw.replace(/^\s*(```|~~~)[^\n]*\n/, '');
}

function raceAbort<T>(promise: Promise<T | undefined>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      () => (signal.removeEventListener('abort', onAbort), resolve(undefined)),
    );
  });
}
