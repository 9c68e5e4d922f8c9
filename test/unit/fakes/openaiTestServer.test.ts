// Tests of the OpenAI test server driven through the real `openai` SDK, so the fake is proven to
// speak the API the way the SDK (and so the extension) understands it: text, streams, tool calls,
// errors, faults, timing, usage and prompt caching.
import assert from 'node:assert/strict';
import OpenAI, { APIError, AuthenticationError, AzureOpenAI, InternalServerError, RateLimitError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { lastUserText, startOpenAiTestServer, type OpenAiTestServer } from '../../fakes/openaiTestServer';
import { countTextTokens } from '../../fakes/tokens';

const KEY = 'sk-test-kestrel-0000';
const MODEL = 'gpt-4o-mini';
const hi = [{ role: 'user' as const, content: 'Hi' }];
const tools: OpenAI.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } },
];

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const contentOf = (chunks: readonly ChatCompletionChunk[]): string =>
  chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

describe('OpenAI test server', () => {
  let server: OpenAiTestServer;
  let client: OpenAI;
  let clock: number;

  before(async () => {
    clock = 1_750_000_000_000;
    server = await startOpenAiTestServer({ apiKey: KEY, now: () => clock });
    client = new OpenAI({ apiKey: KEY, baseURL: server.baseUrl, maxRetries: 0 });
  });
  afterEach(() => server.reset());
  after(() => server.close());

  it('listens on 127.0.0.1 with a /v1 base URL', () => {
    assert.match(server.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('answers a non-streamed request with one message and usage', async () => {
    server.enqueue({ content: 'Hello from Kestrel.' });
    const res = await client.chat.completions.create({ model: MODEL, messages: hi });
    assert.match(res.id, /^chatcmpl-[A-Za-z0-9]{29}$/);
    assert.equal(res.object, 'chat.completion');
    assert.equal(res.model, MODEL);
    assert.equal(res.created, Math.floor(clock / 1000));
    assert.deepEqual(res.choices[0].message, { role: 'assistant', content: 'Hello from Kestrel.', refusal: null, annotations: [] });
    assert.equal(res.choices[0].finish_reason, 'stop');
    assert.equal(res.choices[0].logprobs, null);
    assert.equal(res.usage?.prompt_tokens, 8, '"Hi" + 3 per message + 3 for the reply');
    assert.equal(res.usage?.completion_tokens, countTextTokens('Hello from Kestrel.'));
    assert.equal(res.usage?.total_tokens, 8 + countTextTokens('Hello from Kestrel.'));
    assert.deepEqual(res.usage?.prompt_tokens_details, { cached_tokens: 0, audio_tokens: 0 });
    const [req] = server.requests;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/v1/chat/completions');
    assert.equal(req.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual((req.body as { messages: unknown }).messages, hi);
    assert.deepEqual(server.sent.map((s) => s.kind), ['response']);
  });

  it('streams one delta per token and ends with usage when include_usage is set', async () => {
    const content = 'Streaming works, token by token.';
    server.enqueue({ content });
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: hi,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    assert.equal(contentOf(chunks), content);
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '', refusal: null });
    const contentChunks = chunks.filter((c) => c.choices[0]?.delta.content);
    assert.equal(contentChunks.length, countTextTokens(content));
    const finish = chunks[chunks.length - 2];
    assert.deepEqual(finish.choices[0].delta, {});
    assert.equal(finish.choices[0].finish_reason, 'stop');
    const last = chunks[chunks.length - 1];
    assert.deepEqual(last.choices, []);
    assert.equal(last.usage?.completion_tokens, countTextTokens(content));
    assert.equal(last.usage?.prompt_tokens, 8);
    assert.ok(chunks.slice(0, -1).every((c) => c.usage === null), 'usage: null on all other chunks');
    assert.equal(new Set(chunks.map((c) => c.id)).size, 1);
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === MODEL && c.system_fingerprint));
    assert.equal(server.sent.filter((s) => s.kind === 'streamChunk').length, chunks.length);
  });

  it('leaves usage out of chunks without include_usage, and obfuscation out when asked', async () => {
    const chunks = await collect(
      await client.chat.completions.create({ model: MODEL, messages: hi, stream: true, stream_options: { include_obfuscation: false } }),
    );
    assert.ok(chunks.every((c) => !('usage' in c) && !('obfuscation' in c)));
    const withObfuscation = await collect(await client.chat.completions.create({ model: MODEL, messages: hi, stream: true }));
    assert.ok(withObfuscation.every((c) => typeof (c as { obfuscation?: unknown }).obfuscation === 'string'));
  });

  it('streams parallel tool calls the way OpenAI does', async () => {
    const calls = [
      { name: 'read_file', arguments: '{"path":"src/extension.ts"}' },
      { name: 'search', arguments: '{"query": "activate", "broken' },
    ];
    server.enqueue({ toolCalls: calls });
    const chunks = await collect(
      await client.chat.completions.create({ model: MODEL, messages: hi, stream: true, tools }),
    );
    const first = chunks[0].choices[0].delta;
    assert.equal(first.role, 'assistant');
    assert.equal(first.content, null);
    assert.deepEqual(first.tool_calls?.[0], {
      index: 0,
      id: first.tool_calls?.[0].id,
      type: 'function',
      function: { name: 'read_file', arguments: '' },
    });
    assert.match(first.tool_calls?.[0].id ?? '', /^call_[A-Za-z0-9]{24}$/);
    const fragments = chunks.slice(1).flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    for (const f of fragments.filter((f) => f.id === undefined)) assert.deepEqual(Object.keys(f).sort(), ['function', 'index']);
    assert.deepEqual(fragments.filter((f) => f.id !== undefined).map((f) => f.index), [1]);
    assert.equal(chunks[chunks.length - 1].choices[0].finish_reason, 'tool_calls');

    server.enqueue({ toolCalls: calls });
    const final = await client.chat.completions.stream({ model: MODEL, messages: hi, tools }).finalChatCompletion();
    const got = final.choices[0].message.tool_calls?.map((c) => (c.type === 'function' ? [c.function.name, c.function.arguments] : []));
    assert.deepEqual(got, calls.map((c) => [c.name, c.arguments]));
  });

  it('answers tool calls without a stream as one message', async () => {
    server.enqueue({ toolCalls: [{ name: 'read_file', arguments: '{}', id: 'call_fixed' }] });
    const res = await client.chat.completions.create({ model: MODEL, messages: hi, tools });
    assert.equal(res.choices[0].finish_reason, 'tool_calls');
    assert.equal(res.choices[0].message.content, null);
    assert.deepEqual(res.choices[0].message.tool_calls, [{ id: 'call_fixed', type: 'function', function: { name: 'read_file', arguments: '{}' } }]);
  });

  it('rejects a wrong key with 401 invalid_api_key', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong-key-9999', baseURL: server.baseUrl, maxRetries: 0 });
    const err = await wrong.chat.completions.create({ model: MODEL, messages: hi }).then(
      () => assert.fail('expected a 401'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof AuthenticationError);
    assert.equal(err.status, 401);
    assert.equal(err.code, 'invalid_api_key');
    assert.ok(!err.message.includes('sk-wrong-key-9999'), 'the key is masked');
  });

  it('sends scripted 429 and 500 errors as the SDK error classes, with headers', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '1', 'retry-after-ms': '1000' } }, { status: 500 });
    const limited = await client.chat.completions.create({ model: MODEL, messages: hi }).catch((e: unknown) => e);
    assert.ok(limited instanceof RateLimitError);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers?.get('retry-after'), '1');
    assert.equal(limited.headers?.get('retry-after-ms'), '1000');
    assert.equal(limited.code, 'rate_limit_exceeded');
    const failed = await client.chat.completions.create({ model: MODEL, messages: hi }).catch((e: unknown) => e);
    assert.ok(failed instanceof InternalServerError);
    assert.equal(failed.status, 500);
    assert.equal(failed.type, 'server_error');
    assert.deepEqual(server.sent.map((s) => s.kind), ['error', 'error']);
  });

  it('marks a streamed request aborted when the client aborts it', async () => {
    server.enqueue({ content: 'one two three four five six seven eight nine ten eleven twelve', tokensPerSecond: 100 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: MODEL, messages: hi, stream: true }, { signal: controller.signal });
    let seen = 0;
    for await (const _chunk of stream) {
      if (++seen === 2) controller.abort();
    }
    const req = await server.waitForAbort(0);
    assert.equal(req.aborted, true);
    assert.ok(req.completedAt !== undefined);
  });

  it('makes the SDK throw when the connection resets mid-stream', async () => {
    server.enqueue({ fault: 'resetMidStream', afterTokens: 3, content: 'one two three four five' });
    const received: string[] = [];
    const stream = await client.chat.completions.create({ model: MODEL, messages: hi, stream: true });
    await assert.rejects(async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    });
    assert.equal(received.join(''), 'one two three');
    const req = await server.waitForCompletion(0);
    assert.equal(req.aborted, false, 'a server-side reset is not a client abort');
  });

  it('sends an error object mid-stream, which the SDK raises as an APIError', async () => {
    server.enqueue({ fault: 'errorMidStream', afterTokens: 2 });
    const stream = await client.chat.completions.create({ model: MODEL, messages: hi, stream: true });
    await assert.rejects(collect(stream), (e: unknown) => e instanceof APIError && e.type === 'server_error');
    assert.equal(server.sent[server.sent.length - 1].kind, 'error');
  });

  it('sends a malformed data line on request, without recording it as a chunk', async () => {
    server.enqueue({ fault: 'malformedSse', afterTokens: 1 });
    const quiet = new OpenAI({ apiKey: KEY, baseURL: server.baseUrl, maxRetries: 0, logLevel: 'off' });
    await assert.rejects(collect(await quiet.chat.completions.create({ model: MODEL, messages: hi, stream: true })), SyntaxError);
    assert.equal(server.sent.length, 2, 'role chunk and one token; the broken line is not recorded');
  });

  it('stalls until the client gives up', async () => {
    server.enqueue({ fault: 'stall' });
    await assert.rejects(client.chat.completions.create({ model: MODEL, messages: hi }, { timeout: 100 }), /timed out/i);
    assert.equal((await server.waitForAbort(0)).aborted, true);
  });

  it('delays the first token by ttftMs', async () => {
    server.enqueue({ content: 'late', ttftMs: 150 });
    const started = performance.now();
    const stream = await client.chat.completions.create({ model: MODEL, messages: hi, stream: true });
    let firstTokenAt = 0;
    for await (const chunk of stream) if (!firstTokenAt && chunk.choices[0]?.delta.content) firstTokenAt = performance.now();
    assert.ok(firstTokenAt - started >= 140, `first token after ${Math.round(firstTokenAt - started)} ms`);
  });

  it('spaces later tokens by tokensPerSecond', async () => {
    const content = 'one two three four five six seven eight nine ten eleven';
    server.enqueue({ content, tokensPerSecond: 200 });
    const times: number[] = [];
    const stream = await client.chat.completions.create({ model: MODEL, messages: hi, stream: true });
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) times.push(performance.now());
    const gaps = countTextTokens(content) - 1;
    assert.ok(times[times.length - 1] - times[0] >= gaps * 5 - 10, `${gaps} gaps took ${Math.round(times[times.length - 1] - times[0])} ms`);
  });

  it('closes promptly while a request is stalled', async () => {
    const own = await startOpenAiTestServer();
    own.enqueue({ fault: 'stall', sendHeaders: true });
    const ownClient = new OpenAI({ apiKey: KEY, baseURL: own.baseUrl, maxRetries: 0 });
    const pending = ownClient.chat.completions.create({ model: MODEL, messages: hi }).then(
      () => 'answered',
      () => 'failed',
    );
    await own.waitForRequest(0);
    await own.close();
    assert.equal(await pending, 'failed');
    assert.equal(own.requests[0].aborted, false, 'closing the server is not a client abort');
  });

  it('reports cached tokens for a repeated long prompt, and expires them on the server clock', async () => {
    const long = [{ role: 'user' as const, content: 'word' + ' word'.repeat(1492) }];
    const first = await client.chat.completions.create({ model: MODEL, messages: long });
    assert.equal(first.usage?.prompt_tokens, 1500);
    assert.equal(first.usage?.prompt_tokens_details?.cached_tokens, 0);
    const second = await client.chat.completions.create({ model: MODEL, messages: long });
    assert.equal(second.usage?.prompt_tokens_details?.cached_tokens, Math.floor(1500 / 128) * 128);
    assert.equal(second.usage?.prompt_tokens_details?.cached_tokens, 1408);
    clock += 5 * 60_000;
    const later = await client.chat.completions.create({ model: MODEL, messages: long });
    assert.equal(later.usage?.prompt_tokens_details?.cached_tokens, 0);
  });

  it('never reports cached tokens under 1,024 prompt tokens', async () => {
    const short = [{ role: 'user' as const, content: 'word' + ' word'.repeat(900) }];
    await client.chat.completions.create({ model: MODEL, messages: short });
    const again = await client.chat.completions.create({ model: MODEL, messages: short });
    assert.equal(again.usage?.prompt_tokens_details?.cached_tokens, 0);
  });

  it('adds logprobs to content chunks when asked', async () => {
    server.enqueue({ content: 'a b c', logprobs: [-0.5, -1.5] });
    const chunks = await collect(
      await client.chat.completions.create({ model: MODEL, messages: hi, stream: true, logprobs: true, top_logprobs: 2 }),
    );
    const entries = chunks.flatMap((c) => c.choices[0]?.logprobs?.content ?? []);
    assert.deepEqual(entries.map((e) => e.token), ['a', ' b', ' c']);
    assert.deepEqual(entries.map((e) => e.logprob), [-0.5, -1.5, -0.01]);
    assert.deepEqual(entries[0].bytes, [97]);
    assert.equal(entries[0].top_logprobs.length, 2);
    assert.equal(entries[0].top_logprobs[0].token, 'a');
  });

  it('honours max_completion_tokens and stop like OpenAI', async () => {
    server.enqueue({ content: 'one two three four' }, { content: 'line one\nline two' });
    const cut = await client.chat.completions.create({ model: MODEL, messages: hi, max_completion_tokens: 2 });
    assert.equal(cut.choices[0].message.content, 'one two');
    assert.equal(cut.choices[0].finish_reason, 'length');
    assert.equal(cut.usage?.completion_tokens, 2);
    const stopped = await client.chat.completions.create({ model: MODEL, messages: hi, stop: ['\n'] });
    assert.equal(stopped.choices[0].message.content, 'line one');
    assert.equal(stopped.choices[0].finish_reason, 'stop');
  });

  it('lets a reply function answer from the request', async () => {
    server.setDefault((req) => ({ content: `You said: ${lastUserText(req.body)}` }));
    const res = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'ping' }] });
    assert.equal(res.choices[0].message.content, 'You said: ping');
  });

  it('lists models in OpenAI’s shape', async () => {
    const page = await client.models.list();
    assert.ok(page.data.some((m) => m.id === 'gpt-4o-mini' && m.object === 'model' && m.owned_by === 'system'));
    assert.equal((server.sent[0].payload as { object: string }).object, 'list');
  });

  it('accepts Azure deployment paths and records deployment, api-version and api-key', async () => {
    const azure = new AzureOpenAI({
      endpoint: server.origin,
      apiKey: KEY,
      apiVersion: '2024-10-21',
      deployment: 'kestrel-mini',
      maxRetries: 0,
    });
    const res = await azure.chat.completions.create({ model: MODEL, messages: hi });
    assert.equal(res.choices[0].message.content, 'Hello! How can I help you today?');
    const [req] = server.requests;
    assert.equal(req.path, '/openai/deployments/kestrel-mini/chat/completions');
    assert.deepEqual(req.azure, { deployment: 'kestrel-mini', apiVersion: '2024-10-21', apiKey: KEY });
  });

  it('answers unknown paths and bad bodies with OpenAI error bodies', async () => {
    const notFound = await fetch(`${server.baseUrl}/nope`, { headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(notFound.status, 404);
    assert.deepEqual(await notFound.json(), {
      error: { message: 'Invalid URL (GET /v1/nope)', type: 'invalid_request_error', param: null, code: null },
    });
    const missing = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL }),
    });
    assert.equal(missing.status, 400);
    assert.equal(((await missing.json()) as { error: { param: string } }).error.param, 'messages');
  });
});
