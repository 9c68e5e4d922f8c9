// End-to-end smoke test in a real VS Code workbench (code-server + headless Chromium): Kestrel
// loads, activates (its status bar item appears), and its chat view opens from the activity bar
// and renders. Screenshots go to test-results/ (e2e-smoke.png, e2e-chat-view.png, and
// e2e-failure-*.png when a test fails).
import * as assert from 'node:assert/strict';
import {
  ACTIVITY_ICON, kestrelStatusItem, openKestrelWorkbench, removeWorkspace, saveScreenshot, waitForWebviewFrame, type Workbench,
  saveFailureScreenshot,
} from '../support/workbench';

describe('Kestrel in a real VS Code workbench (e2e smoke)', function () {
  this.timeout(120_000);
  let workbench: Workbench | undefined;
  let workspace: string | undefined;

  before(async function () {
    this.timeout(90_000);
    ({ workbench, workspace } = await openKestrelWorkbench());
  });

  afterEach(async function () {
    const file = await saveFailureScreenshot(this.currentTest, workbench);
    if (file) console.log(`      screenshot of the failure: ${file}`);
  });

  after(async () => {
    await workbench?.close();
    removeWorkspace(workspace);
  });

  it('activates Kestrel: its status bar item appears', async () => {
    const page = workbench!.page;
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    const item = kestrelStatusItem(page);
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    assert.ok(await item.isVisible(), 'status bar item is not visible');
    assert.match((await item.textContent()) ?? '', /Kestrel/);
    const icon = item.locator('.codicon');
    assert.equal(await icon.count(), 1, 'status bar item has no codicon');
    const label = (await item.getAttribute('aria-label')) ?? '';
    assert.match(label, /^Kestrel/);
    console.log(`      status bar item: id=${await item.getAttribute('id')} icon=${await icon.getAttribute('class')} label="${label}"`);
    console.log(`      screenshot: ${await saveScreenshot(page, 'e2e-smoke')}`);
  });

  it('opens the chat view from the activity bar and renders it', async () => {
    const page = workbench!.page;
    await page.locator(ACTIVITY_ICON).click();
    const frame = await waitForWebviewFrame(page, 'h2', 'Kestrel', 60_000);
    for (const name of ['Set API Key', 'Test Connection']) {
      const button = frame.getByRole('button', { name, exact: true });
      await button.waitFor({ state: 'visible', timeout: 30_000 });
    }
    // The side bar now shows Kestrel's container with the Chat view.
    await page.locator('.part.sidebar .composite.title', { hasText: /Kestrel/i }).waitFor({ state: 'visible', timeout: 10_000 });
    console.log(`      screenshot: ${await saveScreenshot(page, 'e2e-chat-view')}`);
  });
});
