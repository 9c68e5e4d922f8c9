import * as assert from 'node:assert/strict';
import { fetchWithRetryWaitLimit } from '../../../src/model/retryWaitLimit';

/** A fetch that answers every call with `status`, `headers` and a JSON error body. */
function answering(status: number, headers: Record<string, string>): typeof fetch {
  return async () => new Response(JSON.stringify({ error: { message: 'slow down' } }), { status, headers });
}

describe('fetchWithRetryWaitLimit', () => {
  it('tells the SDK not to retry when the server asks to wait longer than the limit', async () => {
    const response = await fetchWithRetryWaitLimit(answering(429, { 'retry-after': '60' }), 10_000)('http://x/');
    assert.equal(response.headers.get('x-should-retry'), 'false');
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '60', 'the wait is kept for the error message');
    assert.deepEqual(await response.json(), { error: { message: 'slow down' } });
  });

  it('leaves short waits, answers without a wait and successes to the SDK', async () => {
    const limited = (status: number, headers: Record<string, string>) => fetchWithRetryWaitLimit(answering(status, headers), 10_000)('http://x/');
    assert.equal((await limited(429, { 'retry-after-ms': '2500' })).headers.get('x-should-retry'), null);
    assert.equal((await limited(503, {})).headers.get('x-should-retry'), null);
    assert.equal((await limited(200, { 'retry-after': '60' })).headers.get('x-should-retry'), null);
  });

  it('keeps the limit even when the server asks for a retry', async () => {
    const response = await fetchWithRetryWaitLimit(answering(503, { 'retry-after': '60', 'x-should-retry': 'true' }), 10_000)('http://x/');
    assert.equal(response.headers.get('x-should-retry'), 'false');
  });
});
