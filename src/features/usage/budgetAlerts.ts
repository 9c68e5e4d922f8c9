/**
 * What the user is told about budgets: a warning at 80% and a notice at 100%, once per limit and
 * period (remembered across windows and restarts in global state), each with "Raise Limit"; and
 * the modal question before a chat request over budget.
 */
import * as vscode from 'vscode';
import { describeBudget, newAlerts, type BudgetState } from '../../core/usage/budget';
import { dayKey, monthKey } from '../../core/usage/usagePeriods';
import type { Feature } from '../../model/types';
import { formatUsd } from '../../shared/format';

const TOLD_KEY = 'kestrel.budget.alertsShown';
const RAISE = 'Raise Limit';
const SHOW = 'Show Usage';

export function settingOf(state: BudgetState): string {
  return state.period === 'day' ? 'kestrel.budget.dailyUsd' : 'kestrel.budget.monthlyUsd';
}

export function openSetting(setting: string): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', setting);
}

export class BudgetAlerts {
  constructor(private readonly globalState: vscode.Memento) {}

  /** Shows the warnings the user has not seen yet for `states` (spent, not reserved). */
  check(states: readonly BudgetState[]): void {
    const told = new Set(this.globalState.get<string[]>(TOLD_KEY, []));
    const alerts = newAlerts(states, told);
    if (alerts.length === 0) return;
    // Only this period's keys are kept, so the list stays short.
    const now = Date.now();
    const current = [...told, ...alerts.map((a) => a.key)].filter((key) => key.includes(`:${dayKey(now)}:`) || key.includes(`:${monthKey(now)}:`));
    void this.globalState.update(TOLD_KEY, current);
    // One message: the most severe new alert (a limit reached says more than a warning).
    const { state } = alerts.find((a) => a.state.level === 'reached') ?? alerts[0];
    const text =
      state.level === 'reached'
        ? `Kestrel: ${describeBudget(state, formatUsd)}. Inline completions are paused and the chat asks before each request until ${state.period === 'day' ? 'tomorrow' : 'next month'} or until you raise the limit.`
        : `Kestrel: ${describeBudget(state, formatUsd)}.`;
    const shown = state.level === 'reached' ? vscode.window.showWarningMessage(text, RAISE, SHOW) : vscode.window.showInformationMessage(text, RAISE, SHOW);
    void shown.then((choice) => {
      if (choice === RAISE) void openSetting(settingOf(state));
      else if (choice === SHOW) void vscode.commands.executeCommand('kestrel.showUsage');
    });
  }

  /** Asks before a chat, explain or image request over budget; true to send it anyway. */
  async confirm(state: BudgetState, feature: Feature): Promise<boolean> {
    const what = feature === 'explain' ? 'explanation' : 'question';
    const choice = await vscode.window.showWarningMessage(
      `${describeBudget(state, formatUsd)}. Send anyway?`,
      { modal: true, detail: `Kestrel asks before each request until ${state.period === 'day' ? 'tomorrow' : 'next month'} or until you raise the limit. If you do not send it, the ${what} stays in the chat and Retry sends it later.` },
      'Send Anyway',
      RAISE,
    );
    if (choice === RAISE) void openSetting(settingOf(state));
    return choice === 'Send Anyway';
  }
}
