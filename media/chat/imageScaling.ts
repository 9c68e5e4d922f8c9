/// <reference lib="dom" />
/**
 * Scales an image in the webview before it is attached, so a 4K screenshot travels to the host
 * (and the model) at the size it is billed for, not at 20 MB. The size comes from the shared
 * tile maths (`fitForDetail`); the encoding follows the source: photos (JPEG) stay JPEG, while
 * screenshots and UI (PNG, GIF, WEBP) become PNG so text stays crisp, unless that PNG is huge
 * (a photo saved as PNG), when JPEG is the sensible trade. A 96 px JPEG thumbnail goes with it.
 *
 * Decoding and drawing sit behind `ImageDecoder` (the canvas one here), so the policy can be
 * tested in jsdom, which has no canvas.
 */
import type { ImageFormat } from '../../src/core/vision/imageFormat';
import { fitForDetail, type ImageDetail, type Size } from '../../src/core/vision/imageTokens';
import type { ScaledImage } from '../../src/shared/protocol';

export const THUMBNAIL_SIDE = 96;
/** Over this, a PNG rendering is sent as JPEG instead. */
export const MAX_PNG_DATA_URL = 4 * 1024 * 1024;
export const JPEG_QUALITY = 0.85;
export const JPEG_FALLBACK_QUALITY = 0.9;
export const THUMBNAIL_QUALITY = 0.8;

export type EncodedType = 'image/png' | 'image/jpeg';

/** A decoded image (its orientation applied): it can be drawn at any size and encoded. */
export interface DecodedImage extends Size {
  /** A `data:image/...;base64,` URL of the image drawn at `size`. */
  encode(size: Size, type: EncodedType, quality: number): Promise<string>;
  /** Frees the pixels. */
  close(): void;
}

export type ImageDecoder = (source: Blob) => Promise<DecodedImage>;

/** What is sent for one image (everything of the protocol's `ScaledImage` but the name). */
export type ScaledPixels = Omit<ScaledImage, 'name'>;

const ENCODED = /^data:image\/(?:png|jpeg);base64,[A-Za-z0-9+/]+=*$/;

/** Decodes `source` (a `format` image) and renders it for `detail`, at most `maxSide` at high. */
export async function scaleImage(decode: ImageDecoder, source: Blob, format: ImageFormat, detail: ImageDetail, maxSide: number): Promise<ScaledPixels> {
  const image = await decode(source);
  try {
    const sourceSize: Size = { width: image.width, height: image.height };
    if (sourceSize.width < 1 || sourceSize.height < 1) throw new Error('the image has no pixels');
    const size = fitForDetail(sourceSize, detail, maxSide);
    const encode = async (target: Size, type: EncodedType, quality: number): Promise<string> => {
      const url = await image.encode(target, type, quality);
      // A canvas that cannot render (too large, out of memory) gives `data:,` instead of failing.
      if (!ENCODED.test(url)) throw new Error(`the image could not be encoded as ${type}`);
      return url;
    };
    let dataUrl: string;
    if (format === 'jpeg') {
      dataUrl = await encode(size, 'image/jpeg', JPEG_QUALITY);
    } else {
      dataUrl = await encode(size, 'image/png', 1);
      if (dataUrl.length > MAX_PNG_DATA_URL) dataUrl = await encode(size, 'image/jpeg', JPEG_FALLBACK_QUALITY);
    }
    const thumbnail = await encode(thumbnailSize(sourceSize), 'image/jpeg', THUMBNAIL_QUALITY);
    return { dataUrl, ...size, detail, thumbnail, sourceWidth: sourceSize.width, sourceHeight: sourceSize.height };
  } finally {
    image.close();
  }
}

export function thumbnailSize(size: Size): Size {
  const scale = Math.min(1, THUMBNAIL_SIDE / size.width, THUMBNAIL_SIDE / size.height);
  return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
}

/** Decodes with `createImageBitmap` and draws into a canvas (the webview's real decoder). */
export function canvasDecoder(win: Window & typeof globalThis): ImageDecoder {
  return async (source) => {
    const bitmap = await win.createImageBitmap(source, { imageOrientation: 'from-image' });
    return {
      width: bitmap.width,
      height: bitmap.height,
      async encode(size, type, quality) {
        const canvas = win.document.createElement('canvas');
        canvas.width = size.width;
        canvas.height = size.height;
        const context = canvas.getContext('2d');
        if (!context) throw new Error('no 2D canvas');
        if (type === 'image/jpeg') {
          // JPEG has no transparency: a transparent screenshot would turn black without this.
          context.fillStyle = '#ffffff';
          context.fillRect(0, 0, size.width, size.height);
        }
        context.imageSmoothingEnabled = true;
        context.imageSmoothingQuality = 'high';
        context.drawImage(bitmap, 0, 0, size.width, size.height);
        const url = canvas.toDataURL(type, quality);
        // Give the canvas memory back now rather than at the next garbage collection.
        canvas.width = 0;
        canvas.height = 0;
        return url;
      },
      close: () => bitmap.close(),
    };
  };
}
