/**
 * THE shared model service: every feature talks to the model through `stream()`.
 *
 * It owns the one `openai` client (reused for keep-alive, rebuilt when the connection settings or
 * the key change), applies each feature's request policy (completions: no retries, a short
 * timeout; chat: retries honouring `retry-after` up to 10 s), runs the one tool-calling loop, and
 * hands every request's usage to the ledger. No `vscode` import: the host passes settings and the
 * key in.
 */
import type OpenAI from 'openai';
import { estimatePromptTokens, estimateTextTokens } from '../core/tokenEstimate';
import { priceOf } from '../core/pricing';
import type { ConnectionSettings, KestrelSettings } from '../core/settings';
import { createClient } from './clientFactory';
import { KestrelError, redactSecrets, toKestrelError } from './errors';
import type { BudgetGate } from './budgetGate';
import { accountUsage, projectedCost } from './requestCost';
import { buildRequestBody } from './requestBody';
import { runTool } from './toolRunner';
import type {
  ChatCompletionMessageParam,
  Feature,
  FinishReason,
  Logger,
  ModelEvent,
  ModelRequest,
  RequestUsage,
} from './types';
import type { UsageSink } from './usageLedger';

export interface ModelServiceOptions {
  settings: () => KestrelSettings;
  apiKey: (connection: ConnectionSettings) => Promise<string | undefined>;
  /** Reads the PEM of `kestrel.caFile`; only called when that setting is set. */
  readCaFile?: (path: string) => Promise<string>;
  usage: UsageSink;
  /** Asked before each HTTP request; may refuse it (a spending limit was reached). */
  budget?: BudgetGate;
  log: Logger;
  /** Told about every failed request (for example to prompt for a key after a 401). */
  onError?: (error: KestrelError, feature: Feature) => void;
  now?: () => number;
}

interface RequestPolicy {
  maxRetries: number;
  /** For connecting and, while streaming, the longest silence between two chunks. */
  timeoutMs: number;
}

interface StreamedTurn {
  content: string;
  toolCalls: { id: string; name: string; arguments: string }[];
  finishReason: FinishReason;
  model: string;
}

const DEFAULT_MAX_TOOL_ITERATIONS = 8;

export class ModelService {
  private cached: { fingerprint: string; client: OpenAI } | undefined;
  private readonly now: () => number;

  constructor(private readonly options: ModelServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Drops the client so the next request builds one from fresh settings and key. */
  invalidate(): void {
    this.cached = undefined;
  }

  /**
   * Streams one model answer, running tools between rounds when the model asks for them.
   * Yields content, tool and usage events as they happen and ends with a `finish` event.
   * Throws `KestrelError`; partial content already yielded stays with the caller. Breaking out of
   * the loop early aborts the HTTP request.
   */
  async *stream(request: ModelRequest): AsyncGenerator<ModelEvent, void, undefined> {
    const settings = this.options.settings();
    const profile = request.feature === 'completion' ? settings.completion : settings.chat;
    const model = request.overrides?.model ?? profile.model;
    const policy = policyFor(request.feature, settings);
    const { client, apiKey } = await this.clientFor(settings.connection).catch((error: unknown) => {
      throw this.reported(toKestrelError(error, { model, baseUrl: settings.connection.baseUrl }), request.feature);
    });
    const tools = request.tools ?? [];
    const maxIterations = Math.max(1, request.maxToolIterations ?? DEFAULT_MAX_TOOL_ITERATIONS);
    const messages: ChatCompletionMessageParam[] = [...request.messages];
    // Asked once per answer: a yes to "send anyway" covers its tool rounds too.
    const overBudget = { confirmed: false };

    for (let iteration = 1; ; iteration++) {
      const lastRound = iteration >= maxIterations;
      const body = buildRequestBody({
        model,
        messages,
        sampling: profile.sampling,
        overrides: request.overrides,
        tools,
        toolChoice: tools.length > 0 && lastRound ? 'none' : undefined,
        tokenLimitParameter: settings.connection.tokenLimitParameter,
      });
      const context = { feature: request.feature, model, baseUrl: settings.connection.baseUrl, secrets: [apiKey], prices: settings.prices };
      const turn = yield* this.streamOnce(client, body, policy, request.signal, context, overBudget);
      if (turn.finishReason !== 'tool_calls' || turn.toolCalls.length === 0) {
        yield { type: 'finish', reason: turn.finishReason, model: turn.model };
        return;
      }
      if (lastRound) {
        // The endpoint ignored tool_choice 'none'; stop rather than loop without bound.
        yield { type: 'finish', reason: 'tool_limit', model: turn.model };
        return;
      }
      messages.push({
        role: 'assistant',
        content: turn.content || null,
        tool_calls: turn.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
      });
      for (const call of turn.toolCalls) yield { type: 'toolCall', ...call };
      const signal = request.signal ?? new AbortController().signal;
      const results = await Promise.all(turn.toolCalls.map((call) => runTool(call, tools, signal, this.now)));
      for (const result of results) {
        messages.push({ role: 'tool', tool_call_id: result.id, content: result.content });
        yield result;
      }
      if (signal.aborted) throw new KestrelError('cancelled', 'The request was cancelled.');
    }
  }

  /** One HTTP request: streams its events and returns what the model said. */
  private async *streamOnce(
    client: OpenAI,
    body: ReturnType<typeof buildRequestBody>,
    policy: RequestPolicy,
    outerSignal: AbortSignal | undefined,
    context: { feature: Feature; model: string; baseUrl: string; secrets: (string | undefined)[]; prices: KestrelSettings['prices'] },
    overBudget: { confirmed: boolean },
  ): AsyncGenerator<ModelEvent, StreamedTurn, undefined> {
    const reservation = await this.admit(context.feature, body, context.prices, overBudget);
    const started = this.now();
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort();
    if (outerSignal?.aborted) controller.abort();
    outerSignal?.addEventListener('abort', onOuterAbort, { once: true });
    let timedOut = false;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const armWatchdog = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, policy.timeoutMs);
    };

