/**
 * Project instructions: `.kestrel/instructions.md` in a workspace folder is added to the chat's
 * system prompt and shown as a chip. Ignored in Restricted Mode, since a repository someone else
 * wrote could otherwise steer the model. Read lazily, cached, and re-read when the file changes.
 */
import * as vscode from 'vscode';
import { fitToTokens } from '../../core/chat/attachmentText';
import type { Attachment } from '../../core/chat/chatTypes';

export const INSTRUCTIONS_PATH = '.kestrel/instructions.md';
/** Instructions go with every request, so they are kept short. */
const MAX_INSTRUCTION_TOKENS = 2000;

export class ProjectInstructions implements vscode.Disposable {
  private cached: Promise<Attachment | undefined> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${INSTRUCTIONS_PATH}`);
    const reset = () => {
      this.cached = undefined;
      this.changed.fire();
    };
    this.disposables.push(
      watcher,
      watcher.onDidCreate(reset),
      watcher.onDidChange(reset),
      watcher.onDidDelete(reset),
      vscode.workspace.onDidGrantWorkspaceTrust(reset),
      vscode.workspace.onDidChangeWorkspaceFolders(reset),
    );
  }

  /** The instructions of the first workspace folder that has them, when the workspace is trusted. */
  get(): Promise<Attachment | undefined> {
    if (!vscode.workspace.isTrusted) return Promise.resolve(undefined);
    this.cached ??= this.read();
    return this.cached;
  }

  private async read(): Promise<Attachment | undefined> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, INSTRUCTIONS_PATH);
      let text: string;
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        continue;
      }
      if (!text.trim()) continue;
      const fitted = fitToTokens(text.trim(), MAX_INSTRUCTION_TOKENS);
      const cut = fitted.keptLines < fitted.totalLines ? `, first ${fitted.keptLines} of ${fitted.totalLines} lines` : '';
      return {
        id: 'instructions',
        kind: 'instructions',
        label: 'instructions.md',
        detail: `${vscode.workspace.asRelativePath(uri, true)}${cut}`,
        language: 'markdown',
        content: fitted.text,
        tokens: fitted.tokens,
      };
    }
    return undefined;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
