/**
 * The Kestrel side-bar webview. It loads only the bundled script and stylesheet from
 * `dist/webview`, under a strict CSP (no inline code, no remote content, no `connect-src`), and
 * talks to the host through the typed protocol in `src/shared/protocol.ts`: every message is
 * validated here before anything acts on it. Conversation logic lives in ChatSession; this class
 * does what needs VS Code (clipboard, editor, links, prompts).
 */
import * as vscode from 'vscode';
import { parseWebviewMessage, type ConnectionSummary, type HostToWebview, type WebviewToHost } from '../../shared/protocol';
import { attachSelection, pickFileToAttach, type AttachmentLimits, type AttachmentResult } from './chatContext';
import type { ChatSession } from './chatSession';
import type { VisionIntake } from '../vision/visionIntake';
import { runCodeAction } from './codeBlockActions';
import { webviewHtml } from '../../host/webviewHtml';

export const CHAT_VIEW_ID = 'kestrel.chatView';

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  /** Listeners of the current view, replaced when VS Code resolves the view again. */
  private viewDisposables: vscode.Disposable[] = [];
  private session: ChatSession | undefined;
  private intake: VisionIntake | undefined;
  private readonly posted = new vscode.EventEmitter<HostToWebview>();
  /** Every message sent towards the view, whether or not it is open (the integration tests watch it). */
  readonly onDidPost = this.posted.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly connectionSummary: () => Promise<ConnectionSummary>,
    private readonly attachmentLimits: () => AttachmentLimits,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Set once at registration (the session posts through this provider). */
  connect(session: ChatSession, intake: VisionIntake, imageSettings: () => HostToWebview, decideEdit: (callId: string, accept: boolean) => void): void {
    this.session = session;
    this.intake = intake;
    this.imageSettings = imageSettings;
    this.decideEdit = decideEdit;
  }

  private imageSettings: (() => HostToWebview) | undefined;
  private decideEdit: ((callId: string, accept: boolean) => void) | undefined;

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const webviewRoot = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot] };
    view.webview.html = webviewHtml(view.webview, webviewRoot, 'chat', 'Kestrel Chat', [`img-src ${view.webview.cspSource} data: blob:`]);
    for (const disposable of this.viewDisposables) disposable.dispose();
    this.viewDisposables = [
      view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    ];
  }

  get isResolved(): boolean {
    return this.view !== undefined;
  }

  /** Handles one message from the webview, after validating it; never throws. */
  async receive(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.log.warn(`Ignored a malformed message from the chat view: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    try {
      await this.handle(message);
    } catch (error) {
      this.log.error(`Chat view: ${message.type} failed: ${(error as Error).stack ?? String(error)}`);
      this.post({ type: 'notice', level: 'error', message: (error as Error).message });
    }
  }

  /** Opens the chat view (and its container) and focuses the composer. */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    this.post({ type: 'focusComposer' });
  }

  /** Sends the current connection summary (after a settings or key change). */
  async refresh(): Promise<void> {
    if (this.view) await this.postConnection();
    await this.session?.postContext();
  }

  /** The connection summary; if the key store cannot be read (no keyring), says so and goes on. */
  private async postConnection(): Promise<void> {
    try {
      this.post({ type: 'connection', connection: await this.connectionSummary() });
    } catch (error) {
      this.log.error(`Could not read the connection state: ${(error as Error).message}`);
      this.post({ type: 'notice', level: 'error', message: `Kestrel could not read its API key from VS Code's secret storage: ${(error as Error).message}` });
    }
  }

  /** Posts to the view if it is open; a view opened later asks for everything with `ready`. */
  post(message: HostToWebview): void {
    this.posted.fire(message);
    void this.view?.webview.postMessage(message);
  }

  /** Adds an editor attachment to the next question, or says why it cannot. */
  addAttachment(result: AttachmentResult | undefined): void {
    if (!result) return;
    const problem = 'problem' in result ? result.problem : this.session?.attach(result.attachment);
    if (problem) void vscode.window.showWarningMessage(problem);
  }

  /** Tells the view how to scale images (after a settings change too). */
  postImageSettings(): void {
    if (this.imageSettings) this.post(this.imageSettings());
  }

  private async handle(message: WebviewToHost): Promise<void> {
    const session = this.session;
    const intake = this.intake;
    if (!session || !intake) return;
    switch (message.type) {
      case 'ready':
        await this.postConnection();
        this.postImageSettings();
        await session.ready();
        intake.resend();
        return;
      case 'runCommand': {
        const result: unknown = await vscode.commands.executeCommand(message.command);
        if (message.command === 'kestrel.testConnection' && isReport(result)) {
          this.post({ type: 'connectionTest', ok: result.ok, message: result.message });
        }
        return;
      }
      case 'send':
        return session.send(message.text, { replacing: message.replacing });
      case 'stop':
        return session.stop();
      case 'editQuestion':
        return session.editQuestion(message.turnId);
      case 'cancelEdit':
        return session.cancelEdit();
      case 'regenerate':
        return session.regenerate(message.turnId);
      case 'continue':
        return session.continue(message.turnId);
      case 'newChat':
        return session.newChat();
      case 'openChat':
        if (!(await session.open(message.id))) this.post({ type: 'notice', level: 'error', message: 'That chat no longer exists.' });
        return;
      case 'renameChat':
        return renameChat(session, message.id);
      case 'deleteChat':
        return deleteChat(session, message.id);
      case 'attach':
        if (message.what === 'image') return intake.addFiles(await pickImagesOrPdfs());
        this.addAttachment(message.what === 'selection' ? attachSelection(lastEditor(), this.attachmentLimits()) : await pickFileToAttach(this.attachmentLimits()));
        return;
      case 'attachImage':
        return intake.imageScaled(message.image, message.requestId, message.replaces);
      case 'scaleFailed':
        return intake.scaleFailed(message.requestId);
      case 'attachDocument':
        return intake.addDocument(message.name, message.dataUrl);
      case 'attachUris':
        return intake.addFiles(message.uris.map((uri) => vscode.Uri.parse(uri, true)));
      case 'removeContext':
        return session.removeContext(message.id);
      case 'copy':
        return vscode.env.clipboard.writeText(message.text);
      case 'codeAction': {
        const problem = await runCodeAction(message.action, message.code, message.language);
        if (problem) this.post({ type: 'notice', level: 'error', message: problem });
        return;
      }
      case 'reviewEdit':
        return this.decideEdit?.(message.callId, message.accept);
      case 'openLink':
        // VS Code asks before opening a domain the user has not trusted.
        await vscode.env.openExternal(vscode.Uri.parse(message.href, true));
        return;
      default:
        assertNever(message);
    }
  }

  dispose(): void {
    this.posted.dispose();
    for (const disposable of this.viewDisposables) disposable.dispose();
  }
}

