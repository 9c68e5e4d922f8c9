/**
 * The chat transcript as a user sees it: streamed answers end exactly as rendered whole, code
 * block and link clicks go to the host, how an answer ended (cut off, interrupted, stopped) comes
 * with the action that helps, and the host's conversation messages add, replace and remove turns.
 */
import * as assert from 'node:assert/strict';
import type { TurnView } from '../../../src/shared/protocol';
import { answer, buttonNamed, mountChat, question, type MountedChat } from './chatAppFixture';
import { createDomFixture } from './domFixture';

const CODE = 'def greet(name):\n    return f"Hello, {name}!"  # <b>not html</b>\n';
const STREAMED = `Here is a function:\n\n\`\`\`python\n${CODE}\`\`\`\n\nSee [the docs](https://docs.python.org/3/) for more.\n`;

/** Splits `text` into `size`-character chunks (deltas). */
const chunks = (text: string, size: number): string[] => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

describe('chat transcript (webview)', () => {
  let chat: MountedChat;
  beforeEach(() => {
    chat = mountChat();
  });
  afterEach(() => chat.app.dispose());

  const conversation = (turns: TurnView[], turnsOutOfContext = 0, busy = false): void =>
    chat.send({ type: 'conversation', conversation: { id: 'c1', title: 'Chat', turns, turnsOutOfContext }, busy });

  /** Streams STREAMED into answer `a1` in deltas, running frames in between, then completes it. */
  function streamAnswer(final: Partial<TurnView> = {}): HTMLElement {
    chat.send({ type: 'turnAdded', turn: question('q1', 'Write greet()') });
    chat.send({ type: 'busy', busy: true });
    chat.send({ type: 'turnAdded', turn: answer('a1', '', { status: 'streaming' }) });
    const deltas = chunks(STREAMED, 7);
    for (const [i, delta] of deltas.entries()) {
      chat.send({ type: 'answerDelta', turnId: 'a1', text: delta });
      // Frames run now and then, but not after the last deltas: the end arrives with the turn.
      if (i % 3 === 0 && i < deltas.length - 2) chat.scheduler.flush();
    }
    chat.send({ type: 'turnUpdated', turn: answer('a1', STREAMED, { usage: { promptTokens: 812, completionTokens: 143, usd: 0.00020754 }, ...final }) });
    chat.send({ type: 'busy', busy: false });
    return chat.turn('a1');
  }

  it('ends a streamed answer with exactly the HTML of the whole answer, code highlighted', () => {
    const turn = streamAnswer();
    const body = turn.querySelector('.answer-body')!;
    assert.equal(body.innerHTML, chat.dom.renderer.render(STREAMED));
    assert.ok(body.querySelector('code.language-python .hljs-keyword'), 'the code block is highlighted');
    assert.equal(body.getAttribute('aria-busy'), null, 'no longer busy');
    chat.scheduler.flush();
    assert.equal(body.innerHTML, chat.dom.renderer.render(STREAMED), 'a late frame changes nothing');
    assert.equal(turn.querySelector('.answer-usage')?.textContent, '812 in · 143 out · $0.00021');
  });

  it('shows the text as it streams, before the answer completes', () => {
    chat.send({ type: 'turnAdded', turn: answer('a1', '', { status: 'streaming' }) });
    assert.equal(chat.turn('a1').querySelector<HTMLElement>('.answer-pending')?.hidden, false, 'a working indicator before any text');
    chat.send({ type: 'answerDelta', turnId: 'a1', text: 'Hello **wor' });
    chat.send({ type: 'answerDelta', turnId: 'a1', text: 'ld**' });
    chat.scheduler.flush();
    assert.equal(chat.turn('a1').querySelector('.answer-body strong')?.textContent, 'world');
    assert.equal(chat.turn('a1').querySelector<HTMLElement>('.answer-pending')?.hidden, true);
  });

  it('announces a finished answer once, not while it streams', () => {
    const live = chat.$('[aria-live="polite"]');
    chat.send({ type: 'turnAdded', turn: answer('a1', '', { status: 'streaming' }) });
    chat.send({ type: 'answerDelta', turnId: 'a1', text: 'Partial words' });
    chat.scheduler.flush();
    assert.equal(live.textContent, '');
    assert.equal(chat.$('[role="log"]').getAttribute('aria-live'), 'off');
    chat.send({ type: 'turnUpdated', turn: answer('a1', 'Partial words, done.') });
    assert.equal(live.textContent, 'Kestrel: Partial words, done.');
  });

  it('follows a streaming answer in the same task as its update, before the frame (one frame per update)', () => {
    chat.app.dispose();
    const dom = createDomFixture();
    // Where the browser has a ResizeObserver, it reports growth only after the frame's layout.
    Object.assign(dom.window, { ResizeObserver: class { observe(): void {} disconnect(): void {} } });
    chat = mountChat(undefined, dom);
    const scroller = chat.$('.scroller');
    let height = 500;
    let scrollTop = 0;
    Object.defineProperties(scroller, {
      scrollHeight: { get: () => height },
      clientHeight: { get: () => 100 },
      scrollTop: { get: () => scrollTop, set: (value: number) => (scrollTop = Math.min(value, height - 100)) },
    });
    chat.send({ type: 'turnAdded', turn: answer('a1', '', { status: 'streaming' }) });
    assert.equal(scrollTop, 0, 'the layout is read in a task of its own');
    chat.scheduler.flush();
    assert.equal(scrollTop, 400);
    chat.send({ type: 'answerDelta', turnId: 'a1', text: 'Hello' });
    height = 800;
    chat.scheduler.flush();
    assert.equal(scrollTop, 700, 'followed right after the update');
    assert.equal(chat.$('.jump-to-latest').hidden, true);
  });

  it('leaves earlier turns untouched while an answer streams', () => {
    conversation([question('q1', 'one'), answer('a1', 'First answer with `code`.')], 0, true);
    const earlier = chat.turn('a1').querySelector('.answer-body p')!;
    const question1 = chat.turn('q1');
    chat.send({ type: 'turnAdded', turn: question('q2', 'two') });
    chat.send({ type: 'turnAdded', turn: answer('a2', '', { status: 'streaming' }) });
    for (const delta of ['Second ', 'answer ', 'streams.']) {
      chat.send({ type: 'answerDelta', turnId: 'a2', text: delta });
      chat.scheduler.flush();
    }
    assert.equal(chat.turn('a1').querySelector('.answer-body p'), earlier, 'the same node, not re-rendered');
    assert.equal(chat.turn('q1'), question1);
    assert.equal(chat.turn('a2').querySelector('.answer-body')?.textContent, 'Second answer streams.\n');
  });

  it('renders the host\'s final text when it differs from what streamed', () => {
    chat.send({ type: 'turnAdded', turn: answer('a1', '', { status: 'streaming' }) });
    chat.send({ type: 'answerDelta', turnId: 'a1', text: 'Some' });
    chat.send({ type: 'turnUpdated', turn: answer('a1', '# Whole answer\n\nfrom the host') });
    assert.equal(chat.turn('a1').querySelector('.answer-body')?.innerHTML, chat.dom.renderer.render('# Whole answer\n\nfrom the host'));
  });

  it('code block buttons post the exact code: Copy (with a "Copied" confirmation) and Insert', () => {
    const turn = streamAnswer();
    const copy = turn.querySelector<HTMLButtonElement>('button.kestrel-code-action[data-action="copy"]')!;
    chat.click(copy);
    chat.click(turn.querySelector('button.kestrel-code-action[data-action="insert"]')!);
    chat.click(turn.querySelector('button.kestrel-code-action[data-action="newFile"]')!);
    assert.deepEqual(chat.api.take(), [
      { type: 'copy', text: CODE },
      { type: 'codeAction', action: 'insert', code: CODE, language: 'python' },
      { type: 'codeAction', action: 'newFile', code: CODE, language: 'python' },
    ]);
    assert.equal(copy.textContent, 'Copied');
  });

  it('a link click asks the host to open it and does not navigate', () => {
    const turn = streamAnswer();
    const event = chat.click(turn.querySelector('a[data-href]')!);
    assert.ok(event.defaultPrevented, 'the webview does not follow the link');
    assert.deepEqual(chat.api.take(), [{ type: 'openLink', href: 'https://docs.python.org/3/' }]);
  });

  it('Copy under an answer copies its markdown; Regenerate shows on the last answer only', () => {
    conversation([question('q1', 'one'), answer('a1', 'First *answer*'), question('q2', 'two'), answer('a2', 'Second')]);
    assert.equal(buttonNamed(chat.turn('a1'), 'Regenerate answer'), undefined);
    chat.click(buttonNamed(chat.turn('a1'), 'Copy answer')!);
    chat.click(buttonNamed(chat.turn('a2'), 'Regenerate answer')!);
    assert.deepEqual(chat.api.take(), [
      { type: 'copy', text: 'First *answer*' },
      { type: 'regenerate', turnId: 'a2' },
    ]);
    chat.send({ type: 'busy', busy: true });
    assert.equal(buttonNamed(chat.turn('a2'), 'Regenerate answer'), undefined, 'not while a request runs');
  });

  it('an answer cut at the output limit says so and offers Continue', () => {
    const turn = streamAnswer({ status: 'truncated' });
    assert.match(turn.textContent ?? '', /The answer reached the output limit\./);
    chat.click(buttonNamed(turn, 'Continue')!);
    assert.deepEqual(chat.api.take(), [{ type: 'continue', turnId: 'a1' }]);
  });

  it('Continue streams more text into the same answer', () => {
    conversation([question('q1', 'long'), answer('a1', 'Part one, ', { status: 'truncated' })]);
    chat.send({ type: 'answerDelta', turnId: 'a1', text: 'part two.' });
    assert.equal(buttonNamed(chat.turn('a1'), 'Continue'), undefined, 'no Continue while it streams again');
    chat.send({ type: 'turnUpdated', turn: answer('a1', 'Part one, part two.') });
    assert.equal(chat.turn('a1').querySelector('.answer-body')?.textContent, 'Part one, part two.\n');
  });

  it('an interrupted answer keeps its partial text, shows the error and offers Retry', () => {
    chat.send({ type: 'turnAdded', turn: question('q1', 'Explain') });
    chat.send({ type: 'turnAdded', turn: answer('a1', '', { status: 'streaming' }) });
    chat.send({ type: 'answerDelta', turnId: 'a1', text: 'The first half of' });
    chat.scheduler.flush();
    chat.send({ type: 'turnUpdated', turn: answer('a1', 'The first half of', { status: 'interrupted', error: 'The connection was lost.' }) });
    const turn = chat.turn('a1');
    assert.equal(turn.querySelector('.answer-body')?.textContent, 'The first half of\n');
    assert.match(turn.querySelector('.answer-status')?.textContent ?? '', /The connection was lost\./);
    assert.ok(turn.classList.contains('is-interrupted'));
    chat.click(buttonNamed(turn, 'Retry')!);
    assert.deepEqual(chat.api.take(), [{ type: 'regenerate', turnId: 'a1' }]);
  });

  it('an error with no text shows just the error and Retry', () => {
    conversation([question('q1', 'hi'), answer('a1', '', { status: 'interrupted', error: 'Kestrel needs an API key.' })]);
    const turn = chat.turn('a1');
    assert.equal(turn.querySelector('.answer-body')?.childNodes.length, 0);
    assert.equal(buttonNamed(turn, 'Copy answer'), undefined);
    assert.ok(buttonNamed(turn, 'Retry'));
    assert.match(turn.textContent ?? '', /Kestrel needs an API key\./);
  });

  it('a stopped answer says "Stopped." and offers Regenerate', () => {
    conversation([question('q1', 'hi'), answer('a1', 'Partial', { status: 'cancelled' })]);
    assert.match(chat.turn('a1').querySelector('.answer-status')?.textContent ?? '', /Stopped\./);
    chat.click(buttonNamed(chat.turn('a1'), 'Regenerate')!);
    assert.deepEqual(chat.api.take(), [{ type: 'regenerate', turnId: 'a1' }]);
  });

  it('shows a question as plain text: markup stays text, line breaks stay', () => {
    chat.send({ type: 'turnAdded', turn: question('q1', 'Why does <script>alert(1)</script>\n<img src=x onerror=alert(2)> fail?') });
    const text = chat.turn('q1').querySelector('.question-text')!;
    assert.equal(text.textContent, 'Why does <script>alert(1)</script>\n<img src=x onerror=alert(2)> fail?');
    assert.equal(chat.root.querySelector('script, img'), null);
    assert.equal(text.children.length, 0);
  });

  it('shows the context a question was sent with as read-only chips', () => {
    chat.send({ type: 'turnAdded', turn: question('q1', 'Fix it', { context: [{ id: 'f', kind: 'file', label: 'a.ts', detail: 'src/a.ts', tokens: 300, removable: true, usd: 0 }] }) });
    const chip = chat.turn('q1').querySelector<HTMLElement>('.context-chip')!;
    assert.equal(chip.textContent, 'a.ts~300 tokens');
    assert.equal(chip.querySelector('button'), null);
  });

  it('a conversation message replaces the whole transcript', () => {
    conversation([question('q1', 'old'), answer('a1', 'old answer')]);
    chat.send({ type: 'conversation', conversation: { id: 'c2', title: 'New', turns: [question('q9', 'other chat')], turnsOutOfContext: 0 }, busy: false });
    assert.deepEqual(
      chat.$$('.transcript .turn').map((turn) => turn.dataset.turnId),
      ['q9'],
    );
  });

  it('continues an answer that was streaming when the conversation was sent (a reload)', () => {
    conversation([question('q1', 'go'), answer('a1', 'Started ', { status: 'streaming' })], 0, true);
    chat.send({ type: 'answerDelta', turnId: 'a1', text: 'and finished.' });
    chat.scheduler.flush();
    assert.equal(chat.turn('a1').querySelector('.answer-body')?.textContent, 'Started and finished.\n');
    assert.equal(chat.$('.send-button').getAttribute('aria-label'), 'Stop (Esc)');
  });

  it('turnsRemoved removes those turns', () => {
    conversation([question('q1', 'one'), answer('a1', 'A1'), question('q2', 'two'), answer('a2', 'A2')]);
    chat.send({ type: 'turnsRemoved', turnIds: ['q2', 'a2'] });
    assert.deepEqual(chat.$$('.transcript .turn').map((turn) => turn.dataset.turnId), ['q1', 'a1']);
    assert.ok(buttonNamed(chat.turn('a1'), 'Regenerate answer'), 'a1 is the last answer again');
  });

  it('marks where earlier messages fall out of the context', () => {
    conversation([question('q1', 'one'), answer('a1', 'A1'), question('q2', 'two'), answer('a2', 'A2')], 2);
    const divider = chat.$('.context-divider');
    assert.match(divider.textContent ?? '', /Earlier messages are not sent to the model \(context limit\)/);
    assert.equal((divider.nextElementSibling as HTMLElement).dataset.turnId, 'q2');
    chat.send({ type: 'turnsOutOfContext', count: 0 });
    assert.equal(chat.root.querySelector('.context-divider'), null);
  });

  it('shows tool calls as collapsible steps, updated in place, with workspace text as plain text', () => {
    chat.send({ type: 'turnAdded', turn: answer('a1', '', { status: 'streaming' }) });
    chat.send({ type: 'toolStep', turnId: 'a1', step: { id: 'c1', tool: 'read_file', summary: 'src/a.ts:1-20', status: 'running' } });
    chat.send({ type: 'toolStep', turnId: 'a1', step: { id: 'c2', tool: 'propose_edit', summary: 'src/a.ts', status: 'running' } });
    const steps = () => [...chat.turn('a1').querySelectorAll<HTMLDetailsElement>('.tool-step')];
    assert.equal(steps().length, 2);
    assert.equal(chat.turn('a1').querySelector<HTMLElement>('.answer-pending')?.hidden, true, 'the steps say what is happening');
    assert.match(steps()[1].textContent ?? '', /Proposed edit to.*src\/a\.ts.*review the diff/);
    assert.ok(steps()[1].open, 'the review buttons show without expanding');
    buttonNamed(steps()[1], 'Accept')!.click();
    buttonNamed(steps()[1], 'Reject')!.click();
    assert.deepEqual(chat.api.take().slice(-2), [
      { type: 'reviewEdit', callId: 'c2', accept: true },
      { type: 'reviewEdit', callId: 'c2', accept: false },
    ]);
    steps()[0].open = true;
    const preview = '1: <img src=x onerror=alert(1)>\n2: const a = 1;';
    chat.send({ type: 'toolStep', turnId: 'a1', step: { id: 'c1', tool: 'read_file', summary: 'src/a.ts:1-20', status: 'done', resultTokens: 1234, durationMs: 42, preview } });
    const [read] = steps();
    assert.equal(steps().length, 2, 'updated in place');
    assert.ok(read.open, 'a step the user opened stays open');
    assert.equal(read.querySelector('.tool-step-meta')?.textContent, '1.2k tokens · 42 ms');
    assert.equal(read.querySelector('pre')?.textContent, preview);
    assert.equal(read.querySelector('img'), null, 'workspace text is never markup');
    chat.send({
      type: 'turnUpdated',
      turn: answer('a1', 'Done.', { steps: [{ id: 'c1', tool: 'read_file', summary: 'src/a.ts:1-20', status: 'done', preview }, { id: 'c2', tool: 'propose_edit', summary: 'src/a.ts', status: 'failed', preview: 'Error: rejected' }] }),
    });
    assert.deepEqual(steps().map((step) => step.className), ['tool-step is-done', 'tool-step is-failed']);
    assert.match(steps()[1].querySelector('.tool-step-meta')?.textContent ?? '', /^error/);
    assert.equal(steps()[1].querySelector('.tool-step-review'), null, 'no buttons once the review ended');
  });

  it('says when workspace tools are off', () => {
    chat.send({ type: 'context', chips: [], estimate: { promptTokens: 100, usdPerPromptToken: 0, usdPerAnswerToken: 0, typicalAnswerTokens: 400 }, toolsOff: 'Workspace tools are off in Restricted Mode.' });
    const note = chat.root.querySelector<HTMLElement>('.tools-off');
    assert.equal(note?.hidden, false);
    assert.equal(note?.textContent, 'Workspace tools are off in Restricted Mode.');
    chat.send({ type: 'context', chips: [], estimate: { promptTokens: 100, usdPerPromptToken: 0, usdPerAnswerToken: 0, typicalAnswerTokens: 400 } });
    assert.equal(note?.hidden, true);
  });
});
