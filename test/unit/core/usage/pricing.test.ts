import * as assert from 'node:assert/strict';
import { costOf, DEFAULT_PRICES_PER_MILLION, priceOf, priceTable } from '../../../../src/core/pricing';
import { parseSettings } from '../../../../src/core/settings';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);

describe('pricing with a price table', () => {
  it("charges GPT-4o mini's published prices, cached prompt tokens at half", () => {
    // 10,000 prompt tokens of which 4,096 cached, 500 out:
    // 5,904 x $0.15/M + 4,096 x $0.075/M + 500 x $0.60/M
    close(costOf('gpt-4o-mini', { promptTokens: 10_000, cachedPromptTokens: 4096, completionTokens: 500 }), 0.0008856 + 0.0003072 + 0.0003);
    close(costOf('gpt-4o-mini-2024-07-18', { promptTokens: 1_000_000, completionTokens: 0 }), 0.15);
    close(costOf('gpt-4o-mini', { promptTokens: 1_000_000, cachedPromptTokens: 1_000_000, completionTokens: 0 }), 0.075);
  });

  it('never charges more cached tokens than prompt tokens (a server that reports nonsense)', () => {
    close(costOf('gpt-4o-mini', { promptTokens: 100, cachedPromptTokens: 500, completionTokens: 0 }), 100 * 0.075e-6);
  });

  it('matches the longest prefix, and a gateway name like openai/gpt-4o-mini', () => {
    const table = priceTable(DEFAULT_PRICES_PER_MILLION);
    assert.equal(priceOf('gpt-4o-2024-08-06', table)?.output, 10e-6);
    assert.equal(priceOf('gpt-4o-mini-2024-07-18', table)?.output, 0.6e-6);
    assert.equal(priceOf('openai/gpt-4o-mini', table)?.input, 0.15e-6);
    assert.equal(priceOf('GPT-4o-Mini', table)?.input, 0.15e-6);
    assert.equal(priceOf('llama3.1:8b', table), undefined);
  });

  it('uses prices from the settings: other models, local ones at zero, edited defaults', () => {
    const { settings, problems } = parseSettings(
      (key) =>
        ({
          prices: {
            'gpt-4o-mini': { input: 0.3, cachedInput: 0.1, output: 1.2 },
            'qwen2.5-coder': { input: 0, output: 0 },
            'my-gateway/': { input: 1, output: 2 },
          },
        })[key],
    );
    assert.deepEqual(problems, []);
    close(costOf('gpt-4o-mini', { promptTokens: 1e6, cachedPromptTokens: 5e5, completionTokens: 1e6 }, settings.prices), 0.15 + 0.05 + 1.2);
    assert.equal(costOf('qwen2.5-coder:7b', { promptTokens: 1e6, completionTokens: 1e6 }, settings.prices), 0);
    assert.ok(priceOf('qwen2.5-coder:7b', settings.prices), 'a local model is priced (at zero), not unknown');
    // Without cachedInput, cached tokens cost the input price.
    close(costOf('my-gateway/llama', { promptTokens: 1e6, cachedPromptTokens: 1e6, completionTokens: 0 }, settings.prices), 1);
  });

  it('ignores a malformed price and says so, keeping the others', () => {
    const { settings, problems } = parseSettings((key) => ({ prices: { good: { input: 1, output: 1 }, bad: { input: 'cheap', output: -1 } } })[key]);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /"bad"/);
    assert.ok(priceOf('good', settings.prices));
    assert.equal(priceOf('bad', settings.prices), undefined);
  });

  it('reads budgets, 0 being off, and refuses negative ones', () => {
    assert.deepEqual(parseSettings(() => undefined).settings.budget, { dailyUsd: 0, monthlyUsd: 0 });
    const { settings, problems } = parseSettings((key) => ({ 'budget.dailyUsd': 2.5, 'budget.monthlyUsd': -1 })[key]);
    assert.deepEqual(settings.budget, { dailyUsd: 2.5, monthlyUsd: 0 });
    assert.equal(problems.length, 1);
  });
});
