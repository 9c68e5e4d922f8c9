/** Wires the side-panel chat, its commands and Explain Selection into VS Code. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PathMatcher } from '../../core/pathExclusions';
import type { SettingsStore } from '../../host/configuration';
import type { Logger } from '../../model/types';
import type { ConnectionSummary } from '../../shared/protocol';
import { registerExplain } from '../explain/explainCommands';
import { MAX_IMAGES_PER_QUESTION } from '../../core/vision/visionAttachments';
import { VisionIntake } from '../vision/visionIntake';
import type { WorkspaceToolsFeature } from '../tools/registerTools';
import { attachSelection, pickFileToAttach, type AttachmentLimits } from './chatContext';
import { ChatHistoryStore } from './chatHistoryStore';
import { DraftAttachmentStore } from './draftAttachmentStore';
import { showChatHistory } from './chatHistoryPicker';
import { ChatSession, type ChatModel } from './chatSession';
import { CHAT_VIEW_ID, ChatViewProvider, lastEditor } from './chatViewProvider';
import { ProjectInstructions } from './projectInstructions';

const OPEN_CHAT_KEY = 'kestrel.chat.openConversation';
/** One attachment may take at most this share of the context budget, so history still fits. */
const ATTACHMENT_SHARE = 0.5;

export function registerChat(deps: {
  context: vscode.ExtensionContext;
  model: ChatModel;
  settings: SettingsStore;
  log: vscode.LogOutputChannel & Logger;
  isExcluded: () => PathMatcher;
  connectionSummary: () => Promise<ConnectionSummary>;
  tools: WorkspaceToolsFeature;
}): { chatView: ChatViewProvider; session: ChatSession; disposables: vscode.Disposable[] } {
  const { context, settings } = deps;
  const limits = (): AttachmentLimits => ({
    isExcluded: deps.isExcluded(),
    maxTokens: Math.floor(settings.settings.chat.contextTokens * ATTACHMENT_SHARE),
  });
  const store = new ChatHistoryStore(path.join(context.globalStorageUri.fsPath, 'chats'), () => settings.settings.chat.maxConversations);
  const instructions = new ProjectInstructions();
  const chatView = new ChatViewProvider(context.extensionUri, deps.connectionSummary, limits, deps.log);
  const session = new ChatSession({
    model: deps.model,
    store,
    // Per workspace, like the open chat and the webview's draft text (global with no folder open).
    drafts: new DraftAttachmentStore(path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'chat-draft')),
    settings: () => settings.settings,
    instructions: () => instructions.get(),
    post: (message) => chatView.post(message),
    tools: () => deps.tools.forAnswer(),
    openChat: { get: () => context.workspaceState.get<string>(OPEN_CHAT_KEY), set: (id) => context.workspaceState.update(OPEN_CHAT_KEY, id) },
    log: deps.log,
  });
  const warn = (message: string) => void vscode.window.showWarningMessage(message);
  const intake = new VisionIntake(session, (message) => chatView.post(message), limits, warn);
  const imageSettings = () => ({ type: 'imageSettings', ...settings.settings.image, maxImages: MAX_IMAGES_PER_QUESTION }) as const;
  chatView.connect(session, intake, imageSettings, (callId, accept) => deps.tools.decideEdit(callId, accept));
  const reveal = () => chatView.reveal();

  const disposables: vscode.Disposable[] = [
    chatView,
    instructions,
    { dispose: () => session.dispose() },
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chatView),
    instructions.onDidChange(() => void session.postContext()),
    deps.tools.onDidChange(() => void session.postContext()),
    settings.onDidChange(() => chatView.postImageSettings()),
    vscode.commands.registerCommand('kestrel.focusChat', reveal),
    vscode.commands.registerCommand('kestrel.newChat', async () => {
      await reveal();
      await session.newChat();
    }),
    vscode.commands.registerCommand('kestrel.showChatHistory', () => showChatHistory(session, store, reveal)),
    vscode.commands.registerCommand('kestrel.addSelectionToChat', async () => {
      const result = attachSelection(lastEditor(), limits());
      if ('attachment' in result) await reveal();
      chatView.addAttachment(result);
    }),
    vscode.commands.registerCommand('kestrel.addFileToChat', async (uri?: unknown, selected?: unknown) => {
      if (!(uri instanceof vscode.Uri)) {
        const result = await pickFileToAttach(limits());
        if (result && 'attachment' in result) await reveal();
        return chatView.addAttachment(result);
      }
      // The Explorer passes every selected file; images go through the chat view to be scaled.
      const uris = Array.isArray(selected) && selected.every((u) => u instanceof vscode.Uri) ? (selected as vscode.Uri[]) : [uri];
      await reveal();
      await intake.addFiles(uris);
    }),
    vscode.commands.registerCommand('kestrel.describeImage', async (uri?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : activeImageUri();
      if (!target) return warn('Open an image, or right-click one in the Explorer, to have Kestrel describe it.');
      await reveal();
      await intake.addFiles([target], 'describe');
    }),
    ...registerExplain({ session, reveal, limits }),
  ];
  return { chatView, session, disposables };
}

/** The image shown in VS Code's image preview, if that is the active editor. */
function activeImageUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom && input.viewType === 'imagePreview.previewEditor' ? input.uri : undefined;
}
