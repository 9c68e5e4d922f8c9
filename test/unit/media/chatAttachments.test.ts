/**
 * Images and PDFs in the chat webview as a user meets them: pasting a screenshot or a PDF into the
 * composer, dropping files from the desktop or VS Code's Explorer, the host asking for an image to
 * be scaled, files that are refused (with a notice naming them, the draft kept), the per-question
 * image limit, and the chips with thumbnail, size, price and the High/Low switch.
 *
 * The bytes are real PNG, GIF and PDF files (imageFixtures.ts); only the canvas is faked.
 */
import * as assert from 'node:assert/strict';
import { fitForDetail } from '../../../src/core/vision/imageTokens';
import { parseWebviewMessage, type ContextChip, type CostEstimate, type WebviewToHost } from '../../../src/shared/protocol';
import { buttonNamed, mountChat, question, type MountedChat } from './chatAppFixture';
import { createDomFixture } from './domFixture';
import { fakeDecoder, fakeEncoded, gifBytes, pdfBytes, pngBytes, type FakeDecoder } from './imageFixtures';

const ESTIMATE: CostEstimate = { promptTokens: 1000, usdPerPromptToken: 0.15e-6, usdPerAnswerToken: 0.6e-6, typicalAnswerTokens: 400 };

interface FakeTransfer {
  files?: File[];
  /** Other data by type (`text/plain`, `text/uri-list`, ...). */
  data?: Record<string, string>;
}

/** The part of a DataTransfer the webview reads. */
function transfer({ files = [], data = {} }: FakeTransfer): DataTransfer {
  const types = [...(files.length > 0 ? ['Files'] : []), ...Object.keys(data)];
  return {
    files,
    items: files.map((file) => ({ kind: 'file', type: file.type, getAsFile: () => file })),
    types,
    getData: (type: string) => data[type] ?? '',
    dropEffect: 'none',
  } as unknown as DataTransfer;
}

const file = (bytes: Uint8Array<ArrayBuffer>, name: string, type: string): File => new File([bytes], name, { type });

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** A few turns of the event loop, for checking that nothing more happens. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

const imageChip = (id: string, extra: Partial<ContextChip> = {}): ContextChip => ({
  id,
  kind: 'image',
  label: 'screenshot.png',
  detail: 'screenshot.png, 1920×1080, sent as 1024×576',
  tokens: 25_501,
  removable: true,
  usd: 0.0038,
  thumbnail: fakeEncoded('image/jpeg', 96, 54, 0.8),
  imageDetail: 'high',
  ...extra,
});

