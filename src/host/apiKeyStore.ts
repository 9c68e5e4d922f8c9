/**
 * The API key lives in VS Code's SecretStorage (the OS keychain), one per provider, with the
 * `OPENAI_API_KEY` (or `AZURE_OPENAI_API_KEY`) environment variable as a fallback. The key is
 * never written to settings, logs, webviews or error messages.
 */
import * as vscode from 'vscode';
import type { Provider } from '../core/settings';

const ENVIRONMENT_FALLBACK: Record<Provider, string[]> = {
  openai: ['OPENAI_API_KEY'],
  azure: ['AZURE_OPENAI_API_KEY', 'OPENAI_API_KEY'],
  'openai-compatible': ['OPENAI_API_KEY'],
};

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

  async get(provider: Provider): Promise<{ key: string | undefined; source: KeySource }> {
    const stored = await this.secrets.get(secretName(provider));
    if (stored) return { key: stored, source: 'secret-storage' };
    for (const variable of ENVIRONMENT_FALLBACK[provider]) {
      const value = this.environment[variable]?.trim();
      if (value) return { key: value, source: 'environment' };
    }
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
