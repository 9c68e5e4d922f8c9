/**
 * How the webview encodes an image it scales (media/chat/imageScaling.ts): the size from the tile
 * maths, JPEG for photos, PNG for screenshots unless that PNG is huge, a 96 px thumbnail, and a
 * canvas that fails to render is an error rather than a broken attachment.
 */
import * as assert from 'node:assert/strict';
import { MAX_PNG_DATA_URL, scaleImage, thumbnailSize, type DecodedImage, type EncodedType, type ImageDecoder } from '../../../media/chat/imageScaling';

interface Encode {
  width: number;
  height: number;
  type: EncodedType;
  quality: number;
}

/** A decoder of a `width` x `height` image whose PNG renderings are `pngLength` characters long. */
function decoderOf(width: number, height: number, options: { pngLength?: number; broken?: boolean } = {}) {
  const encodes: Encode[] = [];
  let closed = false;
  const decode: ImageDecoder = async () => {
    const image: DecodedImage = {
      width,
      height,
      async encode(size, type, quality) {
        encodes.push({ ...size, type, quality });
        if (options.broken) return 'data:,';
        const prefix = `data:${type};base64,`;
        const length = type === 'image/png' && options.pngLength ? options.pngLength : 100;
        return prefix + 'A'.repeat(length - prefix.length);
      },
      close: () => (closed = true),
    };
    return image;
  };
  return { decode, encodes, closed: () => closed };
}

const source = new Blob([new Uint8Array([1])]);

describe('image scaling (webview)', () => {
  it('sends a photo (JPEG) as JPEG 0.85 at the size for its detail, with a JPEG thumbnail', async () => {
    const fake = decoderOf(4032, 3024);
    const scaled = await scaleImage(fake.decode, source, 'jpeg', 'high', 1024);
    assert.deepEqual([scaled.width, scaled.height, scaled.sourceWidth, scaled.sourceHeight, scaled.detail], [1024, 768, 4032, 3024, 'high']);
    assert.deepEqual(fake.encodes, [
      { width: 1024, height: 768, type: 'image/jpeg', quality: 0.85 },
      { width: 96, height: 72, type: 'image/jpeg', quality: 0.8 },
    ]);
    assert.ok(scaled.dataUrl.startsWith('data:image/jpeg;base64,') && scaled.thumbnail.startsWith('data:image/jpeg;base64,'));
    assert.ok(fake.closed());
  });

  for (const format of ['png', 'gif', 'webp'] as const) {
    it(`sends a ${format} screenshot as PNG`, async () => {
      const fake = decoderOf(1280, 800);
      const scaled = await scaleImage(fake.decode, source, format, 'low', 1024);
      assert.deepEqual(fake.encodes[0], { width: 512, height: 320, type: 'image/png', quality: 1 });
      assert.equal(fake.encodes.length, 2, 'the PNG and the thumbnail');
      assert.ok(scaled.dataUrl.startsWith('data:image/png;base64,'));
    });
  }

  it('falls back to JPEG 0.9 when the PNG would be over 4 MB', async () => {
    const fake = decoderOf(2000, 2000, { pngLength: MAX_PNG_DATA_URL + 1 });
    const scaled = await scaleImage(fake.decode, source, 'png', 'high', 1024);
    assert.deepEqual(
      fake.encodes.map((encode) => [encode.type, encode.quality]),
      [
        ['image/png', 1],
        ['image/jpeg', 0.9],
        ['image/jpeg', 0.8],
      ],
    );
    assert.ok(scaled.dataUrl.startsWith('data:image/jpeg;base64,'));
  });

  it('keeps a PNG of exactly 4 MB', async () => {
    const fake = decoderOf(2000, 2000, { pngLength: MAX_PNG_DATA_URL });
    const scaled = await scaleImage(fake.decode, source, 'png', 'high', 1024);
    assert.ok(scaled.dataUrl.startsWith('data:image/png;base64,'));
  });

  it('never scales up, and keeps thumbnails within 96 px', async () => {
    const fake = decoderOf(40, 30);
    const scaled = await scaleImage(fake.decode, source, 'png', 'high', 1024);
    assert.deepEqual([scaled.width, scaled.height], [40, 30]);
    assert.deepEqual(thumbnailSize({ width: 40, height: 30 }), { width: 40, height: 30 });
    assert.deepEqual(thumbnailSize({ width: 300, height: 3000 }), { width: 10, height: 96 });
    assert.deepEqual(thumbnailSize({ width: 5000, height: 2 }), { width: 96, height: 1 });
  });

  it('fails (and frees the pixels) when the canvas cannot render', async () => {
    const fake = decoderOf(800, 600, { broken: true });
    await assert.rejects(scaleImage(fake.decode, source, 'png', 'high', 1024), /could not be encoded/);
    assert.ok(fake.closed());
  });
});
