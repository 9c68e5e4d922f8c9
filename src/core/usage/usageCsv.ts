/**
 * The usage export: one row per request, RFC 4180 (comma separated, CRLF line ends, fields with a
 * comma, quote or line break in double quotes, quotes doubled). Times are ISO 8601 in UTC plus the
 * local day, so a spreadsheet can group by the same days the usage view shows.
 */
import type { UsageRecord } from './usageRecord';
import { dayKey } from './usagePeriods';

const COLUMNS = [
  'time_utc', 'local_day', 'feature', 'model', 'outcome', 'prompt_tokens', 'cached_prompt_tokens', 'completion_tokens',
  'image_tokens_estimated', 'tokens_estimated', 'latency_ms', 'first_token_ms', 'cost_usd', 'id',
] as const;

export function csvField(value: string | number | boolean | undefined): string {
  // A text starting like a formula (a model name from the endpoint, say) must stay text in a spreadsheet.
  const raw = value === undefined ? '' : String(value);
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole CSV document for `records`, oldest first. */
export function usageCsv(records: readonly UsageRecord[]): string {
  const rows = [...records].sort((a, b) => a.at - b.at).map((r) =>
    [
      new Date(r.at).toISOString(), dayKey(r.at), r.feature, r.model, r.outcome, r.promptTokens, r.cachedPromptTokens, r.completionTokens,
      r.imageTokens, r.estimated, r.latencyMs, r.firstTokenMs, r.usd.toFixed(8), r.id,
    ].map(csvField).join(','),
  );
  return [COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
