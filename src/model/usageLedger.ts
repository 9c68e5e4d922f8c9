/**
 * Where every request's usage goes. This in-memory ledger keeps the recent records and tells
 * listeners (status bar, log, tests); persistence and budgets build on it.
 */
import type { RequestUsage } from './types';

export interface UsageSink {
  record(usage: RequestUsage): void;
}

export class UsageLedger implements UsageSink {
  private readonly records: RequestUsage[] = [];
  private readonly listeners = new Set<(usage: RequestUsage) => void>();

  constructor(private readonly capacity = 1000) {}

  record(usage: RequestUsage): void {
    this.records.push(usage);
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length - this.capacity);
    for (const listener of this.listeners) listener(usage);
  }

  /** The most recent records, oldest first. */
  recent(): readonly RequestUsage[] {
    return this.records;
  }

  onRecord(listener: (usage: RequestUsage) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
