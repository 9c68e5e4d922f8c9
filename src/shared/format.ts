/**
 * How token counts and costs read, in the chat, the usage view and the status bar alike: token
 * counts as `1.2k`, costs with enough digits to be meaningful for fractions of a cent (a typical
 * request costs $0.0002). No DOM and no Node, so both bundles use it.
 */

/** `812`, `1.2k`, `13k`, `1.5M`. */
export function formatTokens(tokens: number): string {
  const n = Math.max(0, Math.round(tokens));
  if (n < 1000) return String(n);
  // One decimal up to 100k: an image at high detail is 25.5k, and 25.5k vs 26k is 2% of the price.
  if (n < 99_950) return `${trimZero((n / 1000).toFixed(1))}k`;
  if (n < 999_500) return `${Math.round(n / 1000)}k`;
  return `${trimZero((n / 1_000_000).toFixed(1))}M`;
}

/** `$0`, `<$0.00001`, `$0.0002`, `$0.012`, `$0.35`, `$1.20`: two significant digits below $1. */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd) || usd <= 0) return '$0';
  if (usd < 0.00001) return '<$0.00001';
  if (usd < 1) return `$${Number(usd.toPrecision(2))}`;
  return `$${usd.toFixed(2)}`;
}

function trimZero(value: string): string {
  return value.endsWith('.0') ? value.slice(0, -2) : value;
}