    let content = '';
    let responseModel = context.model;
    let firstTokenMs: number | undefined;
    let finishReason: FinishReason | undefined;
    let usage: OpenAI.CompletionUsage | undefined;
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    let outcome: RequestUsage['outcome'] = 'cancelled';
    let recorded = false;
    /**
     * Whether the endpoint may bill this request: once it answered, or if it was cancelled while the
     * endpoint was already working on it. Refused requests (401, 429, 400, 5xx), unreachable
     * endpoints and requests stopped before they were sent cost nothing.
     */
    let billable = !controller.signal.aborted;
    let responded = false;
    /** Hands this request's usage to the ledger and the log, once, estimated if the server never said. */
    const recordUsage = (): RequestUsage => {
      recorded = true;
      const record = accountUsage(context.feature, body, {
        model: responseModel,
        promptTokens: !billable ? 0 : (usage?.prompt_tokens ?? estimatePromptTokens(body.messages)),
        cachedPromptTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
        completionTokens: !billable
          ? 0
          : (usage?.completion_tokens ?? estimateTextTokens(content + [...calls.values()].map((c) => c.name + c.arguments).join(''))),
        latencyMs: this.now() - started,
        firstTokenMs,
        outcome,
        estimated: usage === undefined,
        at: started,
      }, context.prices);
      this.options.usage.record(record);
      // Counted in the ledger first, then released: never a moment where it counts nowhere.
      reservation?.release();
      this.options.log.info(describeUsage(record));
      return record;
    };
    try {
      armWatchdog();
      const stream = await untilAborted(
        client.chat.completions.create(body, {
          signal: controller.signal,
          maxRetries: policy.maxRetries,
          timeout: policy.timeoutMs,
        }),
        controller.signal,
      );
      responded = true;
      for await (const chunk of stream) {
        armWatchdog();
        if (chunk.model) responseModel = chunk.model;
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices[0];
        if (!choice) continue;
        const text = choice.delta?.content;
        if (text) {
          firstTokenMs ??= this.now() - started;
          content += text;
          yield { type: 'content', text };
        }
        if (choice.logprobs?.content?.length) yield { type: 'logprobs', tokens: choice.logprobs.content };
        for (const delta of choice.delta?.tool_calls ?? []) {
          firstTokenMs ??= this.now() - started;
          const call = calls.get(delta.index) ?? { id: '', name: '', arguments: '' };
          call.id ||= delta.id ?? '';
          call.name += delta.function?.name ?? '';
          call.arguments += delta.function?.arguments ?? '';
          calls.set(delta.index, call);
        }
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
      if (!finishReason) throw new KestrelError('interrupted', 'The answer stopped midway: the stream ended without finishing.');
      outcome = 'ok';
      yield { type: 'usage', usage: recordUsage() };
      return {
        content,
        toolCalls: [...calls.entries()].sort(([a], [b]) => a - b).map(([index, call]) => ({ ...call, id: call.id || `call_${index}` })),
        finishReason,
        model: responseModel,
      };
    } catch (error) {
      // The SDK ends an aborted stream quietly, so our own signal says what happened.
      let mapped = timedOut
        ? new KestrelError('timeout', `The model did not answer within ${Math.round(policy.timeoutMs / 1000)} s.`)
        : controller.signal.aborted
          ? new KestrelError('cancelled', 'The request was cancelled.')
          : toKestrelError(error, context);
      if (mapped.kind !== 'cancelled' && mapped.kind !== 'timeout' && content && mapped.kind !== 'interrupted') {
        mapped = new KestrelError('interrupted', `The answer stopped midway: ${mapped.message}`, mapped.details);
      }
      outcome = mapped.kind === 'cancelled' ? 'cancelled' : 'error';
      if (!responded && mapped.kind !== 'cancelled' && mapped.kind !== 'timeout') billable = false;
      this.options.log.warn(
        `${context.feature} ${context.model}: ${mapped.kind}: ${redactSecrets(mapped.details.serverMessage ?? mapped.message, context.secrets)}`,
      );
      throw this.reported(mapped, context.feature);
    } finally {
      // Runs on success, on error, and when the caller stops iterating early (then it aborts).
      clearTimeout(watchdog);
      outerSignal?.removeEventListener('abort', onOuterAbort);
      if (outcome === 'cancelled') controller.abort();
      if (!recorded) recordUsage();
    }
  }

