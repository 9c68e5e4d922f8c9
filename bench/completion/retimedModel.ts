/**
 * The model as the benchmark's policies see it: a `StreamingModel` that sends each request for
 * real (through Kestrel's own `ModelService` to the local OpenAI-compatible test server) and then
 * replays the answer on the virtual clock at a chosen time to first token and token rate.
 *
 * - The real stream is consumed to the end in wall-clock time, one request at a time, while the
 *   virtual clock stands still (counted as real work). Serialising keeps the test server's prompt
 *   cache seeing requests in virtual order, and tells us which usage record is whose.
 * - The server sends one content delta per o200k token, so each delta is replayed as one token
 *   (with its logprobs event, when asked for): the first at start + TTFT, then one every
 *   1000 / tokensPerSecond ms.
 * - When the consumer stops early (it breaks out of the loop) or the request's signal aborts at
 *   virtual time t, only tokens delivered by t are billed, as OpenAI bills an abandoned stream.
 *
 * Accounting is our own per-request record: `ModelService` yields no usage event (it hands usage
 * to its `UsageSink`), so the sink of the ModelService built here captures prompt and cached
 * tokens for the request being streamed.
 */
import type { KestrelSettings } from '../../src/core/settings';
import { KestrelError } from '../../src/model/errors';
import { ModelService } from '../../src/model/modelService';
import type { StreamingModel } from '../../src/model/suggestionSource';
import type { Logger, ModelEvent, ModelRequest, RequestUsage } from '../../src/model/types';
import { realMoment, type RealMoment } from './overhead';
import type { VirtualClock } from './virtualClock';

export interface Timing {
  ttftMs: number;
  /** Infinity: every token at the first token's time. */
  tokensPerSecond: number;
}

export interface RequestRecord {
  startedAt: number;
  endedAt: number | undefined;
  promptTokens: number;
  cachedPromptTokens: number;
  /** Tokens the server produced for the whole answer. */
  answerTokens: number;
  /** Tokens delivered before the request ended: what is billed. */
  billedTokens: number;
  /** Ended before its last token (signal aborted, or the reader stopped early). */
  aborted: boolean;
}

/** One streamed chunk: a token's text and, when asked for, its log probability. */
interface Piece {
  content: ModelEvent;
  logprobs?: ModelEvent;
}

interface RealAnswer {
  tokens: Piece[];
  usage: RequestUsage | undefined;
  error?: unknown;
}

const quietLog: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Kestrel's real ModelService against the test server, one request at a time. */
export class RealModel {
  private readonly service: ModelService;
  private lastUsage: RequestUsage | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(settings: KestrelSettings, apiKey: string) {
    this.service = new ModelService({
      settings: () => settings,
      apiKey: async () => apiKey,
      usage: { record: (usage) => (this.lastUsage = usage) },
      log: quietLog,
    });
  }

  /** Streams `request` to its end (ignoring its signal: aborting happens in virtual time). */
  fetch(request: ModelRequest): Promise<RealAnswer> {
    const run = async (): Promise<RealAnswer> => {
      const tokens: Piece[] = [];
      this.lastUsage = undefined;
      try {
        for await (const event of this.service.stream({ ...request, signal: undefined })) {
          if (event.type === 'content') tokens.push({ content: event });
          else if (event.type === 'logprobs' && tokens.length > 0 && !tokens.at(-1)!.logprobs) tokens.at(-1)!.logprobs = event;
        }
        return { tokens, usage: this.lastUsage };
      } catch (error) {
        return { tokens, usage: this.lastUsage, error };
      }
    };
    const answer = this.queue.then(run);
    this.queue = answer;
    return answer;
  }
}

export class RetimedModel implements StreamingModel {
  readonly records: RequestRecord[] = [];
  /** Wall-clock moment each request's replay ended, by its signal (for the overhead meter). */
  readonly realEndBySignal = new WeakMap<AbortSignal, RealMoment>();

  constructor(
    private readonly real: RealModel,
    private readonly clock: VirtualClock,
    private readonly timing: Timing,
  ) {}

  stream(request: ModelRequest): AsyncIterable<ModelEvent> {
    const record: RequestRecord = {
      startedAt: this.clock.now(),
      endedAt: undefined,
      promptTokens: 0,
      cachedPromptTokens: 0,
      answerTokens: 0,
      billedTokens: 0,
      aborted: false,
    };
    this.records.push(record);
    // Count the real work now, but start it on a later microtask: the caller's own synchronous
    // work (prompt building) is then measured without the HTTP client's.
    const endWork = this.clock.beginRealWork();
    const answer = Promise.resolve()
      .then(() => this.real.fetch(request))
      .finally(endWork);
    return this.replay(answer, request.signal, record);
  }

  private async *replay(answer: Promise<RealAnswer>, signal: AbortSignal | undefined, record: RequestRecord): AsyncGenerator<ModelEvent, void, undefined> {
    let finished = false;
    try {
      const real = await answer;
      record.promptTokens = real.usage?.promptTokens ?? 0;
      record.cachedPromptTokens = real.usage?.cachedPromptTokens ?? 0;
      record.answerTokens = real.usage?.completionTokens ?? real.tokens.length;
      if (real.error) throw real.error;
      const interval = Number.isFinite(this.timing.tokensPerSecond) && this.timing.tokensPerSecond > 0 ? 1000 / this.timing.tokensPerSecond : 0;
      const first = record.startedAt + this.timing.ttftMs;
      for (let i = 0; i < Math.max(1, real.tokens.length); i++) {
        const due = first + i * interval;
        if (due > this.clock.now()) await this.clock.sleepUntil(due, signal);
        if (signal?.aborted) throw new KestrelError('cancelled', 'The request was cancelled.');
        if (i >= real.tokens.length) break; // an empty answer still takes the time to first token
        record.billedTokens++;
        yield real.tokens[i].content;
        if (real.tokens[i].logprobs) yield real.tokens[i].logprobs!;
      }
      finished = true;
      record.billedTokens = record.answerTokens;
      yield { type: 'finish', reason: 'stop', model: real.usage?.model ?? 'gpt-4o-mini' };
    } finally {
      record.endedAt = this.clock.now();
      record.aborted = !finished;
      if (signal) this.realEndBySignal.set(signal, realMoment());
    }
  }
}
