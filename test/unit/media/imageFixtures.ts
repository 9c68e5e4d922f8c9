/**
 * Real image and PDF bytes for the webview's attachment tests, built here rather than mocked:
 * a small PNG encoder (zlib from Node; optionally with the `acTL` chunk of an animated PNG), a
 * hand-written GIF with one or two frames, and a PDF with binary bytes in it. Also a fake image
 * decoder standing in for `createImageBitmap` and a canvas, which jsdom lacks: it takes the size
 * from the bytes, and its "encoded" images are data: URLs that say what was asked for.
 */
import * as zlib from 'node:zlib';
import { sniffImage } from '../../../src/core/vision/imageFormat';
import type { DecodedImage, EncodedType, ImageDecoder } from '../../../media/chat/imageScaling';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A grey PNG of `width` x `height` (8-bit greyscale); `animated` adds an APNG `acTL` chunk. */
export function pngBytes(width: number, height: number, options: { animated?: boolean } = {}): Uint8Array<ArrayBuffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const row = Buffer.alloc(1 + width, 0x80);
  row[0] = 0; // filter: none
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const animation = Buffer.alloc(8);
  animation.writeUInt32BE(2, 0); // frames
  const parts = [
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...(options.animated ? [chunk('acTL', animation)] : []),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ];
  return new Uint8Array(Buffer.concat(parts));
}

/** A GIF89a of `width` x `height` with `frames` 1-pixel image blocks (2 or more: animated). */
export function gifBytes(width: number, height: number, frames = 1): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [...Buffer.from('GIF89a', 'latin1'), width & 0xff, width >> 8, height & 0xff, height >> 8, 0x80, 0, 0];
  bytes.push(0, 0, 0, 0xff, 0xff, 0xff); // global colour table: black, white
  for (let frame = 0; frame < frames; frame++) {
    bytes.push(0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00); // graphic control: 100 ms
    bytes.push(0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0x00); // image descriptor: 1 x 1 at 0,0
    bytes.push(0x02, 0x02, 0x44, 0x01, 0x00); // LZW data of one pixel
  }
  bytes.push(0x3b);
  return new Uint8Array(bytes);
}

/** A small PDF with a page, including bytes above 0x7f (as real PDFs have after the header). */
export function pdfBytes(): Uint8Array<ArrayBuffer> {
  const text =
    '%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

/** What the fake decoder was asked to do. */
export interface DecoderCall {
  /** The source's bytes and type, as handed to the decoder. */
  bytes: Uint8Array;
  type: string;
  encodes: { width: number; height: number; type: EncodedType; quality: number }[];
  closed: boolean;
}

export interface FakeDecoder {
  decode: ImageDecoder;
  calls: DecoderCall[];
}

/** The data: URL the fake decoder "encodes": its payload spells out the request. */
export function fakeEncoded(type: EncodedType, width: number, height: number, quality: number): string {
  return `data:${type};base64,${Buffer.from(`${type} ${width}x${height} q${quality}`).toString('base64')}`;
}

export function fakeDecoder(): FakeDecoder {
  const calls: DecoderCall[] = [];
  const decode: ImageDecoder = async (source) => {
    const bytes = new Uint8Array(await source.arrayBuffer());
    const info = sniffImage(bytes);
    if (!info) throw new Error('undecodable');
    const call: DecoderCall = { bytes, type: source.type, encodes: [], closed: false };
    calls.push(call);
    const image: DecodedImage = {
      width: info.width,
      height: info.height,
      async encode(size, type, quality) {
        call.encodes.push({ ...size, type, quality });
        return fakeEncoded(type, size.width, size.height, quality);
      },
      close() {
        call.closed = true;
      },
    };
    return image;
  };
  return { decode, calls };
}