describe('chat attachments (webview)', () => {
  let chat: MountedChat;
  let decoder: FakeDecoder;
  beforeEach(() => {
    decoder = fakeDecoder();
    chat = mountChat(undefined, createDomFixture(), { imageDecoder: decoder.decode });
    chat.api.take();
  });
  afterEach(() => chat.app.dispose());

  const paste = (data: DataTransfer): Event => {
    const event = new chat.dom.window.Event('paste', { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'clipboardData', { value: data });
    chat.textarea().dispatchEvent(event);
    return event;
  };
  const dragEvent = (type: string, data: DataTransfer): Event => {
    const event = new chat.dom.window.Event(type, { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'dataTransfer', { value: data });
    return event;
  };
  const drop = (data: DataTransfer, target: Element = chat.$('.transcript')): Event => {
    const event = dragEvent('drop', data);
    target.dispatchEvent(event);
    return event;
  };
  const notices = (): string[] => chat.$$('.notice-error .notice-text').map((node) => node.textContent ?? '');
  const posted = (): WebviewToHost[] => chat.api.take();
  /** Waits for `count` messages, and checks each would pass the host's validation unchanged. */
  const postedAfter = async (count: number): Promise<WebviewToHost[]> => {
    await until(() => chat.api.posted.length >= count, `${count} posted message(s)`);
    const messages = posted();
    for (const message of messages) assert.deepEqual(parseWebviewMessage(JSON.parse(JSON.stringify(message))), message, 'the host accepts it');
    return messages;
  };
  /** Expects a refusal: a notice naming `name`, nothing posted, nothing decoded, the draft kept. */
  const expectRefused = async (name: string, reason: RegExp): Promise<void> => {
    await until(() => notices().length > 0, 'a notice');
    await settle();
    assert.deepEqual(posted(), []);
    assert.equal(decoder.calls.length, 0, 'nothing was decoded');
    assert.equal(notices().length, 1);
    assert.ok(notices()[0].includes(name), notices()[0]);
    assert.match(notices()[0], reason);
    assert.equal(chat.$('.notice-error').getAttribute('role'), 'alert', 'the refusal is announced');
    assert.equal(chat.textarea().value, 'What is wrong here?');
  };

  it('pasting a screenshot scales it and posts attachImage with the scaled image', async () => {
    chat.type('What is wrong here?');
    const bytes = pngBytes(1920, 1080);
    const event = paste(transfer({ files: [file(bytes, 'screenshot.png', 'image/png')] }));
    assert.ok(event.defaultPrevented, 'the paste inserts nothing');
    const [message] = await postedAfter(1);
    const size = fitForDetail({ width: 1920, height: 1080 }, 'high', 1024);
    assert.deepEqual(size, { width: 1024, height: 576 });
    assert.deepEqual(message, {
      type: 'attachImage',
      image: {
        name: 'screenshot.png',
        dataUrl: fakeEncoded('image/png', 1024, 576, 1),
        width: 1024,
        height: 576,
        detail: 'high',
        thumbnail: fakeEncoded('image/jpeg', 96, 54, 0.8),
        sourceWidth: 1920,
        sourceHeight: 1080,
      },
    });
    assert.equal(decoder.calls.length, 1);
    assert.deepEqual(decoder.calls[0].bytes, bytes, 'the scaler got the pasted bytes');
    assert.equal(decoder.calls[0].type, 'image/png');
    assert.ok(decoder.calls[0].closed, 'the decoded pixels are freed');
    assert.equal(chat.textarea().value, 'What is wrong here?', 'the draft is kept');
  });

  describe('a question sent while an image is still being scaled', () => {
    it('waits for the image, saying so, and then goes with it', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      chat.app.dispose();
      chat = mountChat(undefined, createDomFixture(), { imageDecoder: async (source) => (await held, decoder.decode(source)) });
      chat.api.take();
      chat.type('What is wrong here?');
      paste(transfer({ files: [file(pngBytes(1920, 1080), 'screenshot.png', 'image/png')] }));
      chat.press('Enter');
      await settle();
      assert.deepEqual(posted(), [], 'not sent before its image');
      assert.equal(chat.$('.composer-status').textContent, 'Attaching… sending when ready');
      assert.equal(chat.textarea().value, 'What is wrong here?');
      chat.press('Enter');
      release();
      const messages = await postedAfter(2);
      assert.deepEqual(messages.map((m) => m.type), ['attachImage', 'send'], 'the image first, then the question, once');
      assert.equal(chat.textarea().value, '');
      assert.equal(chat.$('.composer-status').textContent, '');
    });

    it('is not sent when the image is refused, and the draft stays', async () => {
      chat.type('What is wrong here?');
      paste(transfer({ files: [file(gifBytes(40, 30, 2), 'spinner.gif', 'image/gif')] }));
      chat.press('Enter');
      await expectRefused('spinner.gif', /animated/);
      assert.match(chat.$('.composer-status').textContent ?? '', /Not sent: an attachment was refused.*Enter to send without it/);
      chat.press('Enter');
      assert.deepEqual(posted(), [{ type: 'send', text: 'What is wrong here?' }], 'a second Enter sends it without');
      assert.equal(chat.$('.composer-status').textContent, '');
    });
  });

  it('names screenshots pasted from the clipboard (all called image.png) apart', async () => {
    paste(transfer({ files: [file(pngBytes(200, 100), 'image.png', 'image/png')] }));
    paste(transfer({ files: [file(pngBytes(200, 100), 'image.png', 'image/png')] }));
    const names = (await postedAfter(2)).map((message) => (message.type === 'attachImage' ? message.image.name : message.type));
    assert.deepEqual(names, ['Pasted image 1.png', 'Pasted image 2.png']);
    drop(transfer({ files: [file(pngBytes(200, 100), 'image.png', 'image/png')] }));
    const [dropped] = await postedAfter(1);
    assert.ok(dropped.type === 'attachImage' && dropped.image.name === 'image.png', 'a file dropped from the desktop keeps its name');
  });

  it('scales at the detail and size of the last imageSettings', async () => {
    chat.send({ type: 'imageSettings', detail: 'low', maxSide: 768, maxImages: 5 });
    paste(transfer({ files: [file(pngBytes(1600, 1200), 'diagram.png', 'image/png')] }));
    const [message] = await postedAfter(1);
    assert.ok(message.type === 'attachImage');
    assert.deepEqual([message.image.detail, message.image.width, message.image.height], ['low', 512, 384]);
  });

  it('a paste of text only posts nothing and is left to the text box', async () => {
    const event = paste(transfer({ data: { 'text/plain': 'const x = 1;' } }));
    assert.equal(event.defaultPrevented, false, 'the text is pasted normally');
    await settle();
    assert.deepEqual(posted(), []);
    assert.deepEqual(notices(), []);
  });

  it('a paste of rich text with a picture of it (Word, Excel) stays a text paste', async () => {
    const event = paste(
      transfer({ files: [file(pngBytes(300, 100), 'image.png', 'image/png')], data: { 'text/plain': 'A\tB\n1\t2', 'text/html': '<table><tr><td>A</td></tr></table>' } }),
    );
    assert.equal(event.defaultPrevented, false);
    await settle();
    assert.deepEqual(posted(), []);
  });

  it('pasting a PDF posts attachDocument with a base64 data URL of exactly its bytes', async () => {
    const bytes = pdfBytes();
    const event = paste(transfer({ files: [file(bytes, 'spec.pdf', 'application/pdf')] }));
    assert.ok(event.defaultPrevented);
    const [message] = await postedAfter(1);
    assert.deepEqual(message, { type: 'attachDocument', name: 'spec.pdf', dataUrl: `data:application/pdf;base64,${Buffer.from(bytes).toString('base64')}` });
    assert.ok(message.type === 'attachDocument');
    assert.deepEqual(new Uint8Array(Buffer.from(message.dataUrl.split(',')[1], 'base64')), bytes);
    assert.equal(decoder.calls.length, 0);
  });

  it('refuses an animated GIF, naming it', async () => {
    chat.type('What is wrong here?');
    paste(transfer({ files: [file(gifBytes(40, 30, 2), 'spinner.gif', 'image/gif')] }));
    await expectRefused('spinner.gif', /animated/);
  });

  it('refuses an animated PNG, naming it', async () => {
    chat.type('What is wrong here?');
    paste(transfer({ files: [file(pngBytes(40, 30, { animated: true }), 'loader.png', 'image/png')] }));
    await expectRefused('loader.png', /animated/);
  });

  it('refuses a 21 MB image without reading it as an image', async () => {
    chat.type('What is wrong here?');
    const huge = new Uint8Array(21 * 1024 * 1024);
    huge.set(pngBytes(40, 30));
    paste(transfer({ files: [file(huge, 'photo.png', 'image/png')] }));
    await expectRefused('photo.png', /21\.0 MB.*up to 20 MB/);
  });

  it('refuses an image more than 20,000 pixels on a side, naming it, instead of posting what the host drops', async () => {
    chat.type('What is wrong here?');
    paste(transfer({ files: [file(pngBytes(30_000, 10), 'panorama.png', 'image/png')] }));
    await expectRefused('panorama.png', /30,000×10 pixels; images up to 20,000 pixels a side/);
  });

  it('scaleImage of an image more than 20,000 pixels on a side tells the host the request failed', async () => {
    chat.send({ type: 'scaleImage', requestId: 'req-9', name: 'scroll.png', dataUrl: `data:image/png;base64,${Buffer.from(pngBytes(10, 25_000)).toString('base64')}` });
    await until(() => notices().length > 0, 'a notice');
    await settle();
    assert.deepEqual(posted(), [{ type: 'scaleFailed', requestId: 'req-9' }], 'so the host stops asking for it');
    assert.match(notices()[0], /^scroll\.png is 10×25,000 pixels/);
    assert.equal(decoder.calls.length, 0);
  });

  it('refuses a 21 MB PDF', async () => {
    chat.type('What is wrong here?');
    const huge = new Uint8Array(21 * 1024 * 1024);
    huge.set(pdfBytes());
    paste(transfer({ files: [file(huge, 'manual.pdf', 'application/pdf')] }));
    await expectRefused('manual.pdf', /21\.0 MB.*PDFs up to 20 MB/);
  });

  it('refuses a file that says it is an image but is not', async () => {
    chat.type('What is wrong here?');
    paste(transfer({ files: [file(new Uint8Array(Buffer.from('MZ\x90\x00 not a picture at all')), 'totally-a-picture.png', 'image/png')] }));
    await expectRefused('totally-a-picture.png', /not a PNG, JPEG, WEBP or GIF/);
  });

  it('refuses a dropped file that is neither an image nor a PDF', async () => {
    chat.type('What is wrong here?');
    drop(transfer({ files: [file(new Uint8Array(Buffer.from('hello')), 'notes.txt', 'text/plain')] }));
    await expectRefused('notes.txt', /not a PNG/);
  });

  it('refuses a .pdf that is not a PDF', async () => {
    chat.type('What is wrong here?');
    paste(transfer({ files: [file(new Uint8Array(Buffer.from('<html>')), 'report.pdf', 'application/pdf')] }));
    await expectRefused('report.pdf', /not a PDF/);
  });

  it('files dropped from the desktop are attached; a hint shows while dragging', async () => {
    const files = [file(pngBytes(800, 600), 'a.png', 'image/png'), file(pdfBytes(), 'b.pdf', 'application/pdf')];
    const data = transfer({ files });
    const overlay = chat.$('.drop-overlay');
    assert.ok(overlay.hidden);
    assert.equal(overlay.getAttribute('aria-hidden'), 'true');
    const enter = dragEvent('dragenter', data);
    chat.$('.transcript').dispatchEvent(enter);
    assert.equal(overlay.hidden, false);
    assert.match(overlay.textContent ?? '', /Drop images or PDFs to attach \(hold Shift\)/);
    const over = dragEvent('dragover', data);
    chat.$('.composer').dispatchEvent(over);
    assert.ok(over.defaultPrevented, 'the drop is accepted');
    const event = drop(data);
    assert.ok(event.defaultPrevented);
    assert.ok(overlay.hidden, 'the hint goes with the drop');
    const messages = await postedAfter(2);
    assert.deepEqual(
      messages.map((message) => message.type),
      ['attachImage', 'attachDocument'],
      'in the order dropped',
    );
  });

  it('a drop from the Explorer (text/uri-list) posts attachUris with those URIs', async () => {
    const uris = 'file:///work/shot%201.png\r\n# a comment\r\nfile:///work/spec.pdf\r\n';
    const event = drop(transfer({ data: { 'text/uri-list': uris } }), chat.textarea());
    assert.ok(event.defaultPrevented, 'the URIs are not dropped into the text as text');
    assert.deepEqual(await postedAfter(1), [{ type: 'attachUris', uris: ['file:///work/shot%201.png', 'file:///work/spec.pdf'] }]);
    drop(transfer({ data: { 'application/vnd.code.uri-list': 'vscode-remote://ssh-remote+box/home/me/x.png' } }));
    assert.deepEqual(await postedAfter(1), [{ type: 'attachUris', uris: ['vscode-remote://ssh-remote+box/home/me/x.png'] }]);
  });

  it('text dragged about inside the view is not taken as an attachment', async () => {
    const data = transfer({ data: { 'text/plain': 'hello' } });
    const over = dragEvent('dragover', data);
    chat.textarea().dispatchEvent(over);
    assert.equal(over.defaultPrevented, false);
    assert.equal(drop(data, chat.textarea()).defaultPrevented, false);
    assert.ok(chat.$('.drop-overlay').hidden);
    await settle();
    assert.deepEqual(posted(), []);
  });

  it('the attach button asks the host for a file picker', () => {
    chat.click(buttonNamed(chat.root, 'Attach image or PDF…')!);
    assert.deepEqual(posted(), [{ type: 'attach', what: 'image' }]);
    assert.ok(buttonNamed(chat.root, 'Attach image or PDF…')!.querySelector('.codicon-file-media'));
  });

  it('scaleImage from the host is answered with attachImage and the same requestId', async () => {
    const dataUrl = `data:image/png;base64,${Buffer.from(pngBytes(640, 480)).toString('base64')}`;
    chat.send({ type: 'scaleImage', requestId: 'req-7', name: 'mock.png', dataUrl });
    const [message] = await postedAfter(1);
    assert.ok(message.type === 'attachImage');
    assert.equal(message.requestId, 'req-7');
    assert.deepEqual([message.image.name, message.image.width, message.image.height, message.image.sourceWidth], ['mock.png', 640, 480, 640]);
    assert.deepEqual(decoder.calls[0].bytes, pngBytes(640, 480), 'the host\'s bytes were decoded');
  });

  it('scaleImage of an animated GIF shows a notice and tells the host the request failed', async () => {
    chat.type('What is wrong here?');
    chat.send({ type: 'scaleImage', requestId: 'req-8', name: 'anim.gif', dataUrl: `data:image/gif;base64,${Buffer.from(gifBytes(10, 10, 3)).toString('base64')}` });
    await until(() => notices().length > 0, 'a notice');
    await settle();
    assert.deepEqual(posted(), [{ type: 'scaleFailed', requestId: 'req-8' }]);
    assert.equal(decoder.calls.length, 0, 'nothing was decoded');
    assert.match(notices()[0], /anim\.gif is animated/);
    assert.equal(chat.textarea().value, 'What is wrong here?');
  });

  describe('the High/Low switch', () => {
    /** Pastes screenshot.png and answers like the host: a chip with the thumbnail posted. */
    async function attached(id: string): Promise<HTMLElement> {
      paste(transfer({ files: [file(pngBytes(1920, 1080), 'screenshot.png', 'image/png')] }));
      const [message] = await postedAfter(1);
      assert.ok(message.type === 'attachImage');
      chat.send({ type: 'context', chips: [imageChip(id, { thumbnail: message.image.thumbnail })], estimate: ESTIMATE });
      return chat.$<HTMLElement>(`.composer [data-chip-id="${id}"]`);
    }

    it('sends the image again at the other detail, replacing its chip', async () => {
      const chip = await attached('img-1');
      const toLow = buttonNamed(chip, 'High detail: send at low detail')!;
      assert.equal(toLow.textContent, 'High');
      chat.click(toLow);
      const [message] = await postedAfter(1);
      assert.ok(message.type === 'attachImage');
      assert.equal(message.replaces, 'img-1');
      assert.deepEqual([message.image.detail, message.image.width, message.image.height], ['low', 512, 288]);
      assert.equal(toLow.getAttribute('aria-disabled'), 'true', 'one switch at a time');
      chat.click(toLow);
      await settle();
      assert.deepEqual(posted(), []);

      // The host replaces the chip with a new one at low detail: it switches back.
      chat.send({ type: 'context', chips: [imageChip('img-2', { thumbnail: message.image.thumbnail, imageDetail: 'low', tokens: 2833 })], estimate: ESTIMATE });
      const toHigh = buttonNamed(chat.$('[data-chip-id="img-2"]'), 'Low detail: send at high detail')!;
      assert.equal(toHigh.textContent, 'Low');
      chat.click(toHigh);
      const [back] = await postedAfter(1);
      assert.ok(back.type === 'attachImage');
      assert.deepEqual([back.replaces, back.image.detail, back.image.width], ['img-2', 'high', 1024]);
    });

    it('is not offered for a chip whose image is no longer here (after a reload)', async () => {
      chat.send({ type: 'context', chips: [imageChip('img-9')], estimate: ESTIMATE });
      const chip = chat.$('[data-chip-id="img-9"]');
      assert.equal(buttonNamed(chip, 'High detail: send at low detail'), undefined);
      assert.equal(chip.querySelector('.chip-detail')?.textContent, 'High', 'the detail is still shown');
    });

    it('lets the image go when its chip is removed', async () => {
      await attached('img-1');
      chat.send({ type: 'context', chips: [], estimate: ESTIMATE });
      // The same chip id again (a host quirk) finds no source any more.
      chat.send({ type: 'context', chips: [imageChip('img-1', { thumbnail: 'data:image/jpeg;base64,AAAA' })], estimate: ESTIMATE });
      assert.equal(buttonNamed(chat.$('[data-chip-id="img-1"]'), 'High detail: send at low detail'), undefined);
    });
  });

  it('image chips show the thumbnail, tokens, price, and a remove button', () => {
    chat.send({ type: 'context', chips: [imageChip('img-1'), imageChip('img-2', { label: 'free.png', usd: 0 })], estimate: ESTIMATE });
    const [priced, free] = chat.$$('.composer .context-chip');
    const thumbnail = priced.querySelector<HTMLImageElement>('img.chip-thumbnail')!;
    assert.equal(thumbnail.getAttribute('src'), imageChip('x').thumbnail);
    assert.equal(thumbnail.alt, 'screenshot.png');
    assert.equal(priced.querySelector('.chip-label')?.textContent, 'screenshot.png');
    assert.equal(priced.querySelector('.chip-tokens')?.textContent, '~25.5k tokens');
    assert.equal(priced.querySelector('.chip-usd')?.textContent, '$0.0038');
    assert.equal(priced.title, 'screenshot.png, 1920×1080, sent as 1024×576');
    assert.equal(free.querySelector('.chip-usd'), null, 'no price when it is unknown');
    chat.click(buttonNamed(priced, 'Remove screenshot.png')!);
    assert.deepEqual(posted(), [{ type: 'removeContext', id: 'img-1' }]);
  });

  it('document chips show the PDF icon, pages, size, tokens and price', () => {
    chat.send({
      type: 'context',
      chips: [{ id: 'doc-1', kind: 'document', label: 'spec.pdf', detail: 'spec.pdf', tokens: 18_000, removable: true, usd: 0.0027, pages: 12, bytes: 1_468_006 }],
      estimate: ESTIMATE,
    });
    const chip = chat.$('.composer .context-chip');
    assert.ok(chip.querySelector('.codicon-file-pdf'));
    assert.equal(chip.textContent, 'spec.pdf12 pages · 1.4 MB~18k tokens$0.0027');
  });

  it('a sent question shows its images as read-only thumbnails', () => {
    chat.send({ type: 'turnAdded', turn: question('q1', 'Why is this red?', { context: [imageChip('img-1')] }) });
    const chip = chat.turn('q1').querySelector<HTMLElement>('.context-chip')!;
    assert.equal(chip.querySelector('img')?.alt, 'screenshot.png');
    assert.equal(chip.querySelector('button'), null, 'no switch, no remove');
  });

  describe('the image limit', () => {
    it('refuses an image beyond maxImages, counting the chips already attached', async () => {
      chat.send({ type: 'imageSettings', detail: 'high', maxSide: 1024, maxImages: 2 });
      chat.send({ type: 'context', chips: [imageChip('img-1')], estimate: ESTIMATE });
      chat.type('What is wrong here?');
      paste(transfer({ files: [file(pngBytes(100, 100), 'two.png', 'image/png'), file(pngBytes(100, 100), 'three.png', 'image/png')] }));
      const [message] = await postedAfter(1);
      assert.ok(message.type === 'attachImage' && message.image.name === 'two.png');
      await until(() => notices().length > 0, 'a notice');
      await settle();
      assert.deepEqual(posted(), []);
      assert.deepEqual(notices(), ['three.png was not attached: a question can carry at most 2 images. Remove one to add another.']);
      assert.equal(chat.textarea().value, 'What is wrong here?');
    });

    it('counts images posted but not yet shown as chips, and frees the count when one is removed', async () => {
      chat.send({ type: 'imageSettings', detail: 'high', maxSide: 1024, maxImages: 1 });
      paste(transfer({ files: [file(pngBytes(100, 100), 'one.png', 'image/png')] }));
      paste(transfer({ files: [file(pngBytes(120, 100), 'two.png', 'image/png')] }));
      await until(() => notices().length > 0, 'a notice');
      assert.match(notices()[0], /^two\.png was not attached/);
      const [message] = await postedAfter(1);
      assert.ok(message.type === 'attachImage');
      // The host shows the chip, then the user removes it: there is room again.
      chat.send({ type: 'context', chips: [imageChip('img-1', { thumbnail: message.image.thumbnail })], estimate: ESTIMATE });
      chat.send({ type: 'context', chips: [], estimate: ESTIMATE });
      paste(transfer({ files: [file(pngBytes(120, 100), 'two.png', 'image/png')] }));
      const [again] = await postedAfter(1);
      assert.ok(again.type === 'attachImage' && again.image.name === 'two.png');
    });
  });
});
