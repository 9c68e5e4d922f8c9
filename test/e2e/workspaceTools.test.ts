// Workspace tools in the real workbench: tool calls show as steps in the chat; a proposed edit
// opens as a diff with Accept and Reject in the editor's title bar, and only the click writes the
// file; in Restricted Mode the chat says tools are off and requests carry none.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { Page } from 'playwright-core';
import { startOpenAiTestServer, type OpenAiTestServer, type ReplyFn } from '../fakes/openaiTestServer';
import { ACTIVITY_ICON, findChatFrame, openKestrelWorkbench, removeWorkspace, saveScreenshot, type Workbench, saveFailureScreenshot } from '../support/workbench';

const KEY = 'sk-e2e-tools-0123456789';

async function ask(page: Page, question: string) {
  await page.locator(ACTIVITY_ICON).click();
  const frame = await findChatFrame(page);
  const composer = frame.locator('textarea[aria-label="Message Kestrel"]');
  await composer.click();
  await composer.fill(question);
  await composer.press('Enter');
  return frame;
}

describe('workspace tools in the workbench (e2e)', function () {
  this.timeout(180_000);
  let server: OpenAiTestServer;
  let workbench: Workbench | undefined;
  let workspace: string | undefined;

  afterEach(async function () {
    await saveFailureScreenshot(this.currentTest, workbench);
    await workbench?.close();
    workbench = undefined;
    removeWorkspace(workspace);
    await server?.close();
  });

  const open = async (trustWorkspace: boolean, reply: ReplyFn) => {
    server = await startOpenAiTestServer({ apiKey: KEY, tokensPerSecond: 200, ttftMs: 100 });
    server.setDefault(reply);
    ({ workbench, workspace } = await openKestrelWorkbench({
      trustWorkspace,
      settings: { 'kestrel.baseUrl': server.baseUrl, 'kestrel.completion.enabled': false, 'workbench.startupEditor': 'none' },
      env: { OPENAI_API_KEY: KEY },
    }));
    return workbench.page;
  };

  it('shows tool steps, and writes a proposed edit only when Accept is clicked in the diff', async () => {
    const page = await open(true, (request) => {
      const tools = request.body.messages.filter((m) => m.role === 'tool').length;
      if (tools === 0) {
        return {
          toolCalls: [
            { name: 'read_file', arguments: JSON.stringify({ path: 'src/shapes.ts', start_line: null, end_line: null }) },
            { name: 'search_text', arguments: JSON.stringify({ query: 'area', is_regex: false, glob: null, max_results: null }) },
          ],
        };
      }
      if (tools === 2) {
        return { toolCalls: [{ name: 'propose_edit', arguments: JSON.stringify({ path: 'src/shapes.ts', search: 'width: number;', replace: 'width: number; // in pixels', explanation: 'Documents the unit of width.' }) }] };
      }
      return { content: 'I documented the unit of `width` in **src/shapes.ts**.' };
    });
    const file = path.join(workspace!, 'src', 'shapes.ts');
    const before = fs.readFileSync(file, 'utf8');
    const frame = await ask(page, 'Document the unit of width in shapes.ts');

    const steps = frame.locator('article.turn-assistant .tool-step');
    await steps.nth(2).waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await steps.nth(0).textContent()) ?? '', /Read.*src\/shapes\.ts/);
    assert.match((await steps.nth(1).textContent()) ?? '', /Searched.*"area"/);
    assert.match((await steps.nth(2).textContent()) ?? '', /review the diff/);

    // The review: a diff editor with Accept and Reject in its title bar, and the same two buttons
    // in the chat's step. Nothing is written before the click.
    await page.locator('.editor-actions a.action-label[aria-label^="Accept Proposed Edit"]').first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.editor-actions a.action-label[aria-label^="Reject Proposed Edit"]').first().waitFor({ state: 'visible' });
    await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible' });
    await steps.nth(0).locator('summary').click();
    await saveScreenshot(page, 'e2e-edit-review');
    assert.equal(fs.readFileSync(file, 'utf8'), before);
    await steps.nth(2).getByRole('button', { name: 'Accept' }).click();

    await frame.locator('article.turn-assistant .answer-body strong', { hasText: 'src/shapes.ts' }).waitFor({ timeout: 30_000 });
    assert.equal(fs.readFileSync(file, 'utf8'), before.replace('width: number;', 'width: number; // in pixels'));
    assert.match((await steps.nth(2).textContent()) ?? '', /Proposed edit to.*src\/shapes\.ts/);
    await saveScreenshot(page, 'e2e-tool-steps');
  });

  it('in Restricted Mode the chat says tools are off and requests carry none', async () => {
    const page = await open(false, () => ({ content: 'Without tools, I can only answer from what you attach.' }));
    const frame = await ask(page, 'What is in src/shapes.ts?');
    await frame.locator('.tools-off', { hasText: 'Restricted Mode' }).waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('article.turn-assistant .answer-body', { hasText: 'Without tools' }).waitFor({ timeout: 30_000 });
    const body = server.requests.at(-1)!.body as ChatCompletionCreateParams;
    assert.equal(body.tools, undefined);
    assert.ok(!String(body.messages[0].content).includes('tool_output'));
    await saveScreenshot(page, 'e2e-tools-restricted');
  });
});
