import * as assert from 'node:assert/strict';
import { buildChatPrompt, CHAT_SYSTEM_PROMPT, CONTINUE_REQUEST, EARLIER_ATTACHMENT_MAX_TOKENS } from '../../../../src/core/chat/chatPrompt';
import type { Attachment, ChatTurn } from '../../../../src/core/chat/chatTypes';
import { estimatePromptTokens } from '../../../../src/core/tokenEstimate';

let next = 0;
const question = (text: string, attachments?: Attachment[]): ChatTurn => ({ id: `u${next++}`, role: 'user', text, createdAt: 0, attachments });
const answer = (text: string, status: ChatTurn['status'] = 'complete'): ChatTurn => ({ id: `a${next++}`, role: 'assistant', text, createdAt: 0, status });
const code = (content: string, tokens: number, kind: Attachment['kind'] = 'selection'): Attachment => ({
  id: `c${next++}`,
  kind,
  label: 'sort.ts:3-9',
  detail: 'src/sort.ts, lines 3-9 (typescript)',
  language: 'typescript',
  content,
  tokens,
});
const contentOf = (message: { content?: unknown }): string =>
  typeof message.content === 'string' ? message.content : JSON.stringify(message.content);

describe('chat prompt', () => {
  it('sends the question with its attached code fenced and located, after the system prompt', () => {
    const prompt = buildChatPrompt({ turns: [question('Why is this slow?', [code('for (;;) {}', 5)])], contextTokens: 24_000 });
    assert.deepEqual(prompt.messages[0], { role: 'system', content: CHAT_SYSTEM_PROMPT });
    assert.equal(prompt.messages.length, 2);
    assert.equal(prompt.messages[1].content, 'src/sort.ts, lines 3-9 (typescript):\n```typescript\nfor (;;) {}\n```\n\nWhy is this slow?');
    assert.equal(prompt.turnsOutOfContext, 0);
    assert.equal(prompt.promptTokens, estimatePromptTokens(prompt.messages));
  });

  it('uses a longer fence when the code itself contains backticks', () => {
    const prompt = buildChatPrompt({ turns: [question('What is this?', [code('const md = "```js\\nx\\n```";', 12)])], contextTokens: 24_000 });
    assert.match(contentOf(prompt.messages[1]), /^src[^\n]*:\n````typescript\n[\s\S]*\n````\n\nWhat is this\?$/);
  });

  it('adds project instructions to the system prompt', () => {
    const instructions = { ...code('Use tabs. Answer in British English.', 9, 'instructions'), detail: '.kestrel/instructions.md' };
    const prompt = buildChatPrompt({ turns: [question('Hi')], instructions, contextTokens: 24_000 });
    assert.match(contentOf(prompt.messages[0]), /^You are Kestrel[\s\S]*\.kestrel\/instructions\.md[\s\S]*Use tabs\. Answer in British English\.$/);
  });

  it('keeps the newest turns that fit the budget, cutting before a question, and says how many were left out', () => {
    const turns: ChatTurn[] = [];
    for (let i = 0; i < 30; i++) turns.push(question(`Question ${i}: ${'word '.repeat(60)}`), answer(`Answer ${i}: ${'text '.repeat(120)}`));
    turns.push(question('And now?'));
    const prompt = buildChatPrompt({ turns, contextTokens: 3000 });
    assert.ok(prompt.promptTokens <= 3000, `${prompt.promptTokens} tokens`);
    assert.ok(prompt.turnsOutOfContext > 0 && prompt.turnsOutOfContext < turns.length - 1);
    assert.equal(turns[prompt.turnsOutOfContext].role, 'user', 'the cut falls before a question');
    assert.equal(prompt.messages[1].role, 'user');
    assert.equal(prompt.messages.length, 1 + (turns.length - prompt.turnsOutOfContext));
    assert.equal(contentOf(prompt.messages.at(-1)!), 'And now?');
    // Everything kept, in order: the last kept turns are exactly the newest ones.
    assert.equal(contentOf(prompt.messages[1]), turns[prompt.turnsOutOfContext].text);
    const roomy = buildChatPrompt({ turns, contextTokens: 120_000 });
    assert.equal(roomy.turnsOutOfContext, 0);
    assert.equal(roomy.messages.length, turns.length + 1);
  });

  it('always sends the question itself, even when it alone exceeds the budget', () => {
    const prompt = buildChatPrompt({ turns: [question('old'), answer('old answer'), question('x', [code('y '.repeat(5000), 5000)])], contextTokens: 2000 });
    assert.equal(prompt.turnsOutOfContext, 2);
    assert.equal(prompt.messages.length, 2);
  });

  it('re-sends small earlier attachments but replaces large ones and images with a note', () => {
    const small = code('return a < b;', 6);
    const large = { ...code('x'.repeat(100), EARLIER_ATTACHMENT_MAX_TOKENS + 1), detail: 'src/big.ts (typescript)' };
    const image = { ...code('data:image/png;base64,AAAA', 2833, 'image'), label: 'screenshot.png' };
    const turns = [question('first', [small, large, image]), answer('ok'), question('second')];
    const [, first] = buildChatPrompt({ turns, contextTokens: 24_000 }).messages;
    const text = contentOf(first);
    assert.match(text, /```typescript\nreturn a < b;\n```/);
    assert.match(text, /\[src\/big\.ts \(typescript\) was attached here earlier \(about 1501 tokens\); it is not repeated\.\]/);
    assert.match(text, /\[An image \(screenshot\.png\) was attached here earlier/);
    assert.doesNotMatch(text, /base64|xxxxxxxx/);
  });

  it('sends an image attached to the current question as an image part', () => {
    const image = { ...code('data:image/png;base64,AAAA', 85, 'image'), label: 'screenshot.png' };
    const [, message] = buildChatPrompt({ turns: [question('What is wrong here?', [image])], contextTokens: 24_000 }).messages;
    assert.deepEqual(message.content, [
      { type: 'text', text: 'What is wrong here?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'high' } },
    ]);
  });

  it('continues a cut-off answer: the partial answer, then the request to go on', () => {
    const turns = [question('Write a long story'), answer('Once upon a time', 'truncated')];
    const { messages } = buildChatPrompt({ turns, contextTokens: 24_000 });
    assert.deepEqual(messages.slice(1), [
      { role: 'user', content: 'Write a long story' },
      { role: 'assistant', content: 'Once upon a time' },
      { role: 'user', content: CONTINUE_REQUEST },
    ]);
  });

  it('leaves out failed answers that have no text', () => {
    const turns = [question('one'), answer('', 'interrupted'), question('two')];
    const { messages } = buildChatPrompt({ turns, contextTokens: 24_000 });
    assert.deepEqual(
      messages.slice(1).map((m) => m.role),
      ['user', 'user'],
    );
  });
});
