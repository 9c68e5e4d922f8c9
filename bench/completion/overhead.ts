/**
 * Measures Kestrel's own wall-clock time per provider call: the time spent in the provider's code,
 * never the time spent waiting for the model.
 *
 * Method: each provider call (and each prefetch) gets a cost record. We time, on the real clock,
 * the synchronous part of `provide`/`prefetch` (cache lookups, joining, and when no debounce
 * applies, the request start), the `build()` of the prompt input, the synchronous part of the
 * suggestion source's `fetch` (buildCompletionPrompt, completionLimits, opening the stream; the
 * re-timed model defers its real HTTP to a later microtask so it is not counted), and the
 * post-processing from the end of the model's stream to the moment `fetch` resolves (leaving the
 * loop, cleanCompletion). Nested measurements are counted once, by the outermost. Not counted:
 * the engine's few operations after an answer arrives (storing it, slicing off typed text).
 * Reported per request: over the calls that built and sent a request (calls served from the cache
 * or by joining cost less and are left out). A request during whose measured parts the OS
 * preempted the process (its involuntary context switches changed) is flagged: its wall-clock time
 * includes other processes' and is left out of the percentiles (the share is reported).
 */
import type { SuggestionSource } from '../../src/core/completion/completionEngine';
import type { SuggestionRequest } from '../../src/model/suggestionSource';

/** A wall-clock instant with the process's involuntary context switches so far. */
export interface RealMoment {
  at: number;
  switches: number;
}

/** Involuntary context switches of the process so far: a change means the OS preempted it. */
export function involuntarySwitches(): number {
  return process.resourceUsage().involuntaryContextSwitches;
}

export function realMoment(): RealMoment {
  return { at: performance.now(), switches: involuntarySwitches() };
}

export interface CallCost {
  ms: number;
  /** The OS preempted the process during a measured part (the time includes other processes'). */
  preempted: boolean;
  /** The call built a request (so its cost includes prompt building and cleaning). */
  requested: boolean;
}

export class OverheadMeter {
  readonly calls: CallCost[] = [];
  private depth = 0;
  private readonly owners = new WeakMap<object, CallCost>();

  newCall(): CallCost {
    const cost = { ms: 0, preempted: false, requested: false };
    this.calls.push(cost);
    return cost;
  }

  /** Runs `fn`, adding its wall-clock time to `cost` unless an outer measurement covers it. */
  measure<T>(cost: CallCost, fn: () => T): T {
    if (this.depth > 0) return fn();
    this.depth++;
    const switches = involuntarySwitches();
    const started = performance.now();
    try {
      return fn();
    } finally {
      cost.ms += performance.now() - started;
      if (involuntarySwitches() !== switches) cost.preempted = true;
      this.depth--;
    }
  }

  /** Remembers which call built `request`, so the source's work on it is charged to that call. */
  tag(request: object, cost: CallCost): void {
    cost.requested = true;
    this.owners.set(request, cost);
  }

  /** The cost of each call that sent a request: the provider's own time per request. */
  perRequest(): { ms: number; preempted: boolean }[] {
    return this.calls.filter((c) => c.requested).map(({ ms, preempted }) => ({ ms, preempted }));
  }

  ownerOf(request: object): CallCost | undefined {
    return this.owners.get(request);
  }
}

/**
 * Wraps the real suggestion source to charge its prompt building and cleaning to the call, and
 * counts answers that arrived but gave nothing to show.
 */
export class MeteredSource implements SuggestionSource<SuggestionRequest> {
  /** Answers that came back complete but left nothing to show (empty, or cleaned away). */
  emptyAnswers = 0;

  constructor(
    private readonly inner: SuggestionSource<SuggestionRequest>,
    private readonly meter: OverheadMeter,
    /** When (wall clock, and preemption count) the model's stream for `signal` ended. */
    private readonly streamEndedAt: (signal: AbortSignal) => RealMoment | undefined,
  ) {}

  fetch(request: SuggestionRequest, signal: AbortSignal, onPartial: (raw: string) => void): Promise<string | undefined> {
    const cost = this.meter.ownerOf(request) ?? this.meter.newCall();
    const result = this.meter.measure(cost, () => this.inner.fetch(request, signal, onPartial));
    return result.then((suggestion) => {
      const ended = this.streamEndedAt(signal);
      if (ended !== undefined) {
        cost.ms += performance.now() - ended.at;
        if (involuntarySwitches() !== ended.switches) cost.preempted = true;
      }
      if (suggestion === undefined && !signal.aborted) this.emptyAnswers++;
      return suggestion;
    });
  }
}
