// Requests in flight are kept while they can still serve and closed when they cannot: a keystroke
// that agrees with the answer keeps the HTTP request open; moving away or typing something the
// answer contradicts closes it (the server sees the connection drop).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OpenAiTestServer } from '../fakes/openaiTestServer';
import { connectToTestServer, kestrelApi, openWithCursor, resetSettings } from './kestrelHarness';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('completion requests in flight', function () {
  this.timeout(40_000);
  let server: OpenAiTestServer;

  before(async () => {
    await kestrelApi();
    // A long timeout, so only Kestrel's own decisions can close a request here.
    server = await connectToTestServer({ 'completion.debounceMilliseconds': 0, 'completion.enabled': true, 'completion.timeoutMilliseconds': 60_000 });
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));
  after(async () => {
    await server.close();
    await vscode.commands.executeCommand('kestrel.clearApiKey');
    await resetSettings(['provider', 'baseUrl', 'completion.debounceMilliseconds', 'completion.enabled', 'completion.timeoutMilliseconds']);
  });

  it('keeps a request that still serves, and closes it when the cursor moves away', async () => {
    server.setDefault({ content: 'computeTotal(items);', ttftMs: 20_000 });
    await openWithCursor('src/reuse.ts', 'function f(items: number[]) {\n  const total = |\n  return total;\n}\n');
    const index = server.requests.length;
    // Not awaited: the trigger command resolves only once the suggestion is there.
    void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await server.waitForRequest(index, 10_000);
    // Typing what the answer may start with: VS Code cancels its call, Kestrel keeps the request.
    await vscode.commands.executeCommand('type', { text: 'co' });
    await pause(700);
    assert.equal(server.requests[index].aborted, false, 'a request that can still serve was closed');
    assert.equal(server.requests[index].completedAt, undefined, 'the request is still open');
    assert.equal(server.requests.length, index + 1, 'no second request while the first can serve');
    // Moving to another line (as the arrow keys do) makes it useless.
    const moved = Date.now();
    await vscode.commands.executeCommand('cursorUp');
    assert.equal((await server.waitForAbort(index, 5_000)).aborted, true);
    assert.ok(server.requests[index].completedAt! - moved < 2_000, 'closed because the cursor moved');
  });

  it('closes a request whose answer the typed text contradicts', async () => {
    server.setDefault({ content: 'computeTotal(items) + shippingCost(items);', tokensPerSecond: 4 });
    await openWithCursor('src/contradict.ts', 'function g(items: number[]) {\n  const total = |\n}\n');
    const index = server.requests.length;
    // Not awaited: the trigger command resolves only once the suggestion is there.
    void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await server.waitForRequest(index, 10_000);
    await pause(800); // a few tokens of "computeTotal" arrive
    await vscode.commands.executeCommand('type', { text: 'x' });
    assert.equal((await server.waitForAbort(index, 5_000)).aborted, true);
  });

  it('closes the requests of a document whose tab was closed', async () => {
    server.setDefault({ content: 'computeTotal(items);', ttftMs: 20_000 });
    await openWithCursor('src/closed.ts', 'function h(items: number[]) {\n  const total = |\n}\n');
    const index = server.requests.length;
    // Not awaited: the trigger command resolves only once the suggestion is there.
    void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await server.waitForRequest(index, 10_000);
    await pause(300);
    assert.equal(server.requests[index].aborted, false, 'the request is open while the tab is');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.equal((await server.waitForAbort(index, 5_000)).aborted, true);
  });
});
