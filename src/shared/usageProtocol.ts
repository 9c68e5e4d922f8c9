/**
 * The usage view's vocabulary, shared by the extension (which sums the ledger) and the usage
 * webview (which draws it): totals per feature and day, budget states, and the few messages the
 * two exchange. Messages from the webview are checked at runtime by `parseUsageViewMessage`.
 */

export const USAGE_FEATURES = ['completion', 'chat', 'explain', 'vision', 'connection-test'] as const;
export type UsageFeature = (typeof USAGE_FEATURES)[number];

const FEATURE_LABELS: Record<UsageFeature, string> = {
  completion: 'Completions',
  chat: 'Chat',
  explain: 'Explain',
  vision: 'Images',
  'connection-test': 'Connection tests',
};

export function featureLabel(feature: UsageFeature): string {
  return FEATURE_LABELS[feature];
}

export interface UsageTotals {
  requests: number;
  promptTokens: number;
  cachedPromptTokens: number;
  completionTokens: number;
  /** Estimated from the images' sizes; part of `promptTokens`. */
  imageTokens: number;
  usd: number;
}

export interface UsageSummary {
  total: UsageTotals;
  /** Only features that had requests. */
  byFeature: Partial<Record<UsageFeature, UsageTotals>>;
}

export interface DayUsage extends UsageSummary {
  /** Local day, `2026-11-27`. */
  day: string;
}

export type BudgetLevel = 'ok' | 'warning' | 'reached';

export interface BudgetView {
  period: 'day' | 'month';
  limitUsd: number;
  committedUsd: number;
  level: BudgetLevel;
  resetsAt: number;
}

export interface UsageViewData {
  /** The last 30 local days, oldest first, today last. */
  days: DayUsage[];
  month: UsageSummary;
  budgets: BudgetView[];
  /** Models used whose price is unknown (counted as $0). */
  unpricedModels: string[];
}

export type HostToUsageView = { type: 'usage'; data: UsageViewData } | { type: 'exported'; message: string };

export type UsageViewToHost =
  | { type: 'ready' }
  | { type: 'exportCsv' }
  | { type: 'openSetting'; setting: 'kestrel.budget.dailyUsd' | 'kestrel.budget.monthlyUsd' | 'kestrel.prices' };

const SETTINGS = ['kestrel.budget.dailyUsd', 'kestrel.budget.monthlyUsd', 'kestrel.prices'];

/** The message, if `raw` is one the usage view may send; undefined otherwise. */
export function parseUsageViewMessage(raw: unknown): UsageViewToHost | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const message = raw as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'exportCsv':
      return { type: message.type };
    case 'openSetting':
      return typeof message.setting === 'string' && SETTINGS.includes(message.setting)
        ? { type: 'openSetting', setting: message.setting as 'kestrel.prices' }
        : undefined;
    default:
      return undefined;
  }
}
