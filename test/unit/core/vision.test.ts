import * as assert from 'node:assert/strict';
import { buildChatPrompt } from '../../../src/core/chat/chatPrompt';
import { imageProblem, sniffImage } from '../../../src/core/vision/imageFormat';
import { inspectPdf } from '../../../src/core/vision/pdfInfo';
import { documentAttachment, imageAttachment } from '../../../src/core/vision/visionAttachments';
import { estimatePromptTokens } from '../../../src/core/tokenEstimate';
import { dataUrl, gifBytes, pdfBytes, pngBytes } from '../../support/imageFixtures';

describe('images and PDFs: formats, checks and prompts', () => {
  it('reads format and size from the first bytes', () => {
    assert.deepEqual(sniffImage(pngBytes(1920, 1080)), { format: 'png', width: 1920, height: 1080, animated: false });
    assert.deepEqual(sniffImage(gifBytes(1)), { format: 'gif', width: 2, height: 2, animated: false });
    assert.equal(sniffImage(gifBytes(3))?.animated, true);
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0x02, 0xd0, 0x05, 0x00, 3, 0, 0, 0]);
    assert.deepEqual(sniffImage(jpeg), { format: 'jpeg', width: 1280, height: 720, animated: false });
    const webp = Buffer.alloc(30);
    webp.write('RIFF', 0);
    webp.write('WEBPVP8X', 8);
    webp[20] = 0x02; // animation flag
    webp.writeUIntLE(799, 24, 3);
    webp.writeUIntLE(599, 27, 3);
    assert.deepEqual(sniffImage(webp), { format: 'webp', width: 800, height: 600, animated: true });
    assert.equal(sniffImage(Buffer.from('MZ\x90\x00 this is an exe')), undefined);
    assert.equal(sniffImage(Buffer.alloc(0)), undefined);
  });

  it('refuses big, unknown and animated images with a reason that names the file', () => {
    assert.equal(imageProblem('ok.png', 1000, sniffImage(pngBytes(10, 10))), undefined);
    assert.match(imageProblem('huge.png', 41 * 1024 * 1024, sniffImage(pngBytes(10, 10)))!, /^huge\.png is 41\.0 MB; images up to 20 MB/);
    assert.match(imageProblem('notes.txt', 10, undefined)!, /^notes\.txt is not a PNG, JPEG, WEBP or GIF image/);
    assert.match(imageProblem('spinner.gif', 100, sniffImage(gifBytes(2)))!, /^spinner\.gif is animated/);
  });

  it('refuses an image more than 20,000 pixels on a side, which the chat view could not send to the host', () => {
    assert.equal(imageProblem('tall.png', 1000, sniffImage(pngBytes(10, 20_000))), undefined);
    assert.match(imageProblem('panorama.png', 1000, sniffImage(pngBytes(20_001, 10)))!, /^panorama\.png is 20,001×10 pixels; images up to 20,000 pixels a side can be attached\.$/);
    assert.match(imageProblem('log.png', 1000, sniffImage(pngBytes(10, 35_000)))!, /^log\.png is 10×35,000 pixels/);
  });

  it('checks PDFs and counts their pages', () => {
    assert.deepEqual(inspectPdf('spec.pdf', pdfBytes(3)), { pages: 3, bytes: pdfBytes(3).length });
    assert.match((inspectPdf('fake.pdf', Buffer.from('hello')) as { problem: string }).problem, /fake\.pdf is not a PDF/);
    assert.match((inspectPdf('big.pdf', new Uint8Array(21 * 1024 * 1024)) as { problem: string }).problem, /big\.pdf is 21\.0 MB/);
  });

  it('prices an image chip by its scaled size and sends it with its detail level', () => {
    const image = imageAttachment('a1', {
      name: 'screenshot.png',
      dataUrl: dataUrl('image/png', pngBytes(1024, 576)),
      width: 1024,
      height: 576,
      detail: 'high',
      thumbnail: dataUrl('image/png', pngBytes(96, 54)),
      sourceWidth: 1920,
      sourceHeight: 1080,
    });
    assert.equal(image.tokens, 25_501);
    assert.equal(image.detail, 'screenshot.png: 1024×576 (scaled from 1920×1080), high detail');
    const pdf = documentAttachment('a2', 'spec.pdf', dataUrl('application/pdf', pdfBytes(2)), inspectPdf('spec.pdf', pdfBytes(2)) as { pages: number; bytes: number });
    const prompt = buildChatPrompt({ turns: [{ id: 'q', role: 'user', text: 'Make the page look like this', createdAt: 0, attachments: [image, pdf] }], contextTokens: 100_000 });
    const content = prompt.messages[1].content as { type: string }[];
    assert.deepEqual(content[1], { type: 'image_url', image_url: { url: image.content, detail: 'high' } });
    assert.deepEqual(content[2], { type: 'file', file: { filename: 'spec.pdf', file_data: pdf.content } });
    // The budget counts the image by its real size, not a flat guess.
    assert.ok(prompt.promptTokens > 25_501 + 2 * 1500, `${prompt.promptTokens}`);
  });

  it('estimates an image part from the size in its data URL', () => {
    const message = (url: string, detail: 'low' | 'high') => [{ role: 'user', content: [{ type: 'image_url', image_url: { url, detail } }] }];
    const big = dataUrl('image/png', pngBytes(1920, 1080));
    assert.equal(estimatePromptTokens(message(big, 'high')) - estimatePromptTokens([{ role: 'user', content: [] }]), 36_835);
    assert.equal(estimatePromptTokens(message(big, 'low')) - estimatePromptTokens([{ role: 'user', content: [] }]), 2833);
  });

  it('says so when a stored image is missing instead of sending an empty one', () => {
    const lost = { ...imageAttachment('a1', { name: 'gone.png', dataUrl: '', width: 10, height: 10, detail: 'low', thumbnail: '', sourceWidth: 10, sourceHeight: 10 }) };
    const prompt = buildChatPrompt({ turns: [{ id: 'q', role: 'user', text: 'What was that?', createdAt: 0, attachments: [lost] }], contextTokens: 10_000 });
    assert.equal(prompt.messages[1].content, '[An image (gone.png) was attached here, but its file is no longer available.]\n\nWhat was that?');
  });
});
