/**
 * Where every request's usage goes. The ledger gives each request an id, counts it at once (so
 * budgets see it before the disk does) and appends it to the shared file; it also takes in what
 * other windows append there, dropping records it already has. In memory it keeps totals per local
 * day for the last two months (enough for "today", "this month" and the 30-day chart), not the
 * records themselves, plus the most recent records for the log and tests.
 */
import { randomId } from '../core/randomId';
import { addToSummary, dailyFrom, emptyTotals, mergeSummaries, type DayUsage, type UsageSummary } from '../core/usage/usageRollup';
import type { UsageRecord } from '../core/usage/usageRecord';
import { dayKey, lastDays, startOfDay, startOfMonth, startOfNextDay } from '../core/usage/usagePeriods';
import type { Logger, RequestUsage } from './types';
import type { UsageStore } from './usageStore';

export interface UsageSink {
  record(usage: RequestUsage): void;
}

type Listener = () => void;

export class UsageLedger implements UsageSink {
  private readonly recentRecords: UsageRecord[] = [];
  private readonly seen = new Set<string>();
  private readonly days = new Map<string, UsageSummary>();
  private readonly changeListeners = new Set<Listener>();
  private loaded: Promise<string[]> | undefined;
  private writes: Promise<unknown> = Promise.resolve();
  private writeProblemShown = false;
  private lastDay: { from: number; to: number; key: string } | undefined;
  private readonly now: () => number;

  constructor(
    private readonly options: { store?: UsageStore; log?: Logger; onProblem?: (message: string) => void; now?: () => number; capacity?: number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Counts a request (at once) and appends it to the shared file (in the background). */
  record(usage: RequestUsage): void {
    const record: UsageRecord = { id: randomId(), ...usage };
    if (record.firstTokenMs === undefined) delete record.firstTokenMs;
    this.take(record);
    this.changed();
    const store = this.options.store;
    if (store) this.writes = this.writes.then(() => store.append(record)).catch((error: Error) => this.writeFailed(error));
  }

  /** Reads the shared file once (later calls wait for the same read); resolves with problems to show. */
  load(): Promise<string[]> {
    this.loaded ??= (async () => {
      if (!this.options.store) return [];
      const { records, problems } = await this.options.store.load();
      this.takeAll(records);
      for (const problem of problems) this.options.onProblem?.(problem);
      return problems;
    })();
    return this.loaded;
  }

  /** Takes in what other windows appended since the last look. */
  async sync(): Promise<void> {
    if (!this.options.store) return;
    await this.load();
    this.takeAll(await this.options.store.readNew());
  }

  /** Resolves once every record so far is on disk (tests, deactivation). */
  async flushed(): Promise<void> {
    await this.writes;
  }

  /** The most recent records of this window and others, oldest first. */
  recent(): readonly UsageRecord[] {
    return this.recentRecords.slice(-(this.options.capacity ?? 1000));
  }

  /** Totals of one local day (`2026-11-27`). */
  day(key: string): UsageSummary {
    return mergeSummaries([this.days.get(key)]);
  }

  today(): UsageSummary {
    return this.day(dayKey(this.now()));
  }

  /** Totals since the start of this calendar month. */
  thisMonth(): UsageSummary {
    const from = dayKey(startOfMonth(this.now()));
    return mergeSummaries([...this.days].filter(([key]) => key >= from).map(([, summary]) => summary));
  }

  /** One entry per day for the last `count` days, oldest first. */
  lastDays(count: number): DayUsage[] {
    return dailyFrom(lastDays(this.now(), count), this.days);
  }

  /** Told whenever the totals change (this window's requests, other windows', the first load). */
  onChange(listener: Listener): { dispose(): void } {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  private takeAll(records: readonly UsageRecord[]): void {
    let added = 0;
    for (const record of records) if (this.take(record)) added++;
    if (added > 0) this.changed();
  }

  private take(record: UsageRecord): boolean {
    if (this.seen.has(record.id)) return false;
    this.seen.add(record.id);
    this.recentRecords.push(record);
    // Trimmed in batches: trimming one at a time makes loading a big month quadratic.
    const capacity = this.options.capacity ?? 1000;
    if (this.recentRecords.length >= 2 * capacity) this.recentRecords.splice(0, this.recentRecords.length - capacity);
    const key = this.dayOf(record.at);
    let summary = this.days.get(key);
    if (!summary) this.days.set(key, (summary = { total: emptyTotals(), byFeature: {} }));
    addToSummary(summary, record);
    return true;
  }

  /** The local day of `at`; records come mostly in order, so the last day is remembered. */
  private dayOf(at: number): string {
    const last = this.lastDay;
    if (last && at >= last.from && at < last.to) return last.key;
    this.lastDay = { from: startOfDay(at), to: startOfNextDay(at), key: dayKey(at) };
    return this.lastDay.key;
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  private writeFailed(error: Error): void {
    this.options.log?.error(`Could not save usage: ${error.message}`);
    if (this.writeProblemShown) return;
    this.writeProblemShown = true;
    this.options.onProblem?.(`Kestrel could not save its usage figures (${error.message}); they are counted for this window only.`);
  }
}
