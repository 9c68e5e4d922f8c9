/**
 * The API key lives in VS Code's SecretStorage (the OS keychain), one per provider, with an
 * environment variable as a fallback (see environmentKey.ts). The key is never written to
 * settings, logs, webviews or error messages. A key the user stored for the provider is sent
 * wherever they pointed it.
 */
import * as vscode from 'vscode';
import { environmentKey } from '../core/environmentKey';
import type { ConnectionSettings, Provider } from '../core/settings';

export type KeySource = 'secret-storage' | 'environment' | 'none';

export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  /** Fires when a stored key is set or cleared (in this window or another). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly environment: NodeJS.ProcessEnv = process.env,
  ) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key.startsWith('kestrel.apiKey.')) this.changed.fire();
    });
  }

  async get(connection: Pick<ConnectionSettings, 'provider' | 'baseUrl'>): Promise<{ key: string | undefined; source: KeySource }> {
    const stored = await this.secrets.get(secretName(connection.provider));
    if (stored) return { key: stored, source: 'secret-storage' };
    const fromEnvironment = environmentKey(connection, this.environment);
    if (fromEnvironment) return { key: fromEnvironment, source: 'environment' };
    return { key: undefined, source: 'none' };
  }

  async set(provider: Provider, key: string): Promise<void> {
    await this.secrets.store(secretName(provider), key.trim());
  }

  async clear(provider: Provider): Promise<void> {
    await this.secrets.delete(secretName(provider));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function secretName(provider: Provider): string {
  return `kestrel.apiKey.${provider}`;
}
