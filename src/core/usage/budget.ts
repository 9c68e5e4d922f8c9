/**
 * Budgets as states: each active limit (daily, monthly; 0 is off) is `ok`, `warning` (80% spent)
 * or `reached` (100%). What the user is told is decided from changes of state, once per period,
 * so a warning is not repeated on every request. Reaching a limit pauses inline completions and
 * makes the chat ask before each request, until the limit is raised or the period ends.
 */
import type { BudgetLevel, BudgetView } from '../../shared/usageProtocol';
import { dayKey, monthKey, startOfNextDay, startOfNextMonth } from './usagePeriods';

export const WARNING_SHARE = 0.8;

export interface BudgetLimits {
  /** US dollars per local day; 0 is no limit. */
  dailyUsd: number;
  /** US dollars per calendar month; 0 is no limit. */
  monthlyUsd: number;
}

export type { BudgetLevel } from '../../shared/usageProtocol';

/** One active limit: `committedUsd` is what is spent (plus, for admission, what is reserved). */
export interface BudgetState extends BudgetView {
  /** `2026-11-27` or `2026-11`: identifies the period, so alerts are once per period. */
  periodKey: string;
}

export function levelOf(committedUsd: number, limitUsd: number): BudgetLevel {
  if (limitUsd <= 0) return 'ok';
  if (committedUsd >= limitUsd) return 'reached';
  return committedUsd >= limitUsd * WARNING_SHARE ? 'warning' : 'ok';
}

/** The state of each active limit, daily first. */
export function budgetStates(limits: BudgetLimits, committed: { day: number; month: number }, now: number): BudgetState[] {
  const states: BudgetState[] = [];
  if (limits.dailyUsd > 0) {
    states.push({ period: 'day', periodKey: dayKey(now), limitUsd: limits.dailyUsd, committedUsd: committed.day, level: levelOf(committed.day, limits.dailyUsd), resetsAt: startOfNextDay(now) });
  }
  if (limits.monthlyUsd > 0) {
    states.push({ period: 'month', periodKey: monthKey(now), limitUsd: limits.monthlyUsd, committedUsd: committed.month, level: levelOf(committed.month, limits.monthlyUsd), resetsAt: startOfNextMonth(now) });
  }
  return states;
}

/** The limit that stops requests now (daily before monthly), if any. */
export function reachedBudget(states: readonly BudgetState[]): BudgetState | undefined {
  return states.find((state) => state.level === 'reached');
}

/**
 * The states the user has not yet been told about in this period. `told` holds keys of alerts
 * already shown (`day:2026-11-27:warning`); a limit that jumps straight to `reached` skips the
 * warning. The caller adds the returned keys to `told`.
 */
export function newAlerts(states: readonly BudgetState[], told: ReadonlySet<string>): { key: string; state: BudgetState }[] {
  return states
    .filter((state) => state.level !== 'ok')
    .map((state) => ({ key: alertKey(state), state }))
    .filter(({ key }) => !told.has(key));
}

export function alertKey(state: BudgetState): string {
  return `${state.period}:${state.periodKey}:${state.level}:${state.limitUsd}`;
}

/** "Daily budget of $1.00 reached ($1.02 spent)". */
export function describeBudget(state: BudgetState, formatUsd: (usd: number) => string): string {
  const name = state.period === 'day' ? 'Daily' : 'Monthly';
  const spent = `${formatUsd(state.committedUsd)} spent`;
  return state.level === 'reached'
    ? `${name} budget of ${formatUsd(state.limitUsd)} reached (${spent})`
    : `${name} budget: ${Math.floor((state.committedUsd / state.limitUsd) * 100)}% of ${formatUsd(state.limitUsd)} used (${spent})`;
}
