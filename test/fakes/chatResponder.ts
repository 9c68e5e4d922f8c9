// Answers one chat completion request for the OpenAI test server: turns a scripted reply into
// OpenAI's exact JSON or server-sent-event sequence, paced by the timing knobs, and injects the
// scripted transport faults. Knows nothing about routing, auth or recording (the server does that).
import type { ServerResponse } from 'node:http';
import type { ChatCompletion, ChatCompletionMessageFunctionToolCall } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ErrorObject } from 'openai/resources/shared';
import {
  chunkChoice,
  completionResponse,
  errorBody,
  logprobEntries,
  newToolCallId,
  streamChunk,
  usageOf,
  type ChoiceLogprobs,
  type ChunkDelta,
  type CompletionMeta,
  type FinishReason,
} from './openAiShapes';
import { FILLER_CONTENT, errorObjectFor, type FaultReply, type TextReply, type ToolCallsReply } from './replies';
import { countTextTokens, splitIntoPieces, tokenCount, type TokenPiece } from './tokens';

export type SentKind = 'response' | 'streamChunk' | 'error' | 'modelList' | 'model';

/** The server's side of one HTTP exchange, as the responder needs it. */
export interface Exchange {
  readonly res: ServerResponse;
  /** Aborted when the response closes early: the client went away or the server is closing. */
  readonly signal: AbortSignal;
  /** Headers every response carries (`x-request-id`, ...). */
  readonly baseHeaders: Readonly<Record<string, string>>;
  /** Records a payload for the contract test; never called for the deliberately malformed line. */
  recordSent(kind: SentKind, payload: unknown): void;
  /** Cuts the connection; the exchange is then not counted as a client abort. */
  destroyByServer(): void;
}

/** Everything about the request that shapes the answer, already parsed by the server. */
export interface ChatJob {
  readonly reply: TextReply | ToolCallsReply | FaultReply;
  readonly meta: CompletionMeta;
  readonly stream: boolean;
  readonly includeUsage: boolean;
  readonly obfuscate: boolean;
  readonly logprobs: boolean;
  readonly topLogprobs: number;
  readonly stop: readonly string[];
  readonly maxTokens: number | undefined;
  readonly promptTokens: number;
  readonly cachedTokens: number;
  readonly ttftMs: number;
  readonly tokensPerSecond: number;
  readonly extraHeaders: Readonly<Record<string, string>>;
  /** Called with the usage the answer reported (or would have, for interrupted streams). */
  onUsage(usage: CompletionUsage): void;
}

interface PlannedToolCall {
  readonly id: string;
  readonly name: string;
  readonly nameTokens: number;
  readonly argumentPieces: readonly TokenPiece[];
  readonly arguments: string;
}

interface Plan {
  readonly content: readonly TokenPiece[];
  readonly toolCalls: readonly PlannedToolCall[];
  readonly finishReason: FinishReason;
  readonly logprobValues?: readonly number[];
}

function cutAtStop(content: string, stop: readonly string[]): { text: string; stopped: boolean } {
  let cut = -1;
  for (const s of stop) {
    const at = s === '' ? -1 : content.indexOf(s);
    if (at >= 0 && (cut < 0 || at < cut)) cut = at;
  }
  return cut < 0 ? { text: content, stopped: false } : { text: content.slice(0, cut), stopped: true };
}

function plan(job: ChatJob): Plan {
  const reply = job.reply;
  if ('fault' in reply) {
    const pieces = splitIntoPieces(reply.content ?? FILLER_CONTENT, reply.afterTokens ?? 0);
    return { content: pieces, toolCalls: [], finishReason: 'stop' };
  }
  if ('toolCalls' in reply) {
    const toolCalls = reply.toolCalls.map((call) => ({
      id: call.id ?? newToolCallId(),
      name: call.name,
      nameTokens: countTextTokens(call.name),
      argumentPieces: splitIntoPieces(call.arguments),
      arguments: call.arguments,
    }));
    return { content: reply.content ? splitIntoPieces(reply.content) : [], toolCalls, finishReason: 'tool_calls' };
  }
  const limits = reply.applyRequestLimits !== false;
  const { text } = limits ? cutAtStop(reply.content, job.stop) : { text: reply.content };
  const all = splitIntoPieces(text);
  const max = limits && job.maxTokens !== undefined ? job.maxTokens : Infinity;
  const truncated = tokenCount(all) > max;
  const content = truncated ? splitIntoPieces(text, max) : all;
  const finishReason = reply.finishReason ?? (truncated ? 'length' : 'stop');
  return { content, toolCalls: [], finishReason, logprobValues: reply.logprobs };
}

