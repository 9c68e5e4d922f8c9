/**
 * The three completion policies compared on the same typing trace. All three get suggestions
 * through the same `ModelSuggestionSource` (same prompt, same cleaning), so they differ only in
 * when they ask, what they cancel and what they reuse:
 *
 * - kestrel: the real `CompletionEngine` (typing-through cache, joining answers in flight,
 *   the shipped debounce, aborting only what can no longer serve), with prefetch after a whole
 *   accept as the provider does it (VS Code runs the item's command only then; for the next line
 *   when the accept finished the line).
 * - naive: a request per provider call, aborted when VS Code cancels the call.
 * - oneInFlight (llama.vscode's policy): at most one request in flight and never cancelled;
 *   answers cached by cursor state and reused by prefix while the user types what they say; a
 *   call that finds a request in flight waits for it, then serves from the cache or asks anew;
 *   prefetch after accept.
 */
import { CompletionEngine, type CompletionSnapshot, type SuggestionSource } from '../../src/core/completion/completionEngine';
import { SuggestionCache } from '../../src/core/completion/suggestionCache';
import { prefetchAfterAccept } from '../../src/model/prefetchAfterAccept';
import type { SuggestionRequest } from '../../src/model/suggestionSource';
import type { VirtualClock } from './virtualClock';
import { SETTING_DEFAULTS } from '../../src/core/settings';

export type PolicyName = 'kestrel' | 'naive' | 'oneInFlight';

/** An accept, as the editor tells a policy of it. */
export interface Accepted {
  /** The whole suggestion (Tab), or one word of it. */
  whole: boolean;
  /** The state after the accept, and its request. */
  snapshot: CompletionSnapshot;
  build: () => SuggestionRequest;
  /** The text after the cursor on its line. */
  lineSuffix: string;
}

export interface Policy {
  provide(snapshot: CompletionSnapshot, build: () => SuggestionRequest, cancel: AbortSignal): Promise<string | undefined>;
  accepted?(accept: Accepted): void;
}

/** Makes a fresh policy for one typing session. Experiments can pass their own to runConfig. */
export type PolicyFactory = (source: SuggestionSource<SuggestionRequest>, clock: VirtualClock) => Policy;

/** The shipped default, so the benchmark measures what users get. */
export const KESTREL_DEBOUNCE_MS = SETTING_DEFAULTS['completion.debounceMilliseconds'];

export const POLICIES: Record<PolicyName, PolicyFactory> = {
  kestrel: (source, clock) => {
    const engine = new CompletionEngine<SuggestionRequest>({ source, clock, debounceMs: KESTREL_DEBOUNCE_MS });
    return {
      provide: (snapshot, build, cancel) => engine.provide(snapshot, build, cancel),
      // The provider's accept command, which VS Code runs after a whole accept only.
      accepted: ({ whole, snapshot, build, lineSuffix }) => whole && prefetchAfterAccept(engine, snapshot, build, lineSuffix),
    };
  },
  naive: (source) => ({ provide: (_snapshot, build, cancel) => source.fetch(build(), cancel, () => {}) }),
  oneInFlight: (source) => new OneInFlight(source),
};

class OneInFlight implements Policy {
  private readonly cache = new SuggestionCache(500);
  private inFlight: Promise<void> | undefined;

  constructor(private readonly source: SuggestionSource<SuggestionRequest>) {}

  async provide(snapshot: CompletionSnapshot, build: () => SuggestionRequest, cancel: AbortSignal): Promise<string | undefined> {
    for (;;) {
      const cached = this.cache.lookup(snapshot);
      if (cached !== undefined) return cached;
      if (!this.inFlight) break;
      await raceAbort(this.inFlight, cancel);
      if (cancel.aborted) return undefined;
    }
    const request = this.start(snapshot, build());
    await raceAbort(request, cancel);
    return cancel.aborted ? undefined : this.cache.lookup(snapshot);
  }

  /** Prefetches after every accept, at the new cursor. */
  accepted({ snapshot, build }: Accepted): void {
    if (this.inFlight || this.cache.lookup(snapshot) !== undefined) return;
    this.start(snapshot, build());
  }

  private start(snapshot: CompletionSnapshot, request: SuggestionRequest): Promise<void> {
    const never = new AbortController().signal;
    const done = this.source.fetch(request, never, () => {}).then((suggestion) => {
      if (suggestion !== undefined) this.cache.store(snapshot, suggestion);
      this.inFlight = undefined;
    });
    this.inFlight = done;
    return done;
  }
}

function raceAbort(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(() => (signal.removeEventListener('abort', onAbort), resolve()));
  });
}
