// Images and PDFs in the chat inside a real VS Code: Describe Image on a file scales it in the real
// webview and sends it as an `image_url` part of the expected size; a PDF goes as a `file` part
// with the same bytes; images over the limit or animated are refused with a reason.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChatCompletionContentPart, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { sniffImage } from '../../src/core/vision/imageFormat';
import type { KestrelTestApi } from '../../src/extension';
import type { HostToWebview } from '../../src/shared/protocol';
import type { OpenAiTestServer } from '../fakes/openaiTestServer';
import { gifBytes, pdfBytes, pngBytes } from '../support/imageFixtures';
import { connectToTestServer, kestrelApi, PostedMessages, resetSettings, waitFor } from './kestrelHarness';

describe('images and PDFs in the chat (VS Code)', function () {
  this.timeout(60_000);
  let api: KestrelTestApi;
  let server: OpenAiTestServer;
  let posts: PostedMessages;

  const lastOf = <T extends HostToWebview['type']>(type: T) => posts.last(type);
  const workspaceFile = (name: string, bytes: Buffer): vscode.Uri => {
    const file = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'assets', name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    return vscode.Uri.file(file);
  };
  const partsOf = (index: number): ChatCompletionContentPart[] => {
    const body = server.requests[index].body as ChatCompletionCreateParams;
    return body.messages.at(-1)!.content as ChatCompletionContentPart[];
  };
  const decode = (url: string) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');

  before(async () => {
    api = await kestrelApi();
    server = await connectToTestServer({ 'completion.enabled': false });
    posts = new PostedMessages(api);
    await vscode.commands.executeCommand('kestrel.focusChat');
    await waitFor(() => api.chatView.isResolved, 'the chat view');
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

  it('Describe Image scales a 1920x1080 screenshot in the webview and sends it at high detail', async () => {
    const uri = workspaceFile('screenshot.png', pngBytes(1920, 1080));
    const index = server.requests.length;
    server.enqueue({ content: 'A gradient from blue to pink.' });
    await vscode.commands.executeCommand('kestrel.describeImage', uri);
    await waitFor(() => server.requests.length > index && lastOf('turnUpdated')?.turn.status === 'complete', 'the description', 30_000);
    const [text, image] = partsOf(index);
    assert.equal(text.type, 'text');
    assert.match((text as { text: string }).text, /^Describe this image/);
    assert.equal(image.type, 'image_url');
    const { url, detail } = (image as { image_url: { url: string; detail?: string } }).image_url;
    assert.equal(detail, 'high');
    const info = sniffImage(decode(url));
    assert.deepEqual(info && [info.width, info.height], [1024, 576], 'scaled to the default 1024 px long side');
    const question = posts.all('turnAdded').find((m) => m.turn.role === 'user')!;
    assert.deepEqual(question.turn.context?.map((c) => [c.kind, c.label, c.tokens]), [['image', 'screenshot.png', 25_501]]);
  });

  it('attaches a PDF from the Explorer and sends it as a file part with the same bytes', async () => {
    const bytes = pdfBytes(4);
    const uri = workspaceFile('spec.pdf', bytes);
    await vscode.commands.executeCommand('kestrel.addFileToChat', uri, [uri]);
    const context = await waitFor(() => (lastOf('context')?.chips.some((c) => c.kind === 'document') ? lastOf('context') : undefined), 'the PDF chip');
    const chip = context.chips.find((c) => c.kind === 'document')!;
    assert.deepEqual([chip.label, chip.pages, chip.bytes], ['spec.pdf', 4, bytes.length]);
    const index = server.requests.length;
    server.enqueue({ content: 'A four-page spec.' });
    await api.chatView.receive({ type: 'send', text: 'Summarise this' });
    const file = partsOf(index).find((part) => part.type === 'file') as { file: { filename: string; file_data: string } };
    assert.equal(file.file.filename, 'spec.pdf');
    assert.deepEqual(decode(file.file.file_data), bytes);
  });

  it('refuses an animated GIF with a reason and attaches nothing', async () => {
    const uri = workspaceFile('spinner.gif', gifBytes(3));
    await vscode.commands.executeCommand('kestrel.addFileToChat', uri, [uri]);
    const image = workspaceFile('small.png', pngBytes(300, 200));
    await vscode.commands.executeCommand('kestrel.addFileToChat', image, [image]);
    const context = await waitFor(() => (lastOf('context')?.chips.length ? lastOf('context') : undefined), 'a chip', 20_000);
    assert.deepEqual(context.chips.map((c) => c.label), ['small.png'], 'only the still image was attached');
    await api.chatView.receive({ type: 'removeContext', id: context.chips[0].id });
  });
});
