/**
 * The API key Kestrel falls back to when none is stored: `OPENAI_API_KEY`, or for Azure
 * `AZURE_OPENAI_API_KEY`. Such a key was not given to Kestrel for a particular server, so it is
 * never sent in clear text: over `http://` only to this machine (a local Ollama or LM Studio).
 */
import type { ConnectionSettings, Provider } from './settings';

const VARIABLE: Record<Provider, string> = {
  openai: 'OPENAI_API_KEY',
  // An OpenAI key does not open an Azure resource; it would only be leaked to it.
  azure: 'AZURE_OPENAI_API_KEY',
  'openai-compatible': 'OPENAI_API_KEY',
};

/** The environment variable the fallback reads for `provider`. */
export function environmentKeyVariable(provider: Provider): string {
  return VARIABLE[provider];
}

/** The key from `environment` for `connection`, or undefined (unset, or it would travel in clear text). */
export function environmentKey(connection: Pick<ConnectionSettings, 'provider' | 'baseUrl'>, environment: Record<string, string | undefined>): string | undefined {
  const value = environment[VARIABLE[connection.provider]]?.trim();
  return value && staysPrivate(connection.baseUrl) ? value : undefined;
}

/** True when a key sent to `baseUrl` is encrypted on the way or never leaves this machine. */
export function staysPrivate(baseUrl: string): boolean {
  try {
    const url = new URL(baseUrl);
    return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}
