/**
 * Helpers for end-to-end tests: open a real VS Code workbench (code-server + headless Chromium,
 * via scripts/lib/workbench.js) with Kestrel loaded on a fresh copy of the sample workspace, find
 * Kestrel's UI in it, and save screenshots to test-results/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import type * as Launcher from '../../scripts/lib/workbench';

/** The project root (this file runs as out/test/support/workbench.js). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const RESULTS_DIR = path.join(ROOT, 'test-results');

// The launcher is plain JS outside tsc's rootDir output, so load it from the source tree.
const launcher = require(path.join(ROOT, 'scripts', 'lib', 'workbench.js')) as typeof Launcher;
const fixtures = require(path.join(ROOT, 'scripts', 'lib', 'fixtures.js')) as { copyWorkspace(): string };

export type Workbench = Launcher.Workbench;

/** Status bar entries get the DOM id `<extension id>.<item id>`. */
export const STATUS_ITEM = '[id="kestrel-dev.kestrel.kestrel.status"]';
/** Kestrel's activity-bar entry (its view container icon). */
export const ACTIVITY_ICON = '.part.activitybar a.action-label[aria-label^="Kestrel"]';

/** Opens a workbench with Kestrel on a temp copy of test/fixtures/workspace. */
export async function openKestrelWorkbench(options: Partial<Launcher.WorkbenchOptions> = {}): Promise<{ workbench: Workbench; workspace: string }> {
  const workspace = fixtures.copyWorkspace();
  const workbench = await launcher.startWorkbench({ extensionDevelopmentPath: ROOT, folder: workspace, ...options });
  return { workbench, workspace };
}

/** Removes a workspace made by openKestrelWorkbench. */
export function removeWorkspace(workspace: string | undefined): void {
  if (workspace) fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
}

/** Kestrel's status bar item, robust to an id change (falls back to its accessible label). */
export function kestrelStatusItem(page: Page): Locator {
  return page.locator(`${STATUS_ITEM}, .part.statusbar .statusbar-item[aria-label^="Kestrel"]`).first();
}

/** Saves a full-window PNG as test-results/<name>.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** After a failed test, saves `test-results/e2e-failure-<title>.png` and returns its path. */
export async function saveFailureScreenshot(test: { state?: string; title: string } | undefined, workbench: Workbench | undefined): Promise<string | undefined> {
  if (test?.state !== 'failed' || !workbench) return undefined;
  const slug = test.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  return saveScreenshot(workbench.page, `e2e-failure-${slug}`).catch(() => undefined);
}

/**
 * Waits for a webview frame (webviews are nested iframes, all listed in page.frames()) whose DOM
 * has an element matching `selector` with exactly `text`.
 */
export async function waitForWebviewFrame(page: Page, selector: string, text: string, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      try {
        const texts = await frame.locator(selector).allTextContents();
        if (texts.some((t) => t.trim() === text)) return frame;
      } catch {
        // the frame navigated or detached while we looked
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`No webview frame showed <${selector}>${text}</${selector}> within ${timeoutMs / 1000} s; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
}

/** The chat webview's frame: the one with the composer. */
export async function findChatFrame(page: Page, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if (await frame.locator('textarea[aria-label="Message Kestrel"]').count().catch(() => 0)) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error('The chat composer did not appear');
}

/** Runs a command from the command palette, by its title as the palette shows it. */
export async function runWorkbenchCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}
