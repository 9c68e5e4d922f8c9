import * as assert from 'node:assert/strict';
import { startOpenAiTestServer, type OpenAiTestServer } from '../../fakes/openaiTestServer';
import type { ToolDefinition } from '../../../src/model/types';
import { ask, collect, makeHarness, settingsFor } from './serviceHarness';

describe('model service', function () {
  this.timeout(10_000);
  let server: OpenAiTestServer;

  beforeEach(async () => {
    server = await startOpenAiTestServer({ apiKey: 'sk-test-key' });
  });
  afterEach(async () => {
    await server.close();
  });

  describe('streaming and usage', () => {
    it('streams the answer as it arrives and records its usage', async () => {
      const h = makeHarness(server);
      server.enqueue({ content: 'Use a Map: lookups are O(1).' });
      const { events, text, error } = await collect(h.service, ask('How do I look things up fast?'));
      assert.equal(error, undefined);
      assert.equal(text, 'Use a Map: lookups are O(1).');
      assert.ok(events.filter((e) => e.type === 'content').length > 3, 'the answer arrives in several pieces');
      assert.deepEqual(events.at(-1), { type: 'finish', reason: 'stop', model: 'gpt-4o-mini' });
      const [{ id, ...usage }] = h.ledger.recent();
      assert.match(id, /^[0-9a-f-]{36}$/, 'the ledger gives each request an id');
      assert.deepEqual(events.at(-2), { type: 'usage', usage }, 'the usage reaches the caller too');
      const reported = server.requests[0].usage!;
      const cached = reported.prompt_tokens_details?.cached_tokens ?? 0;
      const expectedUsd = ((reported.prompt_tokens - cached) * 0.15 + cached * 0.075 + reported.completion_tokens * 0.6) / 1e6;
      assert.ok(Math.abs(usage.usd - expectedUsd) < 1e-15 && usage.usd > 0, `priced at GPT-4o mini rates: ${usage.usd} != ${expectedUsd}`);
      assert.equal(usage.promptTokens, reported.prompt_tokens);
      assert.equal(usage.completionTokens, reported.completion_tokens);
      assert.equal(usage.estimated, false);
      assert.equal(usage.outcome, 'ok');
      assert.equal(usage.feature, 'chat');
      assert.match(h.log.lines.join('\n'), /info chat gpt-4o-mini: ok, \d+ ms, first token \d+ ms, \d+ in \/ \d+ out/);
    });

    it('reports cached prompt tokens when the same long prefix is sent again', async () => {
      const h = makeHarness(server);
      const longContext = 'export function add(a: number, b: number) { return a + b; }\n'.repeat(120);
      await collect(h.service, ask(longContext));
      await collect(h.service, ask(longContext));
      const [first, second] = h.ledger.recent();
      assert.equal(first.cachedPromptTokens, 0);
      assert.ok(second.promptTokens >= 1024, `prompt of ${second.promptTokens} tokens is long enough to cache`);
      assert.equal(second.cachedPromptTokens, Math.floor(second.promptTokens / 128) * 128);
      assert.match(h.log.lines.join('\n'), /\(\d+ cached\)/);
    });

    it('reuses one client across requests and rebuilds it when the key changes', async () => {
      const h = makeHarness(server);
      await collect(h.service, ask('one'));
      await collect(h.service, ask('two'));
      assert.equal(server.requests[1].headers.authorization, 'Bearer sk-test-key');
      h.state.apiKey = 'sk-other-key';
      const { error } = await collect(h.service, ask('three'));
      assert.equal(server.requests[2].headers.authorization, 'Bearer sk-other-key');
      assert.equal(error?.kind, 'auth', 'the server only knows the first key');
    });

    it('sends max_tokens instead of max_completion_tokens to endpoints that only know it', async () => {
      const h = makeHarness(server, { provider: 'openai-compatible' });
      await collect(h.service, ask('hi', 'completion'));
      const body = server.requests[0].body as Record<string, unknown>;
      assert.equal(body.max_tokens, 256);
      assert.equal('max_completion_tokens' in body, false);
    });

    it('talks to Azure deployments with the api-key header and api-version', async () => {
      const h = makeHarness(server, { provider: 'azure', baseUrl: server.origin, 'azure.deployment': 'mini-prod' });
      const { error } = await collect(h.service, ask('hi'));
      assert.equal(error, undefined);
      assert.deepEqual(server.requests[0].azure, { deployment: 'mini-prod', apiVersion: '2024-10-21', apiKey: 'sk-test-key' });
    });

    it('sends the configured extra headers, and does not let OPENAI_BASE_URL redirect requests', async () => {
      const previous = process.env.OPENAI_BASE_URL;
      process.env.OPENAI_BASE_URL = 'http://127.0.0.1:9/v1';
      try {
        const h = makeHarness(server, { extraHeaders: { 'X-Team': 'compilers' } });
        const { error } = await collect(h.service, ask('hi'));
        assert.equal(error, undefined);
        assert.equal(server.requests[0].headers['x-team'], 'compilers');
      } finally {
        if (previous === undefined) delete process.env.OPENAI_BASE_URL;
        else process.env.OPENAI_BASE_URL = previous;
      }
    });
  });

  describe('failures the user can act on', () => {
    it('asks for a key before sending anything when none is set', async () => {
      const h = makeHarness(server, {}, null);
      const { error } = await collect(h.service, ask('hi'));
      assert.equal(error?.kind, 'auth');
      assert.match(error!.message, /Set API Key/);
      assert.equal(server.requests.length, 0);
      assert.deepEqual(h.errors.map((e) => e.error.kind), ['auth']);
    });

    it('maps a rejected key to auth and keeps the key out of messages and logs', async () => {
      const h = makeHarness(server, {}, 'sk-wrong-key-0123456789');
      const { error } = await collect(h.service, ask('hi'));
      assert.equal(error?.kind, 'auth');
      const everything = [error!.message, error!.details.serverMessage ?? '', ...h.log.lines].join('\n');
      assert.ok(!everything.includes('0123456789'), everything);
      const [record] = h.ledger.recent();
      assert.deepEqual([record.outcome, record.promptTokens, record.completionTokens, record.usd], ['error', 0, 0, 0], 'a refused request costs nothing');
    });

    it('names the missing model on 404', async () => {
      const h = makeHarness(server, { model: 'gpt-5-imaginary' });
      server.enqueue({ status: 404 });
      const { error } = await collect(h.service, ask('hi'));
      assert.equal(error?.kind, 'notFound');
      assert.match(error!.message, /gpt-5-imaginary/);
    });

    it('never retries a completion, and retries chat after the wait the server asks for', async () => {
      const h = makeHarness(server);
      server.enqueue({ status: 429, headers: { 'retry-after-ms': '50' } });
      const completion = await collect(h.service, ask('x', 'completion'));
      assert.equal(completion.error?.kind, 'rateLimit');
      assert.equal(server.requests.length, 1);

      server.enqueue({ status: 429, headers: { 'retry-after-ms': '300' } }, { content: 'after the wait' });
      const chat = await collect(h.service, ask('y'));
      assert.equal(chat.text, 'after the wait');
      assert.equal(server.requests.length, 3);
      const waited = server.requests[2].receivedAt - server.requests[1].receivedAt;
      assert.ok(waited >= 280, `waited ${waited} ms for retry-after-ms 300`);
    });

    it('does not wait unseen when a 429 asks for longer than 10 s: the error says how long, at once', async () => {
      const h = makeHarness(server);
      server.enqueue({ status: 429, headers: { 'retry-after': '60' } }, { content: 'never sent' });
      const started = Date.now();
      const { error } = await collect(h.service, ask('wait a minute'));
      assert.equal(error?.kind, 'rateLimit');
      assert.match(error!.message, /Try again in 60 s/);
      assert.ok(Date.now() - started < 5_000, 'the SDK waited out the 60 s retry-after');
      assert.equal(server.requests.length, 1);
    });

    it('stops at once while waiting to retry after a 429, and sends no retry', async () => {
      const h = makeHarness(server);
      server.enqueue({ status: 429, headers: { 'retry-after': '8' } }, { content: 'too late' });
      const controller = new AbortController();
      const run = collect(h.service, { ...ask('wait for it'), signal: controller.signal });
      await server.waitForCompletion(0);
      const stoppedAt = Date.now();
      controller.abort();
      const { error } = await run;
      assert.equal(error?.kind, 'cancelled');
      assert.ok(Date.now() - stoppedAt < 5_000, 'Stop did not wait out the 8 s retry-after');
      assert.equal(server.requests.length, 1);
    });

    it('keeps the partial answer and says it was interrupted when the connection resets', async () => {
      const h = makeHarness(server);
      server.enqueue({ fault: 'resetMidStream', afterTokens: 5, content: 'one two three four five six seven eight' });
      const { text, error } = await collect(h.service, ask('count'));
      assert.equal(error?.kind, 'interrupted');
      assert.equal(text, 'one two three four five');
      const [usage] = h.ledger.recent();
      assert.equal(usage.outcome, 'error');
      assert.equal(usage.estimated, true);
      assert.ok(usage.completionTokens > 0);
    });

    it('treats an error object in the stream and a malformed line as an interrupted answer', async () => {
      const h = makeHarness(server);
      server.enqueue({ fault: 'errorMidStream', afterTokens: 3, message: 'The server had an error' });
      const midStream = await collect(h.service, ask('a'));
      assert.equal(midStream.error?.kind, 'interrupted');
      assert.ok(midStream.text.length > 0);
      server.enqueue({ fault: 'malformedSse', afterTokens: 3 });
      const malformed = await collect(h.service, ask('b'));
      assert.equal(malformed.error?.kind, 'interrupted');
    });

    it('gives up on a stalled stream after the feature timeout', async () => {
      const h = makeHarness(server);
      h.state.settings = { ...h.state.settings, completion: { ...h.state.settings.completion, timeoutMs: 300 } };
      server.enqueue({ fault: 'stall', afterTokens: 2 });
      const { error } = await collect(h.service, ask('x', 'completion'));
      assert.equal(error?.kind, 'timeout');
      await server.waitForAbort(0);
    });

    it('lets a completion that keeps streaming finish, even when it takes longer than the timeout in all', async () => {
      // The timeout is for silence: requests that can no longer serve are aborted by the engine.
      const h = makeHarness(server);
      h.state.settings = { ...h.state.settings, completion: { ...h.state.settings.completion, timeoutMs: 300 } };
      const content = 'const total = items.reduce((sum, item) => sum + item.price, 0);';
      server.enqueue({ content, tokensPerSecond: 30 });
      const started = Date.now();
      const answer = await collect(h.service, ask('x', 'completion'));
      assert.equal(answer.error, undefined);
      assert.equal(answer.text, content);
      assert.ok(Date.now() - started > 300, 'the answer took longer than the timeout in all');
    });

    it('reports a dead server as a network problem naming the URL', async () => {
      const h = makeHarness(server);
      h.state.settings = settingsFor(server, { baseUrl: 'http://127.0.0.1:9/v1' });
      const { error } = await collect(h.service, ask('x', 'completion'));
      assert.equal(error?.kind, 'network');
      assert.match(error!.message, /127\.0\.0\.1:9/);
      assert.equal(h.ledger.recent()[0].usd, 0, 'an unreachable endpoint bills nothing');
    });
  });

  describe('cancellation', () => {
    it('closes the HTTP request when the signal aborts', async () => {
      const h = makeHarness(server);
      server.enqueue({ content: 'slow '.repeat(50), tokensPerSecond: 20 });
      const controller = new AbortController();
      const run = collect(h.service, { ...ask('x'), signal: controller.signal });
      await server.waitForRequest(0);
      setTimeout(() => controller.abort(), 100);
      const { error } = await run;
      assert.equal(error?.kind, 'cancelled');
      assert.equal((await server.waitForAbort(0)).aborted, true);
      assert.deepEqual(h.errors, [], 'a cancellation is not an error to report');
      assert.equal(h.ledger.recent()[0].outcome, 'cancelled');
    });

    it('closes the HTTP request when the caller stops reading, and records estimated usage', async () => {
      const h = makeHarness(server);
      server.enqueue({ content: 'line one\nline two\nline three\n'.repeat(20), tokensPerSecond: 200 });
      let text = '';
      for await (const event of h.service.stream(ask('x', 'completion'))) {
        if (event.type === 'content') text += event.text;
        if (text.includes('\n')) break;
      }
      assert.equal((await server.waitForAbort(0)).aborted, true);
      const [usage] = h.ledger.recent();
      assert.equal(usage.outcome, 'cancelled');
      assert.equal(usage.estimated, true);
      assert.ok(usage.promptTokens > 0 && usage.completionTokens > 0);
    });
  });

  describe('tool-calling loop', () => {
    const calls: Record<string, unknown>[] = [];
    const lookup: ToolDefinition = {
      name: 'lookup',
      description: 'Looks up a word',
      parameters: { type: 'object', properties: { word: { type: 'string', minLength: 1 } }, required: ['word'], additionalProperties: false },
      run: async (args) => {
        calls.push(args);
        if (args.word === 'explode') throw new Error('dictionary offline');
        return `definition of ${String(args.word)}`;
      },
    };
    beforeEach(() => (calls.length = 0));

    it('runs parallel calls, sends each result back, and streams the final answer', async () => {
      const h = makeHarness(server);
      server.enqueue(
        { toolCalls: [{ name: 'lookup', arguments: '{"word":"kestrel"}', id: 'call_a' }, { name: 'lookup', arguments: '{"word":"falcon"}', id: 'call_b' }] },
        { content: 'Both are birds.' },
      );
      const { events, text, error } = await collect(h.service, { ...ask('define'), tools: [lookup] });
      assert.equal(error, undefined);
      assert.equal(text, 'Both are birds.');
      assert.deepEqual(calls, [{ word: 'kestrel' }, { word: 'falcon' }]);
      assert.deepEqual(events.filter((e) => e.type === 'toolResult').map((e) => e.type === 'toolResult' && [e.id, e.ok, e.content]), [
        ['call_a', true, '<tool_output tool="lookup">\ndefinition of kestrel\n</tool_output>'],
        ['call_b', true, '<tool_output tool="lookup">\ndefinition of falcon\n</tool_output>'],
      ]);
      const second = server.requests[1].body as { messages: { role: string; tool_call_id?: string; content?: unknown; tool_calls?: unknown[] }[] };
      assert.deepEqual(second.messages.slice(1).map((m) => m.role), ['assistant', 'tool', 'tool']);
      assert.equal(second.messages[1].tool_calls?.length, 2);
      assert.deepEqual(second.messages.slice(2).map((m) => [m.tool_call_id, m.content]), [
        ['call_a', '<tool_output tool="lookup">\ndefinition of kestrel\n</tool_output>'],
        ['call_b', '<tool_output tool="lookup">\ndefinition of falcon\n</tool_output>'],
      ]);
      assert.equal(h.ledger.recent().length, 2, 'each round trip is one recorded request');
    });

    it('returns bad arguments, unknown tools and tool failures to the model instead of throwing', async () => {
      const h = makeHarness(server);
      server.enqueue(
        {
          toolCalls: [
            { name: 'lookup', arguments: '{"word":', id: 'c1' },
            { name: 'lookup', arguments: '{"word":""}', id: 'c2' },
            { name: 'lookup', arguments: '{"word":"x","extra":1}', id: 'c3' },
            { name: 'delete_everything', arguments: '{}', id: 'c4' },
            { name: 'lookup', arguments: '{"word":"explode"}', id: 'c5' },
          ],
        },
        { content: 'Sorry.' },
      );
      const { events, error } = await collect(h.service, { ...ask('go'), tools: [lookup] });
      assert.equal(error, undefined);
      const results = events.flatMap((e) => (e.type === 'toolResult' ? [[e.id, e.ok, e.content] as const] : []));
      assert.equal(results.length, 5);
      assert.ok(results.every(([, ok]) => !ok));
      assert.match(results[0][2], /not valid JSON/);
      assert.match(results[1][2], /\$\.word must be at least 1/);
      assert.match(results[2][2], /\$\.extra is not an allowed property/);
      assert.match(results[3][2], /no tool named "delete_everything"/);
      assert.match(results[4][2], /dictionary offline/);
      assert.deepEqual(calls, [{ word: 'explode' }], 'only valid arguments reach a tool');
    });

    it('caps the number of rounds: the last round forbids further tool calls', async () => {
      const h = makeHarness(server);
      const again = { toolCalls: [{ name: 'lookup', arguments: '{"word":"again"}' }] };
      server.enqueue(again, again, { content: 'Giving up on tools.' });
      const { text } = await collect(h.service, { ...ask('loop'), tools: [lookup], maxToolIterations: 3 });
      assert.equal(text, 'Giving up on tools.');
      const choices = server.requests.map((r) => (r.body as { tool_choice?: unknown }).tool_choice);
      assert.deepEqual(choices, [undefined, undefined, 'none']);
    });

    it('stops when an endpoint ignores the cap', async () => {
      const h = makeHarness(server);
      const again = { toolCalls: [{ name: 'lookup', arguments: '{"word":"again"}' }] };
      server.enqueue(again, again);
      const { events } = await collect(h.service, { ...ask('loop'), tools: [lookup], maxToolIterations: 2 });
      assert.deepEqual(events.at(-1), { type: 'finish', reason: 'tool_limit', model: 'gpt-4o-mini' });
      assert.equal(server.requests.length, 2);
    });
  });
});
