/**
 * Keeps the SDK's automatic retries short. The `openai` SDK waits as long as a 429's `retry-after`
 * says before retrying, silently and without limit: a server asking for a minute would leave the
 * chat spinning and then fail as a timeout. When the server asks for longer than we are willing to
 * wait unseen, the response is marked `x-should-retry: false` (a header the SDK obeys), so the
 * error reaches the user at once with the wait it asked for ("Try again in 60 s") and a Retry.
 */
import { retryAfterFrom } from './errors';

/** The longest wait a retry may take without the user seeing why. */
export const MAX_SILENT_RETRY_WAIT_MS = 10_000;

export function fetchWithRetryWaitLimit(inner: typeof fetch, maxWaitMs = MAX_SILENT_RETRY_WAIT_MS): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.ok) return response;
    const waitMs = retryAfterFrom(response.headers);
    if (waitMs === undefined || waitMs <= maxWaitMs) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}
