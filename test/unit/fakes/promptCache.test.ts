// Unit tests of the test server's prompt-cache emulation: OpenAI's 1,024-token minimum, 128-token
// blocks, longest shared prefix across recent prompts, and expiry on a controlled clock.
import assert from 'node:assert/strict';
import { PromptCache, roundCachedTokens } from '../../fakes/promptCache';

/** Distinct token ids starting at `from`, so prompts share exactly the prefixes a test builds. */
function tokens(count: number, from = 0): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

describe('PromptCache', () => {
  let clock: number;
  let cache: PromptCache;
  beforeEach(() => {
    clock = 1_000_000;
    cache = new PromptCache({ now: () => clock });
  });

  it('rounds a common prefix down to whole 128-token blocks, and to 0 under 1,024', () => {
    assert.equal(roundCachedTokens(1023), 0);
    assert.equal(roundCachedTokens(1024), 1024);
    assert.equal(roundCachedTokens(1151), 1024);
    assert.equal(roundCachedTokens(1500), 1408);
  });

  it('reports nothing the first time and the rounded prompt the second time', () => {
    const prompt = tokens(1500);
    assert.equal(cache.lookupAndStore(prompt), 0);
    assert.equal(cache.lookupAndStore(prompt), Math.floor(1500 / 128) * 128);
  });

  it('never caches a prompt under 1,024 tokens', () => {
    const prompt = tokens(1000);
    cache.lookupAndStore(prompt);
    assert.equal(cache.lookupAndStore(prompt), 0);
  });

  it('counts the longest prefix shared with any recent prompt', () => {
    cache.lookupAndStore(tokens(1300));
    cache.lookupAndStore(tokens(2100));
    // Shares 2,000 tokens with the second prompt, then diverges.
    const next = [...tokens(2000), ...tokens(500, 50_000)];
    assert.equal(cache.lookup(next), roundCachedTokens(2000));
    // Diverging before 1,024 tokens leaves nothing to reuse.
    assert.equal(cache.lookup([...tokens(1000), ...tokens(1000, 50_000)]), 0);
  });

  it('needs the prefix to match from the first token', () => {
    cache.lookupAndStore(tokens(2000));
    assert.equal(cache.lookup([99_999, ...tokens(2000)]), 0);
  });

  it('forgets prompts not sent for the TTL, and a hit refreshes them', () => {
    const prompt = tokens(1500);
    cache.lookupAndStore(prompt);
    clock += 5 * 60_000 - 1;
    assert.equal(cache.lookupAndStore(prompt), 1408, 'still cached just before the TTL');
    clock += 5 * 60_000 - 1;
    assert.equal(cache.lookup(prompt), 1408, 'the hit above refreshed the entry');
    clock += 1;
    assert.equal(cache.lookup(prompt), 0, 'expired exactly one TTL after the last use');
  });

  it('honours a custom TTL', () => {
    const short = new PromptCache({ now: () => clock, ttlMs: 1000 });
    short.lookupAndStore(tokens(1500));
    clock += 1000;
    assert.equal(short.lookup(tokens(1500)), 0);
  });

  it('keeps scopes (models) apart', () => {
    cache.lookupAndStore(tokens(1500), 'gpt-4o-mini');
    assert.equal(cache.lookup(tokens(1500), 'gpt-4o'), 0);
    assert.equal(cache.lookup(tokens(1500), 'gpt-4o-mini'), 1408);
  });

  it('lookup does not store', () => {
    assert.equal(cache.lookup(tokens(1500)), 0);
    assert.equal(cache.lookup(tokens(1500)), 0);
    assert.equal(cache.size, 0);
  });
});
