// What a test can script the OpenAI test server to answer to a chat completion request: text,
// tool calls, HTTP errors and transport faults, each with optional timing. Also the default error
// bodies, worded like OpenAI's, so the extension's error handling is tested against real text.
import type { ErrorObject } from 'openai/resources/shared';

/** Timing and headers any reply may override (server options give the defaults). */
export interface ReplyBase {
  /** Delay before the first token (streams: after the headers are sent). */
  readonly ttftMs?: number;
  /** Token rate after the first token; 0 or Infinity means as fast as possible. */
  readonly tokensPerSecond?: number;
  /** Extra response headers, e.g. `x-ratelimit-remaining-requests`. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface TextReply extends ReplyBase {
  readonly content: string;
  /** Defaults to `stop`, or `length` when the request's token limit cut the content. */
  readonly finishReason?: 'stop' | 'length' | 'content_filter';
  /** Log probability of each content token, in order (when the request asks for `logprobs`); default -0.01. */
  readonly logprobs?: readonly number[];
  /**
   * Whether the request's `stop` sequences and `max_completion_tokens`/`max_tokens` cut the content,
   * as OpenAI would (default true). Turn off to send the content verbatim.
   */
  readonly applyRequestLimits?: boolean;
}

export interface ScriptedToolCall {
  readonly name: string;
  /** Sent verbatim, so a test can send invalid JSON on purpose. */
  readonly arguments: string;
  /** Defaults to a generated `call_...` id. */
  readonly id?: string;
}

export interface ToolCallsReply extends ReplyBase {
  /** Parallel calls get indexes 0, 1, ... in the order given. */
  readonly toolCalls: readonly ScriptedToolCall[];
  /** Text the model writes before calling the tools (rare with GPT-4o mini, but legal). */
  readonly content?: string;
}

export interface ErrorReply extends ReplyBase {
  readonly status: number;
  readonly message?: string;
  readonly type?: string;
  readonly code?: string | null;
  readonly param?: string | null;
}

interface FaultBase extends ReplyBase {
  /** Text whose first tokens are streamed before the fault (default: a long filler sentence). */
  readonly content?: string;
}

/** Accepts the request and never answers, until the client gives up (or the server closes). */
export interface StallFault extends FaultBase {
  readonly fault: 'stall';
  /** Send the 200 headers first (a stream that stalls before its first token). Default false. */
  readonly sendHeaders?: boolean;
  /** For streams: send this many content tokens, then stall. Implies `sendHeaders`. */
  readonly afterTokens?: number;
}

/** Streams `afterTokens` content tokens, then closes the connection without ending the response. */
export interface ResetMidStreamFault extends FaultBase {
  readonly fault: 'resetMidStream';
  readonly afterTokens: number;
}

/** Streams `afterTokens` content tokens, then a `data:` line that is not JSON, then ends. */
export interface MalformedSseFault extends FaultBase {
  readonly fault: 'malformedSse';
  readonly afterTokens: number;
}

/** Streams `afterTokens` content tokens, then `data: {"error": {...}}` as OpenAI does, then ends. */
export interface ErrorMidStreamFault extends FaultBase {
  readonly fault: 'errorMidStream';
  readonly afterTokens: number;
  readonly message?: string;
  readonly type?: string;
  readonly code?: string | null;
}

export type FaultReply = StallFault | ResetMidStreamFault | MalformedSseFault | ErrorMidStreamFault;

export type Reply = TextReply | ToolCallsReply | ErrorReply | FaultReply;

export type ReplyKind = 'text' | 'toolCalls' | 'error' | 'fault';

export function replyKind(reply: Reply): ReplyKind {
  if ('fault' in reply) return 'fault';
  if ('status' in reply) return 'error';
  if ('toolCalls' in reply) return 'toolCalls';
  return 'text';
}

export const FILLER_CONTENT =
  'The quick brown fox jumps over the lazy dog while the test server keeps streaming tokens one by one. '.repeat(8);

export const DEFAULT_TEXT = 'Hello! How can I help you today?';

/** OpenAI's wording and `type`/`code` for each status, so defaults look like production errors. */
export function defaultErrorObject(status: number, model: string): ErrorObject {
  switch (status) {
    case 400:
      return { message: 'Invalid request.', type: 'invalid_request_error', param: null, code: null };
    case 401:
      return {
        message:
          'Incorrect API key provided: sk-test***. You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      };
    case 403:
      return {
        message: 'Country, region, or territory not supported',
        type: 'request_forbidden',
        param: null,
        code: 'unsupported_country_region_territory',
      };
    case 404:
      return {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      };
    case 429:
      return {
        message: `Rate limit reached for ${model} in organization org-kestrel-test on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.`,
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      };
    case 503:
      return { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', param: null, code: null };
    default:
      return status >= 500
        ? { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null }
        : { message: `Request failed with status ${status}.`, type: 'invalid_request_error', param: null, code: null };
  }
}

export function errorObjectFor(reply: ErrorReply | ErrorMidStreamFault, status: number, model: string): ErrorObject {
  const base = defaultErrorObject(status, model);
  return {
    message: reply.message ?? base.message,
    type: reply.type ?? base.type,
    param: 'param' in reply && reply.param !== undefined ? reply.param : base.param,
    code: reply.code !== undefined ? reply.code : base.code,
  };
}
