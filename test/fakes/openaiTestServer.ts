// The project's OpenAI-compatible test server: a real HTTP server on 127.0.0.1 that speaks the
// Chat Completions and Models endpoints (OpenAI and Azure paths), answers with replies scripted per
// test, and records every request and every payload it sent so tests can assert on both sides.
//
//   const server = await startOpenAiTestServer({ apiKey: 'sk-test' });
//   server.enqueue({ content: 'Hi!' }, { status: 429, headers: { 'retry-after': '1' } });
//   const client = new OpenAI({ apiKey: 'sk-test', baseURL: server.baseUrl, maxRetries: 0 });
//   ... then assert on server.requests / server.sent, and `await server.close()`.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { answerChat, sendError, sendJson, sleep, type Exchange } from './chatResponder';
import { DEFAULT_MODELS, modelList, modelObject, newCompletionId, newRequestId } from './openAiShapes';
import { PromptCache } from './promptCache';
import { DEFAULT_TEXT, errorObjectFor, type Reply } from './replies';
import type { OpenAiTestServer, OpenAiTestServerOptions, RecordedRequest, ReplySource, SentPayload } from './testServerTypes';
import { promptTokens } from './tokens';

export type * from './replies';
export { DEFAULT_TEXT, FILLER_CONTENT } from './replies';
export type { SentKind } from './chatResponder';
export type * from './testServerTypes';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const DEFAULT_WAIT_MS = 2000;

// OpenAI's own wording, so code that shows or matches error messages meets the real text.
const MISSING_KEY_MESSAGE =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth " +
  "(i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API " +
  'from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.';
const BAD_JSON_MESSAGE =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
  'The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of the last user message: handy for reply functions that answer what was asked. */
