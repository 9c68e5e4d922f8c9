// The chat a user sees in the real workbench (code-server + headless Chromium): open the panel,
// type a question, the streamed answer renders with a highlighted code block; the chat, the draft
// and its attachments are still there after reloading the window. Screenshots of the panel in dark and light themes go to
// test-results/ (e2e-chat-dark.png, e2e-chat-light.png).
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { lastUserText, startOpenAiTestServer, type OpenAiTestServer } from '../fakes/openaiTestServer';
import { sniffImage } from '../../src/core/vision/imageFormat';
import { pngBytes } from '../support/imageFixtures';
import { ACTIVITY_ICON, findChatFrame, kestrelStatusItem, openKestrelWorkbench, runWorkbenchCommand, removeWorkspace, saveScreenshot, type Workbench, saveFailureScreenshot } from '../support/workbench';

const KEY = 'sk-e2e-chat-key-0123456789';
const QUESTION = 'How do I square every number in a list?';
const ANSWER = [
  'Use `Array.prototype.map`, which returns a **new** array:',
  '',
  '```ts',
  'export function squares(xs: number[]): number[] {',
  '  return xs.map((x) => x * x);',
  '}',
  '```',
  '',
  '- It does not change `xs`.',
  '- It runs in *O(n)*.',
].join('\n');

