/**
 * "Kestrel: Show Usage": an editor-area webview with the daily totals and a 30-day chart by
 * feature, updated live as requests are recorded (in this window or another). Like the chat view
 * it loads only its bundled script and stylesheet from `dist/webview`, under a strict CSP, and
 * every message from it is validated before anything acts on it.
 */
import * as vscode from 'vscode';
import { parseUsageViewMessage, type HostToUsageView, type UsageViewData } from '../../shared/usageProtocol';
import { openSetting } from './budgetAlerts';
import { webviewHtml } from '../../host/webviewHtml';

export const USAGE_PANEL_TYPE = 'kestrel.usage';
/** Live updates are batched: completions can record several requests a second. */
const UPDATE_DELAY_MS = 250;

export class UsagePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly posted = new vscode.EventEmitter<HostToUsageView>();
  /** Every message sent to the view (the integration tests watch it). */
  readonly onDidPost = this.posted.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly data: () => UsageViewData,
    private readonly exportCsv: () => Promise<string | undefined>,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens the view, or brings it to the front. */
  show(): void {
    if (this.panel) return this.panel.reveal();
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(USAGE_PANEL_TYPE, 'Kestrel Usage', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [root],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'kestrel.svg');
    panel.webview.html = webviewHtml(panel.webview, root, 'usage', 'Kestrel Usage');
    panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
    panel.onDidDispose(() => {
      this.panel = undefined;
      clearTimeout(this.timer);
    });
    this.panel = panel;
  }

  /** The figures changed: the open view gets them shortly (batched). */
  update(): void {
    if (!this.panel || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.postData();
    }, UPDATE_DELAY_MS);
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseUsageViewMessage(raw);
    if (!message) {
      this.log.warn(`Ignored a malformed message from the usage view: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        return this.postData();
      case 'exportCsv': {
        const result = await this.exportCsv();
        if (result) this.post({ type: 'exported', message: result });
        return;
      }
      case 'openSetting':
        await openSetting(message.setting);
        return;
      default:
        assertNever(message);
    }
  }

  private postData(): void {
    this.post({ type: 'usage', data: this.data() });
  }

  private post(message: HostToUsageView): void {
    this.posted.fire(message);
    void this.panel?.webview.postMessage(message);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
    this.posted.dispose();
  }
}

function assertNever(value: never): never {
  throw new Error(`Unhandled usage view message: ${JSON.stringify(value)}`);
}
