/// <reference lib="dom" />
/**
 * The usage view: today and this month at a glance, the budgets, a 30-day chart by feature and
 * the daily totals as a table. Everything is rebuilt from each `usage` message (a few hundred
 * nodes), which keeps it simple and live: the host sends new figures as requests are recorded.
 */
import { createDom, type Dom } from '../chat/dom';
import { formatTokens, formatUsd } from '../../src/shared/format';
import { USAGE_FEATURES, featureLabel, type BudgetView, type HostToUsageView, type UsageTotals, type UsageViewData, type UsageViewToHost } from '../../src/shared/usageProtocol';
import { longDay, renderChart } from './usageChart';

export interface UsageApi {
  postMessage(message: UsageViewToHost): void;
}

export function mountUsageApp(root: HTMLElement, api: UsageApi, window: Window): void {
  const dom = createDom(root.ownerDocument);
  const status = dom.el('p', 'visually-hidden');
  status.setAttribute('role', 'status');
  const content = dom.el('div', 'usage-content');
  content.append(dom.el('p', 'usage-loading', 'Loading usage…'));
  root.append(header(dom, api), content, status);
  window.addEventListener('message', (event: MessageEvent<HostToUsageView>) => {
    const message = event.data;
    if (message?.type === 'usage') content.replaceChildren(...body(dom, message.data, api));
    else if (message?.type === 'exported') status.textContent = message.message;
  });
  api.postMessage({ type: 'ready' });
}

function header(dom: Dom, api: UsageApi): HTMLElement {
  const bar = dom.el('header', 'usage-header');
  const title = dom.el('h1', undefined, 'Kestrel Usage');
  const actions = dom.el('div', 'usage-actions');
  const exportButton = dom.el('button', 'button-primary', 'Export CSV…');
  exportButton.type = 'button';
  exportButton.addEventListener('click', () => api.postMessage({ type: 'exportCsv' }));
  const budgets = dom.el('button', 'button-secondary', 'Budgets…');
  budgets.type = 'button';
  budgets.addEventListener('click', () => api.postMessage({ type: 'openSetting', setting: 'kestrel.budget.dailyUsd' }));
  actions.append(budgets, exportButton);
  bar.append(title, actions);
  return bar;
}

function body(dom: Dom, data: UsageViewData, api: UsageApi): HTMLElement[] {
  const today = data.days[data.days.length - 1];
  const last30 = data.days.reduce((sum, d) => sum + d.total.usd, 0);
  const cards = dom.el('section', 'usage-cards');
  cards.setAttribute('aria-label', 'Summary');
  cards.append(
    card(dom, 'Today', formatUsd(today?.total.usd ?? 0), requests(today?.total.requests ?? 0)),
    card(dom, 'This month', formatUsd(data.month.total.usd), requests(data.month.total.requests)),
    card(dom, 'Last 30 days', formatUsd(last30), requests(data.days.reduce((n, d) => n + d.total.requests, 0))),
    card(dom, 'Prompt cache hits today', percent(today?.total), `${formatTokens(today?.total.cachedPromptTokens ?? 0)} of ${formatTokens(today?.total.promptTokens ?? 0)} prompt tokens`),
  );
  const sections: HTMLElement[] = [cards];
  if (data.budgets.length > 0) sections.push(budgetSection(dom, data.budgets, api));

  const chart = dom.el('section', 'usage-section');
  chart.append(dom.el('h2', undefined, 'Last 30 days by feature'), legend(dom), renderChart(dom.document, data.days));
  sections.push(chart);
  sections.push(todaySection(dom, today?.byFeature ?? {}), dailyTable(dom, data));
  if (data.unpricedModels.length > 0) {
    const note = dom.el('p', 'usage-note', `No price is set for ${data.unpricedModels.join(', ')}; their requests count as $0. `);
    const link = dom.el('a', undefined, 'Set prices');
    link.href = '#';
    link.addEventListener('click', (event) => {
      event.preventDefault();
      api.postMessage({ type: 'openSetting', setting: 'kestrel.prices' });
    });
    note.append(link);
    sections.push(note);
  }
  return sections;
}

function card(dom: Dom, label: string, value: string, detail: string): HTMLElement {
  const node = dom.el('div', 'usage-card');
  node.append(dom.el('div', 'card-label', label), dom.el('div', 'card-value', value), dom.el('div', 'card-detail', detail));
  return node;
}

