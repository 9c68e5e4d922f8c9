/// <reference lib="dom" />
/**
 * What a new chat shows before the first question: what Kestrel can do, the keys that matter,
 * where requests go, and the most recent chats to pick up again (the full list is the host's
 * chat history picker).
 */
import type { ConnectionSummary, ConversationSummary, WebviewToHost } from '../../src/shared/protocol';
import type { Dom } from './dom';
import { formatRelativeTime } from './format';

const RECENT_LIMIT = 5;

export interface EmptyState {
  readonly element: HTMLElement;
  setConnection(connection: ConnectionSummary): void;
  setConversations(conversations: readonly ConversationSummary[]): void;
  /** The chat on screen, left out of the recent list. */
  setCurrentConversation(id: string | undefined): void;
}

export function createEmptyState(dom: Dom, post: (message: WebviewToHost) => void, now: () => number): EmptyState {
  const element = dom.el('section', 'empty-state');
  element.setAttribute('aria-label', 'Welcome');
  const title = dom.el('h2', 'empty-title');
  title.append(dom.icon('sparkle'), dom.el('span', undefined, 'Ask Kestrel'));
  const intro = dom.el('p', 'empty-intro', 'Ask about your code: explain it, fix it, write tests or new code. Answers can be copied, inserted at the cursor or opened as a new file.');
  const hints = dom.el('ul', 'empty-hints');
  for (const [keys, what] of [
    ['Enter', 'sends'],
    ['Shift+Enter', 'starts a new line'],
    ['Esc', 'stops an answer'],
  ]) {
    const item = dom.el('li');
    item.append(dom.el('kbd', undefined, keys), ` ${what}`);
    hints.append(item);
  }
  const attachHint = dom.el('li');
  attachHint.append(dom.icon('selection'), ' ', dom.icon('file-add'), ' attach the selection or a file as context');
  hints.append(attachHint);
  const connectionLine = dom.el('p', 'empty-connection');
  connectionLine.hidden = true;
  const recent = dom.el('section', 'recent-chats');
  recent.setAttribute('aria-label', 'Recent chats');
  recent.hidden = true;
  element.append(title, intro, hints, connectionLine, recent);

  let conversations: readonly ConversationSummary[] = [];
  let currentId: string | undefined;

  const renderRecent = (): void => {
    const shown = conversations
      .filter((conversation) => conversation.id !== currentId && conversation.turnCount > 0)
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, RECENT_LIMIT);
    recent.hidden = shown.length === 0;
    if (shown.length === 0) {
      recent.replaceChildren();
      return;
    }
    const list = dom.el('ul', 'recent-list');
    const at = now();
    for (const conversation of shown) {
      const item = dom.el('li', 'recent-item');
      const open = dom.el('button', 'recent-open');
      open.type = 'button';
      open.title = conversation.title;
      open.append(dom.icon('comment-discussion'), dom.el('span', 'recent-title', conversation.title), dom.el('span', 'recent-date', formatRelativeTime(conversation.updatedAt, at)));
      open.addEventListener('click', () => post({ type: 'openChat', id: conversation.id }));
      const rename = dom.iconButton('edit', `Rename ${conversation.title}`, () => post({ type: 'renameChat', id: conversation.id }));
      const remove = dom.iconButton('trash', `Delete ${conversation.title}`, () => post({ type: 'deleteChat', id: conversation.id }));
      rename.classList.add('recent-action');
      remove.classList.add('recent-action');
      item.append(open, rename, remove);
      list.append(item);
    }
    const showAll = dom.textButton('Show all…', () => post({ type: 'runCommand', command: 'kestrel.showChatHistory' }), { icon: 'history' });
    showAll.classList.add('show-all');
    recent.replaceChildren(dom.el('h3', 'recent-heading', 'Recent chats'), list, showAll);
  };

  return {
    element,
    setConnection(connection) {
      connectionLine.replaceChildren(dom.icon('plug'), dom.el('span', undefined, `${connection.model} @ ${hostOf(connection.endpoint)}`));
      connectionLine.title = connection.endpoint;
      connectionLine.hidden = false;
    },
    setConversations(next) {
      conversations = next;
      renderRecent();
    },
    setCurrentConversation(id) {
      currentId = id;
      renderRecent();
    },
  };
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host || endpoint;
  } catch {
    return endpoint;
  }
}
