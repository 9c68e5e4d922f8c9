/**
 * The one place that reads `kestrel.*` from VS Code's configuration. Features receive the parsed
 * `KestrelSettings`, never call `getConfiguration` themselves. Problems with values are shown once
 * per distinct problem, not on every read.
 */
import * as vscode from 'vscode';
import { excludeLevels } from '../core/pathExclusions';
import { parseExcludeLevels, parseSettings, type KestrelSettings } from '../core/settings';
import type { Logger } from '../model/types';

export class SettingsStore implements vscode.Disposable {
  private current: KestrelSettings;
  private readonly shownProblems = new Set<string>();
  /** `excludeIn` per folder URI: asked for every file a completion reads, so read once per change. */
  private readonly excludeByFolder = new Map<string, string[]>();
  private readonly changed = new vscode.EventEmitter<KestrelSettings>();
  private readonly subscription: vscode.Disposable;
  /** Fires with the new settings after any `kestrel.*` setting changes. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: Logger) {
    this.current = this.read();
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('kestrel')) return;
      this.excludeByFolder.clear();
      this.current = this.read();
      this.changed.fire(this.current);
    });
  }

  get settings(): KestrelSettings {
    return this.current;
  }

  /**
   * `kestrel.exclude` for files in `folder`: the setting is resource-scoped, so in a multi-root
   * workspace each folder's own `.vscode/settings.json` adds its patterns to everyone else's.
   */
  excludeIn(folder: vscode.Uri): string[] {
    const key = folder.toString();
    const known = this.excludeByFolder.get(key);
    if (known) return known;
    const { patterns, problems } = parseExcludeLevels(excludeLevels(vscode.workspace.getConfiguration('kestrel', folder).inspect('exclude')));
    this.report(problems);
    this.excludeByFolder.set(key, patterns);
    return patterns;
  }

  private read(): KestrelSettings {
    const configuration = vscode.workspace.getConfiguration('kestrel');
    const exclude = parseExcludeLevels(excludeLevels(configuration.inspect('exclude')));
    const { settings, problems } = parseSettings((key) => (key === 'exclude' ? exclude.patterns : configuration.get(key)));
    this.report([...exclude.problems, ...problems]);
    return settings;
  }

  private report(problems: readonly string[]): void {
    for (const problem of problems) {
      if (this.shownProblems.has(problem)) continue;
      this.shownProblems.add(problem);
      this.log.warn(problem);
      void vscode.window.showWarningMessage(`Kestrel: ${problem}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('kestrel.openSettings');
      });
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
