// Show Usage in the real workbench (code-server + headless Chromium): with a month of history in
// the ledger file (as earlier sessions leave it) and a request made now, the view shows the chart
// by feature, the budgets and the daily table, updates live, and follows the theme. Screenshots:
// test-results/e2e-usage-dark.png and e2e-usage-light.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { serializeUsage, type UsageRecord } from '../../src/core/usage/usageRecord';
import { monthKey } from '../../src/core/usage/usagePeriods';
import { startOpenAiTestServer, type OpenAiTestServer } from '../fakes/openaiTestServer';
import { openKestrelWorkbench, removeWorkspace, runWorkbenchCommand, saveScreenshot, waitForWebviewFrame, type Workbench, saveFailureScreenshot } from '../support/workbench';

const KEY = 'sk-e2e-usage-key-0123456789';
const DAY = 86_400_000;

/** A month of plausible history: completions every day, chat most days, explain and images now and then. */
function history(now: number): UsageRecord[] {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const records: UsageRecord[] = [];
  const add = (at: number, feature: UsageRecord['feature'], prompt: number, out: number, image = 0) => {
    const cached = feature === 'completion' ? Math.floor((prompt * random() * 0.6) / 128) * 128 : 0;
    const usd = ((prompt - cached) * 0.15 + cached * 0.075 + out * 0.6) / 1e6;
    records.push({ id: `seed-${records.length}`, at, feature, model: 'gpt-4o-mini-2024-07-18', promptTokens: prompt, cachedPromptTokens: cached, completionTokens: out, imageTokens: image, latencyMs: 400, firstTokenMs: 300, outcome: 'ok', estimated: false, usd });
  };
  // Each day's requests start at 9:00 local and end by 12:30, so none spill into today whatever the time.
  const midnight = new Date(now).setHours(0, 0, 0, 0);
  for (let d = 29; d >= 1; d--) {
    const day = midnight - d * DAY + 9 * 3_600_000;
    if (new Date(day).getDay() % 6 === 0 && random() < 0.7) continue; // quiet weekends
    for (let i = 0; i < 40 + random() * 160; i++) add(day + i * 60_000, 'completion', 700 + Math.floor(random() * 900), 10 + Math.floor(random() * 60));
    for (let i = 0; i < random() * 12; i++) add(day + i * 300_000, 'chat', 3000 + Math.floor(random() * 12000), 300 + Math.floor(random() * 900));
    if (random() < 0.4) add(day, 'explain', 1500, 600);
    if (random() < 0.25) add(day, 'vision', 26_000, 400, 25_501);
  }
  return records;
}

describe('usage view in the workbench (e2e)', function () {
  this.timeout(180_000);
  let server: OpenAiTestServer;
  let workbench: Workbench | undefined;
  let workspace: string | undefined;
  let dataDir: string;
  let page: Page;

  before(async function () {
    this.timeout(90_000);
    server = await startOpenAiTestServer({ apiKey: KEY });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-e2e-usage-'));
    const folder = path.join(dataDir, 'user-data', 'User', 'globalStorage', 'kestrel-dev.kestrel', 'usage');
    fs.mkdirSync(folder, { recursive: true });
    for (const record of history(Date.now())) fs.appendFileSync(path.join(folder, `usage-${monthKey(record.at)}.jsonl`), serializeUsage(record));
    ({ workbench, workspace } = await openKestrelWorkbench({
      dataDir,
      settings: { 'kestrel.baseUrl': server.baseUrl, 'kestrel.completion.enabled': false, 'kestrel.budget.dailyUsd': 0.05, 'kestrel.budget.monthlyUsd': 5, 'workbench.startupEditor': 'none' },
      env: { OPENAI_API_KEY: KEY },
    }));
    page = workbench.page;
  });

  afterEach(async function () {
    await saveFailureScreenshot(this.currentTest, workbench);
  });

  after(async () => {
    await workbench?.close();
    removeWorkspace(workspace);
    fs.rmSync(dataDir, { recursive: true, force: true });
    await server?.close();
  });

  const runCommand = (title: string) => runWorkbenchCommand(page, title);
  const usageFrame = () => waitForWebviewFrame(page, 'h1', 'Kestrel Usage', 60_000);

  async function themeKind(): Promise<'dark' | 'light'> {
    return (await page.locator('.monaco-workbench.vs-dark, .monaco-workbench.hc-black').count()) > 0 ? 'dark' : 'light';
  }

  it("shows the last 30 days by feature, the budgets and today's request, live", async () => {
    const usageItem = page.locator('[id="kestrel-dev.kestrel.kestrel.usage"]');
    await usageItem.waitFor({ state: 'visible', timeout: 60_000 });
    await runCommand('Kestrel: Show Usage');
    const frame = await usageFrame();
    await frame.locator('.usage-chart').waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await frame.locator('.usage-chart g.bar').count(), 30);
    assert.ok((await frame.locator('.usage-chart rect.segment.feature-completion').count()) >= 15, 'completions on most days');
    assert.ok((await frame.locator('.usage-table').last().locator('tbody tr').count()) >= 15, 'a table row per day with requests');
    assert.equal(await frame.locator('[role=meter]').count(), 2, 'daily and monthly budgets');

    // A request made now shows up in the open view and in the status bar.
    const before = (await frame.locator('.usage-card').first().textContent()) ?? '';
    await runCommand('Kestrel: Test Connection');
    await frame.locator('.usage-card').first().filter({ hasText: /1 requests?/ }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.notEqual(await frame.locator('.usage-card').first().textContent(), before);
    assert.match((await usageItem.textContent()) ?? '', /\$/);
    await page.waitForTimeout(500);
    console.log(`      screenshot: ${await saveScreenshot(page, `e2e-usage-${await themeKind()}`)}`);
  });

  it('follows the theme', async () => {
    const before = await themeKind();
    await runCommand('Preferences: Toggle between Light/Dark Themes');
    await page.waitForFunction((old) => !document.querySelector('.monaco-workbench')?.classList.contains(old), before === 'dark' ? 'vs-dark' : 'vs', { timeout: 10_000 });
    const frame = await usageFrame();
    await frame.waitForFunction((wasLight) => {
      const [r, g, b] = (getComputedStyle(document.body).backgroundColor.match(/\d+/g) ?? []).map(Number);
      return r + g + b > 384 !== wasLight;
    }, before === 'light', { timeout: 10_000 });
    await page.waitForTimeout(500);
    console.log(`      screenshot: ${await saveScreenshot(page, `e2e-usage-${await themeKind()}`)}`);
  });
});
