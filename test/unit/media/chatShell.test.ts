/**
 * What surrounds the conversation: the loading state, the connection panel when no key is set,
 * the welcome with recent chats, notices, and host messages arriving as window message events.
 * Also the number formats a user reads in the panel.
 */
import * as assert from 'node:assert/strict';
import { formatRelativeTime, formatTokens, formatUsd } from '../../../media/chat/format';
import { answer, buttonNamed, mountChat, NOW, OPENAI, question, type MountedChat } from './chatAppFixture';

describe('chat view shell (webview)', () => {
  let chat: MountedChat;
  beforeEach(() => {
    chat = mountChat();
  });
  afterEach(() => chat.app.dispose());

  const emptyConversation = (): void => chat.send({ type: 'conversation', conversation: { id: 'c0', title: 'New chat', turns: [], turnsOutOfContext: 0 }, busy: false });

  it('shows a quiet loading state until the connection is known', () => {
    assert.equal(chat.$('.lead').textContent, 'Loading…');
    chat.send({ type: 'connection', connection: OPENAI });
    emptyConversation();
    assert.equal(chat.root.querySelector('.loading'), null);
    assert.ok(chat.root.querySelector('.empty-state'));
  });

  it('shows the connection panel instead of the welcome while OpenAI has no key', () => {
    chat.send({ type: 'connection', connection: { ...OPENAI, keySource: 'none' } });
    emptyConversation();
    assert.equal(chat.root.querySelector('.empty-state'), null);
    assert.match(chat.$('.connection-panel').textContent ?? '', /Kestrel needs an API key/);
    chat.click(buttonNamed(chat.root, 'Set API Key')!);
    chat.send({ type: 'connectionTest', ok: false, message: '401: invalid key' });
    assert.match(chat.$('.connection-panel').textContent ?? '', /401: invalid key/);
    assert.deepEqual(chat.api.take(), [{ type: 'runCommand', command: 'kestrel.setApiKey' }]);
  });

  it('needs no key for an OpenAI-compatible endpoint: the welcome shows where requests go', () => {
    chat.send({ type: 'connection', connection: { provider: 'openai-compatible', endpoint: 'http://localhost:11434/v1', model: 'qwen2.5-coder', keySource: 'none' } });
    emptyConversation();
    assert.equal(chat.root.querySelector('.connection-panel'), null);
    assert.equal(chat.$('.empty-connection').textContent, 'qwen2.5-coder @ localhost:11434');
    assert.match(chat.$('.empty-state').textContent ?? '', /Shift\+Enter/);
  });

  it('lists up to five recent chats, newest first; a click opens one, "Show all…" the history', () => {
    chat.send({ type: 'connection', connection: OPENAI });
    emptyConversation();
    const hour = 3_600_000;
    chat.send({
      type: 'conversations',
      conversations: Array.from({ length: 7 }, (_, i) => ({ id: `k${i}`, title: `Chat ${i}`, updatedAt: NOW - (i + 1) * hour, turnCount: 2 })).reverse(),
    });
    const items = chat.$$('.recent-open');
    assert.deepEqual(items.map((item) => item.querySelector('.recent-title')?.textContent), ['Chat 0', 'Chat 1', 'Chat 2', 'Chat 3', 'Chat 4']);
    assert.equal(items[0].querySelector('.recent-date')?.textContent, '1 h ago');
    chat.click(items[1]);
    chat.click(buttonNamed(chat.root, 'Show all…')!);
    assert.deepEqual(chat.api.take(), [
      { type: 'openChat', id: 'k1' },
      { type: 'runCommand', command: 'kestrel.showChatHistory' },
    ]);
  });

  it('hides the welcome once the chat has turns', () => {
    chat.send({ type: 'connection', connection: OPENAI });
    emptyConversation();
    chat.send({ type: 'turnAdded', turn: question('q1', 'hello') });
    assert.equal(chat.root.querySelector('.empty-state'), null);
    chat.send({ type: 'turnsRemoved', turnIds: ['q1'] });
    assert.ok(chat.root.querySelector('.empty-state'));
  });

  it('shows notices as dismissible banners', () => {
    chat.send({ type: 'notice', level: 'error', message: 'Rate limited: try again in 20 s.' });
    const banner = chat.$('.notice');
    assert.ok(banner.classList.contains('notice-error'));
    assert.equal(banner.getAttribute('role'), 'alert');
    assert.equal(banner.textContent, 'Rate limited: try again in 20 s.');
    chat.click(buttonNamed(banner, 'Dismiss')!);
    assert.equal(chat.root.querySelector('.notice'), null);
  });

  it('receives host messages posted to the window', () => {
    chat.dom.window.dispatchEvent(new chat.dom.window.MessageEvent('message', { data: { type: 'turnAdded', turn: answer('a1', 'From the **host**') } }));
    assert.equal(chat.turn('a1').querySelector('strong')?.textContent, 'host');
  });

  it('gives every icon button an accessible name and a tooltip', () => {
    chat.send({ type: 'connection', connection: OPENAI });
    chat.send({ type: 'conversation', conversation: { id: 'c1', title: 'x', turns: [question('q1', 'a'), answer('a1', '```js\nx\n```')], turnsOutOfContext: 0 }, busy: false });
    chat.send({ type: 'context', chips: [{ id: 's', kind: 'selection', label: 'x.ts:1', detail: 'x', tokens: 3, removable: true, usd: 0 }], estimate: { promptTokens: 1, usdPerPromptToken: 0, usdPerAnswerToken: 0, typicalAnswerTokens: 1 } });
    const unnamed = chat
      .$$('button')
      .filter((button) => !(button.getAttribute('aria-label') || button.textContent?.trim()) || (button.classList.contains('icon-button') && !button.title));
    assert.ok(chat.$$('.icon-button').length >= 8);
    assert.deepEqual(unnamed.map((button) => button.outerHTML), []);
  });
});

describe('chat number formats', () => {
  it('formats token counts compactly', () => {
    assert.deepEqual([0, 812, 1234, 9999, 12_345, 25_501, 99_960, 999_499, 1_500_000].map(formatTokens), ['0', '812', '1.2k', '10k', '12.3k', '25.5k', '100k', '999k', '1.5M']);
  });

  it('formats tiny costs with two significant digits', () => {
    assert.deepEqual([0, 0.000001, 0.0002, 0.00020754, 0.0123, 0.5, 2.345].map(formatUsd), ['$0', '<$0.00001', '$0.0002', '$0.00021', '$0.012', '$0.5', '$2.35']);
  });

  it('formats dates relative to now', () => {
    const minute = 60_000;
    assert.deepEqual([NOW - 10_000, NOW - 5 * minute, NOW - 3 * 60 * minute, NOW - 30 * 60 * minute, NOW - 4 * 24 * 60 * minute].map((t) => formatRelativeTime(t, NOW)), [
      'just now',
      '5 min ago',
      '3 h ago',
      'yesterday',
      '4 days ago',
    ]);
  });
});
