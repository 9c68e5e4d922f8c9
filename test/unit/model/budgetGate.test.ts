// Budgets at the model service's choke point: a request is let through while spent plus reserved
// is under the limit, reserves its projected cost until its usage is recorded, and over the limit
// completions are refused while chat requests ask first.
import * as assert from 'node:assert/strict';
import { startOpenAiTestServer, type OpenAiTestServer } from '../../fakes/openaiTestServer';
import type { BudgetLimits, BudgetState } from '../../../src/core/usage/budget';
import { BudgetGuard } from '../../../src/model/budgetGate';
import type { KestrelError } from '../../../src/model/errors';
import { ModelService } from '../../../src/model/modelService';
import type { Feature, RequestUsage } from '../../../src/model/types';
import { UsageLedger } from '../../../src/model/usageLedger';
import { pngBytes } from '../../support/imageFixtures';
import { ask, collect, RecordingLogger, settingsFor } from './serviceHarness';

function spend(ledger: UsageLedger, usd: number, feature: Feature = 'completion'): void {
  const usage: RequestUsage = { feature, model: 'gpt-4o-mini', promptTokens: 1, cachedPromptTokens: 0, completionTokens: 1, imageTokens: 0, latencyMs: 1, firstTokenMs: undefined, outcome: 'ok', estimated: false, at: Date.now(), usd };
  ledger.record(usage);
}

function guard(limits: BudgetLimits, confirm: (state: BudgetState, feature: Feature) => Promise<boolean> = async () => false) {
  const ledger = new UsageLedger();
  const asked: { state: BudgetState; feature: Feature }[] = [];
  const gate = new BudgetGuard({ ledger, limits: () => limits, confirm: (state, feature) => (asked.push({ state, feature }), confirm(state, feature)) });
  return { ledger, gate, asked };
}

const refusal = async (promise: Promise<unknown>): Promise<KestrelError> => {
  try {
    await promise;
  } catch (error) {
    return error as KestrelError;
  }
  throw new Error('the request was let through');
};

