// A user's first minutes with Kestrel in the real workbench: a wrong key in the environment gives
// one notification whose "Set API Key" button fixes it; then ghost text appears while typing and
// Tab accepts it. The model is the OpenAI test server running in this process.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { lastUserText, startOpenAiTestServer, type OpenAiTestServer } from '../fakes/openaiTestServer';
import { kestrelStatusItem, openKestrelWorkbench, removeWorkspace, saveScreenshot, type Workbench, saveFailureScreenshot } from '../support/workbench';

const RIGHT_KEY = 'sk-e2e-right-key-0123456789';
const GHOST = '[class*=ghost-text-decoration]';

describe('inline completions in the workbench (e2e)', function () {
  this.timeout(120_000);
  let server: OpenAiTestServer;
  let workbench: Workbench | undefined;
  let workspace: string | undefined;
  let page: Page;

  before(async function () {
    this.timeout(90_000);
    server = await startOpenAiTestServer({ apiKey: RIGHT_KEY });
    // The oracle answers the body of circleArea; anything else gets an empty answer.
    server.setDefault((request) => ({ content: /circleArea\(r: number\) \{\n\s*<CURSOR>/.test(lastUserText(request.body)) ? 'return Math.PI * r * r;' : '' }));
    ({ workbench, workspace } = await openKestrelWorkbench({
      settings: { 'kestrel.baseUrl': server.baseUrl, 'workbench.startupEditor': 'none' },
      env: { OPENAI_API_KEY: 'sk-e2e-wrong-key-0000' },
    }));
    page = workbench.page;
    await kestrelStatusItem(page).waitFor({ state: 'visible', timeout: 60_000 });
  });

  afterEach(async function () {
    await saveFailureScreenshot(this.currentTest, workbench);
  });

  after(async () => {
    await workbench?.close();
    removeWorkspace(workspace);
    await server?.close();
  });

  async function openShapes(): Promise<void> {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
    await page.keyboard.type('shapes.ts');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'shapes.ts' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines', { hasText: 'perimeter' }).waitFor({ state: 'visible' });
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
  }

  it('shows one notification for a rejected key, and its Set API Key button stores a new one', async () => {
    await openShapes();
    await page.keyboard.press('Enter');
    await page.keyboard.type('export const unit = ', { delay: 40 });
    const toast = page.locator('.notification-toast', { hasText: 'The API key was rejected' });
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await page.locator('.notification-toast', { hasText: 'API key' }).count(), 1, 'one notification, not one per keystroke');
    const wrongKeyRequests = server.requests.filter((r) => r.headers.authorization === 'Bearer sk-e2e-wrong-key-0000').length;
    assert.equal(wrongKeyRequests, 1, 'completions pause after the first rejection instead of failing on every keystroke');
    // The status bar and the notification travel to the workbench separately: the item may update
    // a moment after the toast shows.
    await kestrelStatusItem(page).and(page.locator('[aria-label*="needs an API key"]')).waitFor({ timeout: 10_000 });
    await saveScreenshot(page, 'e2e-rejected-key');

    await toast.getByRole('button', { name: 'Set API Key' }).click();
    const input = page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ state: 'visible' });
    assert.match((await page.locator('.quick-input-widget').textContent()) ?? '', /API key for OpenAI/);
    await input.fill(RIGHT_KEY);
    await page.keyboard.press('Enter');
    await page.locator('.notification-toast', { hasText: 'API key for OpenAI saved' }).waitFor({ state: 'visible', timeout: 10_000 });
    await kestrelStatusItem(page).and(page.locator('[aria-label*="are on"]')).waitFor({ timeout: 10_000 });
  });

  it('shows ghost text while typing, and Tab accepts it', async () => {
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    // The editor closes the brace itself; Enter opens the empty body, where Kestrel suggests one.
    await page.keyboard.type('export function circleArea(r: number) {', { delay: 30 });
    await page.keyboard.press('Enter');
    const ghost = page.locator(GHOST).first();
    await ghost.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(((await page.locator('.monaco-editor .view-lines').textContent()) ?? '').replace(/\u00a0/g, ' '), /return Math\.PI \* r \* r;/);
    await saveScreenshot(page, 'e2e-ghost-text');
    await page.keyboard.press('Tab');
    await page.locator(GHOST).first().waitFor({ state: 'detached', timeout: 10_000 });
    const request = server.requests.findLast((r) => r.headers.authorization === `Bearer ${RIGHT_KEY}` && /circleArea/.test(JSON.stringify(r.body)));
    assert.ok(request, 'the new key was used');
    const lines = await page.locator('.monaco-editor .view-line').allTextContents();
    const body = lines.map((line) => line.replace(/\u00a0/g, ' ')).join('\n');
    assert.match(body, /export function circleArea\(r: number\) \{\n\s+return Math\.PI \* r \* r;\n\}/);
    await saveScreenshot(page, 'e2e-ghost-text-accepted');
  });
});
