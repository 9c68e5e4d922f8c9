/**
 * The message protocol between the extension host and the Kestrel side-bar webview: one
 * discriminated union per direction, shared by both bundles. The host checks everything it
 * receives at runtime (`parseWebviewMessage`), since a webview is a less trusted place.
 */

/** Commands the webview may ask the host to run; anything else is refused. */
export const WEBVIEW_COMMANDS = ['kestrel.setApiKey', 'kestrel.testConnection', 'kestrel.openSettings', 'kestrel.openWalkthrough', 'kestrel.showLog'] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];

export interface ConnectionSummary {
  provider: 'openai' | 'azure' | 'openai-compatible';
  endpoint: string;
  model: string;
  /** Where the key comes from; the key itself never reaches the webview. */
  keySource: 'secret-storage' | 'environment' | 'none';
}

export type HostToWebview = { type: 'connection'; connection: ConnectionSummary } | { type: 'connectionTest'; ok: boolean; message: string };

export type WebviewToHost = { type: 'ready' } | { type: 'runCommand'; command: WebviewCommand };

/** Validates a message from the webview; undefined for anything malformed or not allowed. */
export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as { type?: unknown; command?: unknown };
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'runCommand':
      return WEBVIEW_COMMANDS.includes(message.command as WebviewCommand) ? { type: 'runCommand', command: message.command as WebviewCommand } : undefined;
    default:
      return undefined;
  }
}
