// The shared model service inside a real extension host: streaming, cancellation that closes the
// socket, the one "Set API Key" notification after a rejected key, and a key that never leaks.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KestrelTestApi } from '../../src/extension';
import type { OpenAiTestServer } from '../fakes/openaiTestServer';
import { connectToTestServer, kestrelApi, readKestrelLog, resetSettings, setSettings, TEST_KEY, waitFor } from './kestrelHarness';

describe('model service in VS Code', function () {
  this.timeout(30_000);
  let api: KestrelTestApi;
  let server: OpenAiTestServer;

  before(async () => {
    api = await kestrelApi();
    server = await connectToTestServer({ 'completion.enabled': false });
  });
  after(async () => {
    await server.close();
    await vscode.commands.executeCommand('kestrel.clearApiKey');
    await resetSettings(['provider', 'baseUrl', 'completion.enabled']);
  });

  it('streams a chat answer with the key set through the command', async () => {
    server.enqueue({ content: 'Kestrels hover while hunting.' });
    let text = '';
    for await (const event of api.modelService.stream({ feature: 'chat', messages: [{ role: 'user', content: 'Tell me about kestrels' }] })) {
      if (event.type === 'content') text += event.text;
    }
    assert.equal(text, 'Kestrels hover while hunting.');
    const request = server.requests.at(-1)!;
    assert.equal(request.headers.authorization, `Bearer ${TEST_KEY}`);
    assert.equal((request.body as { stream?: boolean }).stream, true);
    assert.equal(api.usage.recent().at(-1)?.outcome, 'ok');
  });

  it('closes the HTTP request when the VS Code cancellation token fires', async () => {
    server.enqueue({ content: 'word '.repeat(200), tokensPerSecond: 20 });
    const source = new vscode.CancellationTokenSource();
    const controller = new AbortController();
    source.token.onCancellationRequested(() => controller.abort());
    const index = server.requests.length;
    const run = (async () => {
      for await (const event of api.modelService.stream({ feature: 'chat', messages: [{ role: 'user', content: 'long' }], signal: controller.signal })) void event;
    })();
    await server.waitForRequest(index, 5_000);
    source.cancel();
    await assert.rejects(run, (error: Error & { kind?: string }) => error.kind === 'cancelled');
    assert.equal((await server.waitForAbort(index, 5_000)).aborted, true);
  });

  it('shows one "Set API Key" notification for a rejected key, however many requests fail', async () => {
    const shown: string[] = [];
    const listener = api.keyNotifier.onDidShow((error) => shown.push(error.message));
    try {
      await vscode.commands.executeCommand('kestrel.setApiKey', 'sk-wrong-key-for-this-test');
      for (let i = 0; i < 3; i++) {
        await assert.rejects(
          (async () => {
            for await (const event of api.modelService.stream({ feature: 'explain', messages: [{ role: 'user', content: 'x' }] })) void event;
          })(),
          (error: Error & { kind?: string }) => error.kind === 'auth',
        );
      }
      assert.equal(shown.length, 1, `notifications: ${JSON.stringify(shown)}`);
      assert.match(shown[0], /Set API Key/);
      assert.equal(api.completionSwitch.backoff.pausedBecause()?.kind, 'auth', 'completions pause until the key changes');
    } finally {
      listener.dispose();
      await vscode.commands.executeCommand('kestrel.setApiKey', TEST_KEY);
    }
    await waitFor(() => api.completionSwitch.backoff.pausedBecause() === undefined, 'the pause to lift after the key changed');
  });

  it('logs every request without the key', async () => {
    const marker = `marker-${Date.now()}`;
    server.enqueue({ content: marker });
    for await (const event of api.modelService.stream({ feature: 'chat', messages: [{ role: 'user', content: 'log me' }] })) void event;
    const log = await waitFor(() => {
      const text = readKestrelLog(api);
      return /chat gpt-4o-mini: ok, \d+ ms/.test(text) && text;
    }, 'the request line in the Kestrel log');
    assert.ok(!log.includes(TEST_KEY), 'the key is in the log');
    assert.ok(!log.includes('sk-wrong-key-for-this-test'), 'the rejected key is in the log');
    assert.ok(!log.includes('0123456789abcdef'), 'part of the key is in the log');
  });
});

describe('Kestrel: Test Connection', function () {
  this.timeout(30_000);
  let server: OpenAiTestServer;

  before(async () => {
    server = await connectToTestServer({ 'completion.enabled': false });
  });
  after(async () => {
    await server.close();
    await vscode.commands.executeCommand('kestrel.clearApiKey');
    await resetSettings(['provider', 'baseUrl', 'completion.enabled']);
  });

  it('sends one tiny request and reports the model and latency', async () => {
    const before = server.requests.length;
    const report = await vscode.commands.executeCommand<{ ok: boolean; model: string; latencyMs: number; message: string }>('kestrel.testConnection');
    assert.equal(report.ok, true, report.message);
    assert.equal(report.model, 'gpt-4o-mini');
    assert.ok(report.latencyMs >= 0);
    assert.match(report.message, /^Connected to gpt-4o-mini in \d+ ms\.$/);
    assert.equal(server.requests.length, before + 1, 'exactly one request');
    const body = server.requests[before].body as { max_completion_tokens?: number };
    assert.ok((body.max_completion_tokens ?? 0) <= 5, 'a cheap request');
  });

  it('says in words what is wrong when the server is down', async () => {
    await setSettings({ baseUrl: 'http://127.0.0.1:9/v1' });
    try {
      const report = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('kestrel.testConnection');
      assert.equal(report.ok, false);
      assert.match(report.message, /Cannot reach http:\/\/127\.0\.0\.1:9\/v1/);
    } finally {
      await setSettings({ baseUrl: server.baseUrl });
    }
  });
});
