import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChatHistoryStore } from '../../../src/features/chat/chatHistoryStore';
import { dataUrl, pdfBytes, pngBytes } from '../../support/imageFixtures';

describe('chat history store', () => {
  let folder: string;
  let clock: number;
  const store = (max = 50) => new ChatHistoryStore(folder, () => max, () => clock++);
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-history-'));
    clock = 1_000;
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('keeps conversations across store instances (a restart)', async () => {
    const first = store();
    const chat = first.newConversation('Sorting');
    chat.turns.push({ id: 't1', role: 'user', text: 'How do I sort?', createdAt: clock });
    chat.turns.push({ id: 't2', role: 'assistant', text: 'Use `sort`.', createdAt: clock, status: 'interrupted', error: 'connection reset' });
    await first.save(chat);
    const again = store();
    assert.deepEqual(await again.load(chat.id), chat);
    assert.deepEqual((await again.list()).map((s) => [s.title, s.turnCount]), [['Sorting', 2]]);
  });

  it('lists the most recent first, renames and deletes', async () => {
    const s = store();
    const a = s.newConversation('a');
    const b = s.newConversation('b');
    await s.save(a);
    await s.save(b);
    await s.rename(a.id, 'renamed a');
    assert.deepEqual((await s.list()).map((c) => c.title), ['renamed a', 'b']);
    await s.delete(b.id);
    assert.deepEqual((await s.list()).map((c) => c.title), ['renamed a']);
  });

  it('prunes the oldest conversations beyond the limit', async () => {
    const s = store(3);
    for (const title of ['1', '2', '3', '4', '5']) await s.save({ ...s.newConversation(title) });
    assert.deepEqual((await s.list()).map((c) => c.title), ['5', '4', '3']);
  });

  it('prunes on a full save, not on the checkpoints of an answer still streaming', async () => {
    const s = store(2);
    for (const title of ['1', '2']) await s.save(s.newConversation(title));
    const streaming = s.newConversation('3');
    await s.save(streaming, { prune: false });
    assert.equal((await s.list()).length, 3, 'a checkpoint lists and deletes nothing');
    await s.save(streaming);
    assert.deepEqual((await s.list()).map((c) => c.title), ['3', '2']);
  });

  it('sets a corrupt file aside, says so, and keeps the rest', async () => {
    const s = store();
    const good = s.newConversation('good');
    await s.save(good);
    fs.writeFileSync(path.join(folder, '0badf00d.json'), '{"version":1,"conversation":{"id":');
    const fresh = store();
    assert.deepEqual((await fresh.list()).map((c) => c.title), ['good']);
    assert.equal(fresh.problems.length, 1);
    assert.match(fresh.problems[0], /could not be read/);
    assert.ok(fs.readdirSync(folder).some((name) => name.startsWith('0badf00d.json.corrupt-')), 'the bytes are kept');
  });

  it('refuses ids that could escape the folder', async () => {
    const s = store();
    assert.equal(await s.load('../../etc/passwd'), undefined);
    await assert.rejects(s.save({ ...s.newConversation(), id: '../x' }));
  });

  it('leaves no temporary files behind', async () => {
    const s = store();
    await Promise.all(Array.from({ length: 10 }, (_, i) => s.save(s.newConversation(`c${i}`))));
    assert.deepEqual(fs.readdirSync(folder).filter((name) => !name.endsWith('.json')), []);
  });

  it('keeps images and PDFs as files beside the chat, not in its JSON, and removes them with it', async () => {
    const s = store();
    const chat = s.newConversation('With a screenshot');
    const png = dataUrl('image/png', pngBytes(640, 360));
    const pdf = dataUrl('application/pdf', pdfBytes(2));
    const image = { id: 'a1', kind: 'image' as const, label: 'shot.png', detail: 'shot.png', language: '', content: png, tokens: 8500, thumbnail: 'data:image/png;base64,AAAA' };
    const doc = { id: 'a2', kind: 'document' as const, label: 'spec.pdf', detail: 'spec.pdf', language: '', content: pdf, tokens: 3000 };
    chat.turns.push({ id: 't1', role: 'user', text: 'Look', createdAt: clock, attachments: [image, doc] });
    await s.save(chat);
    await s.save(chat); // saved again after the answer: the files are written once
    const json = fs.readFileSync(path.join(folder, `${chat.id}.json`), 'utf8');
    assert.ok(json.length < 2000, `the JSON holds no image bytes (${json.length} characters)`);
    assert.deepEqual(fs.readdirSync(path.join(folder, `${chat.id}.files`)).sort(), ['a1.png', 'a2.pdf']);
    assert.deepEqual(fs.readFileSync(path.join(folder, `${chat.id}.files`, 'a1.png')), pngBytes(640, 360));

    const loaded = await store().load(chat.id);
    assert.deepEqual(loaded?.turns[0].attachments, [image, doc]);
    assert.deepEqual(chat.turns[0].attachments?.[0].content, png, 'saving does not empty the chat in memory');

    await s.delete(chat.id);
    assert.deepEqual(fs.readdirSync(folder), []);
  });
});
