/** Bridges VS Code's CancellationToken to the AbortSignal that the openai SDK and fetch honour. */
import type * as vscode from 'vscode';

/** An AbortSignal that aborts when `token` is cancelled; dispose it when the request ends. */
export function abortSignalFor(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener.dispose() };
}
