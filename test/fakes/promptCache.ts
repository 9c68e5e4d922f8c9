// Emulates OpenAI's automatic prompt caching for the test server's `cached_tokens`: a prompt of at
// least 1,024 tokens reuses the longest prefix it shares with a prompt seen in the last few
// minutes, counted in whole 128-token blocks. Kept apart from the server so it is unit-testable.
import { createHash, type Hash } from 'node:crypto';

export interface PromptCacheOptions {
  /** How long a prefix stays cached after it was last sent (default 5 minutes). */
  readonly ttlMs?: number;
  /** Clock in milliseconds; tests pass a controllable one to expire entries without waiting. */
  readonly now?: () => number;
  /** Shortest prompt that is cached at all (OpenAI: 1,024). */
  readonly minTokens?: number;
  /** Cache hits grow in blocks of this many tokens (OpenAI: 128). */
  readonly blockTokens?: number;
}

/** The cached-token count OpenAI reports for a given common prefix length. */
export function roundCachedTokens(commonPrefix: number, minTokens = 1024, blockTokens = 128): number {
  if (commonPrefix < minTokens) return 0;
  return Math.floor(commonPrefix / blockTokens) * blockTokens;
}

// Sweeping expired keys costs a pass over the map, so it runs only once the map has grown.
const SWEEP_THRESHOLD = 20_000;

/**
 * Remembers a hash of every block-aligned prefix (1,024, 1,152, ... tokens) of each prompt, with
 * the time it was last sent. The longest such prefix of a new prompt that is still remembered is
 * exactly `roundCachedTokens(longest common prefix with any recent prompt)`, and lookups cost one
 * pass over the prompt instead of a comparison with every stored prompt.
 */
export class PromptCache {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly minTokens: number;
  private readonly blockTokens: number;
  private readonly lastSeen = new Map<string, number>();
  private sweepAt = SWEEP_THRESHOLD;

  constructor(options: PromptCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    this.minTokens = options.minTokens ?? 1024;
    this.blockTokens = options.blockTokens ?? 128;
    if (this.minTokens % this.blockTokens !== 0) throw new Error('minTokens must be a multiple of blockTokens');
  }

  /** Cached tokens for this prompt, then remembers it: what one API request does. */
  lookupAndStore(tokens: readonly number[], scope = ''): number {
    const keys = this.prefixKeys(tokens, scope);
    const cached = this.longestLiveHit(keys);
    const now = this.now();
    for (const { key } of keys) this.lastSeen.set(key, now);
    this.maybeSweep(now);
    return cached;
  }

  /** Cached tokens this prompt would get, without remembering it. */
  lookup(tokens: readonly number[], scope = ''): number {
    return this.longestLiveHit(this.prefixKeys(tokens, scope));
  }

  clear(): void {
    this.lastSeen.clear();
  }

  /** Number of remembered prefixes (for tests of the sweep). */
  get size(): number {
    return this.lastSeen.size;
  }

  private longestLiveHit(keys: readonly { length: number; key: string }[]): number {
    const now = this.now();
    for (let i = keys.length - 1; i >= 0; i--) {
      const seen = this.lastSeen.get(keys[i].key);
      if (seen !== undefined && now - seen < this.ttlMs) return keys[i].length;
    }
    return 0;
  }

  private prefixKeys(tokens: readonly number[], scope: string): { length: number; key: string }[] {
    const keys: { length: number; key: string }[] = [];
    if (tokens.length < this.minTokens) return keys;
    // The scope (the model) seeds the hash: OpenAI does not share cache entries across models.
    const hash: Hash = createHash('sha256').update(scope).update('\0');
    const block = new Uint32Array(this.blockTokens);
    for (let end = this.blockTokens; end <= tokens.length; end += this.blockTokens) {
      for (let i = 0; i < this.blockTokens; i++) block[i] = tokens[end - this.blockTokens + i];
      hash.update(block);
      if (end >= this.minTokens) keys.push({ length: end, key: hash.copy().digest('base64') });
    }
    return keys;
  }

  private maybeSweep(now: number): void {
    if (this.lastSeen.size < this.sweepAt) return;
    for (const [key, seen] of this.lastSeen) if (now - seen >= this.ttlMs) this.lastSeen.delete(key);
    this.sweepAt = Math.max(SWEEP_THRESHOLD, this.lastSeen.size * 2);
  }
}
