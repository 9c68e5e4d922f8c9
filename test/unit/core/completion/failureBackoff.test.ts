import * as assert from 'node:assert/strict';
import { FailureBackoff } from '../../../../src/core/completion/failureBackoff';

describe('failure backoff', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('waits at least as long as a 429 asks, then lets requests through', () => {
    const backoff = new FailureBackoff(clock);
    assert.equal(backoff.recordFailure('rateLimit', 'Rate limited', 20_000), 20_000);
    assert.deepEqual(backoff.pausedBecause(), { kind: 'rateLimit', message: 'Rate limited' });
    now += 19_999;
    assert.deepEqual(backoff.pausedBecause(), { kind: 'rateLimit', message: 'Rate limited' });
    now += 1;
    assert.equal(backoff.pausedBecause(), undefined);
  });

  it('doubles the pause on repeated outages, up to a minute, and forgets after a success', () => {
    const backoff = new FailureBackoff(clock);
    assert.equal(backoff.recordFailure('network', 'down'), 0, 'one failure is not an outage');
    const pauses = [2, 3, 4, 5, 6, 7, 8, 9].map(() => backoff.recordFailure('network', 'down'));
    assert.deepEqual(pauses, [2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    backoff.recordSuccess();
    assert.equal(backoff.pausedBecause(), undefined);
    assert.equal(backoff.recordFailure('network', 'down'), 0);
  });

  it('pauses until the key changes after an auth failure', () => {
    const backoff = new FailureBackoff(clock);
    backoff.recordFailure('auth', 'bad key');
    now += 24 * 3_600_000;
    assert.deepEqual(backoff.pausedBecause(), { kind: 'auth', message: 'bad key' });
    backoff.recordSuccess();
    assert.equal(backoff.pausedBecause(), undefined);
  });

  it('does not pause after an interrupted stream', () => {
    const backoff = new FailureBackoff(clock);
    assert.equal(backoff.recordFailure('interrupted', 'broken'), 0);
    assert.equal(backoff.pausedBecause(), undefined);
  });
});