describe('budget gate', () => {
  it('lets requests through under the limit and refuses completions once spent plus reserved reaches it', async () => {
    const { ledger, gate } = guard({ dailyUsd: 1, monthlyUsd: 0 });
    spend(ledger, 0.5);
    const first = await gate.admit({ feature: 'completion', projectedUsd: () => 0.6 });
    assert.equal(gate.blocking()?.committedUsd, 1.1, 'the reservation counts while the request is out');
    const error = await refusal(gate.admit({ feature: 'completion', projectedUsd: () => 0.01 }));
    assert.equal(error.kind, 'budget');
    assert.match(error.message, /^Daily budget of \$1\.00 reached \(\$1\.10 spent\): inline completions are paused\.$/);
    // The usage arrives (cheaper than projected) and the reservation is settled.
    spend(ledger, 0.2);
    first.release();
    first.release();
    assert.equal(gate.blocking(), undefined);
    assert.deepEqual(gate.states().map((s) => [s.level, Number(s.committedUsd.toFixed(6))]), [['ok', 0.7]]);
    await gate.admit({ feature: 'completion', projectedUsd: () => 0.01 });
  });

  it('is overshot by at most one request when many start at once', async () => {
    const { gate } = guard({ dailyUsd: 1, monthlyUsd: 0 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => gate.admit({ feature: 'completion', projectedUsd: () => 0.3 })));
    // 0 + 0.3 + 0.3 + 0.3 = 0.9 < 1 lets a fourth through; it ends at 1.2, within one request of the limit.
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 4);
    assert.ok(results.filter((r) => r.status === 'rejected').every((r) => (r.reason as KestrelError).kind === 'budget'));
  });

  it('asks before a chat request over budget: declined is not sent, accepted is', async () => {
    let answer = false;
    const { ledger, gate, asked } = guard({ dailyUsd: 0, monthlyUsd: 5 }, async () => answer);
    spend(ledger, 5.01, 'chat');
    const error = await refusal(gate.admit({ feature: 'chat', projectedUsd: () => 0.01 }));
    assert.equal(error.kind, 'budget');
    assert.match(error.message, /Monthly budget of \$5\.00 reached \(\$5\.01 spent\)\. The question was not sent\./);
    answer = true;
    await gate.admit({ feature: 'explain', projectedUsd: () => 0.01 });
    assert.deepEqual(asked.map((a) => [a.feature, a.state.period]), [['chat', 'month'], ['explain', 'month']]);
    // A connection test is a few tokens the user asked for explicitly.
    await gate.admit({ feature: 'connection-test', projectedUsd: () => 0.0001 });
    assert.equal(asked.length, 2);
  });

  it('says once per model when a budget is set but the model has no price to count', async () => {
    const ledger = new UsageLedger();
    const told: string[] = [];
    let limits: BudgetLimits = { dailyUsd: 0, monthlyUsd: 0 };
    const gate = new BudgetGuard({ ledger, limits: () => limits, confirm: async () => true, onUnpricedModel: (model) => told.push(model) });
    await gate.admit({ feature: 'chat', projectedUsd: () => 0, unpricedModel: 'gpt-4' });
    assert.deepEqual(told, [], 'no budget, nothing to warn about');
    limits = { dailyUsd: 5, monthlyUsd: 0 };
    for (const model of ['gpt-4', 'gpt-4', undefined, 'o3']) await gate.admit({ feature: 'chat', projectedUsd: () => 0, unpricedModel: model });
    assert.deepEqual(told, ['gpt-4', 'o3']);
  });

  it('costs nothing and asks nothing without limits', async () => {
    const { ledger, gate, asked } = guard({ dailyUsd: 0, monthlyUsd: 0 });
    spend(ledger, 1000);
    let projected = false;
    await gate.admit({ feature: 'completion', projectedUsd: () => ((projected = true), 1) });
    assert.equal(projected, false, 'no estimate is made');
    assert.deepEqual(gate.states(), []);
    assert.equal(asked.length, 0);
  });

  describe('in the model service', function () {
    this.timeout(10_000);
    let server: OpenAiTestServer;
    beforeEach(async () => {
      server = await startOpenAiTestServer({ apiKey: 'sk-test-key' });
    });
    afterEach(() => server.close());

    it('tells the user once that a model without a price escapes the budget, and still sends', async () => {
      const settings = settingsFor(server, { 'chat.model': 'gpt-4-0613', 'budget.dailyUsd': 1 });
      const told: string[] = [];
      const gate = new BudgetGuard({ ledger: new UsageLedger(), limits: () => settings.budget, confirm: async () => false, onUnpricedModel: (model) => told.push(model) });
      const service = new ModelService({ settings: () => settings, apiKey: async () => 'sk-test-key', usage: new UsageLedger(), budget: gate, log: new RecordingLogger() });
      server.setDefault({ content: 'Hello.' });
      for (let i = 0; i < 2; i++) assert.equal((await collect(service, ask('hi', 'chat'))).error, undefined);
      assert.equal(server.requests.length, 2);
      assert.deepEqual(told, ['gpt-4-0613']);
      await collect(service, ask('const y = ', 'completion'));
      assert.deepEqual(told, ['gpt-4-0613'], 'gpt-4o-mini has a price');
    });

    it('pauses completions after a budget of one request, without sending the next one', async () => {
      // Expensive prices so one small request is a visible sum.
      const settings = settingsFor(server, { prices: { 'gpt-4o-mini': { input: 100, cachedInput: 50, output: 400 } }, 'budget.dailyUsd': 0.001 });
      const ledger = new UsageLedger();
      const gate = new BudgetGuard({ ledger, limits: () => settings.budget, confirm: async () => false });
      const service = new ModelService({ settings: () => settings, apiKey: async () => 'sk-test-key', usage: ledger, budget: gate, log: new RecordingLogger() });
      server.setDefault({ content: 'x + 1;' });

      const first = await collect(service, ask('const y = ', 'completion'));
      assert.equal(first.error, undefined);
      assert.equal(server.requests.length, 1);
      const [record] = ledger.recent();
      const reported = server.requests[0].usage!;
      const cached = reported.prompt_tokens_details?.cached_tokens ?? 0;
      const expected = ((reported.prompt_tokens - cached) * 100 + cached * 50 + reported.completion_tokens * 400) / 1e6;
      assert.ok(Math.abs(record.usd - expected) < 1e-12, `priced from the settings table: ${record.usd} != ${expected}`);
      assert.ok(record.usd >= 0.001, `one request (${record.usd}) uses the budget up`);
      assert.equal(gate.blocking()?.level, 'reached');

      const second = await collect(service, ask('const z = ', 'completion'));
      assert.equal(second.error?.kind, 'budget');
      assert.equal(server.requests.length, 1, 'the refused request never left');
      assert.equal(ledger.recent().length, 1, 'and costs nothing');
    });

    it('releases the reservation when a request fails', async () => {
      const settings = settingsFor(server, { 'budget.dailyUsd': 1 });
      const ledger = new UsageLedger();
      const gate = new BudgetGuard({ ledger, limits: () => settings.budget, confirm: async () => false });
      const service = new ModelService({ settings: () => settings, apiKey: async () => 'sk-test-key', usage: ledger, budget: gate, log: new RecordingLogger() });
      server.enqueue({ status: 500 });
      const failed = await collect(service, ask('hi', 'completion'));
      assert.equal(failed.error?.kind, 'server');
      assert.equal(gate.states(true)[0].committedUsd, gate.states(false)[0].committedUsd, 'nothing stays reserved');
    });

    it('accounts a chat request carrying an image as vision, with its image tokens', async () => {
      const settings = settingsFor(server);
      const ledger = new UsageLedger();
      const service = new ModelService({ settings: () => settings, apiKey: async () => 'sk-test-key', usage: ledger, log: new RecordingLogger() });
      const url = `data:image/png;base64,${pngBytes(1024, 576).toString('base64')}`;
      await collect(service, { feature: 'chat', messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url, detail: 'high' } }] }] });
      await collect(service, ask('And now without an image'));
      const [withImage, without] = ledger.recent();
      assert.equal(withImage.feature, 'vision');
      assert.equal(withImage.imageTokens, 2833 + 4 * 5667, 'a 1024x576 image at high detail is 4 tiles');
      assert.equal(without.feature, 'chat');
      assert.equal(without.imageTokens, 0);
    });
  });
});
