/**
 * Sums of usage records: by feature for the status bar's tooltip, by local day and feature for the
 * usage view's chart and table. The ledger keeps one summary per local day and merges them
 * (`mergeSummaries`, `dailyFrom`); `summarize` and `dailyUsage` sum raw records.
 */
import { USAGE_FEATURES, type DayUsage, type UsageFeature, type UsageSummary, type UsageTotals } from '../../shared/usageProtocol';
import type { UsageRecord } from './usageRecord';
import { dayKey, lastDays } from './usagePeriods';

export type { DayUsage, UsageSummary, UsageTotals } from '../../shared/usageProtocol';

export function emptyTotals(): UsageTotals {
  return { requests: 0, promptTokens: 0, cachedPromptTokens: 0, completionTokens: 0, imageTokens: 0, usd: 0 };
}

function add(totals: UsageTotals, record: UsageRecord): void {
  addTotals(totals, record, 1);
}

/** Adds one record to `summary` in place. */
export function addToSummary(summary: UsageSummary, record: UsageRecord): void {
  add(summary.total, record);
  add((summary.byFeature[record.feature] ??= emptyTotals()), record);
}

/** Totals of the records with `from <= at < to`. */
export function summarize(records: Iterable<UsageRecord>, from = -Infinity, to = Infinity): UsageSummary {
  const summary: UsageSummary = { total: emptyTotals(), byFeature: {} };
  for (const record of records) if (record.at >= from && record.at < to) addToSummary(summary, record);
  return summary;
}

/** One entry per local day for the `days` days ending today, oldest first (days without requests too). */
export function dailyUsage(records: Iterable<UsageRecord>, now: number, days: number): DayUsage[] {
  const byDay = new Map<string, UsageSummary>();
  for (const record of records) {
    const key = dayKey(record.at);
    let summary = byDay.get(key);
    if (!summary) byDay.set(key, (summary = { total: emptyTotals(), byFeature: {} }));
    addToSummary(summary, record);
  }
  return dailyFrom(lastDays(now, days), byDay);
}

/** The entries for `days` from per-day summaries (a copy; days without requests are empty). */
export function dailyFrom(days: readonly string[], byDay: ReadonlyMap<string, UsageSummary>): DayUsage[] {
  return days.map((day) => ({ day, ...mergeSummaries([byDay.get(day)]) }));
}

/** The sum of several summaries, as a new summary. */
export function mergeSummaries(summaries: readonly (UsageSummary | undefined)[]): UsageSummary {
  const merged: UsageSummary = { total: emptyTotals(), byFeature: {} };
  for (const summary of summaries) {
    if (!summary) continue;
    addTotals(merged.total, summary.total);
    for (const [feature, totals] of Object.entries(summary.byFeature) as [UsageFeature, UsageTotals][]) {
      addTotals((merged.byFeature[feature] ??= emptyTotals()), totals);
    }
  }
  return merged;
}

/** Adds `from` into `into`; a single record counts as `requests` 1 (no copy: loading a month adds thousands). */
function addTotals(into: UsageTotals, from: Omit<UsageTotals, 'requests'>, requests = (from as UsageTotals).requests): void {
  into.requests += requests;
  into.promptTokens += from.promptTokens;
  into.cachedPromptTokens += from.cachedPromptTokens;
  into.completionTokens += from.completionTokens;
  into.imageTokens += from.imageTokens;
  into.usd += from.usd;
}

/** Share of prompt tokens served from the prompt cache (0 when there were none). */
export function cacheHitRate(totals: UsageTotals): number {
  return totals.promptTokens > 0 ? totals.cachedPromptTokens / totals.promptTokens : 0;
}

/** Features in display order, only those present in `summary`. */
export function featuresIn(summary: UsageSummary): UsageFeature[] {
  return USAGE_FEATURES.filter((feature) => summary.byFeature[feature] !== undefined);
}
