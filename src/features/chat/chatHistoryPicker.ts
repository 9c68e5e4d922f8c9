/**
 * "Kestrel: Show Chat History": VS Code's own quick pick of saved chats, newest first, with
 * Rename and Delete buttons on each item. Native, searchable and keyboard-driven.
 */
import * as vscode from 'vscode';
import type { ChatHistoryStore } from './chatHistoryStore';
import { deleteChat, renameChat } from './chatViewProvider';
import type { ChatSession } from './chatSession';

const RENAME: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('edit'), tooltip: 'Rename' };
const DELETE: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete' };

interface ChatItem extends vscode.QuickPickItem {
  id: string;
  title: string;
}

export async function showChatHistory(session: ChatSession, store: ChatHistoryStore, reveal: () => Promise<void>): Promise<void> {
  const pick = vscode.window.createQuickPick<ChatItem>();
  pick.title = 'Kestrel Chats';
  pick.placeholder = 'Open a chat (type to search titles)';
  pick.matchOnDescription = true;
  const load = async () => {
    pick.busy = true;
    const summaries = await store.list();
    pick.items = summaries.map((summary) => ({
      id: summary.id,
      title: summary.title,
      label: summary.title,
      description: `${new Date(summary.updatedAt).toLocaleString()} · ${summary.turnCount} messages`,
      buttons: [RENAME, DELETE],
    }));
    if (summaries.length === 0) pick.placeholder = 'No saved chats yet';
    pick.busy = false;
  };
  const disposables: vscode.Disposable[] = [
    pick,
    pick.onDidTriggerItemButton(async ({ item, button }) => {
      // The input box and the confirmation replace the list; it opens again afterwards.
      pick.hide();
      if (button === RENAME) await renameChat(session, item.id, item.title);
      else await deleteChat(session, item.id, item.title);
      await showChatHistory(session, store, reveal);
    }),
    pick.onDidAccept(async () => {
      const chosen = pick.selectedItems[0];
      pick.hide();
      if (!chosen) return;
      await reveal();
      if (!(await session.open(chosen.id))) void vscode.window.showWarningMessage('That chat no longer exists.');
    }),
  ];
  disposables.push(pick.onDidHide(() => setTimeout(() => disposables.forEach((d) => d.dispose()))));
  pick.show();
  await load();
}
