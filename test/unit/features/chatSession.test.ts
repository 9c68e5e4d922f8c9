import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { CONTINUE_REQUEST } from '../../../src/core/chat/chatPrompt';
import type { Attachment } from '../../../src/core/chat/chatTypes';
import { ChatHistoryStore } from '../../../src/features/chat/chatHistoryStore';
import { ChatSession, type ChatSessionOptions } from '../../../src/features/chat/chatSession';
import { DraftAttachmentStore } from '../../../src/features/chat/draftAttachmentStore';
import type { HostToWebview } from '../../../src/shared/protocol';
import { startOpenAiTestServer, type OpenAiTestServer } from '../../fakes/openaiTestServer';
import { makeHarness, type Harness } from '../model/serviceHarness';
import { imageAttachment } from '../../../src/core/vision/visionAttachments';
import { dataUrl, pngBytes } from '../../support/imageFixtures';

type Posted<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;

describe('chat session', function () {
  this.timeout(10_000);
  let server: OpenAiTestServer;
  let folder: string;
  let draftFolder: string;
  let harness: Harness;
  let posted: HostToWebview[];
  let openId: string | undefined;
  let instructions: Attachment | undefined;

  const newSession = (extra: Partial<ChatSessionOptions> = {}) =>
    new ChatSession({
      model: harness.service,
      store: new ChatHistoryStore(folder, () => 50),
      drafts: new DraftAttachmentStore(draftFolder),
      settings: () => harness.state.settings,
      instructions: async () => instructions,
      post: (message) => posted.push(message),
      openChat: { get: () => openId, set: (id) => void (openId = id) },
      log: harness.log,
      ...extra,
    });
  const all = <T extends HostToWebview['type']>(type: T) => posted.filter((m): m is Posted<T> => m.type === type);
  const last = <T extends HostToWebview['type']>(type: T) => all(type).at(-1);
  const firstDelta = async () => {
    while (!posted.some((m) => m.type === 'answerDelta')) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  const bodyOf = (index: number) => server.requests[index].body as ChatCompletionCreateParams;
  const selection: Attachment = {
    id: 'a1',
    kind: 'selection',
    label: 'sum.ts:1-3',
    detail: 'src/sum.ts, lines 1-3 (typescript)',
    language: 'typescript',
    content: 'export function sum(xs: number[]) {\n  return xs.reduce((a, b) => a + b, 0);\n}',
    tokens: 24,
  };

  beforeEach(async () => {
    server = await startOpenAiTestServer({ apiKey: 'sk-test-key' });
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-chat-'));
    draftFolder = path.join(folder, 'draft');
    harness = makeHarness(server, { 'chat.maxRetries': 0 });
    posted = [];
    openId = undefined;
    instructions = undefined;
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('streams an answer in batches, prices it, saves the chat and titles it from the question', async () => {
    const session = newSession();
    await session.ready();
    const answer = 'Use `Array.prototype.sort` with a comparator:\n\n```ts\nxs.sort((a, b) => a - b);\n```\n';
    server.enqueue({ content: answer, tokensPerSecond: 400 });
    await session.send('How do I sort numbers?');

    const [question, reply] = all('turnAdded').map((m) => m.turn);
    assert.deepEqual([question.role, question.text], ['user', 'How do I sort numbers?']);
    assert.deepEqual([reply.role, reply.status], ['assistant', 'streaming']);
    const deltas = all('answerDelta');
    assert.equal(deltas.map((d) => d.text).join(''), answer);
    assert.ok(deltas.every((d) => d.turnId === reply.id));
    const tokens = server.requests[0].usage!.completion_tokens;
    assert.ok(deltas.length > 1 && deltas.length < tokens, `${deltas.length} batches for ${tokens} tokens`);
    assert.equal(deltas[0].text, 'Use', 'the first word is posted at once, not after a batch');
    const done = last('turnUpdated')!.turn;
    assert.equal(done.status, 'complete');
    assert.equal(done.text, answer);
    assert.equal(done.usage?.completionTokens, tokens);
    assert.ok(done.usage!.usd > 0 && done.usage!.usd < 0.001);
    assert.deepEqual(all('busy').map((m) => m.busy), [true, false]);

    const saved = await new ChatHistoryStore(folder, () => 50).load(openId!);
    assert.equal(saved?.title, 'How do I sort numbers?');
    assert.deepEqual(saved?.turns.map((t) => [t.role, t.text, t.status]), [
      ['user', 'How do I sort numbers?', undefined],
      ['assistant', answer, 'complete'],
    ]);
    assert.equal(last('conversations')?.conversations[0].title, 'How do I sort numbers?');
  });

  it('saves an answer while it streams, so a crash loses at most the last moments; a reload shows it as interrupted', async () => {
    const first = newSession({ saveIntervalMs: 100 });
    await first.ready();
    server.enqueue({ content: 'First answer.' }, { content: 'word '.repeat(400), tokensPerSecond: 100 });
    await first.send('First question');
    const streaming = first.send('Second');
    const store = new ChatHistoryStore(folder, () => 50);
    const savedAnswer = async () => (await store.load(openId!))?.turns[3]?.text ?? '';
    for (let i = 0; i < 100 && !(await savedAnswer()).startsWith('word word word'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.match(await savedAnswer(), /^word word word/, 'the text streamed so far is on disk');

    // The extension host died: the next one reads what is on disk while nothing ends the answer.
    posted = [];
    const second = newSession();
    await second.ready();
    const view = last('conversation')!.conversation;
    assert.equal(view.id, openId);
    assert.deepEqual(view.turns.slice(0, 3).map((t) => t.text), ['First question', 'First answer.', 'Second']);
    assert.match(view.turns[3].text, /^word word word/);
    assert.equal(view.turns[3].status, 'interrupted');
    assert.match(view.turns[3].error!, /interrupted when VS Code closed/);
    first.stop();
    await streaming;
  });

  it('closing VS Code while an answer streams saves it before the extension host goes', async () => {
    const session = newSession();
    server.enqueue({ content: 'word '.repeat(400), tokensPerSecond: 100 });
    void session.send('Tell me a lot');
    while (all('answerDelta').length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await session.dispose();
    // Read at once: nothing may still be on its way to the disk.
    const file = JSON.parse(fs.readFileSync(path.join(folder, `${openId}.json`), 'utf8')) as { conversation: { turns: { text: string; status?: string; error?: string }[] } };
    const saved = file.conversation.turns[1];
    assert.match(saved.text, /^word word/);
    assert.equal(saved.status, 'interrupted');
    assert.match(saved.error!, /interrupted when VS Code closed/);
  });

  it('Stop aborts the HTTP request and keeps the partial answer, marked as stopped', async () => {
    const session = newSession();
    server.enqueue({ content: 'word '.repeat(400), tokensPerSecond: 100 });
    const sending = session.send('Tell me a lot');
    // The first word is posted at once; wait for a batch after it.
    while (all('answerDelta').length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    session.stop();
    await sending;
    await server.waitForAbort(0);
    assert.equal(server.requests[0].aborted, true);
    const done = last('turnUpdated')!.turn;
    assert.equal(done.status, 'cancelled');
    assert.ok(done.text.startsWith('word word'), 'the partial answer stays');
    assert.equal(done.error, undefined);
    assert.equal(session.busy, false);
  });

  it('keeps a broken answer with its error; Retry answers again in its place', async () => {
    const session = newSession();
    server.enqueue({ fault: 'resetMidStream', afterTokens: 5, content: 'Partial answer that breaks off here and more' });
    await session.send('Explain closures');
    const broken = last('turnUpdated')!.turn;
    assert.equal(broken.status, 'interrupted');
    assert.ok(broken.text.length > 0);
    assert.match(broken.error!, /connection broke/);

    server.enqueue({ content: 'A closure captures variables.' });
    await session.regenerate(broken.id);
    assert.deepEqual(last('turnsRemoved')?.turnIds, [broken.id]);
    assert.equal(last('turnUpdated')!.turn.text, 'A closure captures variables.');
    assert.deepEqual(session.current.turns.map((t) => t.role), ['user', 'assistant']);
    assert.deepEqual(bodyOf(1).messages.map((m) => m.role), ['system', 'user'], 'the broken answer is not sent back');
  });

  describe('a Regenerate that brings no text keeps the answer it was to replace', () => {
    const savedTexts = async () => (await new ChatHistoryStore(folder, () => 50).load(openId!))?.turns.map((t) => t.text);

    it('when the request fails: the answer stays, on screen and on disk, and the error is shown', async () => {
      const session = newSession();
      server.enqueue({ content: 'A good answer.' }, { status: 429, message: 'Rate limit reached for gpt-4o-mini' });
      await session.send('Explain closures');
      const good = session.current.turns[1];
      await session.regenerate(good.id);

      assert.deepEqual(session.current.turns.map((t) => t.text), ['Explain closures', 'A good answer.']);
      assert.equal(session.current.turns[1].status, 'complete');
      assert.deepEqual(await savedTexts(), ['Explain closures', 'A good answer.']);
      const failed = all('turnAdded').at(-2)!.turn;
      assert.equal(failed.status, 'streaming', 'the new answer had started');
      assert.deepEqual(last('turnsRemoved')?.turnIds, [failed.id], 'the failed answer leaves the transcript');
      assert.deepEqual([last('turnAdded')!.turn.id, last('turnAdded')!.turn.text], [good.id, 'A good answer.'], 'the good one comes back');
      assert.match(last('notice')!.message, /previous answer is kept.*rate limit/is);
    });

    it('when stopped before any text: the answer stays, and the disk never lost it', async () => {
      const session = newSession();
      server.enqueue({ content: 'A good answer.' }, { content: 'Never seen.', ttftMs: 5000 });
      await session.send('Explain closures');
      const good = session.current.turns[1];
      const regenerating = session.regenerate(good.id);
      await server.waitForRequest(1);
      assert.deepEqual(await savedTexts(), ['Explain closures', 'A good answer.'], 'a crash now would not lose it');
      session.stop();
      await regenerating;
      assert.deepEqual(session.current.turns.map((t) => [t.text, t.status]), [['Explain closures', undefined], ['A good answer.', 'complete']]);
      assert.deepEqual(await savedTexts(), ['Explain closures', 'A good answer.']);
      assert.equal(all('notice').length, 0, 'Stop needs no explanation');
    });

    it('but an answer that brought text replaces it, even if it broke off', async () => {
      const session = newSession();
      server.enqueue({ content: 'A good answer.' }, { fault: 'resetMidStream', afterTokens: 3, content: 'A different answer that breaks off' });
      await session.send('Explain closures');
      await session.regenerate(session.current.turns[1].id);
      const [, answer] = session.current.turns;
      assert.equal(answer.status, 'interrupted');
      assert.ok(answer.text.startsWith('A different'), answer.text);
      assert.deepEqual((await savedTexts())?.[1], answer.text);
    });
  });

  it('says what went wrong on a 429 and loses nothing', async () => {
    const session = newSession();
    server.enqueue({ status: 429, message: 'Rate limit reached for gpt-4o-mini' });
    await session.send('Hello?');
    const failed = last('turnUpdated')!.turn;
    assert.equal(failed.status, 'interrupted');
    assert.match(failed.error!, /rate limit/i);
    assert.equal(session.current.turns[0].text, 'Hello?');
  });

  it('continues an answer cut at the output limit in the same turn', async () => {
    const session = newSession();
    server.enqueue({ content: 'The first half', finishReason: 'length' });
    await session.send('Write a long story');
    const cut = last('turnUpdated')!.turn;
    assert.equal(cut.status, 'truncated');

    server.enqueue({ content: ' and the second half.' });
    await session.continue(cut.id);
    const continued = last('turnUpdated')!.turn;
    assert.equal(continued.id, cut.id);
    assert.equal(continued.text, 'The first half and the second half.');
    assert.equal(continued.status, 'complete');
    const messages = bodyOf(1).messages;
    assert.deepEqual(messages.slice(-2), [
      { role: 'assistant', content: 'The first half' },
      { role: 'user', content: CONTINUE_REQUEST },
    ]);
    assert.equal(continued.usage!.completionTokens, server.requests[0].usage!.completion_tokens + server.requests[1].usage!.completion_tokens);
  });

  it('sends attached code with the question, shows it as a chip with a cost estimate, then clears it', async () => {
    const session = newSession();
    instructions = { ...selection, id: 'instructions', kind: 'instructions', label: 'instructions.md', detail: '.kestrel/instructions.md', content: 'Prefer functional style.' };
    await session.ready();
    const before = last('context')!;
    session.attach(selection);
    await new Promise((resolve) => setImmediate(resolve));
    const withCode = last('context')!;
    assert.deepEqual(withCode.chips.map((c) => [c.kind, c.label, c.removable]), [
      ['instructions', 'instructions.md', false],
      ['selection', 'sum.ts:1-3', true],
    ]);
    assert.ok(withCode.estimate.promptTokens > before.estimate.promptTokens);
    assert.equal(withCode.estimate.usdPerPromptToken, 0.15e-6);

    server.enqueue({ content: 'It adds them.' });
    await session.send('What does this do?');
    const sent = bodyOf(0).messages;
    assert.match(String(sent[0].content), /Prefer functional style\./);
    assert.match(String(sent[1].content), /src\/sum\.ts, lines 1-3 \(typescript\):\n```typescript\nexport function sum/);
    assert.deepEqual(all('turnAdded')[0].turn.context?.map((c) => c.label), ['sum.ts:1-3']);
    assert.deepEqual(last('context')!.chips.map((c) => c.kind), ['instructions'], 'the chip is used up by the question');
  });

  it('clears the chips of what was sent as soon as the question goes, not when its answer ends', async () => {
    const session = newSession();
    session.attach(selection);
    server.enqueue({ content: 'slow '.repeat(300), tokensPerSecond: 100 });
    const sending = session.send('What does this do?');
    await firstDelta();
    assert.deepEqual(last('context')?.chips, [], 'the draft carries nothing while the answer streams');
    session.stop();
    await sending;
  });

  it('edit-and-resend replaces the last question, keeping what was attached to it', async () => {
    const session = newSession();
    server.enqueue({ content: 'First.' });
    await session.send('What does it do?', { attachments: [selection] });
    const [oldQuestion, oldAnswer] = session.current.turns;
    session.editQuestion(oldQuestion.id);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(last('context')?.chips.map((c) => c.label), ['sum.ts:1-3'], 'its attachment is a chip of the draft again');
    server.enqueue({ content: 'Second.' });
    await session.send('What does it return?', { replacing: oldQuestion.id });
    assert.deepEqual(last('turnsRemoved')?.turnIds, [oldQuestion.id, oldAnswer.id]);
    assert.deepEqual(session.current.turns.map((t) => t.text), ['What does it return?', 'Second.']);
    assert.equal(session.current.turns[0].attachments?.[0].label, 'sum.ts:1-3');
  });

  it('an image the API refused can be removed while editing, and the question retried without it', async () => {
    const session = newSession();
    const image = imageAttachment('img1', { name: 'bad.png', dataUrl: dataUrl('image/png', pngBytes(64, 64)), width: 64, height: 64, detail: 'high', thumbnail: dataUrl('image/png', pngBytes(8, 8)), sourceWidth: 64, sourceHeight: 64 });
    server.enqueue({ status: 400, message: 'Invalid image.', code: 'invalid_image' });
    await session.send('What is this?', { attachments: [image, selection] });
    assert.match(last('turnUpdated')!.turn.error!, /refused the request: .*Invalid image/);
    const question = session.current.turns[0];
    session.editQuestion(question.id);
    session.removeContext('img1');
    server.enqueue({ content: 'It sums numbers.' });
    await session.send('What is this?', { replacing: question.id });
    const content = bodyOf(1).messages.at(-1)!.content;
    assert.equal(typeof content, 'string', 'no image part any more');
    assert.match(String(content), /export function sum/);
    assert.equal(last('turnUpdated')!.turn.status, 'complete');
  });

  describe('the attachments of the unsent question', () => {
    const image = imageAttachment('img1', { name: 'chart.png', dataUrl: dataUrl('image/png', pngBytes(64, 64)), width: 64, height: 64, detail: 'high', thumbnail: dataUrl('image/png', pngBytes(8, 8)), sourceWidth: 64, sourceHeight: 64 });
    const chipLabels = () => last('context')?.chips.map((c) => c.label);
    const settle = () => new Promise((resolve) => setImmediate(resolve));

    it('survive a window reload, images as files beside a small JSON, and leave nothing once sent', async () => {
      const drafts = new DraftAttachmentStore(draftFolder);
      const session = newSession({ drafts });
      session.attach(image);
      session.attach(selection);
      await drafts.flushed();
      assert.ok(fs.statSync(path.join(draftFolder, 'draft.json')).size < 4000, 'the image is not in the JSON');
      assert.deepEqual(fs.readdirSync(path.join(draftFolder, 'draft.files')), ['img1.png']);

      posted = [];
      const reloadedDrafts = new DraftAttachmentStore(draftFolder);
      const reloaded = newSession({ drafts: reloadedDrafts });
      await reloaded.ready();
      assert.deepEqual(chipLabels(), ['chart.png', 'sum.ts:1-3']);
      server.enqueue({ content: 'A chart.' });
      await reloaded.send('What is this?');
      assert.deepEqual(reloaded.current.turns[0].attachments?.map((a) => [a.label, a.content.slice(0, 22)]), [
        ['chart.png', 'data:image/png;base64,'],
        ['sum.ts:1-3', selection.content.slice(0, 22)],
      ]);
      await reloadedDrafts.flushed();
      assert.deepEqual(fs.readdirSync(draftFolder), [], 'the sent draft leaves no files behind');
    });

    it('survive something attached after a reload before the panel is ready (Add to Chat, Explain)', async () => {
      const drafts = new DraftAttachmentStore(draftFolder);
      newSession({ drafts }).attach(image);
      await drafts.flushed();

      posted = [];
      const reloadedDrafts = new DraftAttachmentStore(draftFolder);
      const reloaded = newSession({ drafts: reloadedDrafts });
      reloaded.attach(selection); // the view was closed: no ready() yet
      await settle();
      await reloadedDrafts.flushed();
      assert.deepEqual(fs.readdirSync(path.join(draftFolder, 'draft.files')), ['img1.png'], 'the saved image is still on disk');
      await reloaded.ready();
      assert.deepEqual(chipLabels(), ['chart.png', 'sum.ts:1-3']);
    });

    it('of a question being edited survive a window reload, without what the user removed', async () => {
      const drafts = new DraftAttachmentStore(draftFolder);
      const session = newSession({ drafts });
      session.attach(image);
      session.attach(selection);
      server.enqueue({ content: 'A chart.' }, { content: 'A bar chart.' });
      await session.send('What is this?');
      const question = session.current.turns[0];
      session.editQuestion(question.id);
      session.removeContext(selection.id);
      await drafts.flushed();

      posted = [];
      const reloaded = newSession();
      await reloaded.ready();
      assert.deepEqual(chipLabels(), ['chart.png'], 'the chips of the edit come back');
      await reloaded.send('What kind of chart is this?', { replacing: question.id });
      assert.deepEqual(reloaded.current.turns.map((t) => t.text), ['What kind of chart is this?', 'A bar chart.']);
      assert.deepEqual(reloaded.current.turns[0].attachments?.map((a) => a.label), ['chart.png']);
      const saved = await new ChatHistoryStore(folder, () => 50).load(openId!);
      assert.match(saved!.turns[0].attachments![0].content, /^data:image\/png;base64,/, 'the image is on disk with the edited question');
      const parts = bodyOf(1).messages.at(-1)!.content as { type: string }[];
      assert.deepEqual(parts.map((p) => p.type), ['text', 'image_url']);
    });

    it('of an edited question are kept when the edit was never saved (the host restarted at once)', async () => {
      const session = newSession();
      session.attach(image);
      server.enqueue({ content: 'A chart.' }, { content: 'A bar chart.' });
      await session.send('What is this?');
      const question = session.current.turns[0];

      const reloaded = newSession({ drafts: new DraftAttachmentStore(path.join(folder, 'other-draft')) });
      await reloaded.ready();
      await reloaded.send('What kind of chart is this?', { replacing: question.id });
      assert.deepEqual(reloaded.current.turns[0].attachments?.map((a) => a.label), ['chart.png']);
    });

    it("are the draft's own or the edit's, never mixed: editing puts the draft's aside, cancel, send and New chat give them back", async () => {
      const session = newSession();
      session.attach(selection);
      server.enqueue({ content: 'One.' }, { content: 'Two.' });
      await session.send('First');
      const first = session.current.turns[0];
      session.attach(image);
      await settle();
      assert.deepEqual(chipLabels(), ['chart.png']);

      session.editQuestion(first.id);
      await settle();
      assert.deepEqual(chipLabels(), ['sum.ts:1-3'], "the edited question's, not the draft's");
      session.cancelEdit();
      await settle();
      assert.deepEqual(chipLabels(), ['chart.png'], "cancelling gives the draft's back");

      session.editQuestion(first.id);
      await session.send('First, edited', { replacing: first.id });
      assert.deepEqual(session.current.turns[0].attachments?.map((a) => a.label), ['sum.ts:1-3']);
      assert.deepEqual(chipLabels(), ['chart.png'], "sending the edit gives the draft's back");

      session.editQuestion(session.current.turns[0].id);
      await session.newChat();
      assert.deepEqual(chipLabels(), ['chart.png'], "a new chat ends the edit and keeps the draft's");
    });
  });

  it('sends an edit of a question that is no longer the last one as a new question, losing nothing', async () => {
    const session = newSession();
    server.enqueue({ content: 'One.' }, { content: 'Two.' }, { content: 'Three.' });
    await session.send('First');
    const first = session.current.turns[0];
    await session.send('Second');
    session.attach(selection);
    await session.send('First, edited', { replacing: first.id });
    assert.deepEqual(session.current.turns.map((t) => t.text), ['First', 'One.', 'Second', 'Two.', 'First, edited', 'Three.']);
    assert.equal(session.current.turns[4].attachments?.[0].label, 'sum.ts:1-3', 'the attached code went with it');
  });

  it('runs one operation at a time: a second question stops the first answer, and turns stay in order', async () => {
    const session = newSession();
    server.enqueue({ content: 'slow '.repeat(300), tokensPerSecond: 100 }, { content: 'Second answer.' });
    const first = session.send('First question');
    await firstDelta();
    const second = session.send('Second question');
    await Promise.all([first, second]);
    assert.deepEqual(
      session.current.turns.map((t) => [t.role, t.status ?? '']),
      [['user', ''], ['assistant', 'cancelled'], ['user', ''], ['assistant', 'complete']],
    );
    assert.equal(session.busy, false);
    assert.equal(last('busy')?.busy, false);
    const saved = await new ChatHistoryStore(folder, () => 50).load(session.current.id);
    assert.deepEqual(saved?.turns.map((t) => t.text.slice(0, 6)), session.current.turns.map((t) => t.text.slice(0, 6)));
  });

  it('deleting the open chat while it answers does not bring it back', async () => {
    const session = newSession();
    server.enqueue({ content: 'slow '.repeat(300), tokensPerSecond: 100 });
    const sending = session.send('Doomed question');
    await firstDelta();
    const doomed = session.current.id;
    await session.delete(doomed);
    await sending;
    const store = new ChatHistoryStore(folder, () => 50);
    assert.equal(await store.load(doomed), undefined);
    assert.deepEqual(await store.list(), []);
    assert.equal(session.current.turns.length, 0);
  });

  it('a continuation that is stopped can be continued again', async () => {
    const session = newSession();
    server.enqueue({ content: 'The first half', finishReason: 'length' }, { content: ' more'.repeat(300), tokensPerSecond: 100 }, { content: ' and the end.' });
    await session.send('Write a long story');
    const cut = session.current.turns[1];
    const continuing = session.continue(cut.id);
    while (!session.current.turns[1].text.includes('more')) await new Promise((resolve) => setTimeout(resolve, 10));
    session.stop();
    await continuing;
    assert.equal(session.current.turns[1].status, 'truncated');
    assert.match(session.current.turns[1].error!, /Stopped/);
    await session.continue(cut.id);
    assert.equal(session.current.turns[1].status, 'complete');
    assert.match(session.current.turns[1].text, /^The first half( more)+ and the end\.$/);
  });

  it('says so when the provider content filter stops an answer', async () => {
    const session = newSession();
    server.enqueue({ content: 'Partial', finishReason: 'content_filter' });
    await session.send('Something filtered');
    assert.equal(last('turnUpdated')!.turn.status, 'interrupted');
    assert.match(last('turnUpdated')!.turn.error!, /content filter/);
  });

  it('titles an explained chat after the code, and keeps a title the user chose', async () => {
    const session = newSession();
    server.enqueue({ content: 'It sums.' }, { content: 'Hi.' });
    await session.send('Explain what this code does…', { attachments: [selection], explain: true });
    assert.equal(session.current.title, 'Explain sum.ts:1-3');
    await session.newChat();
    await session.rename(session.current.id, 'My own title');
    await session.send('Hello');
    assert.equal(session.current.title, 'My own title');
  });

  it('starts, opens, renames and deletes chats', async () => {
    const session = newSession();
    server.enqueue({ content: 'One.' }, { content: 'Two.' });
    await session.send('First chat');
    const firstId = session.current.id;
    await session.newChat();
    assert.equal(last('conversation')!.conversation.turns.length, 0);
    await session.send('Second chat');
    assert.ok(await session.open(firstId));
    assert.deepEqual(last('conversation')!.conversation.turns.map((t) => t.text), ['First chat', 'One.']);
    await session.rename(firstId, 'Renamed');
    assert.deepEqual(last('conversations')!.conversations.map((c) => c.title).sort(), ['Renamed', 'Second chat']);
    await session.delete(firstId);
    assert.deepEqual(last('conversations')!.conversations.map((c) => c.title), ['Second chat']);
    assert.equal(session.current.turns.length, 0, 'deleting the open chat starts a new one');
    assert.equal(await session.open(firstId), false);
  });

  it('attaches at most five images to a question, priced on their chips, and sends them as image parts', async () => {
    const session = newSession();
    const image = (i: number) =>
      imageAttachment(`img${i}`, { name: `shot${i}.png`, dataUrl: dataUrl('image/png', pngBytes(512 + i, 288)), width: 512 + i, height: 288, detail: 'high', thumbnail: dataUrl('image/png', pngBytes(8, 8)), sourceWidth: 512 + i, sourceHeight: 288 });
    for (let i = 0; i < 5; i++) assert.equal(session.attach(image(i)), undefined);
    assert.match(session.attach(image(5))!, /At most 5 images/);
    await new Promise((resolve) => setImmediate(resolve));
    const chips = last('context')!.chips;
    assert.equal(chips.length, 5);
    assert.equal(chips[0].tokens, 2833 + 5667, "512x288 is one tile");
    assert.ok(Math.abs(chips[0].usd - chips[0].tokens * 0.15e-6) < 1e-12);
    assert.ok(chips[0].thumbnail?.startsWith('data:image/png;base64,'));
    // The same image at low detail takes its chip's place.
    const low = { ...image(0), id: 'low0', imageDetail: 'low' as const, tokens: 2833 };
    assert.equal(session.attach(low, 'img0'), undefined);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(last('context')!.chips.map((c) => c.id), ['low0', 'img1', 'img2', 'img3', 'img4']);

    server.enqueue({ content: 'Five screenshots of a form.' });
    await session.send('What are these?');
    const parts = bodyOf(0).messages[1].content as { type: string; image_url?: { detail?: string } }[];
    assert.deepEqual(parts.map((p) => [p.type, p.image_url?.detail]), [['text', undefined], ['image_url', 'low'], ['image_url', 'high'], ['image_url', 'high'], ['image_url', 'high'], ['image_url', 'high']]);
    // The test server bills images by their real size, like OpenAI.
    assert.ok(server.requests[0].usage!.prompt_tokens > 2833 + 4 * (2833 + 2 * 5667), "four 513-516 px wide images are two tiles each");
  });
});