export function lastUserText(body: ChatCompletionCreateParams): string {
  const last = [...body.messages].reverse().find((m) => m.role === 'user');
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return last.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

type Route =
  | { kind: 'chat'; azure?: { deployment: string | undefined } }
  | { kind: 'models' }
  | { kind: 'model'; id: string }
  | { kind: 'none' };

// `/openai/v1/...` is Azure's newer deployment-less API; it takes the same auth as other Azure paths.
function route(path: string): Route {
  let m = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(path);
  if (m) return { kind: 'chat', azure: { deployment: decodeURIComponent(m[1]) } };
  m = /^\/(openai\/)?v1\/(chat\/completions|models)(?:\/(.+))?$/.exec(path);
  if (!m) return { kind: 'none' };
  if (m[2] === 'chat/completions') return m[3] ? { kind: 'none' } : { kind: 'chat', azure: m[1] ? { deployment: undefined } : undefined };
  return m[3] ? { kind: 'model', id: decodeURIComponent(m[3]) } : { kind: 'models' };
}

function maskKey(key: string): string {
  return key.length <= 8 ? '***' : `${key.slice(0, 3)}***${key.slice(-4)}`;
}

class TestServer implements OpenAiTestServer {
  readonly requests: Mutable<RecordedRequest>[] = [];
  readonly sent: SentPayload[] = [];
  baseUrl = '';
  origin = '';
  port = 0;
  private queue: ReplySource[] = [];
  private defaultReply: ReplySource;
  private readonly cache: PromptCache;
  private readonly now: () => number;
  private readonly sockets = new Set<Socket>();
  private readonly listeners = new Set<() => void>();
  private closing = false;

  constructor(
    private readonly http: Server,
    private readonly options: OpenAiTestServerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.defaultReply = options.defaultReply ?? { content: DEFAULT_TEXT };
    this.cache = new PromptCache({ ttlMs: (options.promptCacheMinutes ?? 5) * 60_000, now: this.now });
    http.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    http.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          const message = `Test server failure: ${err instanceof Error ? err.message : String(err)}`;
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } }));
        }
      });
    });
  }

  get pendingReplies(): number {
    return this.queue.length;
  }

  enqueue(...replies: ReplySource[]): void {
    this.queue.push(...replies);
  }

  setDefault(reply: ReplySource): void {
    this.defaultReply = reply;
  }

  reset(): void {
    this.queue = [];
    this.defaultReply = this.options.defaultReply ?? { content: DEFAULT_TEXT };
    this.requests.length = 0;
    this.sent.length = 0;
    this.cache.clear();
  }

  waitForRequests(count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<readonly RecordedRequest[]> {
    return this.waitFor(() => (this.requests.length >= count ? this.requests : undefined), timeoutMs, `${count} request(s)`);
  }

  waitForRequest(index: number, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest> {
    return this.waitFor(() => this.requests[index], timeoutMs, `request #${index}`);
  }

  waitForAbort(index: number, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest> {
    return this.waitFor(
      () => {
        const r = this.requests[index];
        if (r?.completedAt !== undefined && !r.aborted) throw new Error(`request #${index} ended without being aborted`);
        return r?.aborted ? r : undefined;
      },
      timeoutMs,
      `abort of request #${index}`,
    );
  }

  waitForCompletion(index: number, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest> {
    const probe = (): RecordedRequest | undefined => (this.requests[index]?.completedAt !== undefined ? this.requests[index] : undefined);
    return this.waitFor(probe, timeoutMs, `end of request #${index}`);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.notify();
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.http.closeAllConnections();
    await closed;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = (error: Error | undefined, value?: T): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error) reject(error);
        else resolve(value as T);
      };
      const check = (): void => {
        try {
          const value = probe();
          if (value !== undefined) return finish(undefined, value);
        } catch (err) {
          return finish(err as Error);
        }
        if (this.closing) finish(new Error(`test server closed while waiting for ${what}`));
      };
      const timer = setTimeout(
        () => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (received ${this.requests.length})`)),
        timeoutMs,
      );
      this.listeners.add(check);
      check();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = rawBody === '' ? undefined : (JSON.parse(rawBody) as unknown);
    } catch {
      body = undefined;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const record: Mutable<RecordedRequest> = {
      index: this.requests.length,
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      rawBody,
      receivedAt,
      aborted: false,
    };
    this.requests.push(record);

    const controller = new AbortController();
    let destroyedByServer = false;
    res.on('close', () => {
      record.completedAt = Date.now();
      if (res.headersSent) record.status = res.statusCode;
      // Closing the server or a scripted reset also closes the socket; neither is the client's doing.
      if (!res.writableFinished && !destroyedByServer && !this.closing) record.aborted = true;
      controller.abort();
      this.notify();
    });
    const exchange: Exchange = {
      res,
      signal: controller.signal,
      baseHeaders: { 'x-request-id': newRequestId(), 'openai-version': '2020-10-01' },
      recordSent: (kind, payload) => this.sent.push({ kind, payload, requestIndex: record.index }),
      destroyByServer: () => {
        destroyedByServer = true;
        res.socket?.destroy();
      },
    };
    this.notify();

    const r = route(path);
    const invalid = (status: number, message: string, param: string | null = null, code: string | null = null): void =>
      sendError(exchange, status, { message, type: 'invalid_request_error', param, code });
    const expectedMethod = r.kind === 'chat' ? 'POST' : 'GET';
    if (r.kind === 'none') return invalid(404, `Invalid URL (${record.method} ${path})`);
    if (record.method !== expectedMethod) return invalid(405, `Invalid method for URL (${record.method} ${path})`);
    if (r.kind === 'chat' && r.azure) {
      const apiKey = req.headers['api-key'];
      record.azure = {
        deployment: r.azure.deployment,
        apiVersion: url.searchParams.get('api-version') ?? undefined,
        apiKey: typeof apiKey === 'string' ? apiKey : undefined,
      };
    }
    const authError = this.checkAuth(req.headers, record.azure !== undefined);
    if (authError) {
      return sendError(exchange, 401, { message: authError, type: 'invalid_request_error', param: null, code: 'invalid_api_key' });
    }

    if (r.kind === 'models') return sendJson(exchange, 200, 'modelList', modelList(this.options.models ?? DEFAULT_MODELS));
    if (r.kind === 'model') {
      if ((this.options.models ?? DEFAULT_MODELS).includes(r.id)) return sendJson(exchange, 200, 'model', modelObject(r.id));
      return invalid(404, `The model '${r.id}' does not exist`, 'model', 'model_not_found');
    }

    if (!isRecord(body)) {
      return invalid(400, BAD_JSON_MESSAGE);
    }
    if (typeof body.model !== 'string' && !record.azure?.deployment) return invalid(400, 'you must provide a model parameter');
    if (!Array.isArray(body.messages)) return invalid(400, "Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
    await this.answer(exchange, record, body);
  }

  private checkAuth(headers: IncomingHttpHeaders, azure: boolean): string | undefined {
    const key = this.options.apiKey;
    if (key === undefined) return undefined;
    const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
    const azureKey = azure && typeof headers['api-key'] === 'string' ? headers['api-key'] : undefined;
    if (bearer === key || azureKey === key) return undefined;
    const given = azureKey ?? bearer;
    if (given === undefined) return MISSING_KEY_MESSAGE;
    return `Incorrect API key provided: ${maskKey(given)}. You can find your API key at https://platform.openai.com/account/api-keys.`;
  }

  private async answer(exchange: Exchange, record: Mutable<RecordedRequest>, body: Record<string, unknown>): Promise<void> {
    const requestedModel = typeof body.model === 'string' ? body.model : (record.azure?.deployment ?? '');
    const prompt = promptTokens(body, { imageTokens: this.options.imageTokens });
    const source = this.queue.shift() ?? this.defaultReply;
    const chatRequest = { ...record, body: body as unknown as ChatCompletionCreateParams, promptTokens: prompt.length };
    let reply: Reply;
    try {
      reply = typeof source === 'function' ? await source(chatRequest) : source;
    } catch (err) {
      // A broken reply function is a bug in the test: surface it to the client as a 500 that says so.
      const message = `Test server reply function threw: ${err instanceof Error ? err.message : String(err)}`;
      return sendError(exchange, 500, { message, type: 'server_error', param: null, code: null });
    }
    record.reply = reply;
    const ttftMs = reply.ttftMs ?? this.options.ttftMs ?? 0;
    const extraHeaders = reply.headers ?? {};

    if ('status' in reply) {
      // An error still takes the scripted time to arrive, so timeout handling can be tested with it.
      if (ttftMs > 0) await sleep(ttftMs, exchange.signal);
      return sendError(exchange, reply.status, errorObjectFor(reply, reply.status, requestedModel), extraHeaders);
    }
    // Scoped by model: OpenAI does not share cached prefixes across models.
    const cachedTokens = this.cache.lookupAndStore(prompt, requestedModel);
    const streamOptions = isRecord(body.stream_options) ? body.stream_options : {};
    const stopField: unknown[] = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop : [];
    const stop = stopField.filter((s): s is string => typeof s === 'string');
    const maxTokens = [body.max_completion_tokens, body.max_tokens].find((v): v is number => typeof v === 'number');
    await answerChat(exchange, {
      reply,
      meta: {
        id: newCompletionId(),
        created: Math.floor(this.now() / 1000),
        model: this.options.responseModel?.(requestedModel) ?? requestedModel,
        systemFingerprint: this.options.systemFingerprint ?? 'fp_7a1c2b3d4e',
      },
      stream: body.stream === true,
      includeUsage: body.stream === true && streamOptions.include_usage === true,
      obfuscate: streamOptions.include_obfuscation !== false,
      logprobs: body.logprobs === true,
      topLogprobs: typeof body.top_logprobs === 'number' ? Math.max(0, Math.min(20, body.top_logprobs)) : 0,
      stop,
      maxTokens,
      promptTokens: prompt.length,
      cachedTokens,
      ttftMs,
      tokensPerSecond: reply.tokensPerSecond ?? this.options.tokensPerSecond ?? 0,
      extraHeaders,
      onUsage: (usage) => (record.usage = usage),
    });
  }
}

/** Starts a server on an ephemeral 127.0.0.1 port. */
export async function startOpenAiTestServer(options: OpenAiTestServerOptions = {}): Promise<OpenAiTestServer> {
  const http = createServer();
  const server = new TestServer(http, options);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  server.port = port;
  server.origin = `http://127.0.0.1:${port}`;
  server.baseUrl = `${server.origin}/v1`;
  return server;
}
