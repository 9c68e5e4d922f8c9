// Shared set-up for integration tests: Kestrel's test API, the OpenAI test server, and settings
// that point Kestrel at it. Settings are written to user settings (the scope the real ones use).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KestrelTestApi } from '../../src/extension';
import type { HostToWebview } from '../../src/shared/protocol';
import { startOpenAiTestServer, type OpenAiTestServer } from '../fakes/openaiTestServer';

export const TEST_KEY = 'sk-kestrel-integration-0123456789abcdef';

export async function kestrelApi(): Promise<KestrelTestApi> {
  const api = await vscode.extensions.getExtension<KestrelTestApi | undefined>('kestrel-dev.kestrel')!.activate();
  if (!api) throw new Error('Kestrel did not return its test API (not running in test mode?)');
  return api;
}

/** Writes `kestrel.*` user settings and waits until VS Code reports them. */
export async function setSettings(values: Record<string, unknown>): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('kestrel');
  for (const [key, value] of Object.entries(values)) await configuration.update(key, value, vscode.ConfigurationTarget.Global);
  // inspect() rather than get(): VS Code merges object settings with their defaults.
  await waitFor(
    () => Object.entries(values).every(([key, value]) => JSON.stringify(vscode.workspace.getConfiguration('kestrel').inspect(key)?.globalValue) === JSON.stringify(value)),
    'settings to apply',
  );
}

/** Starts the test server, points Kestrel at it and stores the key through the real command. */
export async function connectToTestServer(settings: Record<string, unknown> = {}): Promise<OpenAiTestServer> {
  const server = await startOpenAiTestServer({ apiKey: TEST_KEY });
  await setSettings({ provider: 'openai', baseUrl: server.baseUrl, ...settings });
  await vscode.commands.executeCommand('kestrel.setApiKey', TEST_KEY);
  return server;
}

export async function resetSettings(keys: string[]): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('kestrel');
  for (const key of keys) await configuration.update(key, undefined, vscode.ConfigurationTarget.Global);
}

export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Everything Kestrel has written to its log files so far. */
export function readKestrelLog(api: KestrelTestApi): string {
  const folder = api.logUri.fsPath;
  if (!fs.existsSync(folder)) return '';
  return fs.readdirSync(folder).map((file) => fs.readFileSync(path.join(folder, file), 'utf8')).join('\n');
}

/** Writes `content` (with `|` at the cursor) to a workspace file, opens it and puts the cursor there. */
export async function openWithCursor(relativePath: string, content: string): Promise<vscode.TextEditor> {
  const file = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, relativePath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content.replace('|', ''));
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
  const position = editor.document.positionAt(content.indexOf('|'));
  editor.selection = new vscode.Selection(position, position);
  return editor;
}

type Posted<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;

/** Records what the host posts to the chat webview, from creation until dispose. */
export class PostedMessages implements vscode.Disposable {
  messages: HostToWebview[] = [];
  private readonly listener: vscode.Disposable;

  constructor(api: KestrelTestApi) {
    this.listener = api.chatView.onDidPost((message) => this.messages.push(message));
  }

  clear(): void {
    this.messages = [];
  }

  all<T extends HostToWebview['type']>(type: T): Posted<T>[] {
    return this.messages.filter((m): m is Posted<T> => m.type === type);
  }

  last<T extends HostToWebview['type']>(type: T): Posted<T> | undefined {
    return this.all(type).at(-1);
  }

  /** The last answer once it has stopped streaming. */
  answerFinished(): Promise<Posted<'turnUpdated'>> {
    return waitFor(() => this.last('turnUpdated')?.turn.status !== 'streaming' && this.last('turnUpdated'), 'the answer to finish');
  }

  dispose(): void {
    this.listener.dispose();
  }
}
