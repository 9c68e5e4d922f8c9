// The contract in both directions: every request the model service sends, and every response, chunk
// and error the test server answers with, validates against OpenAI's published schema. The traffic
// covers each feature's shape: chat, completion with stops and logprobs, tools with results,
// images, max_tokens endpoints, Azure, errors and faults.
import * as assert from 'node:assert/strict';
import { loadOpenApiContractForSuite, type ContractKind, type OpenApiContract } from '../../contract/openapiContract';
import { startOpenAiTestServer, type OpenAiTestServer } from '../../fakes/openaiTestServer';
import type { ToolDefinition } from '../../../src/model/types';
import { ask, collect, makeHarness } from '../model/serviceHarness';

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const readFile: ToolDefinition = {
  name: 'read_file',
  description: 'Reads a workspace file',
  parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false },
  run: async (args) => `contents of ${String(args.path)}`,
};

describe('OpenAI contract: the traffic between the model service and the test server', function () {
  this.timeout(20_000);
  let contract: OpenApiContract;
  let server: OpenAiTestServer;

  before(function () {
    const loaded = loadOpenApiContractForSuite();
    if (!loaded) return this.skip();
    contract = loaded;
  });
  beforeEach(async () => {
    server = await startOpenAiTestServer({ apiKey: 'sk-test-key' });
  });
  afterEach(async () => {
    await server.close();
  });

  /** Checks everything recorded so far; returns how many payloads were checked. */
  function assertAllValid(): number {
    const problems: string[] = [];
    for (const request of server.requests) {
      if (request.method === 'POST') problems.push(...contract.validate('request', request.body).map((p) => `request #${request.index}: ${p}`));
    }
    for (const sent of server.sent) {
      if (sent.kind === 'model') continue;
      const kind: ContractKind = sent.kind;
      problems.push(...contract.validate(kind, sent.payload).map((p) => `${sent.kind} for #${sent.requestIndex}: ${p}`));
    }
    assert.deepEqual(problems, []);
    return server.requests.length + server.sent.length;
  }

  it('chat with every sampling parameter set', async () => {
    const h = makeHarness(server, {
      'chat.topP': 0.9,
      'chat.seed': 7,
      'chat.frequencyPenalty': 0.2,
      'chat.presencePenalty': 0.1,
      'chat.logitBias': { '1734': -100 },
      'chat.logprobs': true,
      'chat.topLogprobs': 2,
      'chat.stop': ['END'],
    });
    const messages = [
      { role: 'system' as const, content: 'You are Kestrel.' },
      { role: 'user' as const, content: 'Hello' },
    ];
    const { error } = await collect(h.service, { feature: 'chat', messages });
    assert.equal(error, undefined);
    assert.ok(assertAllValid() > 5);
  });

  it('completion with stop sequences, a token cap and logprobs', async () => {
    const h = makeHarness(server);
    await collect(h.service, { ...ask('fill the hole', 'completion'), overrides: { stop: ['\n'], maxCompletionTokens: 64, logprobs: true, topLogprobs: 1 } });
    assertAllValid();
  });

  it('a tool loop with parallel calls and their results', async () => {
    const h = makeHarness(server);
    server.enqueue(
      { toolCalls: [{ name: 'read_file', arguments: '{"path":"a.ts"}' }, { name: 'read_file', arguments: '{"path":' }] },
      { content: 'Done.' },
    );
    const { error } = await collect(h.service, { ...ask('read'), tools: [readFile] });
    assert.equal(error, undefined);
    assert.equal(server.requests.length, 2);
    assertAllValid();
  });

  it('an image with text, sent as content parts', async () => {
    const h = makeHarness(server);
    await collect(h.service, {
      feature: 'vision',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: PNG, detail: 'low' } }] }],
    });
    assertAllValid();
  });

  it('max_tokens endpoints and Azure deployments', async () => {
    await collect(makeHarness(server, { provider: 'openai-compatible' }).service, ask('hi'));
    await collect(makeHarness(server, { provider: 'azure', baseUrl: server.origin, 'azure.deployment': 'd' }).service, ask('hi'));
    assertAllValid();
  });

  it('errors and faults', async () => {
    const h = makeHarness(server);
    server.enqueue({ status: 404 }, { status: 429, headers: { 'retry-after': '0' } }, { status: 500 }, { fault: 'errorMidStream', afterTokens: 2 });
    await collect(h.service, ask('a', 'completion'));
    await collect(h.service, ask('b', 'completion'));
    await collect(h.service, ask('c', 'completion'));
    await collect(h.service, ask('d', 'completion'));
    await collect(makeHarness(server, {}, 'sk-wrong').service, ask('e'));
    assert.ok(server.sent.some((s) => s.kind === 'error'));
    assertAllValid();
  });

  it('catches a request the schema does not allow (the check can fail)', async () => {
    const h = makeHarness(server);
    await collect(h.service, ask('hi'));
    const body = { ...(server.requests[0].body as object), max_completion_token: 5 };
    assert.match(contract.validate('request', body).join('\n'), /max_completion_token/);
  });
});
