/**
 * The one place that reads `kestrel.*` from VS Code's configuration. Features receive the parsed
 * `KestrelSettings`, never call `getConfiguration` themselves. Problems with values are shown once
 * per distinct problem, not on every read.
 */
import * as vscode from 'vscode';
import { parseSettings, type KestrelSettings } from '../core/settings';
import type { Logger } from '../model/types';

export class SettingsStore implements vscode.Disposable {
  private current: KestrelSettings;
  private readonly shownProblems = new Set<string>();
  private readonly changed = new vscode.EventEmitter<KestrelSettings>();
  private readonly subscription: vscode.Disposable;
  /** Fires with the new settings after any `kestrel.*` setting changes. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: Logger) {
    this.current = this.read();
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('kestrel')) return;
      this.current = this.read();
      this.changed.fire(this.current);
    });
  }

  get settings(): KestrelSettings {
    return this.current;
  }

  private read(): KestrelSettings {
    const configuration = vscode.workspace.getConfiguration('kestrel');
    const { settings, problems } = parseSettings((key) => configuration.get(key));
    for (const problem of problems) {
      if (this.shownProblems.has(problem)) continue;
      this.shownProblems.add(problem);
      this.log.warn(problem);
      void vscode.window.showWarningMessage(`Kestrel: ${problem}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('kestrel.openSettings');
      });
    }
    return settings;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
