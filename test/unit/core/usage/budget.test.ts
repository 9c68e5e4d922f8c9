import * as assert from 'node:assert/strict';
import { alertKey, budgetStates, describeBudget, levelOf, newAlerts, reachedBudget } from '../../../../src/core/usage/budget';
import { formatUsd } from '../../../../src/shared/format';

const now = new Date(2026, 10, 27, 15).getTime();

describe('budget states', () => {
  it('is ok below 80%, a warning from 80%, reached at 100%, and off at 0', () => {
    assert.equal(levelOf(0.79, 1), 'ok');
    assert.equal(levelOf(0.8, 1), 'warning');
    assert.equal(levelOf(0.999, 1), 'warning');
    assert.equal(levelOf(1, 1), 'reached');
    assert.equal(levelOf(5, 0), 'ok');
    assert.deepEqual(budgetStates({ dailyUsd: 0, monthlyUsd: 0 }, { day: 100, month: 100 }, now), []);
  });

  it('checks the daily and the monthly limit, each resetting at its own period end', () => {
    const states = budgetStates({ dailyUsd: 1, monthlyUsd: 10 }, { day: 0.5, month: 10.2 }, now);
    assert.deepEqual(states.map((s) => [s.period, s.periodKey, s.level]), [['day', '2026-11-27', 'ok'], ['month', '2026-11', 'reached']]);
    assert.equal(states[0].resetsAt, new Date(2026, 10, 28).getTime());
    assert.equal(states[1].resetsAt, new Date(2026, 11, 1).getTime());
    assert.equal(reachedBudget(states)?.period, 'month');
    assert.equal(describeBudget(states[1], formatUsd), 'Monthly budget of $10.00 reached ($10.20 spent)');
    assert.equal(describeBudget(budgetStates({ dailyUsd: 1, monthlyUsd: 0 }, { day: 0.85, month: 0 }, now)[0], formatUsd), 'Daily budget: 85% of $1.00 used ($0.85 spent)');
  });

  it('alerts once per level and period: warning, then reached, then nothing until tomorrow or a new limit', () => {
    const told = new Set<string>();
    const step = (day: number, at = now, limit = 1) => {
      const alerts = newAlerts(budgetStates({ dailyUsd: limit, monthlyUsd: 0 }, { day, month: day }, at), told);
      for (const a of alerts) told.add(a.key);
      return alerts.map((a) => a.state.level);
    };
    assert.deepEqual(step(0.5), []);
    assert.deepEqual(step(0.85), ['warning']);
    assert.deepEqual(step(0.9), [], 'not repeated');
    assert.deepEqual(step(1.01), ['reached']);
    assert.deepEqual(step(1.5), [], 'not repeated');
    assert.deepEqual(step(1.5, now, 2), [], 'a raised limit is within budget again');
    assert.deepEqual(step(1.9, now, 2), ['warning'], 'a new limit warns anew');
    assert.deepEqual(step(0.9, new Date(2026, 10, 28, 9).getTime()), ['warning'], 'a new day warns anew');
  });

  it('jumps straight to reached when one request crosses both thresholds', () => {
    const alerts = newAlerts(budgetStates({ dailyUsd: 1, monthlyUsd: 0 }, { day: 1.2, month: 1.2 }, now), new Set());
    assert.deepEqual(alerts.map((a) => a.state.level), ['reached']);
    assert.equal(alertKey(alerts[0].state), 'day:2026-11-27:reached:1');
  });
});
