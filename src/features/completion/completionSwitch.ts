/**
 * Whether inline completions run, and what the status bar says about them: the global toggle,
 * per-language switches, "snooze for 30 minutes", the pause after failures, and the
 * "waiting for the model" indicator, and the pause while a spending limit is reached.
 */
import * as vscode from 'vscode';
import { FailureBackoff } from '../../core/completion/failureBackoff';
import type { KestrelError } from '../../model/errors';
import type { SettingsStore } from '../../host/configuration';
import type { KestrelStatusBar } from '../../host/statusBar';

const SNOOZE_KEY = 'kestrel.completion.snoozedUntil';
export const SNOOZE_MS = 30 * 60_000;

export class CompletionSwitch implements vscode.Disposable {
  readonly backoff = new FailureBackoff();
  private inFlight = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly settings: SettingsStore,
    private readonly globalState: vscode.Memento,
    private readonly status: KestrelStatusBar,
    /** Why a spending limit pauses completions now (undefined while within budget). */
    private readonly budgetPause: () => string | undefined = () => undefined,
  ) {
    this.refresh();
  }

  /** True when a completion may be requested for this document right now. */
  allows(document: vscode.TextDocument): boolean {
    const { enabled, languages } = this.settings.settings.completion;
    if (!enabled || this.snoozedUntil() > Date.now() || this.budgetPause() !== undefined) return false;
    if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return false;
    return languages[document.languageId] ?? languages['*'] ?? true;
  }

  snoozedUntil(): number {
    return this.globalState.get<number>(SNOOZE_KEY, 0);
  }

  async setEnabled(enabled: boolean): Promise<void> {
    await vscode.workspace.getConfiguration('kestrel').update('completion.enabled', enabled, vscode.ConfigurationTarget.Global);
    if (enabled) await this.globalState.update(SNOOZE_KEY, 0);
    this.refresh();
  }

  async setLanguageEnabled(languageId: string, enabled: boolean): Promise<void> {
    const languages = { ...this.settings.settings.completion.languages, [languageId]: enabled };
    await vscode.workspace.getConfiguration('kestrel').update('completion.languages', languages, vscode.ConfigurationTarget.Global);
  }

  async snooze(ms = SNOOZE_MS): Promise<void> {
    await this.globalState.update(SNOOZE_KEY, Date.now() + ms);
    this.refresh();
  }

  async resume(): Promise<void> {
    await this.globalState.update(SNOOZE_KEY, 0);
    this.refresh();
  }

  /** Marks a request in flight; call the returned function when it ends. */
  beginRequest(): () => void {
    this.inFlight++;
    this.refresh();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight--;
      this.refresh();
    };
  }

  recordFailure(error: KestrelError): number {
    // A refusal over budget is no failure of the endpoint: the budget state shows instead.
    if (error.kind === 'cancelled' || error.kind === 'budget') {
      this.refresh();
      return 0;
    }
    const pause = this.backoff.recordFailure(error.kind, error.message, error.details.retryAfterMs);
    this.refresh();
    return pause;
  }

  recordSuccess(): void {
    if (this.backoff.pausedBecause() === undefined) this.backoff.recordSuccess();
    this.refresh();
  }

  /** The key or the endpoint changed: failures from before say nothing about now. */
  connectionChanged(): void {
    this.backoff.recordSuccess();
    this.refresh();
  }

  /** Shows the current state in the status bar and schedules the next change (end of a pause). */
  refresh(): void {
    clearTimeout(this.timer);
    const now = Date.now();
    const snoozedUntil = this.snoozedUntil();
    const paused = this.backoff.pausedBecause();
    const overBudget = this.budgetPause();
    if (!this.settings.settings.completion.enabled) this.status.show({ kind: 'off' });
    else if (snoozedUntil > now) this.status.show({ kind: 'snoozed', until: snoozedUntil });
    else if (overBudget !== undefined) this.status.show({ kind: 'budget', message: overBudget });
    else if (paused !== undefined) this.status.show(paused.kind === 'auth' ? { kind: 'needsKey' } : { kind: 'error', message: paused.message });
    else if (this.inFlight > 0) this.status.show({ kind: 'working' });
    else this.status.show({ kind: 'ready' });
    const next = Math.min(snoozedUntil > now ? snoozedUntil - now : Infinity, paused !== undefined ? this.backoff.remainingMs() : Infinity);
    if (Number.isFinite(next)) this.timer = setTimeout(() => this.refresh(), next + 50);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
