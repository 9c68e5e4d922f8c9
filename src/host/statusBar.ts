/**
 * Kestrel's status bar item: one glance tells whether Kestrel is ready, busy, or needs the user.
 * Features report into it; clicking it opens Kestrel's menu.
 */
import * as vscode from 'vscode';

export type StatusState =
  | { kind: 'ready'; detail?: string }
  | { kind: 'off' }
  | { kind: 'snoozed'; until: number }
  | { kind: 'working'; detail?: string }
  | { kind: 'needsKey' }
  | { kind: 'budget'; message: string }
  | { kind: 'error'; message: string };

export class KestrelStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('kestrel.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Kestrel';
    this.item.command = 'kestrel.showMenu';
    this.show({ kind: 'ready' });
    this.item.show();
  }

  /** What the item says (the integration tests read it). */
  get text(): string {
    return `${this.item.text} ${String(this.item.tooltip)}`;
  }

  show(state: StatusState): void {
    this.item.backgroundColor = undefined;
    switch (state.kind) {
      case 'ready':
        this.item.text = '$(sparkle) Kestrel';
        this.item.tooltip = `Kestrel inline completions are on${state.detail ? ` (${state.detail})` : ''}. Click for options.`;
        break;
      case 'off':
        this.item.text = '$(circle-slash) Kestrel';
        this.item.tooltip = 'Kestrel inline completions are off. Click to turn them on or for other options.';
        break;
      case 'snoozed': {
        const until = new Date(state.until).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
        this.item.text = '$(clock) Kestrel';
        this.item.tooltip = `Kestrel inline completions are snoozed until ${until}. Click to resume.`;
        break;
      }
      case 'working':
        this.item.text = '$(loading~spin) Kestrel';
        this.item.tooltip = `Kestrel is waiting for the model${state.detail ? ` (${state.detail})` : ''}.`;
        break;
      case 'needsKey':
        this.item.text = '$(key) Kestrel';
        this.item.tooltip = 'Kestrel needs an API key. Click to set one.';
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
      case 'budget':
        this.item.text = '$(circle-slash) Kestrel';
        this.item.tooltip = `Kestrel inline completions are paused: ${state.message}. Raise the limit in Settings, or they resume when the period ends. Click for options.`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
      case 'error':
        this.item.text = '$(warning) Kestrel';
        this.item.tooltip = `Kestrel: ${state.message}`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
      default:
        assertNever(state);
    }
    this.item.accessibilityInformation = { label: `Kestrel: ${String(this.item.tooltip)}` };
  }

  dispose(): void {
    this.item.dispose();
  }
}

function assertNever(value: never): never {
  throw new Error(`Unhandled status: ${JSON.stringify(value)}`);
}
