// Public types of the OpenAI test server: its options, the scriptable replies' companions (reply
// functions), and the records of requests received and payloads sent that tests assert on.
import type { IncomingHttpHeaders } from 'node:http';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { SentKind } from './chatResponder';
import type { Reply } from './replies';

export interface OpenAiTestServerOptions {
  /** When set, requests must carry `Authorization: Bearer <key>` (Azure paths: or `api-key: <key>`). */
  readonly apiKey?: string;
  /** Default delay before the first token, in ms (default 0). */
  readonly ttftMs?: number;
  /** Default token rate; 0 or Infinity (the default) sends as fast as possible. */
  readonly tokensPerSecond?: number;
  /** How long prompts stay in the prompt cache, in minutes (default 5). */
  readonly promptCacheMinutes?: number;
  /** Clock for prompt-cache expiry and `created` (ms since epoch); timing knobs use real time. */
  readonly now?: () => number;
  /** Ids listed by `GET /v1/models` (default: gpt-4o-mini and a few relatives). */
  readonly models?: readonly string[];
  /** Prompt tokens counted per image part; by default GPT-4o mini's bill for the image's real size and detail. */
  readonly imageTokens?: number;
  /** Model reported in answers for a requested one (default: the requested name unchanged). */
  readonly responseModel?: (requested: string) => string;
  readonly systemFingerprint?: string;
  /** Answer when the queue is empty (default: a short greeting). */
  readonly defaultReply?: ReplySource;
}

export interface AzureRequestInfo {
  /** Undefined for Azure's deployment-less `/openai/v1/...` paths. */
  readonly deployment: string | undefined;
  readonly apiVersion: string | undefined;
  readonly apiKey: string | undefined;
}

export interface RecordedRequest {
  /** Position in `server.requests`. */
  readonly index: number;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when there was none or it was not JSON. */
  readonly body: unknown;
  readonly rawBody: string;
  /** `Date.now()` when the request arrived (real time, not the `now` option). */
  readonly receivedAt: number;
  /** True when the client closed the connection before the response ended. */
  readonly aborted: boolean;
  /** `Date.now()` when the response ended or the connection closed. */
  readonly completedAt?: number;
  /** HTTP status of the response, set when the exchange ends (undefined if no head was sent). */
  readonly status?: number;
  /** Set for Azure-style paths. */
  readonly azure?: AzureRequestInfo;
  /** The reply the server chose for a chat request. */
  readonly reply?: Reply;
  /** Usage the server reported (or would have reported, for an interrupted stream). */
  readonly usage?: CompletionUsage;
}

/** What a reply function receives: the recorded request, with the body typed as a chat request. */
export interface ChatRequest extends RecordedRequest {
  readonly body: ChatCompletionCreateParams;
  readonly promptTokens: number;
}

export type ReplyFn = (request: ChatRequest) => Reply | Promise<Reply>;
export type ReplySource = Reply | ReplyFn;

export interface SentPayload {
  readonly kind: SentKind;
  readonly payload: unknown;
  readonly requestIndex: number;
}

export interface OpenAiTestServer {
  /** `http://127.0.0.1:PORT/v1`, for `new OpenAI({ baseURL })`. */
  readonly baseUrl: string;
  /** `http://127.0.0.1:PORT`, for Azure's `endpoint`. */
  readonly origin: string;
  readonly port: number;
  readonly requests: readonly RecordedRequest[];
  readonly sent: readonly SentPayload[];
  /** Replies waiting in the queue. */
  readonly pendingReplies: number;
  /** Queues replies; each chat request takes the next one, then falls back to the default. */
  enqueue(...replies: ReplySource[]): void;
  setDefault(reply: ReplySource): void;
  /** Resolves once `count` requests have been received (bodies read). */
  waitForRequests(count: number, timeoutMs?: number): Promise<readonly RecordedRequest[]>;
  /** Resolves with request `index` (0-based) once it has been received. */
  waitForRequest(index: number, timeoutMs?: number): Promise<RecordedRequest>;
  /** Resolves once request `index` has been aborted by the client; rejects if it ends normally. */
  waitForAbort(index: number, timeoutMs?: number): Promise<RecordedRequest>;
  /** Resolves once request `index` has ended, normally or not. */
  waitForCompletion(index: number, timeoutMs?: number): Promise<RecordedRequest>;
  /** Forgets requests, sent payloads, queued replies and the prompt cache, and restores the default reply. Call it between tests, with no request in flight. */
  reset(): void;
  /** Stops listening and destroys open connections (stalled requests included). */
  close(): Promise<void>;
}
