// The chat panel and Explain Selection inside a real VS Code: the webview view resolves and asks
// for its state, a question streams an answer from the test server, Stop closes the HTTP request,
// Explain Selection sends the selected code with its file, language and lines, and editing the
// last question keeps its attachments apart from the draft's.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { KestrelTestApi } from '../../src/extension';
import type { HostToWebview } from '../../src/shared/protocol';
import type { OpenAiTestServer } from '../fakes/openaiTestServer';
import { connectToTestServer, kestrelApi, PostedMessages, openWithCursor, resetSettings, waitFor } from './kestrelHarness';

describe('chat panel in VS Code', function () {
  this.timeout(30_000);
  let api: KestrelTestApi;
  let server: OpenAiTestServer;
  let posts: PostedMessages;

  const lastOf = <T extends HostToWebview['type']>(type: T) => posts.last(type);
  const lastUserMessage = (index: number) => {
    const body = server.requests[index].body as ChatCompletionCreateParams;
    return String(body.messages.at(-1)!.content);
  };
  const answerFinished = () => posts.answerFinished();

  before(async () => {
    api = await kestrelApi();
    server = await connectToTestServer({ 'completion.enabled': false });
    posts = new PostedMessages(api);
  });
  beforeEach(async () => {
    await api.chatSession.newChat();
    posts.clear();
  });
  after(async () => {
    posts.dispose();
    await server.close();
    await vscode.commands.executeCommand('kestrel.clearApiKey');
    await resetSettings(['provider', 'baseUrl', 'completion.enabled']);
  });

  it('opens the view, whose webview asks the host for its state', async () => {
    await vscode.commands.executeCommand('kestrel.focusChat');
    await waitFor(() => api.chatView.isResolved, 'the chat view to resolve');
    // Only the real webview script sends `ready`; the host answers with the connection and the chat.
    const connection = await waitFor(() => lastOf('connection'), 'the webview to say it is ready');
    assert.equal(connection.connection.endpoint, server.baseUrl);
    assert.equal(connection.connection.keySource, 'secret-storage');
    // The chat and the cost estimate follow once the saved chats are listed.
    await waitFor(() => lastOf('conversation'), 'the conversation');
    await waitFor(() => lastOf('context'), 'the cost estimate');
  });

  it('streams an answer to a question sent from the panel', async () => {
    const index = server.requests.length;
    server.enqueue({ content: 'Use `Map` for **fast** lookups.', tokensPerSecond: 200 });
    await api.chatView.receive({ type: 'send', text: 'How do I look things up fast?' });
    const done = await answerFinished();
    assert.equal(done.turn.status, 'complete');
    assert.equal(done.turn.text, 'Use `Map` for **fast** lookups.');
    assert.equal(posts.all('answerDelta').map((m) => m.text).join(''), done.turn.text);
    assert.equal(lastUserMessage(index), 'How do I look things up fast?');
    assert.equal(lastOf('conversations')?.conversations[0].title, 'How do I look things up fast?');
  });

  it('Stop closes the HTTP request and keeps what was written', async () => {
    const index = server.requests.length;
    server.enqueue({ content: 'slow '.repeat(300), tokensPerSecond: 30 });
    const sending = api.chatView.receive({ type: 'send', text: 'Write a lot' });
    // The first word is posted at once; wait for a batch after it.
    await waitFor(() => posts.all('answerDelta').length > 1, 'the first words');
    await api.chatView.receive({ type: 'stop' });
    await sending;
    assert.equal((await server.waitForAbort(index, 5_000)).aborted, true);
    const done = lastOf('turnUpdated')!;
    assert.equal(done.turn.status, 'cancelled');
    assert.match(done.turn.text, /^slow slow/);
  });

  it('reports a long rate limit at once, with the wait, and sends no retry', async () => {
    const index = server.requests.length;
    server.enqueue({ status: 429, headers: { 'retry-after': '60' } }, { content: 'never sent' });
    const started = Date.now();
    await api.chatView.receive({ type: 'send', text: 'Are you busy?' });
    const done = await answerFinished();
    assert.ok(Date.now() - started < 10_000, 'the chat waited out the 60 s retry-after');
    assert.equal(done.turn.status, 'interrupted');
    assert.match(done.turn.error ?? '', /Try again in 60 s/);
    assert.equal(server.requests.length, index + 1, 'no retry was sent');
    assert.equal(lastUserMessage(index), 'Are you busy?');
  });

  it('Explain Selection sends the selected code with its file, language and lines', async () => {
    const editor = await openWithCursor('src/explainMe.ts', 'const a = 1;\nexport function twice(x: number) {\n  return x * 2;\n}|\n');
    editor.selection = new vscode.Selection(1, 0, 3, 1);
    const index = server.requests.length;
    server.enqueue({ content: 'It doubles a number.' });
    await vscode.commands.executeCommand('kestrel.explainSelection');
    await answerFinished();
    const sent = lastUserMessage(index);
    assert.match(sent, /^src\/explainMe\.ts, lines 2-4 \(typescript\):\n```typescript\nexport function twice\(x: number\) \{\n  return x \* 2;\n\}\n```\n\nExplain what this code does/);
    const question = posts.all('turnAdded').find((m) => m.turn.role === 'user')!;
    assert.deepEqual(question.turn.context?.map((c) => c.label), ['explainMe.ts:2-4']);
    assert.equal(api.usage.recent().at(-1)?.feature, 'explain', 'explanations are accounted as their own feature');
  });

  it('Explain with nothing selected takes the function around the cursor', async () => {
    const editor = await openWithCursor('src/explainFunction.ts', 'const before = 0;\n\nfunction area(r: number) {\n  const pi = Math.PI;\n  return pi * r| * r;\n}\n\nconst after = 1;\n');
    // The TypeScript server starts lazily; wait until it answers for symbols like a user would.
    await waitFor(async () => ((await vscode.commands.executeCommand<unknown[]>('vscode.executeDocumentSymbolProvider', editor.document.uri)) ?? []).length > 0, 'TypeScript symbols', 20_000);
    const index = server.requests.length;
    server.enqueue({ content: 'It computes a circle area.' });
    await vscode.commands.executeCommand('kestrel.explainSelection');
    await answerFinished();
    assert.match(lastUserMessage(index), /^src\/explainFunction\.ts, lines 3-6 \(typescript\):\n```typescript\nfunction area\(r: number\) \{[\s\S]*\n\}\n```/);
  });

  it('offers Explain as a code action on a selection', async () => {
    const editor = await openWithCursor('src/codeAction.ts', 'let total = 0;|\n');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, new vscode.Range(0, 0, 0, 14));
    const explain = actions.find((action) => action.title === 'Explain with Kestrel');
    assert.ok(explain, `code actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(explain.command?.command, 'kestrel.explainSelection');
  });

  it('attaches the selection as a chip with its size, and the code block buttons edit the editor', async () => {
    const editor = await openWithCursor('src/attach.ts', 'export const answer = 42;\n|');
    editor.selection = new vscode.Selection(0, 0, 0, 25);
    await vscode.commands.executeCommand('kestrel.addSelectionToChat');
    const context = await waitFor(() => (lastOf('context')?.chips.length ? lastOf('context') : undefined), 'the chip');
    assert.deepEqual(context.chips.map((c) => [c.kind, c.label]), [['selection', 'attach.ts:1']]);
    assert.ok(context.chips[0].tokens > 3);
    await api.chatView.receive({ type: 'removeContext', id: context.chips[0].id });
    await waitFor(() => lastOf('context')?.chips.length === 0, 'the chip to go');

    await vscode.window.showTextDocument(editor.document);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await api.chatView.receive({ type: 'codeAction', action: 'insert', code: 'export const question = 6 * 7;\n', language: 'ts' });
    assert.equal(editor.document.getText(), 'export const answer = 42;\nexport const question = 6 * 7;\n');
  });

  it("editing the last question puts the draft's chips aside, and cancelling the edit gives them back", async () => {
    server.enqueue({ content: 'Noted.' });
    await api.chatView.receive({ type: 'send', text: 'A question with nothing attached' });
    await answerFinished();
    const editor = await openWithCursor('src/draftChip.ts', 'export const draft = 1;\n|');
    editor.selection = new vscode.Selection(0, 0, 0, 23);
    await vscode.commands.executeCommand('kestrel.addSelectionToChat');
    const labels = () => lastOf('context')?.chips.map((c) => c.label).join(',');
    await waitFor(() => labels() === 'draftChip.ts:1', "the draft's chip");
    const question = api.chatSession.current.turns[0];
    await api.chatView.receive({ type: 'editQuestion', turnId: question.id });
    await waitFor(() => labels() === '', "the draft's chip put aside while editing");
    await api.chatView.receive({ type: 'cancelEdit' });
    const context = await waitFor(() => (labels() === 'draftChip.ts:1' ? lastOf('context') : undefined), "the draft's chip back");
    await api.chatView.receive({ type: 'removeContext', id: context.chips[0].id });
  });

  it('refuses to attach a secret file', async () => {
    const secret = await openWithCursor('.env', 'API_TOKEN=abc|');
    secret.selection = new vscode.Selection(0, 0, 0, 13);
    await vscode.commands.executeCommand('kestrel.addSelectionToChat');
    // Then a file that may be sent: only its chip appears.
    const editor = await openWithCursor('src/allowed.ts', 'export const allowed = true;|\n');
    editor.selection = new vscode.Selection(0, 0, 0, 28);
    await vscode.commands.executeCommand('kestrel.addSelectionToChat');
    const context = await waitFor(() => (lastOf('context')?.chips.length ? lastOf('context') : undefined), 'a chip');
    assert.deepEqual(context.chips.map((c) => c.label), ['allowed.ts:1']);
    await api.chatView.receive({ type: 'removeContext', id: context.chips[0].id });
  });
});
