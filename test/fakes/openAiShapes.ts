// Builders for every JSON payload the OpenAI test server sends, shaped like OpenAI's published
// schema (CreateChatCompletionResponse, CreateChatCompletionStreamResponse, ErrorResponse,
// ListModelsResponse) and like what api.openai.com actually returns, field order included.
import { randomBytes, randomInt } from 'node:crypto';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionTokenLogprob } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { Model } from 'openai/resources/models';
import type { ErrorObject } from 'openai/resources/shared';
import { describeToken, type TokenInfo } from './tokens';

/** A stream chunk; `obfuscation` is in OpenAI's schema but not in the SDK's type. */
export type StreamChunk = ChatCompletionChunk & { obfuscation?: string };
export type ChunkChoice = ChatCompletionChunk.Choice;
export type ChunkDelta = ChatCompletionChunk.Choice.Delta;
export type ChoiceLogprobs = ChatCompletion.Choice.Logprobs;
export type FinishReason = ChatCompletion.Choice['finish_reason'];
export interface ErrorResponseBody {
  error: ErrorObject;
}
export interface ModelList {
  object: 'list';
  data: Model[];
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomBase62(length: number): string {
  let out = '';
  for (const byte of randomBytes(length)) out += BASE62[byte % 62];
  return out;
}

/** Same length and alphabet as OpenAI's ids, so id parsing or display code sees realistic values. */
export const newCompletionId = (): string => 'chatcmpl-' + randomBase62(29);
export const newToolCallId = (): string => 'call_' + randomBase62(24);
export const newRequestId = (): string => 'req_' + randomBytes(16).toString('hex');

/** Random padding OpenAI adds to each chunk against size side channels (on unless the request opts out). */
export const newObfuscation = (): string => randomBase62(randomInt(1, 17));

/** What every chunk of one completion shares. */
export interface CompletionMeta {
  readonly id: string;
  readonly created: number;
  readonly model: string;
  readonly systemFingerprint: string;
}

export function usageOf(promptTokens: number, cachedTokens: number, completionTokens: number): CompletionUsage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export const DEFAULT_LOGPROB = -0.01;

/**
 * `logprobs.content` entries for some tokens. `firstIndex` is the position of the first token in
 * the whole answer, so scripted per-token values line up across deltas. Alternatives in
 * `top_logprobs` are neighbouring vocabulary entries, each less likely than the chosen token.
 */
export function logprobEntries(
  tokens: readonly TokenInfo[],
  firstIndex: number,
  values: readonly number[] | undefined,
  topLogprobs: number,
): ChatCompletionTokenLogprob[] {
  return tokens.map((info, i) => {
    const logprob = values?.[firstIndex + i] ?? DEFAULT_LOGPROB;
    const top: ChatCompletionTokenLogprob.TopLogprob[] = [];
    for (let k = 0; k < topLogprobs; k++) {
      if (k === 0) {
        top.push({ token: info.token, logprob, bytes: [...info.bytes] });
        continue;
      }
      const alt = describeToken((info.id + k * 7919) % 199_997);
      top.push({ token: alt.token, logprob: logprob - 2 * k, bytes: [...alt.bytes] });
    }
    return { token: info.token, logprob, bytes: [...info.bytes], top_logprobs: top };
  });
}

/**
 * One stream chunk. `usage` is left out entirely unless the request set `include_usage`, in which
 * case OpenAI sends `usage: null` on every chunk but the last.
 */
export function streamChunk(
  meta: CompletionMeta,
  choices: ChunkChoice[],
  usage: CompletionUsage | null | undefined,
  obfuscate: boolean,
): StreamChunk {
  const chunk: StreamChunk = {
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    service_tier: 'default',
    system_fingerprint: meta.systemFingerprint,
    choices,
  };
  if (usage !== undefined) chunk.usage = usage;
  if (obfuscate) chunk.obfuscation = newObfuscation();
  return chunk;
}

export function chunkChoice(delta: ChunkDelta, logprobs: ChoiceLogprobs | null, finishReason: FinishReason | null): ChunkChoice {
  return { index: 0, delta, logprobs, finish_reason: finishReason };
}

export function completionResponse(
  meta: CompletionMeta,
  message: ChatCompletion.Choice['message'],
  logprobs: ChoiceLogprobs | null,
  finishReason: FinishReason,
  usage: CompletionUsage,
): ChatCompletion {
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, logprobs, finish_reason: finishReason }],
    usage,
    service_tier: 'default',
    system_fingerprint: meta.systemFingerprint,
  };
}

export function errorBody(error: ErrorObject): ErrorResponseBody {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}

// Creation times of the real models, so code that sorts or displays them sees plausible values.
const KNOWN_CREATED: Readonly<Record<string, number>> = {
  'gpt-4o-mini': 1721172741,
  'gpt-4o-mini-2024-07-18': 1721172717,
  'gpt-4o': 1715367049,
  'gpt-4.1-mini': 1744318173,
};

export const DEFAULT_MODELS: readonly string[] = Object.keys(KNOWN_CREATED);

export function modelObject(id: string): Model {
  return { id, object: 'model', created: KNOWN_CREATED[id] ?? 1700000000, owned_by: 'system' };
}

export function modelList(ids: readonly string[]): ModelList {
  return { object: 'list', data: ids.map(modelObject) };
}