function completionTokensOf(p: Plan): number {
  return tokenCount(p.content) + p.toolCalls.reduce((sum, c) => sum + c.nameTokens + tokenCount(c.argumentPieces), 0);
}

/**
 * Spaces tokens on absolute deadlines (start + ttft + n / rate), so timer granularity does not
 * slow high token rates down. Waiting ends early when the exchange closes.
 */
class Pacer {
  private readonly start = performance.now();
  private readonly intervalMs: number;
  constructor(
    private readonly ttftMs: number,
    tokensPerSecond: number,
    private readonly signal: AbortSignal,
  ) {
    this.intervalMs = tokensPerSecond > 0 && Number.isFinite(tokensPerSecond) ? 1000 / tokensPerSecond : 0;
  }

  /** Waits until the token after `tokensSent` tokens is due; false if the exchange closed meanwhile. */
  async until(tokensSent: number): Promise<boolean> {
    const due = this.start + this.ttftMs + tokensSent * this.intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait, this.signal);
    return !this.signal.aborted;
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

export function whenClosed(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve())));
}

/** Writes and waits until the bytes reached the socket, so a following reset cannot drop them. */
function write(ex: Exchange, text: string): Promise<boolean> {
  if (ex.signal.aborted || ex.res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = (): void => resolve(false);
    ex.signal.addEventListener('abort', onClose, { once: true });
    ex.res.write(text, (err) => {
      ex.signal.removeEventListener('abort', onClose);
      resolve(!err && !ex.signal.aborted);
    });
  });
}

export function sendJson(
  ex: Exchange,
  status: number,
  kind: SentKind,
  payload: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (ex.res.destroyed || ex.res.headersSent) return;
  ex.recordSent(kind, payload);
  const body = JSON.stringify(payload);
  ex.res.writeHead(status, { ...ex.baseHeaders, 'content-type': 'application/json', ...headers });
  ex.res.end(body);
}

export function sendError(ex: Exchange, status: number, error: ErrorObject, headers: Readonly<Record<string, string>> = {}): void {
  sendJson(ex, status, 'error', errorBody(error), headers);
}

export async function answerChat(ex: Exchange, job: ChatJob): Promise<void> {
  const reply = job.reply;
  // A stall that sends nothing is the same whether or not the client asked for a stream.
  if ('fault' in reply && reply.fault === 'stall' && !reply.sendHeaders && reply.afterTokens === undefined) {
    return whenClosed(ex.signal);
  }
  const p = plan(job);
  if (job.stream) await answerStreamed(ex, job, p);
  else await answerWhole(ex, job, p);
}

