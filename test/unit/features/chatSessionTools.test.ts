import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { TOOLS_SYSTEM_PROMPT } from '../../../src/core/chat/chatPrompt';
import { createExclusionMatcher } from '../../../src/core/pathExclusions';
import { createWorkspaceTools } from '../../../src/core/tools/workspaceTools';
import { ChatHistoryStore } from '../../../src/features/chat/chatHistoryStore';
import { DraftAttachmentStore } from '../../../src/features/chat/draftAttachmentStore';
import { ChatSession, type AnswerTools } from '../../../src/features/chat/chatSession';
import type { HostToWebview } from '../../../src/shared/protocol';
import { startOpenAiTestServer, type OpenAiTestServer } from '../../fakes/openaiTestServer';
import { DiskWorkspacePort } from '../../support/diskWorkspacePort';
import { makeHarness, type Harness } from '../model/serviceHarness';

type Posted<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;

describe('chat session with workspace tools', function () {
  this.timeout(10_000);
  let server: OpenAiTestServer;
  let folder: string;
  let workspace: string;
  let harness: Harness;
  let posted: HostToWebview[];
  let port: DiskWorkspacePort;
  let tools: () => AnswerTools | { off: string };

  const newSession = () =>
    new ChatSession({
      model: harness.service,
      store: new ChatHistoryStore(folder, () => 50),
      drafts: new DraftAttachmentStore(path.join(folder, 'draft')),
      settings: () => harness.state.settings,
      instructions: async () => undefined,
      post: (message) => posted.push(message),
      tools: () => tools(),
      openChat: { get: () => undefined, set: () => undefined },
      log: harness.log,
    });
  const all = <T extends HostToWebview['type']>(type: T) => posted.filter((m): m is Posted<T> => m.type === type);
  const bodyOf = (index: number) => server.requests[index].body as ChatCompletionCreateParams;

  beforeEach(async () => {
    server = await startOpenAiTestServer({ apiKey: 'sk-test-key' });
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-chat-'));
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-ws-'));
    fs.writeFileSync(path.join(workspace, 'math.ts'), 'export const double = (x: number) => x * 2;\n');
    fs.writeFileSync(path.join(workspace, '.env'), 'SECRET=hunter2\n');
    harness = makeHarness(server, { 'chat.maxRetries': 0 });
    posted = [];
    port = new DiskWorkspacePort([{ name: 'ws', path: workspace }]);
    tools = () => ({ tools: createWorkspaceTools({ port, excludedIn: () => createExclusionMatcher(), outputTokensPerAnswer: 20_000 }), maxRounds: 4 });
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('shows each tool call as a step, sends the results back, and keeps the steps with the answer', async () => {
    const session = newSession();
    await session.ready();
    const estimate = all('context').at(-1)!.estimate.promptTokens;
    server.enqueue(
      { toolCalls: [{ id: 'call_1', name: 'read_file', arguments: '{"path":"math.ts","start_line":null,"end_line":null}' }, { id: 'call_2', name: 'read_file', arguments: '{"path":".env","start_line":null,"end_line":null}' }] },
      { content: '`double` multiplies by two.' },
    );
    await session.send('What does double do?');

    const first = bodyOf(0);
    assert.ok(first.tools?.some((t) => t.type === 'function' && t.function.name === 'read_file'));
    assert.match(String(first.messages[0].content), new RegExp(TOOLS_SYSTEM_PROMPT.slice(0, 40)));
    assert.ok(estimate > 900, `the estimate counts the tool definitions (${estimate} tokens)`);
    const results = bodyOf(1).messages.filter((m) => m.role === 'tool').map((m) => String(m.content));
    assert.match(results[0], /^<tool_output tool="read_file">\nmath\.ts, lines 1-2 of 2:\n1: export const double/);
    assert.match(results[1], /protected file/);
    assert.ok(!results.join('').includes('hunter2'));

    const steps = all('toolStep');
    assert.deepEqual(steps.map((m) => [m.step.id, m.step.status]), [
      ['call_1', 'running'],
      ['call_2', 'running'],
      ['call_1', 'done'],
      ['call_2', 'failed'],
    ]);
    assert.equal(steps[0].step.summary, 'math.ts');
    assert.match(steps[2].step.preview ?? '', /^math\.ts, lines 1-2 of 2:\n1: export const double/, 'the preview is the data, without the frame');
    assert.ok((steps[2].step.resultTokens ?? 0) > 5);
    const saved = await new ChatHistoryStore(folder, () => 50).load(session.current.id);
    assert.deepEqual(saved?.turns[1].steps?.map((s) => [s.tool, s.status]), [['read_file', 'done'], ['read_file', 'failed']]);
    assert.equal(saved?.turns[1].text, '`double` multiplies by two.');
  });

  it('says why tools are off and sends no tools', async () => {
    tools = () => ({ off: 'Workspace tools are off in Restricted Mode: trust this folder to let Kestrel read its files.' });
    const session = newSession();
    await session.ready();
    assert.match(all('context').at(-1)?.toolsOff ?? '', /Restricted Mode/);
    server.enqueue({ content: 'Hi.' });
    await session.send('Hello');
    assert.equal(bodyOf(0).tools, undefined);
    assert.ok(!String(bodyOf(0).messages[0].content).includes('<tool_output>'));
  });

  it('marks an answer whose model keeps calling tools past the round limit', async () => {
    const session = newSession();
    await session.ready();
    const again = { toolCalls: [{ name: 'list_directory', arguments: '{"path":"."}' }] };
    server.enqueue(again, again, again, again, again);
    await session.send('Loop forever');
    const answer = session.current.turns[1];
    assert.equal(server.requests.length, 4);
    assert.equal((bodyOf(3) as { tool_choice?: unknown }).tool_choice, 'none');
    assert.equal(answer.status, 'interrupted');
    assert.match(answer.error ?? '', /after 4 rounds \(kestrel\.tools\.maxRounds\)/);
  });

  it('a Regenerate that edited a file and then failed keeps its steps, not the answer before it', async () => {
    port.decision = 'accepted';
    const session = newSession();
    await session.ready();
    server.enqueue(
      { content: 'Double is x * 2.' },
      { toolCalls: [{ name: 'propose_edit', arguments: '{"path":"math.ts","search":"x * 2","replace":"x + x","explanation":"Same thing."}' }] },
      { status: 429, message: 'Rate limit reached for gpt-4o-mini' },
    );
    await session.send('Rewrite double');
    await session.regenerate(session.current.turns[1].id);
    assert.match(fs.readFileSync(path.join(workspace, 'math.ts'), 'utf8'), /x \+ x/, 'the edit was written');
    const answer = session.current.turns[1];
    assert.deepEqual(answer.steps?.map((step) => [step.tool, step.status]), [['propose_edit', 'done']], 'the transcript still says the file changed');
    assert.notEqual(answer.text, 'Double is x * 2.');
  });

  it('Stop during an edit review rejects the edit and stops the answer', async () => {
    let reviewSignal: AbortSignal | undefined;
    port.decision = (_proposal, signal) => {
      reviewSignal = signal;
      return new Promise(() => undefined); // the user never decides
    };
    const session = newSession();
    await session.ready();
    server.enqueue({ toolCalls: [{ name: 'propose_edit', arguments: '{"path":"math.ts","search":"x * 2","replace":"x + x","explanation":"Same thing."}' }] });
    const answering = session.send('Rewrite double');
    while (port.proposals.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(all('toolStep').at(-1)?.step.status, 'running');
    session.stop();
    await answering;
    assert.equal(session.current.turns[1].status, 'cancelled');
    assert.equal(reviewSignal?.aborted, true, 'the review is told to end (in VS Code the diff closes and the edit is rejected)');
    assert.equal(all('toolStep').at(-1)?.step.status, 'failed');
    assert.equal(server.requests.length, 1, 'no round after Stop');
  });
});
