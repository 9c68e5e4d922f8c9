/**
 * One clear notification when the key is missing or rejected, with the action that fixes it.
 * Inline completion fails on every keystroke while the key is wrong; this shows the problem once
 * and stays quiet until the key changes.
 */
import * as vscode from 'vscode';
import type { KestrelError } from '../model/errors';

export class KeyProblemNotifier implements vscode.Disposable {
  private notified = false;
  private readonly shown = new vscode.EventEmitter<KestrelError>();
  /** Fires each time the notification is actually shown (tests count these). */
  readonly onDidShow = this.shown.event;

  /** Shows the notification unless it was already shown for the current key. */
  notify(error: KestrelError): void {
    if (error.kind !== 'auth' || this.notified) return;
    this.notified = true;
    this.shown.fire(error);
    void vscode.window.showErrorMessage(`Kestrel: ${error.message}`, 'Set API Key', 'Open Settings').then((choice) => {
      if (choice === 'Set API Key') void vscode.commands.executeCommand('kestrel.setApiKey');
      if (choice === 'Open Settings') void vscode.commands.executeCommand('kestrel.openSettings');
    });
  }

  /** The key or endpoint changed: a new failure deserves a new notification. */
  reset(): void {
    this.notified = false;
  }

  dispose(): void {
    this.shown.dispose();
  }
}
