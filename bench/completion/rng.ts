/**
 * Seeded randomness for the completion benchmark: mulberry32 plus a string/number hash, so every
 * random choice (inter-key times, oracle mistakes) is a pure function of the seed and a position.
 * Keying draws by position instead of by call order keeps the typing trace identical for every
 * policy, even though policies make the typist skip different characters.
 */

/** mulberry32: a tiny, fast 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts (numbers and strings), for deriving independent seeds. */
export function hashSeed(...parts: (number | string)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const text = `${part}\u0001`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return h >>> 0;
}

/** A generator seeded by the parts. */
export function rngFor(...parts: (number | string)[]): () => number {
  return mulberry32(hashSeed(...parts));
}

/** Log-normal draw with the given median and sigma (of the underlying normal). */
export function logNormal(rng: () => number, median: number, sigma: number): number {
  // Box-Muller; 1 - rng() avoids log(0).
  const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return median * Math.exp(sigma * z);
}

export function uniform(rng: () => number, min: number, max: number): number {
  return min + (max - min) * rng();
}
