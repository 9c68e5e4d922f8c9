// Proves the OpenAPI contract checker can tell good payloads from bad ones, so that a passing contract test
// elsewhere means something. Each bad payload breaks one rule that the spec (openapi.json 2.3.0) states.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  type ContractKind, type OpenApiContract, loadOpenApiContract, loadOpenApiContractForSuite, specPath,
} from '../../contract/openapiContract';

const PNG_DATA_URL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const goodRequest = {
  model: 'gpt-4o-mini',
  stream: true,
  stream_options: { include_usage: true },
  messages: [
    { role: 'system', content: 'You are Kestrel, a coding assistant.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this screenshot and this file?' },
        { type: 'image_url', image_url: { url: PNG_DATA_URL, detail: 'low' } },
        { type: 'file', file: { filename: 'notes.pdf', file_data: 'data:application/pdf;base64,JVBERi0xLjQK' } },
      ],
    },
    {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }],
    },
    { role: 'tool', tool_call_id: 'call_1', content: 'export const a = 1;' },
  ],
  tools: [{
    type: 'function',
    function: {
      name: 'read_file',
      description: 'Read a workspace file',
      strict: true,
      // Caller-supplied JSON Schema: its keys are not OpenAI fields and must not be checked as such.
      parameters: {
        type: 'object',
        properties: { path: { type: 'string', description: 'Workspace-relative path' } },
        required: ['path'],
        additionalProperties: false,
      },
    },
  }],
  tool_choice: 'auto',
  parallel_tool_calls: true,
  max_completion_tokens: 256,
  temperature: 0.2,
  top_p: 1,
  stop: ['\n\n', '```'],
  seed: 42,
  logprobs: true,
  top_logprobs: 3,
  logit_bias: { '50256': -100 },
  frequency_penalty: 0,
  presence_penalty: 0,
  n: 1,
};

const goodResponse = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1741570283,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{
    index: 0,
    message: { role: 'assistant', content: 'Hello.', refusal: null, annotations: [] },
    logprobs: null,
    finish_reason: 'stop',
  }],
  usage: {
    prompt_tokens: 1117, completion_tokens: 46, total_tokens: 1163,
    prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  },
  service_tier: 'default',
  system_fingerprint: 'fp_1',
};

const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1694268190, model: 'gpt-4o-mini', choices, ...extra,
});
const goodChunks: Record<string, Record<string, unknown>> = {
  role: chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]),
  content: chunk([{ index: 0, delta: { content: 'Hello' }, logprobs: null, finish_reason: null }], { obfuscation: 'p9K3' }),
  toolCallStart: chunk([{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '' } }] }, finish_reason: null }]),
  toolCallArgs: chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"path":' } }] }, finish_reason: null }]),
  finish: chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' }], { usage: null }),
  usage: chunk([], { usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21, prompt_tokens_details: { cached_tokens: 0 } } }),
};

const goodError = { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } };

/** A deep copy of `value` changed by `edit`, so each bad payload differs from a good one in one way. */
function mutate<T>(value: T, edit: (copy: T) => void): T {
  const copy = structuredClone(value);
  edit(copy);
  return copy;
}

/** The object at `keys` inside `value`, for editing those copies. */
function dig(value: unknown, ...keys: Array<string | number>): Record<string, unknown> {
  const found = keys.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
  assert.ok(typeof found === 'object' && found !== null, `nothing at ${keys.join('.')}`);
  return found as Record<string, unknown>;
}