function budgetSection(dom: Dom, budgets: readonly BudgetView[], api: UsageApi): HTMLElement {
  const section = dom.el('section', 'usage-section usage-budgets');
  section.append(dom.el('h2', undefined, 'Budgets'));
  for (const budget of budgets) {
    const name = budget.period === 'day' ? 'Daily budget' : 'Monthly budget';
    const share = Math.min(1, budget.committedUsd / budget.limitUsd);
    const row = dom.el('div', `budget level-${budget.level}`);
    const label = dom.el('div', 'budget-label');
    label.append(dom.el('span', 'budget-name', name), dom.el('span', 'budget-figures', `${formatUsd(budget.committedUsd)} of ${formatUsd(budget.limitUsd)} · ${Math.floor((budget.committedUsd / budget.limitUsd) * 100)}%`));
    const meter = dom.el('div', 'budget-meter');
    meter.setAttribute('role', 'meter');
    meter.setAttribute('aria-label', name);
    meter.setAttribute('aria-valuemin', '0');
    meter.setAttribute('aria-valuemax', String(budget.limitUsd));
    meter.setAttribute('aria-valuenow', String(Math.min(budget.committedUsd, budget.limitUsd)));
    meter.setAttribute('aria-valuetext', `${formatUsd(budget.committedUsd)} of ${formatUsd(budget.limitUsd)}`);
    const fill = dom.el('div', 'budget-fill');
    fill.style.width = `${(share * 100).toFixed(1)}%`;
    meter.append(fill);
    const reset = new Date(budget.resetsAt).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
    const note = budget.level === 'reached' ? `Reached: completions are paused and the chat asks before each request until ${reset}. ` : `Resets ${reset}. `;
    const detail = dom.el('div', 'budget-detail', note);
    const raise = dom.el('a', undefined, 'Change limit');
    raise.href = '#';
    raise.addEventListener('click', (event) => {
      event.preventDefault();
      api.postMessage({ type: 'openSetting', setting: budget.period === 'day' ? 'kestrel.budget.dailyUsd' : 'kestrel.budget.monthlyUsd' });
    });
    detail.append(raise);
    row.append(label, meter, detail);
    section.append(row);
  }
  return section;
}

function legend(dom: Dom): HTMLElement {
  const list = dom.el('ul', 'usage-legend');
  list.setAttribute('aria-label', 'Features');
  for (const feature of USAGE_FEATURES) {
    const item = dom.el('li');
    item.append(dom.el('span', `swatch feature-${feature}`), dom.el('span', undefined, featureLabel(feature)));
    list.append(item);
  }
  return list;
}

function todaySection(dom: Dom, byFeature: Partial<Record<(typeof USAGE_FEATURES)[number], UsageTotals>>): HTMLElement {
  const section = dom.el('section', 'usage-section');
  section.append(dom.el('h2', undefined, 'Today by feature'));
  const rows = USAGE_FEATURES.filter((f) => byFeature[f]).map((f) => [featureLabel(f), byFeature[f]!] as const);
  if (rows.length === 0) {
    section.append(dom.el('p', 'usage-empty', 'No requests yet today.'));
    return section;
  }
  section.append(table(dom, 'Today by feature', ['Feature', 'Requests', 'Prompt tokens', 'Cached', 'Image tokens', 'Output tokens', 'Cost'], rows.map(([label, t]) => [
    label, String(t.requests), formatTokens(t.promptTokens), percent(t), t.imageTokens ? `~${formatTokens(t.imageTokens)}` : '–', formatTokens(t.completionTokens), formatUsd(t.usd),
  ])));
  return section;
}

function dailyTable(dom: Dom, data: UsageViewData): HTMLElement {
  const section = dom.el('section', 'usage-section');
  section.append(dom.el('h2', undefined, 'Daily totals'));
  const days = data.days.filter((d) => d.total.requests > 0).reverse();
  if (days.length === 0) {
    section.append(dom.el('p', 'usage-empty', 'No requests in the last 30 days.'));
    return section;
  }
  const featureCost = (d: (typeof days)[number], f: (typeof USAGE_FEATURES)[number]) => (d.byFeature[f] ? formatUsd(d.byFeature[f]!.usd) : '–');
  section.append(table(dom, 'Daily totals, most recent first', ['Day', 'Requests', 'Prompt tokens', 'Cached', 'Output tokens', 'Completions', 'Chat', 'Explain', 'Images', 'Cost'], days.map((d) => [
    longDay(d.day), String(d.total.requests), formatTokens(d.total.promptTokens), percent(d.total), formatTokens(d.total.completionTokens),
    featureCost(d, 'completion'), featureCost(d, 'chat'), featureCost(d, 'explain'), featureCost(d, 'vision'), formatUsd(d.total.usd),
  ])));
  return section;
}

function table(dom: Dom, caption: string, headings: string[], rows: string[][]): HTMLTableElement {
  const node = dom.el('table', 'usage-table');
  node.append(dom.el('caption', 'visually-hidden', caption));
  const head = dom.el('tr');
  for (const heading of headings) {
    const th = dom.el('th', undefined, heading);
    th.scope = 'col';
    head.append(th);
  }
  node.append(dom.el('thead'));
  node.tHead!.append(head);
  const tbody = dom.el('tbody');
  for (const row of rows) {
    const tr = dom.el('tr');
    row.forEach((cell, index) => {
      const td = dom.el(index === 0 ? 'th' : 'td', undefined, cell);
      if (index === 0) (td as HTMLTableCellElement).scope = 'row';
      tr.append(td);
    });
    tbody.append(tr);
  }
  node.append(tbody);
  return node;
}

function requests(count: number): string {
  return `${count.toLocaleString('en-US')} request${count === 1 ? '' : 's'}`;
}

function percent(totals: UsageTotals | undefined): string {
  if (!totals || totals.promptTokens === 0) return '–';
  return `${Math.round((totals.cachedPromptTokens / totals.promptTokens) * 100)}%`;
}
