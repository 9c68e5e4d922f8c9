/**
 * The Kestrel side-bar webview. It loads only the bundled script and stylesheet from
 * `dist/webview`, under a strict CSP (no inline code, no remote content), and talks to the host
 * through the typed protocol in `src/shared/protocol.ts`.
 */
import * as vscode from 'vscode';
import { parseWebviewMessage, type ConnectionSummary, type HostToWebview } from '../../shared/protocol';

export const CHAT_VIEW_ID = 'kestrel.chatView';

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly connectionSummary: () => Promise<ConnectionSummary>,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const webviewRoot = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot] };
    view.webview.html = renderHtml(view.webview, webviewRoot);
    this.disposables.push(
      view.webview.onDidReceiveMessage(async (raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) return;
        switch (message.type) {
          case 'ready':
            await this.refresh();
            break;
          case 'runCommand': {
            const result: unknown = await vscode.commands.executeCommand(message.command);
            if (message.command === 'kestrel.testConnection' && isReport(result)) {
              this.post({ type: 'connectionTest', ok: result.ok, message: result.message });
            }
            break;
          }
          default:
            assertNever(message);
        }
      }),
      view.onDidDispose(() => (this.view = undefined)),
    );
  }

  /** Sends the current connection summary (after a settings or key change). */
  async refresh(): Promise<void> {
    if (this.view) this.post({ type: 'connection', connection: await this.connectionSummary() });
  }

  private post(message: HostToWebview): void {
    void this.view?.webview.postMessage(message);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function renderHtml(webview: vscode.Webview, root: vscode.Uri): string {
  const nonce = createNonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'chat.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'chat.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data: blob:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${style}" rel="stylesheet">
<title>Kestrel</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64');
}

function isReport(value: unknown): value is { ok: boolean; message: string } {
  return typeof value === 'object' && value !== null && 'ok' in value && 'message' in value;
}

function assertNever(value: never): never {
  throw new Error(`Unhandled webview message: ${JSON.stringify(value)}`);
}