describe('OpenAPI contract checker', function () {
  let contract: OpenApiContract;

  before(function () {
    const loaded = loadOpenApiContractForSuite();
    if (!loaded) return this.skip();
    contract = loaded;
  });

  const assertValid = (kind: ContractKind, payload: unknown): void =>
    assert.deepEqual(contract.validate(kind, payload), [], `expected a valid ${kind}`);
  /** Fails unless `payload` is rejected with, for each pattern, a message matching it. */
  function assertInvalid(kind: ContractKind, payload: unknown, ...expected: RegExp[]): void {
    const problems = contract.validate(kind, payload);
    assert.ok(problems.length > 0, `expected the ${kind} to be rejected`);
    for (const pattern of expected) {
      assert.ok(problems.some((p) => pattern.test(p)), `no problem matches ${pattern}; got:\n  ${problems.join('\n  ')}`);
    }
  }

  describe('accepts known-good payloads', function () {
    it('a streaming request with system, user, assistant and tool messages, tools, images and files', () => assertValid('request', goodRequest));
    it('a request naming the tool to call and asking for a JSON schema reply', () => assertValid('request', mutate(goodRequest, (copy) => {
      const r = dig(copy);
      r.tool_choice = { type: 'function', function: { name: 'read_file' } };
      r.response_format = { type: 'json_schema', json_schema: { name: 'answer', strict: true, schema: { type: 'object', properties: { anything: { type: 'string' } } } } };
      r.metadata = { any_key: 'is fine' };
    })));
    it('a non-streamed response with cached-token usage', () => assertValid('response', goodResponse));
    it('a non-streamed response with tool calls', () => assertValid('response', mutate(goodResponse, (r) => {
      dig(r, 'choices', 0).message = { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{}' } }] };
      r.choices[0].finish_reason = 'tool_calls';
    })));
    for (const [name, payload] of Object.entries(goodChunks)) it(`a stream chunk: ${name}`, () => assertValid('streamChunk', payload));
    it('an error body', () => assertValid('error', goodError));
    it('a model list', () => assertValid('modelList', { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' }] }));
  });

  describe('rejects known-bad requests', function () {
    it('a misspelled top-level field', () => assertInvalid('request', mutate(goodRequest, (r) => {
      dig(r).max_completion_token = r.max_completion_tokens;
      delete dig(r).max_completion_tokens;
    }), /^\$\.max_completion_token: unknown property.*did you mean "max_completion_tokens"/));
    it('a field that belongs to another message role', () => assertInvalid('request',
      mutate(goodRequest, (r) => { dig(r, 'messages', 1).tool_call_id = 'call_1'; }), /^\$\.messages\[1\]\.tool_call_id: unknown property/));
    it('a misspelled field in a content part and in a tool call', () => assertInvalid('request', mutate(goodRequest, (r) => {
      dig(r, 'messages', 1, 'content', 1, 'image_url').detial = 'low';
      dig(r, 'messages', 2, 'tool_calls', 0, 'function').argumnets = '{}';
    }), /\.content\[1\]\.image_url\.detial: unknown property/, /\.tool_calls\[0\]\.function\.argumnets: unknown property/));
    it('a wrong role', () => assertInvalid('request', mutate(goodRequest, (r) => { r.messages[0].role = 'robot'; }), /^\$\.messages\[0\]\.role: must be one of .*"system"/));
    it('temperature "hot"', () => assertInvalid('request', { ...goodRequest, temperature: 'hot' }, /^\$\.temperature: must be of type number/));
    it('temperature above 2', () => assertInvalid('request', { ...goodRequest, temperature: 2.5 }, /^\$\.temperature: must be <= 2/));
    it('a missing model', () => assertInvalid('request', mutate(goodRequest, (r) => { delete dig(r).model; }), /^\$: must have required property 'model'/));
    it('missing or empty messages', () => {
      assertInvalid('request', mutate(goodRequest, (r) => { delete dig(r).messages; }), /^\$: must have required property 'messages'/);
      assertInvalid('request', { ...goodRequest, messages: [] }, /^\$\.messages: must NOT have fewer than 1 items/);
    });
    it('n as a string, n out of 1..128, top_logprobs above 20', () => {
      assertInvalid('request', { ...goodRequest, n: '2' }, /^\$\.n: must be of type integer/);
      assertInvalid('request', { ...goodRequest, n: 0 }, /^\$\.n: must be >= 1/);
      assertInvalid('request', { ...goodRequest, n: 129 }, /^\$\.n: must be <= 128/);
      assertInvalid('request', { ...goodRequest, top_logprobs: 21 }, /^\$\.top_logprobs: must be <= 20/);
    });
    it('more than 4 stop sequences', () => assertInvalid('request', { ...goodRequest, stop: ['a', 'b', 'c', 'd', 'e'] }, /^\$\.stop: must NOT have more than 4 items/));
    it('a fractional logit_bias (the spec wants integers)', () => assertInvalid('request', { ...goodRequest, logit_bias: { '50256': 0.5 } }, /^\$\.logit_bias\[50256\]: must be of type integer/));
    it('spec quirks a client can trip on: an empty stop array, top_logprobs: null, name on a tool message', () => {
      assertInvalid('request', { ...goodRequest, stop: [] }, /^\$\.stop: must NOT have fewer than 1 items/);
      // Nullable in CreateChatCompletionRequest but not in CreateModelResponseProperties, which allOf also applies.
      assertInvalid('request', { ...goodRequest, top_logprobs: null }, /^\$\.top_logprobs: must be of type integer/);
      assertInvalid('request', mutate(goodRequest, (r) => { dig(r, 'messages', 3).name = 'read_file'; }), /^\$\.messages\[3\]\.name: unknown property/);
    });
    it('reports the problem in the branch the payload means, not every oneOf branch', () => {
      const problems = contract.validate('request', mutate(goodRequest, (r) => { delete dig(r, 'messages', 3).tool_call_id; }));
      assert.deepEqual(problems, ["$.messages[3]: must have required property 'tool_call_id'"]);
    });
    it('an unknown image detail level', () => assertInvalid('request',
      mutate(goodRequest, (r) => { dig(r, 'messages', 1, 'content', 1, 'image_url').detail = 'medium'; }),
      /image_url\.detail: must be one of "auto" \| "low" \| "high"/));
  });

  describe('rejects known-bad responses, chunks and errors', function () {
    it('a stream chunk with an unknown field in delta', () => assertInvalid('streamChunk',
      mutate(goodChunks.content, (c) => { dig(c, 'choices', 0, 'delta').contnet = 'x'; }),
      /^\$\.choices\[0\]\.delta\.contnet: unknown property.*did you mean "content"/));
    it('a stream chunk without object, or with the non-streamed object type', () => {
      assertInvalid('streamChunk', mutate(goodChunks.content, (c) => { delete c.object; }), /^\$: must have required property 'object'/);
      assertInvalid('streamChunk', { ...goodChunks.content, object: 'chat.completion' }, /^\$\.object: must be one of "chat\.completion\.chunk"/);
    });
    it('a stream choice without finish_reason (it must be present, null until the end)', () => assertInvalid('streamChunk',
      mutate(goodChunks.content, (c) => { delete dig(c, 'choices', 0).finish_reason; }),
      /^\$\.choices\[0\]: must have required property 'finish_reason'/));
    it('a tool call delta without index', () => assertInvalid('streamChunk',
      mutate(goodChunks.toolCallArgs, (c) => { delete dig(c, 'choices', 0, 'delta', 'tool_calls', 0).index; }),
      /tool_calls\[0\]: must have required property 'index'/));
    it('a usage object with a misspelled field', () => {
      assertInvalid('streamChunk', mutate(goodChunks.usage, (c) => { dig(c, 'usage').prompt_token_details = {}; }), /^\$\.usage\.prompt_token_details: unknown property/);
      assertInvalid('response', mutate(goodResponse, (r) => { dig(r, 'usage', 'prompt_tokens_details').cache_tokens = 1; }), /prompt_tokens_details\.cache_tokens: unknown property/);
    });
    it('a response message without refusal, a choice without logprobs (both required, may be null)', () => {
      assertInvalid('response', mutate(goodResponse, (r) => { delete dig(r, 'choices', 0, 'message').refusal; }),
        /^\$\.choices\[0\]\.message: must have required property 'refusal'/);
      assertInvalid('response', mutate(goodResponse, (r) => { delete dig(r, 'choices', 0).logprobs; }),
        /^\$\.choices\[0\]: must have required property 'logprobs'/);
    });
    it('an error body without error.message, or without param/code', () => {
      assertInvalid('error', mutate(goodError, (e) => { delete dig(e, 'error').message; }), /^\$\.error: must have required property 'message'/);
      assertInvalid('error', { error: { message: 'x', type: 'server_error' } }, /required property 'param'/, /required property 'code'/);
    });
    it('an error body with an unknown field', () => assertInvalid('error', mutate(goodError, (e) => { dig(e, 'error').status = 401; }), /^\$\.error\.status: unknown property/));
  });
});

describe('OpenAPI contract loading', function () {
  const saved = { spec: process.env.OPENAI_OPENAPI_SPEC, require: process.env.KESTREL_REQUIRE_OPENAPI };
  const missing = path.join(__dirname, 'no-such-dir', 'openapi.json');
  const restore = (name: string, value: string | undefined): void => {
    if (value === undefined) delete process.env[name]; else process.env[name] = value;
  };
  afterEach(function () {
    restore('OPENAI_OPENAPI_SPEC', saved.spec);
    restore('KESTREL_REQUIRE_OPENAPI', saved.require);
  });

  it('looks for ../shared/openai/openapi.json beside the project by default', function () {
    delete process.env.OPENAI_OPENAPI_SPEC;
    assert.match(specPath(), /[\\/]shared[\\/]openai[\\/]openapi\.json$/);
  });

  it('honours OPENAI_OPENAPI_SPEC and returns undefined when that file is absent', function () {
    process.env.OPENAI_OPENAPI_SPEC = missing;
    assert.equal(specPath(), missing);
    assert.equal(loadOpenApiContract(), undefined);
  });

  it('warns loudly, naming the path, when the spec is absent', function () {
    process.env.OPENAI_OPENAPI_SPEC = missing;
    delete process.env.KESTREL_REQUIRE_OPENAPI;
    const lines: string[] = [];
    assert.equal(loadOpenApiContractForSuite((line) => lines.push(line)), undefined);
    assert.equal(lines.length, 1);
    assert.ok(lines[0].includes(missing) && /WARNING.*SKIPPING/.test(lines[0]), lines[0]);
  });

  it('fails instead of skipping when KESTREL_REQUIRE_OPENAPI=1', function () {
    process.env.OPENAI_OPENAPI_SPEC = missing;
    process.env.KESTREL_REQUIRE_OPENAPI = '1';
    assert.throws(() => loadOpenApiContractForSuite(() => assert.fail('must not just warn')),
      (e: unknown) => e instanceof Error && e.message.includes(missing) && e.message.includes('KESTREL_REQUIRE_OPENAPI'));
  });
});
