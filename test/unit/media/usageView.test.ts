// The usage view's webview app in jsdom: what it draws from the host's figures and what it asks.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { mountUsageApp } from '../../../media/usage/usageApp';
import { niceCeiling } from '../../../media/usage/usageChart';
import { dailyUsage, summarize } from '../../../src/core/usage/usageRollup';
import type { UsageViewData, UsageViewToHost } from '../../../src/shared/usageProtocol';
import { usageRecord } from '../core/usage/fixtures';

function mount() {
  const { window } = new JSDOM('<!doctype html><html><body><main id="app"></main></body></html>');
  const sent: UsageViewToHost[] = [];
  const root = window.document.getElementById('app')!;
  mountUsageApp(root, { postMessage: (m) => sent.push(m) }, window as unknown as Window);
  const show = (data: UsageViewData) => window.dispatchEvent(new window.MessageEvent('message', { data: { type: 'usage', data } }));
  return { window, root, sent, show };
}

const now = Date.now();
const day = 86_400_000;

function data(): UsageViewData {
  const records = [
    usageRecord({ at: now, feature: 'completion', usd: 0.01, promptTokens: 1000, cachedPromptTokens: 500 }),
    usageRecord({ at: now, feature: 'vision', usd: 0.02, imageTokens: 25_501, promptTokens: 26_000 }),
    usageRecord({ at: now - 3 * day, feature: 'chat', usd: 0.5 }),
  ];
  return {
    days: dailyUsage(records, now, 30),
    month: summarize(records),
    budgets: [{ period: 'day', limitUsd: 0.02, committedUsd: 0.03, level: 'reached', resetsAt: now + day }],
    unpricedModels: ['llama3.1:8b'],
  };
}

describe('usage view (webview)', () => {
  it('asks for the figures when it loads', () => {
    const { sent, root } = mount();
    assert.deepEqual(sent, [{ type: 'ready' }]);
    assert.match(root.textContent ?? '', /Loading usage/);
  });

  it('shows today, a bar per day stacked by feature, the budgets and the daily table', () => {
    const { root, show } = mount();
    show(data());
    const cards = [...root.querySelectorAll('.usage-card')].map((c) => c.textContent);
    assert.equal(cards[0], 'Today$0.032 requests');
    assert.equal(root.querySelectorAll('.usage-chart g.bar').length, 30);
    const todayBar = [...root.querySelectorAll('.usage-chart g.bar')].at(-1)!;
    assert.deepEqual([...todayBar.querySelectorAll('rect.segment')].map((r) => r.getAttribute('class')), ['segment feature-completion', 'segment feature-vision']);
    assert.match(todayBar.querySelector('title')!.textContent!, /\$0\.03, 2 requests \(Completions \$0\.01, Images \$0\.02\)/);
    assert.equal(root.querySelector('.usage-chart')!.getAttribute('role'), 'img');
    const meter = root.querySelector('[role=meter]')!;
    assert.equal(meter.getAttribute('aria-valuetext'), '$0.03 of $0.02');
    assert.match(root.querySelector('.budget-detail')!.textContent!, /Reached: completions are paused/);
    // The daily table: days with requests, most recent first, with a cost per feature.
    const rows = [...root.querySelectorAll('.usage-table')].at(-1)!.querySelectorAll('tbody tr');
    assert.equal(rows.length, 2);
    assert.equal(rows[0].querySelectorAll('td').length, 9);
    assert.match(rows[1].textContent!, /\$0\.5$/, "the older day costs $0.5");
    assert.match(root.querySelector('.usage-note')!.textContent!, /No price is set for llama3\.1:8b/);
  });

  it('updates in place when new figures arrive, and sends export and settings requests', () => {
    const { root, show, sent } = mount();
    show(data());
    const next = data();
    next.days[29].total.usd = 7;
    show(next);
    assert.equal(root.querySelectorAll('.usage-cards').length, 1, 'replaced, not appended');
    assert.match(root.querySelector('.usage-card .card-value')!.textContent!, /\$7\.00/);
    (root.querySelector('.button-primary') as HTMLButtonElement).click();
    (root.querySelector('.usage-note a') as HTMLAnchorElement).click();
    assert.deepEqual(sent.slice(1), [{ type: 'exportCsv' }, { type: 'openSetting', setting: 'kestrel.prices' }]);
  });

  it('rounds the chart axis up to 1, 2 or 5 times a power of ten', () => {
    assert.equal(niceCeiling(0.031), 0.05);
    assert.equal(niceCeiling(0.5), 0.5);
    assert.equal(niceCeiling(1.2), 2);
    assert.equal(niceCeiling(0), 0.01);
  });
});
