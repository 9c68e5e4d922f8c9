/**
 * The status bar item with today's spend. Its tooltip breaks the day down by feature (requests,
 * tokens, cost), with the prompt-cache hit rate and the budgets; clicking it opens the usage view.
 * It sits beside Kestrel's own item, which keeps showing the completion state.
 */
import * as vscode from 'vscode';
import { cacheHitRate, featuresIn } from '../../core/usage/usageRollup';
import { describeBudget, type BudgetState } from '../../core/usage/budget';
import { featureLabel, type UsageSummary } from '../../shared/usageProtocol';
import { formatTokens, formatUsd } from '../../shared/format';

export class UsageStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('kestrel.usage', vscode.StatusBarAlignment.Right, 99);
    this.item.name = 'Kestrel Usage';
    this.item.command = 'kestrel.showUsage';
    this.show({ total: { requests: 0, promptTokens: 0, cachedPromptTokens: 0, completionTokens: 0, imageTokens: 0, usd: 0 }, byFeature: {} }, []);
    this.item.show();
  }

  /** What the item shows (the integration tests read it). */
  get text(): string {
    return this.item.text;
  }

  show(today: UsageSummary, budgets: readonly BudgetState[]): void {
    const spent = formatUsd(today.total.usd);
    this.item.text = `$(graph) ${spent}`;
    const worst = budgets.find((b) => b.level === 'reached') ?? budgets.find((b) => b.level === 'warning');
    this.item.backgroundColor = worst ? new vscode.ThemeColor(worst.level === 'reached' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground') : undefined;
    this.item.tooltip = tooltip(today, budgets);
    this.item.accessibilityInformation = {
      label: `Spent with Kestrel today: ${spent} in ${today.total.requests} requests${worst ? `; ${describeBudget(worst, formatUsd)}` : ''}. Click to show usage.`,
    };
  }

  dispose(): void {
    this.item.dispose();
  }
}

function tooltip(today: UsageSummary, budgets: readonly BudgetState[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: ['kestrel.showUsage', 'kestrel.openSettings'] };
  md.appendMarkdown(`**Kestrel today: ${formatUsd(today.total.usd)}**\n\n`);
  const features = featuresIn(today);
  if (features.length === 0) {
    md.appendMarkdown('No requests yet today.\n\n');
  } else {
    md.appendMarkdown('| | Requests | Tokens in | Cached | Out | Cost |\n|:--|--:|--:|--:|--:|--:|\n');
    for (const feature of features) {
      const t = today.byFeature[feature]!;
      md.appendMarkdown(`| ${featureLabel(feature)} | ${t.requests} | ${formatTokens(t.promptTokens)} | ${percent(cacheHitRate(t))} | ${formatTokens(t.completionTokens)} | ${formatUsd(t.usd)} |\n`);
    }
    const t = today.total;
    md.appendMarkdown(`| **Total** | **${t.requests}** | **${formatTokens(t.promptTokens)}** | **${percent(cacheHitRate(t))}** | **${formatTokens(t.completionTokens)}** | **${formatUsd(t.usd)}** |\n\n`);
    md.appendMarkdown(`Prompt cache hit rate ${percent(cacheHitRate(t))} across ${t.requests} request${t.requests === 1 ? '' : 's'}.\n\n`);
  }
  for (const budget of budgets) md.appendMarkdown(`${budget.level === 'ok' ? '$(check)' : '$(warning)'} ${describeBudget(budget, formatUsd)}\n\n`);
  md.appendMarkdown('[$(graph) Show Usage](command:kestrel.showUsage)');
  return md;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