  /** Asks the budget gate before a request; a refusal is reported like any other failure. */
  private async admit(feature: Feature, body: ReturnType<typeof buildRequestBody>, prices: KestrelSettings['prices'], overBudget: { confirmed: boolean }) {
    try {
      const unpricedModel = priceOf(body.model, prices) ? undefined : body.model;
      return await this.options.budget?.admit({ feature, projectedUsd: () => projectedCost(body, prices), overBudget, unpricedModel });
    } catch (error) {
      throw this.reported(error instanceof KestrelError ? error : toKestrelError(error, { model: body.model, baseUrl: '' }), feature);
    }
  }

  private reported(error: KestrelError, feature: Feature): KestrelError {
    if (error.kind !== 'cancelled') this.options.onError?.(error, feature);
    return error;
  }

  private async clientFor(connection: ConnectionSettings): Promise<{ client: OpenAI; apiKey: string | undefined }> {
    const apiKey = await this.options.apiKey(connection);
    const caPem = connection.caFile && this.options.readCaFile ? await this.readCa(connection.caFile) : undefined;
    // The fingerprint stays in memory only; it is how a changed key or setting is noticed.
    const fingerprint = JSON.stringify([connection, apiKey ?? '', caPem ?? '']);
    if (this.cached?.fingerprint !== fingerprint) {
      this.cached = { fingerprint, client: createClient(connection, apiKey, this.options.log, caPem) };
    }
    return { client: this.cached.client, apiKey };
  }

  private async readCa(path: string): Promise<string> {
    try {
      return await this.options.readCaFile!(path);
    } catch (error) {
      throw new KestrelError('config', `Cannot read the CA file "${path}" (kestrel.caFile): ${(error as Error).message}`);
    }
  }
}

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts: the SDK sleeps between retries
 * (as long as `retry-after` says, up to 10 s) without watching the signal, and Stop must not wait
 * for that.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined); // the SDK rejects it later, once its sleep ends
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DOMException('The request was aborted.', 'AbortError'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Completions never retry (a late suggestion is useless); a connection test answers fast. */
function policyFor(feature: Feature, settings: KestrelSettings): RequestPolicy {
  switch (feature) {
    case 'completion':
      return { maxRetries: 0, timeoutMs: settings.completion.timeoutMs };
    case 'connection-test':
      return { maxRetries: 0, timeoutMs: Math.min(settings.chat.timeoutMs, 20_000) };
    default:
      return { maxRetries: settings.chat.maxRetries, timeoutMs: settings.chat.timeoutMs };
  }
}

function describeUsage(u: RequestUsage): string {
  const tokens = `${u.promptTokens} in${u.cachedPromptTokens ? ` (${u.cachedPromptTokens} cached)` : ''} / ${u.completionTokens} out`;
  const firstToken = u.firstTokenMs !== undefined ? `, first token ${u.firstTokenMs} ms` : '';
  const images = u.imageTokens ? `, ~${u.imageTokens} image tokens` : '';
  const cost = u.usd > 0 ? `, $${u.usd.toFixed(6)}` : '';
  return `${u.feature} ${u.model}: ${u.outcome}, ${u.latencyMs} ms${firstToken}, ${tokens}${images}${u.estimated ? ' (estimated)' : ''}${cost}`;
}
