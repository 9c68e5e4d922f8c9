/**
 * Turns whatever went wrong talking to the model into a `KestrelError` a user can act on.
 *
 * The mapping is by kind, not by message text, so features can decide what to show (a key prompt
 * for `auth`, a wait for `rateLimit`, nothing at all for `cancelled`). Server messages are kept
 * for the log, but redacted: OpenAI's own 401 text quotes part of the key.
 */
import { openAiSdk } from './openaiSdk';

export type KestrelErrorKind =
  | 'auth' // 401/403, or no key at all
  | 'notFound' // 404: wrong model, deployment or base URL
  | 'rateLimit' // 429
  | 'badRequest' // 400/422: the endpoint refused what we sent (unsupported parameter, image...)
  | 'server' // 5xx
  | 'network' // could not connect
  | 'timeout'
  | 'interrupted' // the stream broke after it started
  | 'cancelled'
  | 'budget' // a spending limit was reached (and the user chose not to send anyway)
  | 'config'; // settings that cannot work

export class KestrelError extends Error {
  constructor(
    readonly kind: KestrelErrorKind,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; serverMessage?: string } = {},
  ) {
    super(message);
    this.name = 'KestrelError';
  }
}

/** Redacts anything that looks like a credential, and the given secrets, from text. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result.replace(/\b(sk|rk|pk)-[A-Za-z0-9_*-]{4,}/g, '[redacted key]').replace(/(Bearer\s+)\S+/gi, '$1[redacted]');
}

/** Maps an error thrown by the openai SDK, fetch or our own code to a user-actionable KestrelError. */
export function toKestrelError(error: unknown, context: { model: string; baseUrl: string; secrets?: readonly (string | undefined)[] }): KestrelError {
  if (error instanceof KestrelError) return error;
  const {
    APIConnectionError,
    APIConnectionTimeoutError,
    APIError,
    APIUserAbortError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
  } = openAiSdk();
  const secrets = context.secrets ?? [];
  const serverMessage = error instanceof Error ? redactSecrets(error.message, secrets) : undefined;
  const status = error instanceof APIError ? error.status : undefined;
  const details = { status, serverMessage };

  if (error instanceof APIUserAbortError || isAbortError(error)) return new KestrelError('cancelled', 'The request was cancelled.', details);
  if (error instanceof APIConnectionTimeoutError) {
    return new KestrelError('timeout', `The model did not answer in time (${context.baseUrl}).`, details);
  }
  if (error instanceof APIConnectionError) {
    return new KestrelError('network', `Cannot reach ${context.baseUrl}. Check the base URL, your network or proxy, and that the server is running.`, details);
  }
  if (error instanceof AuthenticationError) {
    return new KestrelError('auth', 'The API key was rejected (401). Set a valid key with "Kestrel: Set API Key".', details);
  }
  if (error instanceof PermissionDeniedError) {
    return new KestrelError('auth', `The API key is not allowed to use ${context.model} here (403). Check the key's project, organization or region.`, details);
  }
  if (error instanceof NotFoundError) {
    return new KestrelError('notFound', `Model "${context.model}" or the endpoint ${context.baseUrl} was not found (404). Check the model, deployment and base URL settings.`, details);
  }
  if (error instanceof RateLimitError) {
    const retryAfterMs = retryAfterFrom(error.headers);
    const quota = /quota|billing/i.test(error.message);
    const wait = retryAfterMs !== undefined ? ` Try again in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.` : '';
    const message = quota
      ? 'The account has run out of quota (429). Check your plan and billing.'
      : `Rate limited by the server (429).${wait}`;
    return new KestrelError('rateLimit', message, { ...details, retryAfterMs });
  }
  if (error instanceof BadRequestError || status === 422) {
    return new KestrelError('badRequest', `The endpoint refused the request: ${serverMessage ?? 'bad request'}.`, details);
  }
  if (error instanceof APIError && status !== undefined && status >= 500) {
    return new KestrelError('server', `The model server failed (${status}). It is usually temporary; try again.`, details);
  }
  if (error instanceof APIError && status === undefined) {
    // An error object sent inside an open stream (OpenAI does this for server-side failures).
    return new KestrelError('interrupted', `The answer stopped midway: ${serverMessage ?? 'the server reported an error'}.`, details);
  }
  if (error instanceof APIError) {
    return new KestrelError('badRequest', `The endpoint answered ${status}: ${serverMessage ?? 'unexpected error'}.`, details);
  }
  return new KestrelError('interrupted', `The connection broke: ${serverMessage ?? String(error)}.`, details);
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'APIUserAbortError');
}

/** Reads `retry-after-ms` or `retry-after` (seconds or an HTTP date) as milliseconds. */
export function retryAfterFrom(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
