/**
 * Turns what one policy did over the corpus into the benchmark's figures: keystrokes saved,
 * suggestions seen and bad ones, requests and their cost at GPT-4o mini prices (with the test
 * server's cached-token emulation), latency from the last keystroke to a suggestion, prompt sizes
 * and the provider's own overhead.
 */
import type { SessionStats } from './editorSim';
import type { RequestRecord } from './retimedModel';

/** GPT-4o mini, USD per token. */
export const PRICES = { input: 0.15e-6, cachedInput: 0.075e-6, output: 0.6e-6 };

export interface RunData {
  sessions: SessionStats[];
  requests: RequestRecord[];
  /** Real ms of the provider's own work per request sent, and whether the OS preempted it (see overhead.ts). */
  overhead: { ms: number; preempted: boolean }[];
  /** Requests that ran to the end but gave nothing to show. */
  emptyAnswers: number;
}

export interface Figures {
  savedKeystrokesPct: number;
  chars: number;
  keypresses: number;
  wholeAccepts: number;
  wordAccepts: number;
  suggestionsShown: number;
  suggestionsSeen: number;
  badSuggestions: number;
  badSuggestionsShownPct: number;
  requests: number;
  abortedRequests: number;
  emptyAnswers: number;
  requestsPer100Chars: number;
  usdPer1000Chars: number;
  /** The same requests priced as if no prompt token were cached (to show caching's effect). */
  usdPer1000CharsUncached: number;
  suggestionLatencyMsMedian: number;
  promptTokensMedian: number;
  cachedPromptPct: number;
  completionTokens: number;
  overheadP50Ms: number;
  overheadP99Ms: number;
  /** Requests left out of the overhead percentiles because the OS preempted the process. */
  overheadPreemptedPct: number;
}

/** The fields of the BENCH line for one policy, in the order. */
export interface BenchFields {
  savedKeystrokesPct: number;
  savedVsInstantOracle: number;
  imperfectSavedKeystrokesPct: number;
  badSuggestionsShownPct: number;
  requestsPer100Chars: number;
  usdPer1000Chars: number;
  suggestionLatencyMsMedian: number;
  overheadP50Ms: number;
  overheadP99Ms: number;
  promptTokensMedian: number;
  cachedPromptPct: number;
}

export function figuresOf(run: RunData): Figures {
  const sum = (pick: (s: SessionStats) => number) => run.sessions.reduce((total, s) => total + pick(s), 0);
  const chars = sum((s) => s.chars);
  const keypresses = sum((s) => s.keypresses);
  const seen = sum((s) => s.seen);
  const bad = sum((s) => s.bad);
  let prompt = 0;
  let cached = 0;
  let output = 0;
  let usd = 0;
  let uncached = 0;
  for (const r of run.requests) {
    prompt += r.promptTokens;
    cached += r.cachedPromptTokens;
    output += r.billedTokens;
    uncached += r.promptTokens * PRICES.input + r.billedTokens * PRICES.output;
    usd += (r.promptTokens - r.cachedPromptTokens) * PRICES.input + r.cachedPromptTokens * PRICES.cachedInput + r.billedTokens * PRICES.output;
  }
  return {
    savedKeystrokesPct: round(100 * (1 - keypresses / chars), 1),
    chars,
    keypresses,
    wholeAccepts: sum((s) => s.wholeAccepts),
    wordAccepts: sum((s) => s.wordAccepts),
    suggestionsShown: sum((s) => s.shown),
    suggestionsSeen: seen,
    badSuggestions: bad,
    badSuggestionsShownPct: round(seen > 0 ? (100 * bad) / seen : 0, 1),
    requests: run.requests.length,
    abortedRequests: run.requests.filter((r) => r.aborted || r.endedAt === undefined).length,
    emptyAnswers: run.emptyAnswers,
    requestsPer100Chars: round((100 * run.requests.length) / chars, 2),
    usdPer1000Chars: round((1000 * usd) / chars, 5),
    usdPer1000CharsUncached: round((1000 * uncached) / chars, 5),
    suggestionLatencyMsMedian: round(percentile(run.sessions.flatMap((s) => s.latencies), 50), 0),
    promptTokensMedian: round(percentile(run.requests.map((r) => r.promptTokens), 50), 0),
    cachedPromptPct: round(prompt > 0 ? (100 * cached) / prompt : 0, 1),
    completionTokens: output,
    ...overheadFigures(run.overhead),
  };
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Overhead percentiles over the requests the OS did not preempt. */
export function overheadFigures(samples: readonly { ms: number; preempted: boolean }[]): Pick<Figures, 'overheadP50Ms' | 'overheadP99Ms' | 'overheadPreemptedPct'> {
  const clean = samples.filter((s) => !s.preempted).map((s) => s.ms);
  return {
    overheadP50Ms: round(percentile(clean, 50), 3),
    overheadP99Ms: round(percentile(clean, 99), 3),
    overheadPreemptedPct: round(samples.length > 0 ? (100 * (samples.length - clean.length)) / samples.length : 0, 1),
  };
}
