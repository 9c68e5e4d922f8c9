/**
 * Wires usage and budgets into VS Code: loads the shared ledger after activation (never during it),
 * follows other windows' requests, keeps the status bar figure, the budget alerts, the completion
 * pause and the usage view current, and registers Show Usage and the CSV export.
 */
import * as vscode from 'vscode';
import { priceOf } from '../../core/pricing';
import { usageCsv } from '../../core/usage/usageCsv';
import { dayKey, startOfNextDay } from '../../core/usage/usagePeriods';
import type { SettingsStore } from '../../host/configuration';
import type { BudgetGuard } from '../../model/budgetGate';
import type { UsageLedger } from '../../model/usageLedger';
import type { UsageStore } from '../../model/usageStore';
import type { UsageViewData } from '../../shared/usageProtocol';
import type { BudgetAlerts } from './budgetAlerts';
import { UsagePanel } from './usagePanel';
import { UsageStatusItem } from './usageStatusItem';

const CHART_DAYS = 30;

export interface UsageDeps {
  extensionUri: vscode.Uri;
  settings: SettingsStore;
  ledger: UsageLedger;
  store: UsageStore;
  guard: BudgetGuard;
  alerts: BudgetAlerts;
  log: vscode.LogOutputChannel;
  /** Told when the budget state may have changed (the completion switch refreshes its status). */
  budgetChanged: () => void;
}

export function registerUsage(deps: UsageDeps): { statusItem: UsageStatusItem; panel: UsagePanel; disposables: vscode.Disposable[] } {
  const { ledger, guard, settings } = deps;
  const statusItem = new UsageStatusItem();
  const panel = new UsagePanel(deps.extensionUri, () => viewData(deps), () => exportCsv(deps), deps.log);

  const refresh = () => {
    statusItem.show(ledger.today(), guard.states());
    deps.budgetChanged();
    panel.update();
  };
  const spent = () => {
    refresh();
    deps.alerts.check(guard.states());
  };

  // "Today" ends at local midnight even when nothing happens.
  let midnight: ReturnType<typeof setTimeout> | undefined;
  const scheduleMidnight = () => {
    clearTimeout(midnight);
    midnight = setTimeout(() => {
      refresh();
      scheduleMidnight();
    }, startOfNextDay(Date.now()) - Date.now() + 1000);
  };
  scheduleMidnight();

  let watcher: { dispose(): void } | undefined;
  let disposed = false;
  // After activation has returned: the first file read also loads Node's fs/promises (about 2 ms).
  const loading = setTimeout(() => {
    void ledger.load().then(
      () => {
        if (disposed) return;
        spent();
        watcher = deps.store.watch(() => void ledger.sync().catch((error: Error) => deps.log.warn(`Could not read usage: ${error.message}`)));
      },
      (error: Error) => deps.log.error(`Could not load usage: ${error.message}`),
    );
  }, 0);

  const disposables: vscode.Disposable[] = [
    statusItem,
    panel,
    ledger.onChange(spent),
    guard.onChange(refresh),
    settings.onDidChange(spent),
    { dispose: () => ((disposed = true), clearTimeout(loading), clearTimeout(midnight), watcher?.dispose()) },
    vscode.commands.registerCommand('kestrel.showUsage', () => panel.show()),
    vscode.commands.registerCommand('kestrel.exportUsage', () => exportCsv(deps)),
  ];
  return { statusItem, panel, disposables };
}

function viewData(deps: UsageDeps): UsageViewData {
  const { ledger, guard, settings } = deps;
  const prices = settings.settings.prices;
  const unpriced = new Set(ledger.recent().filter((r) => r.usd === 0 && !priceOf(r.model, prices)).map((r) => r.model));
  return { days: ledger.lastDays(CHART_DAYS), month: ledger.thisMonth(), budgets: guard.states(), unpricedModels: [...unpriced].sort() };
}

/** Asks where to save and writes one CSV row per request kept on disk; returns what happened. */
async function exportCsv(deps: UsageDeps): Promise<string | undefined> {
  await deps.ledger.flushed();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `kestrel-usage-${dayKey(Date.now())}.csv`;
  const target = await vscode.window.showSaveDialog({
    title: 'Export Kestrel Usage',
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: { 'CSV files': ['csv'] },
    saveLabel: 'Export',
  });
  if (!target) return undefined;
  try {
    const records = await deps.store.readAll();
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(usageCsv(records)));
    const message = `Exported ${records.length} request${records.length === 1 ? '' : 's'} to ${vscode.workspace.asRelativePath(target)}.`;
    void vscode.window.showInformationMessage(`Kestrel: ${message}`);
    return message;
  } catch (error) {
    const message = `Could not export usage: ${(error as Error).message}`;
    void vscode.window.showErrorMessage(`Kestrel: ${message}`);
    return message;
  }
}