describe('chat panel in the workbench (e2e)', function () {
  this.timeout(180_000);
  let server: OpenAiTestServer;
  let workbench: Workbench | undefined;
  let workspace: string | undefined;
  let page: Page;

  before(async function () {
    this.timeout(90_000);
    server = await startOpenAiTestServer({ apiKey: KEY, tokensPerSecond: 150, ttftMs: 200 });
    server.setDefault((request) => ({ content: lastUserText(request.body) === QUESTION ? ANSWER : 'I only know about squares.' }));
    ({ workbench, workspace } = await openKestrelWorkbench({
      settings: { 'kestrel.baseUrl': server.baseUrl, 'kestrel.completion.enabled': false, 'workbench.startupEditor': 'none', },
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
    await server?.close();
  });

  const chatFrame = (timeoutMs?: number) => findChatFrame(page, timeoutMs);

  async function themeKind(): Promise<'dark' | 'light'> {
    return (await page.locator('.monaco-workbench.vs-dark, .monaco-workbench.hc-black').count()) > 0 ? 'dark' : 'light';
  }

  function luminance(color: string): number {
    const [r, g, b] = (color.match(/\d+/g) ?? []).map(Number);
    return r + g + b;
  }

  const runCommand = (name: string) => runWorkbenchCommand(page, name);

  it('streams an answer to a typed question, with a highlighted code block', async () => {
    await page.locator(ACTIVITY_ICON).click();
    const frame = await chatFrame();
    const composer = frame.locator('textarea[aria-label="Message Kestrel"]');
    await composer.click();
    await composer.pressSequentially(QUESTION, { delay: 5 });
    await composer.press('Enter');

    // While it streams, Stop replaces Send.
    await frame.getByRole('button', { name: /stop/i }).waitFor({ state: 'visible', timeout: 10_000 });
    const answer = frame.locator('article.turn-assistant').last();
    const code = answer.locator('.kestrel-code code');
    await code.waitFor({ state: 'visible', timeout: 30_000 });
    await answer.locator('li', { hasText: 'It runs in' }).waitFor({ state: 'visible', timeout: 30_000 });
    await frame.getByRole('button', { name: /stop/i }).waitFor({ state: 'hidden', timeout: 10_000 });

    assert.equal(await frame.locator('article', { hasText: QUESTION }).count(), 1, 'the question shows in the transcript');
    assert.equal((await code.textContent())?.trim(), 'export function squares(xs: number[]): number[] {\n  return xs.map((x) => x * x);\n}');
    assert.ok((await code.locator('.hljs-keyword').count()) >= 2, 'the code block is highlighted');
    assert.equal(await answer.locator('strong', { hasText: 'new' }).count(), 1, 'markdown is rendered');
    assert.equal(await answer.locator('.kestrel-code-action[data-action="insert"]').count(), 1, 'the code block has its actions');
    assert.equal((await composer.inputValue()), '', 'the composer is cleared after sending');
    assert.equal(lastUserText(server.requests.at(-1)!.body as Parameters<typeof lastUserText>[0]), QUESTION);
    console.log(`      screenshot: ${await saveScreenshot(page, `e2e-chat-${await themeKind()}`)}`);
  });

  it('follows the workbench theme between light and dark', async () => {
    const before = await themeKind();
    const backgroundBefore = luminance(await (await chatFrame()).locator('body').evaluate((body) => getComputedStyle(body).backgroundColor));
    await runCommand('Preferences: Toggle between Light/Dark Themes');
    await page.waitForFunction((old) => !document.querySelector('.monaco-workbench')?.classList.contains(old), before === 'dark' ? 'vs-dark' : 'vs', { timeout: 10_000 });
    const after = await themeKind();
    assert.notEqual(after, before);
    const frame = await chatFrame();
    // The webview takes its colours from VS Code's variables, so it follows at once.
    await frame.waitForFunction((wasLight) => {
      const [r, g, b] = (getComputedStyle(document.body).backgroundColor.match(/\d+/g) ?? []).map(Number);
      return (r + g + b > 384) !== wasLight;
    }, backgroundBefore > 384, { timeout: 10_000 });
    await frame.locator('article.turn-assistant .kestrel-code code').waitFor({ state: 'visible' });
    console.log(`      screenshot: ${await saveScreenshot(page, `e2e-chat-${after}`)}`);
  });

  /** Pastes a PNG into the composer as the clipboard delivers a screenshot. */
  async function pasteScreenshot(width: number, height: number): Promise<void> {
    await (await chatFrame()).locator('textarea[aria-label="Message Kestrel"]').evaluate((textarea, base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
      textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    }, pngBytes(width, height).toString('base64'));
  }

  it('keeps the conversation, the unsent draft and its attachments after reloading the window', async () => {
    let frame = await chatFrame();
    await frame.locator('textarea[aria-label="Message Kestrel"]').fill('A draft I have not sent');
    await pasteScreenshot(640, 480);
    await frame.locator('.composer .context-chip.kind-image').waitFor({ state: 'visible', timeout: 20_000 });
    await runCommand('Developer: Reload Window');
    await page.waitForTimeout(1000);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    // Kestrel activates on startup finished, after the workbench restored its side bar: only then
    // does "is the chat showing?" have a stable answer (clicking the activity icon while the
    // restore is still to come would toggle the side bar closed once it lands).
    await kestrelStatusItem(page).waitFor({ state: 'visible', timeout: 60_000 });
    if (!(await page.locator('.part.sidebar .composite.title', { hasText: /Kestrel/i }).isVisible())) await page.locator(ACTIVITY_ICON).click();
    frame = await chatFrame();
    await frame.locator('article', { hasText: QUESTION }).waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('article.turn-assistant .kestrel-code code').waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await frame.locator('textarea[aria-label="Message Kestrel"]').inputValue(), 'A draft I have not sent');
    // The extension host restarted with the window; the chip came back from Kestrel's storage.
    const chip = frame.locator('.composer .context-chip.kind-image');
    await chip.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await chip.textContent()) ?? '', /Pasted image 1\.png/);
    await chip.locator('button[aria-label="Remove Pasted image 1.png"]').click();
    await chip.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('attaches a pasted screenshot with its price, and sends it with the question', async () => {
    const frame = await chatFrame();
    const composer = frame.locator('textarea[aria-label="Message Kestrel"]');
    await composer.fill('');
    // A real 1920x1080 PNG.
    await pasteScreenshot(1920, 1080);
    const chip = frame.locator('.composer .context-chip.kind-image');
    await chip.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match((await chip.textContent()) ?? '', /Pasted image 1\.png/);
    assert.equal((await chip.locator('.chip-usd').textContent())?.trim(), '$0.0038', '25,501 tokens at GPT-4o mini prices');
    assert.equal(await chip.locator('img.chip-thumbnail').count(), 1);
    console.log(`      screenshot: ${await saveScreenshot(page, 'e2e-chat-image-chip')}`);

    const before = server.requests.length;
    await composer.fill('What does this screenshot show?');
    await composer.press('Enter');
    await frame.locator('article.turn-assistant').nth(1).locator('p', { hasText: 'I only know about squares.' }).waitFor({ state: 'visible', timeout: 30_000 });
    const body = server.requests[before].body as { messages: { content: unknown }[] };
    const parts = body.messages.at(-1)!.content as { type: string; image_url?: { url: string; detail: string } }[];
    assert.deepEqual(parts.map((p) => p.type), ['text', 'image_url']);
    const info = sniffImage(Buffer.from(parts[1].image_url!.url.split(',')[1], 'base64'));
    assert.deepEqual(info && [info.width, info.height, parts[1].image_url!.detail], [1024, 576, 'high']);
    // The question in the transcript shows the image it carried.
    await frame.locator('article', { hasText: 'What does this screenshot show?' }).locator('img').waitFor({ state: 'visible' });
    console.log(`      screenshot: ${await saveScreenshot(page, 'e2e-chat-image-sent')}`);
  });
});
