/**
 * What an image file is, from its first bytes: format, pixel size and whether it is animated.
 * Used before decoding anything (a 40 MB file or a renamed .exe is refused without being read
 * into a canvas) and by the test server to bill an image by its real size. PNG, JPEG, WEBP and
 * GIF are what GPT-4o mini accepts; an animated GIF or WEBP is refused, since only its first
 * frame would be seen.
 */

import { MAX_IMAGE_SIDE } from '../../shared/protocol';

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif';

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
  animated: boolean;
}

/** The largest file accepted, as OpenAI's image inputs allow. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

export const IMAGE_MIME_TYPES: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };

/** Format and size of `bytes`, or undefined when they are not a PNG, JPEG, WEBP or GIF image. */
export function sniffImage(bytes: Uint8Array): ImageInfo | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (offset: number, length: number) => String.fromCharCode(...bytes.subarray(offset, offset + length));
  if (bytes.length >= 24 && ascii(1, 3) === 'PNG' && bytes[0] === 0x89 && ascii(12, 4) === 'IHDR') {
    // An `acTL` chunk before the image data makes it an animated PNG.
    return { format: 'png', width: view.getUint32(16), height: view.getUint32(20), animated: hasPngChunk(bytes, 'acTL') };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return sniffJpeg(bytes, view);
  if (bytes.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return sniffWebp(bytes, view, ascii);
  if (bytes.length >= 10 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) {
    return { format: 'gif', width: view.getUint16(6, true), height: view.getUint16(8, true), animated: gifFrames(bytes) > 1 };
  }
  return undefined;
}

function hasPngChunk(bytes: Uint8Array, type: string): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 8; offset + 8 <= bytes.length; ) {
    const length = view.getUint32(offset);
    const name = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (name === type) return true;
    if (name === 'IDAT' || name === 'IEND') return false;
    offset += 12 + length;
  }
  return false;
}

function sniffJpeg(bytes: Uint8Array, view: DataView): ImageInfo | undefined {
  for (let offset = 2; offset + 9 < bytes.length; ) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1];
    // Start-of-frame markers (not DHT, JPG or DAC) carry the size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { format: 'jpeg', width: view.getUint16(offset + 7), height: view.getUint16(offset + 5), animated: false };
    }
    offset += 2 + view.getUint16(offset + 2);
  }
  return undefined;
}

function sniffWebp(bytes: Uint8Array, view: DataView, ascii: (offset: number, length: number) => string): ImageInfo | undefined {
  const chunk = ascii(12, 4);
  if (chunk === 'VP8X') {
    const flags = bytes[20];
    const width = 1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16));
    const height = 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16));
    return { format: 'webp', width, height, animated: (flags & 0x02) !== 0 };
  }
  if (chunk === 'VP8L') {
    const bits = view.getUint32(21, true);
    return { format: 'webp', width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff), animated: false };
  }
  if (chunk === 'VP8 ') return { format: 'webp', width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff, animated: false };
  return undefined;
}

/** Counts image descriptors, walking the GIF's blocks (stops counting at 2: that is enough). */
function gifFrames(bytes: Uint8Array): number {
  let offset = 13;
  if (bytes[10] & 0x80) offset += 3 * 2 ** ((bytes[10] & 0x07) + 1); // global colour table
  let frames = 0;
  const skipSubBlocks = () => {
    while (offset < bytes.length && bytes[offset] !== 0) offset += bytes[offset] + 1;
    offset++;
  };
  while (offset < bytes.length && frames < 2) {
    const block = bytes[offset];
    if (block === 0x3b) break; // trailer
    if (block === 0x21) {
      offset += 2;
      skipSubBlocks();
    } else if (block === 0x2c) {
      frames++;
      const packed = bytes[offset + 9];
      offset += 10;
      if (packed & 0x80) offset += 3 * 2 ** ((packed & 0x07) + 1); // local colour table
      offset++; // LZW minimum code size
      skipSubBlocks();
    } else {
      break;
    }
  }
  return frames;
}

/** Why an image cannot be attached, in words for the user, or undefined when it can. */
export function imageProblem(name: string, bytes: number, info: ImageInfo | undefined): string | undefined {
  if (bytes > MAX_IMAGE_BYTES) return `${name} is ${(bytes / 1024 / 1024).toFixed(1)} MB; images up to 20 MB can be attached.`;
  if (!info) return `${name} is not a PNG, JPEG, WEBP or GIF image (or it is damaged).`;
  if (info.animated) return `${name} is animated; the model would only see its first frame. Attach a still image (a screenshot of the frame you mean).`;
  if (info.width < 1 || info.height < 1) return `${name} has no pixels.`;
  if (info.width > MAX_IMAGE_SIDE || info.height > MAX_IMAGE_SIDE) {
    const pixels = (n: number) => n.toLocaleString('en-US');
    return `${name} is ${pixels(info.width)}×${pixels(info.height)} pixels; images up to ${pixels(MAX_IMAGE_SIDE)} pixels a side can be attached.`;
  }
  return undefined;
}
