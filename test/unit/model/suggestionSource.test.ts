import * as assert from 'node:assert/strict';
import { encode } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import { DEFAULT_BUDGET } from '../../../src/core/completion/completionPrompt';
import type { KestrelError } from '../../../src/model/errors';
import { atNextLine } from '../../../src/model/prefetchAfterAccept';
import { ModelSuggestionSource, type SuggestionRequest } from '../../../src/model/suggestionSource';
import { startOpenAiTestServer, type OpenAiTestServer } from '../../fakes/openaiTestServer';
import { cursorIn } from '../core/completion/markedCursor';
import { makeHarness } from './serviceHarness';

function requestAt(file: string, mode: 'single' | 'multi', minTokenProbability = 0): SuggestionRequest {
  const { prefix, suffix, ...cursor } = cursorIn(file);
  return {
    prompt: { path: 'a.ts', languageId: 'typescript', prefix, prefixStartLine: 0, suffix, snippets: [], mode, budget: DEFAULT_BUDGET },
    cursor,
    maxBlockTokens: 256,
    minTokenProbability,
  };
}

describe('model suggestion source', function () {
  this.timeout(10_000);
  let server: OpenAiTestServer;
  beforeEach(async () => (server = await startOpenAiTestServer({ apiKey: 'sk-test-key' })));
  afterEach(() => server.close());

  it('returns the cleaned suggestion and reports success', async () => {
    const outcomes: boolean[] = [];
    const source = new ModelSuggestionSource(makeHarness(server).service, (o) => outcomes.push(o.ok));
    server.enqueue({ content: '```ts\nreturn a + b;\n}\n```' });
    assert.equal(await source.fetch(requestAt('function add(a, b) {\n  |\n}', 'multi'), new AbortController().signal, () => {}), 'return a + b;');
    assert.deepEqual(outcomes, [true]);
  });

  it('stops reading a single line at its newline even when the server ignores stop', async () => {
    const source = new ModelSuggestionSource(makeHarness(server).service);
    server.enqueue({ content: 'first();\nsecond();\nthird();\n'.repeat(20), applyRequestLimits: false, tokensPerSecond: 200 });
    assert.equal(await source.fetch(requestAt('x = |', 'single'), new AbortController().signal, () => {}), 'first();');
    assert.equal((await server.waitForAbort(0)).aborted, true, 'the rest was never paid for');
  });

  it('cuts at the first token the model is unsure of, and stops paying there', async () => {
    const source = new ModelSuggestionSource(makeHarness(server).service);
    const content = 'computeTotal(items) + shippingCost(order)';
    const tokens = encode(content).length;
    const sure = encode('computeTotal(items)').length;
    const logprobs = Array.from({ length: tokens }, (_, i) => (i === sure ? Math.log(0.05) : Math.log(0.9)));
    server.enqueue({ content, logprobs, tokensPerSecond: 100 });
    const suggestion = await source.fetch(requestAt('const total = |', 'single', 0.2), new AbortController().signal, () => {});
    assert.equal(suggestion, 'computeTotal(items)');
    const body = server.requests[0].body as { logprobs?: boolean };
    assert.equal(body.logprobs, true);
    assert.equal((await server.waitForAbort(0)).aborted, true);
  });

  it('hides a suggestion whose very first token is unsure', async () => {
    const source = new ModelSuggestionSource(makeHarness(server).service);
    server.enqueue({ content: 'maybeThis()', logprobs: [Math.log(0.1), 0, 0, 0] });
    assert.equal(await source.fetch(requestAt('const x = |', 'single', 0.2), new AbortController().signal, () => {}), undefined);
  });

  it('resolves to nothing and reports the failure when the request fails', async () => {
    const failures: KestrelError[] = [];
    const source = new ModelSuggestionSource(makeHarness(server).service, (o) => !o.ok && failures.push(o.error));
    server.enqueue({ status: 429, headers: { 'retry-after': '5' } });
    let failed = 0;
    assert.equal(await source.fetch(requestAt('x = |', 'single'), new AbortController().signal, () => {}, () => failed++), undefined);
    assert.equal(failures[0]?.kind, 'rateLimit');
    assert.equal(failed, 1, 'the engine is told it failed');
  });

  it('tells an empty answer and a cancelled request apart from a failure', async () => {
    const source = new ModelSuggestionSource(makeHarness(server).service);
    let failed = 0;
    server.enqueue({ content: '' });
    assert.equal(await source.fetch(requestAt('x = |', 'single'), new AbortController().signal, () => {}, () => failed++), undefined);
    server.enqueue({ content: 'late();', ttftMs: 5_000 });
    const cancel = new AbortController();
    const cancelled = source.fetch(requestAt('y = |', 'single'), cancel.signal, () => {}, () => failed++);
    await server.waitForRequest(1, 5_000);
    cancel.abort();
    assert.equal(await cancelled, undefined);
    assert.equal(failed, 0);
  });

  it('asks for the next line as if Enter had been pressed at the end of this one', async () => {
    server.enqueue({ content: '  return b;' });
    const source = new ModelSuggestionSource(makeHarness(server).service);
    const next = atNextLine(requestAt('function f() {\n  a();|\n}\n', 'single'));
    assert.equal(next.prompt.prefix, 'function f() {\n  a();\n');
    assert.equal(next.prompt.suffix, '\n}\n', 'the line break after the line stays after the cursor');
    assert.equal(next.prompt.mode, 'multi');
    assert.deepEqual([next.cursor.linesAbove.at(-1), next.cursor.linePrefix, next.cursor.lineSuffix], ['  a();', '', '']);
    // The model writes the indentation itself; nothing is doubled or cut.
    assert.equal(await source.fetch(next, new AbortController().signal, () => {}), '  return b;');
  });
});
