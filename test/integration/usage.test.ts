// Usage and budgets in a real VS Code: requests against the test server (which reports usage and
// cached prompt tokens) move the status bar figure by what they cost at the configured prices; a
// daily budget of one request pauses inline completions after it; Show Usage opens its webview.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KestrelTestApi } from '../../src/extension';
import { formatUsd } from '../../src/shared/format';
import type { HostToUsageView } from '../../src/shared/usageProtocol';
import type { OpenAiTestServer } from '../fakes/openaiTestServer';
import { connectToTestServer, kestrelApi, openWithCursor, resetSettings, setSettings, waitFor } from './kestrelHarness';

// Prices far above GPT-4o mini's, so one small request moves the figure visibly.
const PRICES = { 'gpt-4o-mini': { input: 1000, cachedInput: 500, output: 4000 } };
const SETTINGS = ['provider', 'baseUrl', 'prices', 'budget.dailyUsd', 'completion.debounceMilliseconds', 'completion.enabled'];

function costOfRequest(server: OpenAiTestServer, index: number): { usd: number; cached: number } {
  const usage = server.requests[index].usage!;
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  return { usd: ((usage.prompt_tokens - cached) * 1000 + cached * 500 + usage.completion_tokens * 4000) / 1e6, cached };
}

describe('usage and budgets in VS Code', function () {
  this.timeout(60_000);
  let api: KestrelTestApi;
  let server: OpenAiTestServer;

  before(async () => {
    api = await kestrelApi();
    server = await connectToTestServer({ prices: PRICES, 'completion.debounceMilliseconds': 0, 'completion.enabled': true });
    await api.usage.load();
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));
  after(async () => {
    await server.close();
    await vscode.commands.executeCommand('kestrel.clearApiKey');
    await resetSettings(SETTINGS);
  });

  it("moves the status bar's spend by each request's cost, cached prompt tokens at their price", async () => {
    server.setDefault({ content: 'It adds two numbers.' });
    // Long enough (over 1,024 tokens) for the test server's prompt cache to serve the repeat.
    const question = `Explain this:\n${'export function add(a: number, b: number) { return a + b; }\n'.repeat(100)}`;
    let expected = api.usage.today().total.usd;
    let cachedSeen = 0;
    for (let round = 0; round < 2; round++) {
      const index = server.requests.length;
      const before = api.usage.recent().length;
      for await (const event of api.modelService.stream({ feature: 'chat', messages: [{ role: 'user', content: question }] })) void event;
      await waitFor(() => api.usage.recent().length > before, 'the usage to be recorded');
      const { usd, cached } = costOfRequest(server, index);
      cachedSeen += cached;
      expected += usd;
      assert.ok(Math.abs(api.usage.today().total.usd - expected) < 1e-9, `today ${api.usage.today().total.usd} != ${expected}`);
      assert.equal(api.usageStatus.text, `$(graph) ${formatUsd(expected)}`);
    }
    assert.ok(cachedSeen > 0, 'the repeated prompt was served from the prompt cache');
  });

  it('pauses inline completions after a daily budget of one request, until the limit is raised', async () => {
    server.setDefault({ content: 'a + b;' });
    await setSettings({ 'budget.dailyUsd': api.usage.today().total.usd + 0.0001 });
    const editor = await openWithCursor('src/budget.ts', 'export function add(a: number, b: number) {\n  return |\n}\n');
    assert.ok(api.completionSwitch.allows(editor.document), 'within budget, completions run');
    const before = server.requests.length;
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await server.waitForRequests(before + 1, 10_000);
    const reached = await waitFor(() => api.budget.blocking(), 'the budget to be reached');
    assert.equal(reached.period, 'day');
    assert.equal(api.completionSwitch.allows(editor.document), false, 'over budget, completions pause');
    assert.match(api.status.text, /paused: Daily budget of \$[\d.]+ reached/);

    // Typing asks for nothing more.
    await vscode.commands.executeCommand('type', { text: 'x' });
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.equal(server.requests.length, before + 1, 'no request over budget');

    await setSettings({ 'budget.dailyUsd': 1_000 });
    await waitFor(() => api.completionSwitch.allows(editor.document), 'completions to resume after raising the limit');
    assert.doesNotMatch(api.status.text, /paused/);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await server.waitForRequests(before + 2, 10_000);
  });

  it('opens Show Usage, whose webview asks for and receives the figures', async () => {
    const messages: HostToUsageView[] = [];
    const listener = api.usagePanel.onDidPost((message) => messages.push(message));
    try {
      await vscode.commands.executeCommand('kestrel.showUsage');
      const shown = await waitFor(() => messages.find((m) => m.type === 'usage'), 'the usage view to load and ask for its figures', 20_000);
      assert.equal(shown.type === 'usage' && shown.data.days.length, 30);
      assert.ok(shown.type === 'usage' && Math.abs(shown.data.days[29].total.usd - api.usage.today().total.usd) < 1e-9);
      assert.equal(api.usagePanel.isOpen, true);
    } finally {
      listener.dispose();
    }
  });
});
