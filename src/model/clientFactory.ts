/**
 * Builds the one `openai` client for the current connection settings and key. Retries and
 * timeouts are set per request (features differ), so the client itself has neither; a retry never
 * waits longer than `MAX_SILENT_RETRY_WAIT_MS` (retryWaitLimit.ts).
 *
 * No HTTP agent of our own: the SDK uses the global fetch, which VS Code routes through the user's
 * proxy settings. Environment variables the SDK would otherwise read (OPENAI_BASE_URL,
 * OPENAI_ORG_ID, OPENAI_PROJECT) are overridden explicitly, so only Kestrel's settings decide where
 * code goes.
 */
import type OpenAI from 'openai';
import type { ConnectionSettings } from '../core/settings';
import { KestrelError, redactSecrets } from './errors';
import { openAiSdk } from './openaiSdk';
import { fetchWithRetryWaitLimit } from './retryWaitLimit';
import type { Logger } from './types';

/** Local OpenAI-compatible servers (Ollama, LM Studio) need no key, but the SDK insists on one. */
const NO_KEY_PLACEHOLDER = 'no-key';

export function createClient(connection: ConnectionSettings, apiKey: string | undefined, log: Logger, caPem?: string): OpenAI {
  if (!apiKey && connection.provider !== 'openai-compatible') {
    throw new KestrelError('auth', 'No API key is set. Run "Kestrel: Set API Key" or set OPENAI_API_KEY.');
  }
  const common = {
    apiKey: apiKey || NO_KEY_PLACEHOLDER,
    maxRetries: 0,
    defaultHeaders: connection.extraHeaders,
    organization: null,
    project: null,
    // The SDK's own warnings (a malformed stream line, say) go to our log, redacted, not the console.
    logLevel: 'warn' as const,
    logger: sdkLogger(log, apiKey),
    // The global fetch is looked up per request, so VS Code's proxy support still applies. The CA
    // fetch is loaded only when a CA file is set: it pulls in Node's https stack.
    fetch: fetchWithRetryWaitLimit(
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      caPem ? (require('./caFetch') as typeof import('./caFetch')).fetchTrustingCa(caPem) : (input, init) => globalThis.fetch(input, init),
    ),
  };
  const { OpenAI: OpenAIClient, AzureOpenAI } = openAiSdk();
  if (connection.provider === 'azure') {
    return new AzureOpenAI({
      ...common,
      endpoint: connection.baseUrl,
      deployment: connection.azureDeployment,
      apiVersion: connection.azureApiVersion,
    });
  }
  return new OpenAIClient({ ...common, baseURL: connection.baseUrl });
}

function sdkLogger(log: Logger, apiKey: string | undefined) {
  const line = (message: string, rest: unknown[]) =>
    redactSecrets([message, ...rest.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))].join(' '), [apiKey]).slice(0, 2000);
  return {
    error: (message: string, ...rest: unknown[]) => log.warn(`openai: ${line(message, rest)}`),
    warn: (message: string, ...rest: unknown[]) => log.warn(`openai: ${line(message, rest)}`),
    info: (message: string, ...rest: unknown[]) => log.debug(`openai: ${line(message, rest)}`),
    debug: (message: string, ...rest: unknown[]) => log.trace(`openai: ${line(message, rest)}`),
  };
}
