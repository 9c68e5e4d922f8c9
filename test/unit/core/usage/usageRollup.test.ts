import * as assert from 'node:assert/strict';
import { cacheHitRate, dailyUsage, mergeSummaries, summarize } from '../../../../src/core/usage/usageRollup';
import { dayKey, lastDays, monthKey, startOfDay, startOfNextDay } from '../../../../src/core/usage/usagePeriods';
import { usageRecord } from './fixtures';

const at = (day: number, hour: number, minute = 0) => new Date(2026, 10, day, hour, minute).getTime();

describe('usage rollups', () => {
  it('sums by feature, with tokens, cached tokens, image tokens and requests', () => {
    const summary = summarize([
      usageRecord({ feature: 'completion', promptTokens: 800, cachedPromptTokens: 512, completionTokens: 20, usd: 0.0001 }),
      usageRecord({ feature: 'completion', promptTokens: 900, cachedPromptTokens: 768, completionTokens: 30, usd: 0.0002 }),
      usageRecord({ feature: 'vision', promptTokens: 26_000, imageTokens: 25_501, completionTokens: 300, usd: 0.004 }),
    ]);
    assert.deepEqual(summary.byFeature.completion, { requests: 2, promptTokens: 1700, cachedPromptTokens: 1280, completionTokens: 50, imageTokens: 0, usd: 0.0001 + 0.0002 });
    assert.equal(summary.byFeature.vision?.imageTokens, 25_501);
    assert.equal(summary.byFeature.chat, undefined, 'features without requests are left out');
    assert.equal(summary.total.requests, 3);
    assert.equal(summary.total.promptTokens, 27_700);
    assert.equal(cacheHitRate(summary.total), 1280 / 27_700);
    assert.equal(cacheHitRate(summary.byFeature.completion!), 1280 / 1700);
  });

  it('puts requests on the local day they started, midnight belonging to the new day', () => {
    const records = [
      usageRecord({ at: at(26, 23, 59), usd: 1 }),
      usageRecord({ at: at(27, 0, 0), usd: 2 }),
      usageRecord({ at: at(27, 23, 59), usd: 4, feature: 'chat' }),
      usageRecord({ at: at(28, 0, 1), usd: 8 }),
    ];
    const days = dailyUsage(records, at(27, 12), 3);
    assert.deepEqual(days.map((d) => d.day), ['2026-11-25', '2026-11-26', '2026-11-27']);
    assert.deepEqual(days.map((d) => d.total.usd), [0, 1, 6]);
    assert.equal(days[2].byFeature.chat?.usd, 4);
    assert.equal(days[2].byFeature.completion?.usd, 2);
    assert.equal(summarize(records, startOfDay(at(27, 12)), startOfNextDay(at(27, 12))).total.usd, 6);
  });

  it('counts days and months across month ends and DST changes', () => {
    assert.deepEqual(lastDays(new Date(2026, 2, 2, 9).getTime(), 3), ['2026-02-28', '2026-03-01', '2026-03-02']);
    assert.equal(monthKey(new Date(2026, 0, 31, 23, 59).getTime()), '2026-01');
    assert.equal(dayKey(new Date(2026, 11, 31, 23, 59, 59).getTime()), '2026-12-31');
    // A day is midnight to midnight, however long it is.
    const march29 = new Date(2026, 2, 29, 12).getTime();
    assert.equal(dayKey(startOfNextDay(march29)), '2026-03-30');
    assert.equal(new Date(startOfNextDay(march29)).getHours(), 0);
  });

  it('merges per-day summaries into a month without changing them', () => {
    const a = summarize([usageRecord({ usd: 1, feature: 'chat' })]);
    const b = summarize([usageRecord({ usd: 2, feature: 'chat' }), usageRecord({ usd: 4, feature: 'explain' })]);
    const merged = mergeSummaries([a, undefined, b]);
    assert.equal(merged.total.usd, 7);
    assert.equal(merged.byFeature.chat?.requests, 2);
    assert.equal(a.total.usd, 1, 'the parts are not modified');
  });
});