async function answerWhole(ex: Exchange, job: ChatJob, p: Plan): Promise<void> {
  const pacer = new Pacer(job.ttftMs, job.tokensPerSecond, ex.signal);
  const reply = job.reply;
  if ('fault' in reply) {
    // Without a stream there is no "middle": each fault happens where the whole body would be.
    if (reply.fault === 'stall') {
      if (reply.sendHeaders || reply.afterTokens !== undefined) {
        ex.res.writeHead(200, { ...ex.baseHeaders, 'content-type': 'application/json', ...job.extraHeaders });
        ex.res.flushHeaders();
      }
      return whenClosed(ex.signal);
    }
    if (!(await pacer.until(0))) return;
    if (reply.fault === 'resetMidStream') return ex.destroyByServer();
    if (reply.fault === 'errorMidStream') return sendError(ex, 500, errorObjectFor(reply, 500, job.meta.model), job.extraHeaders);
    ex.res.writeHead(200, { ...ex.baseHeaders, 'content-type': 'application/json', ...job.extraHeaders });
    ex.res.end(`{"id":"${job.meta.id}","object":"chat.completion","choices":[{"index":0,"mess`);
    return;
  }
  const completionTokens = completionTokensOf(p);
  if (!(await pacer.until(Math.max(0, completionTokens - 1)))) return;
  const content = p.content.map((piece) => piece.text).join('');
  const toolCalls: ChatCompletionMessageFunctionToolCall[] = p.toolCalls.map((c) => ({
    id: c.id,
    type: 'function',
    function: { name: c.name, arguments: c.arguments },
  }));
  const message: ChatCompletion.Choice['message'] = {
    role: 'assistant',
    content: p.content.length > 0 || toolCalls.length === 0 ? content : null,
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  message.annotations = [];
  const tokens = p.content.flatMap((piece) => piece.tokens);
  const logprobs: ChoiceLogprobs | null = job.logprobs
    ? { content: logprobEntries(tokens, 0, p.logprobValues, job.topLogprobs), refusal: null }
    : null;
  const usage = usageOf(job.promptTokens, job.cachedTokens, completionTokens);
  job.onUsage(usage);
  sendJson(ex, 200, 'response', completionResponse(job.meta, message, logprobs, p.finishReason, usage), job.extraHeaders);
}

// Thrown to unwind a stream as soon as the exchange closes (client gone, reset, server closing).
const CLOSED = Symbol('closed');
function stillOpen(open: boolean): void {
  if (!open) throw CLOSED;
}

async function answerStreamed(ex: Exchange, job: ChatJob, p: Plan): Promise<void> {
  ex.res.writeHead(200, {
    ...ex.baseHeaders,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...job.extraHeaders,
  });
  ex.res.flushHeaders();
  const pacer = new Pacer(job.ttftMs, job.tokensPerSecond, ex.signal);
  // With include_usage OpenAI adds `usage: null` to every chunk; without it, no usage key at all.
  const usageField = job.includeUsage ? null : undefined;
  let sentTokens = 0;
  const send = async (delta: ChunkDelta, logprobs: ChoiceLogprobs | null, finish: FinishReason | null): Promise<void> => {
    const chunk = streamChunk(job.meta, [chunkChoice(delta, logprobs, finish)], usageField, job.obfuscate);
    ex.recordSent('streamChunk', chunk);
    stillOpen(await write(ex, `data: ${JSON.stringify(chunk)}\n\n`));
  };
  const nextToken = async (): Promise<void> => stillOpen(await pacer.until(sentTokens));
  const reply = job.reply;
  try {
    // The role chunk goes out with the first token, as OpenAI's does; a tool-only answer merges
    // the role into the first call's header (content: null), as OpenAI's does.
    const toolOnly = p.content.length === 0 && p.toolCalls.length > 0;
    if (p.content.length > 0 || (!toolOnly && !('fault' in reply))) {
      await nextToken();
      await send({ role: 'assistant', content: '', refusal: null }, null, null);
    }
    for (const piece of p.content) {
      await nextToken();
      const logprobs = job.logprobs
        ? { content: logprobEntries(piece.tokens, sentTokens, p.logprobValues, job.topLogprobs), refusal: null }
        : null;
      sentTokens += piece.tokens.length;
      await send({ content: piece.text }, logprobs, null);
    }
    if ('fault' in reply) {
      await nextToken();
      return await injectFault(ex, job, reply);
    }
    for (const [index, call] of p.toolCalls.entries()) {
      await nextToken();
      sentTokens += call.nameTokens;
      const header = { index, id: call.id, type: 'function' as const, function: { name: call.name, arguments: '' } };
      const first = toolOnly && index === 0;
      await send(first ? { role: 'assistant', content: null, tool_calls: [header], refusal: null } : { tool_calls: [header] }, null, null);
      for (const piece of call.argumentPieces) {
        await nextToken();
        sentTokens += piece.tokens.length;
        await send({ tool_calls: [{ index, function: { arguments: piece.text } }] }, null, null);
      }
    }
    await send({}, null, p.finishReason);
    if (job.includeUsage) {
      const last = streamChunk(job.meta, [], usageOf(job.promptTokens, job.cachedTokens, sentTokens), job.obfuscate);
      ex.recordSent('streamChunk', last);
      stillOpen(await write(ex, `data: ${JSON.stringify(last)}\n\n`));
    }
    stillOpen(await write(ex, 'data: [DONE]\n\n'));
    ex.res.end();
  } catch (err) {
    if (err !== CLOSED) throw err;
  } finally {
    // Recorded even when the stream was cut short: what the request would have been billed.
    job.onUsage(usageOf(job.promptTokens, job.cachedTokens, sentTokens));
  }
}

async function injectFault(ex: Exchange, job: ChatJob, fault: FaultReply): Promise<void> {
  switch (fault.fault) {
    case 'stall':
      return whenClosed(ex.signal);
    case 'resetMidStream':
      return ex.destroyByServer();
    case 'malformedSse':
      // Cut off mid-object, like a proxy that truncated the line; deliberately not recorded as sent.
      if (await write(ex, `data: {"id":"${job.meta.id}","object":"chat.completion.chunk","choices":[{"delta":{"content":"x\n\n`)) ex.res.end();
      return;
    case 'errorMidStream': {
      const payload = errorBody(errorObjectFor(fault, 500, job.meta.model));
      ex.recordSent('error', payload);
      if (await write(ex, `data: ${JSON.stringify(payload)}\n\n`)) ex.res.end();
      return;
    }
  }
}
