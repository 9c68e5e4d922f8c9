/**
 * "Kestrel: Test Connection": one tiny request that proves key, endpoint and model work, and
 * reports the latency, or says in words what is wrong.
 */
import * as vscode from 'vscode';
import { KestrelError } from '../../model/errors';
import type { ModelService } from '../../model/modelService';

export interface ConnectionReport {
  ok: boolean;
  model: string;
  latencyMs: number;
  firstTokenMs?: number;
  message: string;
  error?: KestrelError;
}

/** Sends one cheap request (a few tokens) and measures it. */
export async function checkConnection(service: ModelService, signal?: AbortSignal, now = Date.now): Promise<ConnectionReport> {
  const started = now();
  let model = '';
  let firstTokenMs: number | undefined;
  try {
    for await (const event of service.stream({
      feature: 'connection-test',
      messages: [{ role: 'user', content: 'Reply with the single word OK.' }],
      overrides: { maxCompletionTokens: 5, temperature: 0 },
      signal,
    })) {
      if (event.type === 'content') firstTokenMs ??= now() - started;
      if (event.type === 'finish') model = event.model;
    }
    const latencyMs = now() - started;
    return { ok: true, model, latencyMs, firstTokenMs, message: `Connected to ${model} in ${latencyMs} ms.` };
  } catch (error) {
    const mapped = error instanceof KestrelError ? error : new KestrelError('interrupted', String(error));
    return { ok: false, model, latencyMs: now() - started, message: mapped.message, error: mapped };
  }
}

export function registerTestConnection(service: ModelService): vscode.Disposable {
  return vscode.commands.registerCommand('kestrel.testConnection', async () => {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Kestrel: testing the connection…', cancellable: true },
      (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return checkConnection(service, controller.signal);
      },
    );
    if (report.ok) {
      void vscode.window.showInformationMessage(`Kestrel: ${report.message}`);
    } else if (report.error?.kind !== 'cancelled') {
      // The user asked, so the answer is always shown (unlike the once-only key notification).
      const actions = report.error?.kind === 'auth' ? ['Set API Key', 'Show Log'] : ['Open Settings', 'Show Log'];
      void vscode.window.showErrorMessage(`Kestrel: ${report.message}`, ...actions).then((choice) => {
        if (choice === 'Set API Key') void vscode.commands.executeCommand('kestrel.setApiKey');
        if (choice === 'Open Settings') void vscode.commands.executeCommand('kestrel.openSettings');
        if (choice === 'Show Log') void vscode.commands.executeCommand('kestrel.showLog');
      });
    }
    return report;
  });
}
