import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Attachment } from '../../../src/core/chat/chatTypes';
import { DraftAttachmentStore } from '../../../src/features/chat/draftAttachmentStore';
import { imageAttachment } from '../../../src/core/vision/visionAttachments';
import { dataUrl, pngBytes } from '../../support/imageFixtures';

describe('draft attachment store', () => {
  let folder: string;
  const image = (id: string, side: number): Attachment =>
    imageAttachment(id, { name: `${id}.png`, dataUrl: dataUrl('image/png', pngBytes(side, side)), width: side, height: side, detail: 'high', thumbnail: dataUrl('image/png', pngBytes(8, 8)), sourceWidth: side, sourceHeight: side });
  const files = () => fs.readdirSync(path.join(folder, 'draft.files')).sort();

  beforeEach(() => {
    folder = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-draft-')), 'draft');
  });
  afterEach(() => fs.rmSync(path.dirname(folder), { recursive: true, force: true }));

  it('reads back what it saved, the draft and the edit, with the image bytes', async () => {
    const one = image('a1', 40);
    const two = image('a2', 50);
    await new DraftAttachmentStore(folder).save(() => ({ draft: [one], edit: { turnId: 'q1', attachments: [two] } }));
    assert.deepEqual(await new DraftAttachmentStore(folder).load(), { draft: [one], edit: { turnId: 'q1', attachments: [two] } });
  });

  it('removes the file of an image no longer attached, and everything once the draft is empty', async () => {
    const store = new DraftAttachmentStore(folder);
    await store.save(() => ({ draft: [image('a1', 40), image('a2', 50)] }));
    assert.deepEqual(files(), ['a1.png', 'a2.png']);
    await store.save(() => ({ draft: [image('a2', 50)] }));
    assert.deepEqual(files(), ['a2.png']);
    await store.save(() => ({ draft: [] }));
    assert.deepEqual(fs.readdirSync(folder), []);
    assert.equal(await store.load(), undefined);
  });

  it('writes one state at a time and ends with the newest', async () => {
    const store = new DraftAttachmentStore(folder);
    const saves = [1, 2, 3, 4].map((n) => store.save(() => ({ draft: [image(`a${n}`, 20 + n)] })));
    await Promise.all(saves);
    assert.deepEqual((await store.load())?.draft.map((a) => a.id), ['a4']);
    assert.deepEqual(files(), ['a4.png']);
  });

  it('ignores a file it cannot read', async () => {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'draft.json'), '{"version":1,"draft":[{"id":3}]}');
    assert.equal(await new DraftAttachmentStore(folder).load(), undefined);
  });
});
