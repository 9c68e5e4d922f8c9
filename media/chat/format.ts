/**
 * How numbers read in a narrow side panel: token counts as `1.2k`, costs with enough digits to be
 * meaningful for fractions of a cent (a typical request costs $0.0002), dates relative to now.
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

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `just now`, `5 min ago`, `3 h ago`, `yesterday`, `4 days ago`, then the date. */
export function formatRelativeTime(then: number, now: number): string {
  const ago = now - then;
  if (ago < MINUTE) return 'just now';
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`;
  if (ago < 2 * DAY) return 'yesterday';
  if (ago < 7 * DAY) return `${Math.floor(ago / DAY)} days ago`;
  return new Date(then).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

function trimZero(value: string): string {
  return value.endsWith('.0') ? value.slice(0, -2) : value;
}