/** VS Code's open dialog for images and PDFs (several at once). */
async function pickImagesOrPdfs(): Promise<vscode.Uri[]> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Attach Images or PDFs to Kestrel Chat',
    canSelectMany: true,
    filters: { 'Images and PDFs': ['png', 'jpg', 'jpeg', 'webp', 'gif', 'pdf'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked ?? [];
}

/** Asks for a new title in VS Code's own input box. */
export async function renameChat(session: ChatSession, id: string, current?: string): Promise<void> {
  const title = await vscode.window.showInputBox({
    title: 'Rename Chat',
    value: current ?? (await session.titleOf(id)) ?? '',
    validateInput: (value) => (value.trim() ? undefined : 'The title cannot be empty.'),
  });
  if (title !== undefined) await session.rename(id, title);
}

/** Deletes a chat after a modal confirmation (it cannot be undone). */
export async function deleteChat(session: ChatSession, id: string, title?: string): Promise<void> {
  const name = title ?? (await session.titleOf(id)) ?? 'this chat';
  const choice = await vscode.window.showWarningMessage(`Delete "${name}"?`, { modal: true, detail: 'The conversation is removed from disk.' }, 'Delete');
  if (choice === 'Delete') await session.delete(id);
}

/** The editor the user was in before focusing the chat. */
export function lastEditor(): vscode.TextEditor | undefined {
  return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
}

function isReport(value: unknown): value is { ok: boolean; message: string } {
  return typeof value === 'object' && value !== null && 'ok' in value && 'message' in value;
}

function assertNever(value: never): never {
  throw new Error(`Unhandled webview message: ${JSON.stringify(value)}`);
}
