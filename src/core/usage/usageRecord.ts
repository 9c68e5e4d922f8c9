/**
 * One request's usage as the ledger keeps it: one JSON object per line of the ledger file. The
 * cost is stored as it was when the request was made, so a later price change does not rewrite
 * history. Lines come from disk and may be torn or hand-edited, so parsing checks every field.
 */

import { USAGE_FEATURES, type UsageFeature } from '../../shared/usageProtocol';

export type { UsageFeature } from '../../shared/usageProtocol';

export interface UsageRecord {
  /** Random; the same request seen twice (two windows reading one file) is counted once. */
  id: string;
  /** When the request started (ms since the epoch). */
  at: number;
  feature: UsageFeature;
  model: string;
  promptTokens: number;
  cachedPromptTokens: number;
  completionTokens: number;
  /** Prompt tokens taken by images, estimated from their sizes (the API does not split them). */
  imageTokens: number;
  latencyMs: number;
  firstTokenMs?: number;
  outcome: 'ok' | 'cancelled' | 'error';
  /** True when the server sent no usage and the tokens were estimated. */
  estimated: boolean;
  /** US dollars at the prices in force when the request was made. */
  usd: number;
}

/** One line of the ledger file, newline included. */
export function serializeUsage(record: UsageRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** The record on one line, or undefined when the line is not a valid record. */
export function parseUsageLine(line: string): UsageRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const r = value as Record<string, unknown>;
  const count = (key: string) => typeof r[key] === 'number' && Number.isFinite(r[key]) && (r[key] as number) >= 0;
  const valid =
    typeof r.id === 'string' && r.id.length > 0 &&
    ['at', 'promptTokens', 'cachedPromptTokens', 'completionTokens', 'imageTokens', 'latencyMs', 'usd'].every(count) &&
    (r.firstTokenMs === undefined || count('firstTokenMs')) &&
    (USAGE_FEATURES as readonly unknown[]).includes(r.feature) &&
    typeof r.model === 'string' &&
    (r.outcome === 'ok' || r.outcome === 'cancelled' || r.outcome === 'error') &&
    typeof r.estimated === 'boolean';
  if (!valid) return undefined;
  return {
    id: r.id as string,
    at: r.at as number,
    feature: r.feature as UsageFeature,
    model: r.model as string,
    promptTokens: r.promptTokens as number,
    cachedPromptTokens: r.cachedPromptTokens as number,
    completionTokens: r.completionTokens as number,
    imageTokens: r.imageTokens as number,
    latencyMs: r.latencyMs as number,
    ...(r.firstTokenMs !== undefined ? { firstTokenMs: r.firstTokenMs as number } : {}),
    outcome: r.outcome as UsageRecord['outcome'],
    estimated: r.estimated as boolean,
    usd: r.usd as number,
  };
}
