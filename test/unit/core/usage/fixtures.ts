// Usage records for the usage tests: defaults that read as a typical GPT-4o mini request.
import type { UsageRecord } from '../../../../src/core/usage/usageRecord';

let next = 0;

export function usageRecord(overrides: Partial<UsageRecord> = {}): UsageRecord {
  next++;
  return {
    id: `r${next}-${Math.random().toString(36).slice(2)}`,
    at: new Date(2026, 10, 27, 10, 0).getTime(),
    feature: 'completion',
    model: 'gpt-4o-mini',
    promptTokens: 1000,
    cachedPromptTokens: 0,
    completionTokens: 100,
    imageTokens: 0,
    latencyMs: 400,
    firstTokenMs: 300,
    outcome: 'ok',
    estimated: false,
    usd: 0.00021,
    ...overrides,
  };
}
