// Inline completions in a real VS Code: the ghost text a user accepts, files that must never be
// sent, and the pause after a rate limit.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KestrelTestApi } from '../../src/extension';
import { lastUserText, type OpenAiTestServer } from '../fakes/openaiTestServer';
import { connectToTestServer, kestrelApi, openWithCursor, readKestrelLog, resetSettings, setSettings, waitFor } from './kestrelHarness';

/** Asks VS Code for a suggestion and accepts it, as Tab would; resolves with the new text. */
async function triggerAndAccept(editor: vscode.TextEditor, server: OpenAiTestServer, requestsBefore: number): Promise<string> {
  const original = editor.document.getText();
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  await server.waitForRequests(requestsBefore + 1, 10_000);
  return waitFor(async () => {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    return editor.document.getText() !== original && editor.document.getText();
  }, 'the ghost text to be accepted');
}

describe('inline completions in VS Code', function () {
  this.timeout(40_000);
  let api: KestrelTestApi;
  let server: OpenAiTestServer;

  before(async () => {
    api = await kestrelApi();
    // Every language on, so only the exclusion rules can keep a file from being sent.
    server = await connectToTestServer({ 'completion.debounceMilliseconds': 0, 'completion.enabled': true, 'completion.languages': { '*': true, plaintext: true } });
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    api.completionSwitch.connectionChanged();
  });
  after(async () => {
    await server.close();
    await vscode.commands.executeCommand('kestrel.clearApiKey');
    await resetSettings(['provider', 'baseUrl', 'completion.debounceMilliseconds', 'completion.enabled', 'completion.languages']);
  });

  it('shows the cleaned answer as ghost text and Tab inserts it', async () => {
    // The model repeats the auto-closed bracket; Kestrel must not insert it twice.
    server.setDefault((request) => ({ content: lastUserText(request.body).includes('Complete the current line') ? 'a + b);' : '' }));
    const editor = await openWithCursor('src/math.ts', 'export function add(a: number, b: number) {\n  return sum(|);\n}\n');
    const before = server.requests.length;
    const text = await triggerAndAccept(editor, server, before);
    assert.equal(text, 'export function add(a: number, b: number) {\n  return sum(a + b);\n}\n');
    const body = server.requests[before].body as { messages: { content: string }[]; stop?: string[]; max_completion_tokens?: number };
    const prompt = body.messages.at(-1)!.content;
    assert.ok(prompt.includes('<file path="src/math.ts" language="typescript">'), prompt);
    assert.ok(prompt.includes('  return sum(<CURSOR>);'), prompt);
    assert.deepEqual(body.stop, ['\n']);
    assert.equal(body.max_completion_tokens, 64);
  });

  it('accepting an answer that closes an auto-closed bracket mid-answer replaces the closer instead of doubling it', async () => {
    server.setDefault((request) => {
      const prompt = lastUserText(request.body);
      if (prompt.includes('console.log(<CURSOR>)')) return { content: "'hi');" };
      if (prompt.includes('if (<CURSOR>)')) return { content: 'x > 0) {' };
      return { content: '' };
    });
    const log = await openWithCursor('src/closers.ts', 'function f() {\n  console.log(|)\n}\n');
    assert.equal(await triggerAndAccept(log, server, server.requests.length), "function f() {\n  console.log('hi');\n}\n");
    const condition = await openWithCursor('src/condition.ts', 'function g(x: number) {\n  if (|)\n}\n');
    assert.equal(await triggerAndAccept(condition, server, server.requests.length), 'function g(x: number) {\n  if (x > 0) {\n}\n');
  });

  it('after an accept that finishes the line, asks for the next line at once and shows it from the line end', async () => {
    // A debounce longer than VS Code takes to run the accepted item's command, so the call made
    // for the new text always finds the prefetch started (with none, the two can race).
    await vscode.workspace.getConfiguration('kestrel').update('completion.debounceMilliseconds', 400, vscode.ConfigurationTarget.Global);
    try {
      server.setDefault((request) => {
        const prompt = lastUserText(request.body);
        if (prompt.includes('const a = 1;\n<CURSOR>')) return { content: 'const b = 2;' };
        return { content: prompt.includes('Complete the current line') ? ' = 1;' : '' };
      });
      const editor = await openWithCursor('src/next.ts', 'const a|\n');
      const before = server.requests.length;
      assert.equal(await triggerAndAccept(editor, server, before), 'const a = 1;\n');
      await server.waitForRequests(before + 2, 10_000);
      const prefetch = lastUserText(server.requests[before + 1].body as Parameters<typeof lastUserText>[0]);
      assert.ok(prefetch.includes('const a = 1;\n<CURSOR>') && prefetch.includes('Complete the block at <CURSOR>'), prefetch);
      const text = await waitFor(async () => {
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
        return editor.document.getText() !== 'const a = 1;\n' && editor.document.getText();
      }, 'the next line to be shown from the end of the first and accepted');
      assert.equal(text, 'const a = 1;\nconst b = 2;\n');
      assert.equal(server.requests.length, before + 2, 'the line end was served by the next-line request');
    } finally {
      await vscode.workspace.getConfiguration('kestrel').update('completion.debounceMilliseconds', 0, vscode.ConfigurationTarget.Global);
    }
  });

  it('in a CRLF file, the next line asked for after an accept still serves once Enter is pressed', async () => {
    // As above: a debounce longer than VS Code takes to run the accepted item's command.
    await vscode.workspace.getConfiguration('kestrel').update('completion.debounceMilliseconds', 400, vscode.ConfigurationTarget.Global);
    try {
      server.setDefault((request) => {
        const prompt = lastUserText(request.body);
        if (/const a = 1;\r?\n<CURSOR>/.test(prompt)) return { content: 'const b = 2;' };
        return { content: prompt.includes('Complete the current line') ? ' = 1;' : '' };
      });
      const editor = await openWithCursor('src/crlf.ts', 'const a|\r\n');
      assert.equal(editor.document.eol, vscode.EndOfLine.CRLF);
      const before = server.requests.length;
      assert.equal(await triggerAndAccept(editor, server, before), 'const a = 1;\r\n');
      await server.waitForRequests(before + 2, 10_000);
      await vscode.commands.executeCommand('type', { text: '\n' });
      assert.equal(editor.document.getText(), 'const a = 1;\r\n\r\n');
      const text = await waitFor(async () => {
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
        return editor.document.getText() !== 'const a = 1;\r\n\r\n' && editor.document.getText();
      }, 'the next line to be shown after Enter and accepted');
      assert.equal(text, 'const a = 1;\r\nconst b = 2;\r\n');
      assert.equal(server.requests.length, before + 2, 'the request made for the next line served after Enter');
    } finally {
      await vscode.workspace.getConfiguration('kestrel').update('completion.debounceMilliseconds', 0, vscode.ConfigurationTarget.Global);
    }
  });

  it('never sends an excluded file, and still serves the next ordinary one', async () => {
    server.setDefault({ content: 'ok' });
    const before = server.requests.length;
    const secret = await openWithCursor('.env.local', 'API_TOKEN=|\n');
    assert.ok(api.completionSwitch.allows(secret.document), 'the language and scheme alone would allow a request');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(secret.document.getText(), 'API_TOKEN=\n');
    const ordinary = await openWithCursor('src/plain.ts', 'const label = |\n');
    await triggerAndAccept(ordinary, server, before);
    const sent = server.requests.slice(before).map((r) => JSON.stringify(r.body));
    assert.equal(sent.length, 1, 'only the ordinary file was sent');
    assert.ok(!sent[0].includes('API_TOKEN'), 'the secret file never reached the server');
  });

  it('honours a kestrel.exclude pattern written relative to the workspace folder, for the edited file and the snippets', async () => {
    await setSettings({ exclude: ['config/private/**'] });
    try {
      server.setDefault({ content: 'ok' });
      const before = server.requests.length;
      const code = 'export const signingKey = loadSigningKey(keyStore, region, rotation);\n';
      await openWithCursor('config/shared/keys.ts', `// shared\n${code}|`);
      const excluded = await openWithCursor('config/private/keys.ts', `// PRIVATE-MARKER\n${code}|`);
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(excluded.document.getText(), `// PRIVATE-MARKER\n${code}`);
      assert.equal(server.requests.length, before, 'the excluded file was sent');
      const ordinary = await openWithCursor('config/public.ts', 'const key = loadSigningKey(keyStore, region, rotation);\nexport const verify = |\n');
      await triggerAndAccept(ordinary, server, before);
      const sent = server.requests.slice(before).map((r) => JSON.stringify(r.body));
      assert.equal(sent.length, 1, 'only the ordinary file was sent');
      assert.ok(sent[0].includes('config/shared/keys.ts'), 'a similar open file is offered as a snippet');
      assert.ok(!sent[0].includes('PRIVATE-MARKER'), 'the excluded file reached the server as a snippet');
    } finally {
      await resetSettings(['exclude']);
    }
  });

  it('pauses after a 429 for as long as the server asks, and says so', async () => {
    server.setDefault({ status: 429, headers: { 'retry-after': '30' } });
    const editor = await openWithCursor('src/limited.ts', 'const total = |\n');
    const before = server.requests.length;
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await server.waitForRequests(before + 1, 10_000);
    const paused = await waitFor(() => api.completionSwitch.backoff.pausedBecause(), 'the pause');
    assert.equal(paused.kind, 'rateLimit');
    assert.match(paused.message, /Try again in 30 s/);
    assert.ok(api.completionSwitch.backoff.remainingMs() > 25_000);
    // Further keystrokes send nothing while paused.
    await editor.edit((edit) => edit.insert(editor.selection.active, 'x'));
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(server.requests.length, before + 1);
    await waitFor(() => /Inline completions paused for 30 s/.test(readKestrelLog(api)), 'the pause in the log');
  });

  it('keeps a rate-limit pause when an unrelated setting changes, and ends it when the model changes', async () => {
    server.setDefault({ status: 429, headers: { 'retry-after': '30' } });
    await openWithCursor('src/limitedAgain.ts', 'const total = |\n');
    const before = server.requests.length;
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await server.waitForRequests(before + 1, 10_000);
    await waitFor(() => api.completionSwitch.backoff.pausedBecause(), 'the pause');
    try {
      // What the status bar menu does: turn completions off for a language.
      await vscode.commands.executeCommand('kestrel.toggleCompletionsForLanguage', 'markdown');
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(api.completionSwitch.backoff.pausedBecause()?.kind, 'rateLimit', 'an unrelated setting ended the pause');
      await setSettings({ 'completion.model': 'gpt-4o-mini-2024-07-18' });
      await waitFor(() => api.completionSwitch.backoff.pausedBecause() === undefined, 'the pause to end with the model change');
    } finally {
      await setSettings({ 'completion.languages': { '*': true, plaintext: true } });
      await resetSettings(['completion.model']);
    }
  });
});
