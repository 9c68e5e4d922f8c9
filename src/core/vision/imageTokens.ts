/**
 * What an image costs GPT-4o mini, from OpenAI's published rules: at `low` detail a flat base; at
 * `high` detail the image is first fitted within 2048 x 2048, then scaled so its short side is at
 * most 768 px, and each 512 px tile costs extra. GPT-4o mini bills images at inflated counts
 * (2,833 base, 5,667 per tile), so the numbers here are what the user pays for.
 *
 * Kestrel also chooses the size it sends (`fitForDetail`): at `high` detail no larger than
 * `maxSide`, so a 1080p screenshot costs 4 tiles instead of 6 and keeps its text readable.
 */

export type ImageDetail = 'low' | 'high';

export const IMAGE_BASE_TOKENS = 2833;
export const IMAGE_TILE_TOKENS = 5667;
const TILE = 512;
const HIGH_FIT = 2048;
const HIGH_SHORT_SIDE = 768;
const LOW_SIDE = 512;

export interface Size {
  width: number;
  height: number;
}

/** Scales `size` down (never up) to fit within `maxWidth` x `maxHeight`. */
function fitWithin(size: Size, maxWidth: number, maxHeight: number): Size {
  const scale = Math.min(1, maxWidth / size.width, maxHeight / size.height);
  return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
}

/** The size the API works with at high detail. */
export function apiHighDetailSize(size: Size): Size {
  const fitted = fitWithin(size, HIGH_FIT, HIGH_FIT);
  const short = Math.min(fitted.width, fitted.height);
  if (short <= HIGH_SHORT_SIDE) return fitted;
  const scale = HIGH_SHORT_SIDE / short;
  return { width: Math.round(fitted.width * scale), height: Math.round(fitted.height * scale) };
}

/** 512 px tiles the API bills for an image at high detail. */
export function tilesFor(size: Size): number {
  const scaled = apiHighDetailSize(size);
  return Math.ceil(scaled.width / TILE) * Math.ceil(scaled.height / TILE);
}

/** Prompt tokens GPT-4o mini bills for an image of `size` at `detail`. */
export function imageTokens(size: Size, detail: ImageDetail): number {
  return detail === 'low' ? IMAGE_BASE_TOKENS : IMAGE_BASE_TOKENS + IMAGE_TILE_TOKENS * tilesFor(size);
}

/**
 * The size Kestrel sends: at low detail the API only looks at 512 px, so nothing larger is sent;
 * at high detail at most `maxSide` on the long side (what the API would keep anyway, or less).
 */
export function fitForDetail(size: Size, detail: ImageDetail, maxSide: number): Size {
  if (detail === 'low') return fitWithin(size, LOW_SIDE, LOW_SIDE);
  const api = apiHighDetailSize(size);
  return fitWithin(api, maxSide, maxSide);
}
