/**
 * Workspace tools for chat and Explain: builds a fresh tool set for each answer (its own output
 * budget) over VS Code's workspace, or says why there is none. Tools are off in Restricted Mode:
 * an untrusted folder's files are exactly the ones that may carry a prompt injection, and the
 * chat tells the user so instead of silently answering without them.
 */
import * as vscode from 'vscode';
import type { FolderMatcher } from '../../core/pathExclusions';
import type { SettingsStore } from '../../host/configuration';
import type { VsCodeWorkspacePort } from '../../host/workspacePort';
import type { AnswerTools } from '../chat/chatSession';
import { EditReview } from './editReview';

export interface WorkspaceToolsFeature {
  /** The tools for one answer, or why there are none. */
  forAnswer(): AnswerTools | { off: string };
  /** The chat's Accept or Reject of the edit proposed by the tool call `callId`. */
  decideEdit(callId: string, accept: boolean): void;
  /** Fires when the answer to `forAnswer` may have changed (trust granted, folders, settings). */
  onDidChange: vscode.Event<void>;
  disposables: vscode.Disposable[];
}

export function registerTools(deps: { settings: SettingsStore; excludedIn: FolderMatcher; log: vscode.LogOutputChannel }): WorkspaceToolsFeature {
  const review = new EditReview(deps.log);
  let port: VsCodeWorkspacePort | undefined;
  const changed = new vscode.EventEmitter<void>();
  const fire = () => changed.fire();
  return {
    forAnswer() {
      const { tools } = deps.settings.settings;
      if (!tools.enabled) return { off: 'Workspace tools are turned off (kestrel.tools.enabled), so answers only see what you attach.' };
      if (!vscode.workspace.isTrusted) return { off: 'Workspace tools are off in Restricted Mode: trust this folder to let Kestrel read its files.' };
      const folders = vscode.workspace.workspaceFolders ?? [];
      if (folders.length === 0) return { off: 'Open a folder to let Kestrel look at your files.' };
      // Symlinks and .gitignore can only be checked on a disk the extension host sees: virtual
      // folders (a repository opened from the web, say) get no tools.
      if (!folders.some((folder) => folder.uri.scheme === 'file')) return { off: 'Workspace tools work on folders on disk only, not on virtual folders.' };
      const code = toolsChunk();
      port ??= new code.VsCodeWorkspacePort((proposal, signal) => review.review(proposal, signal));
      return { tools: code.createWorkspaceTools({ port, excludedIn: deps.excludedIn, outputTokensPerAnswer: tools.maxOutputTokens }), maxRounds: tools.maxRounds };
    },
    decideEdit: (callId, accept) => review.decide(callId, accept),
    onDidChange: changed.event,
    disposables: [
      review,
      changed,
      vscode.workspace.onDidGrantWorkspaceTrust(fire),
      vscode.workspace.onDidChangeWorkspaceFolders(fire),
      deps.settings.onDidChange(fire),
    ],
  };
}

type ToolsChunk = typeof import('./workspaceToolsChunk');
let loaded: ToolsChunk | undefined;

/** Loads the tool code on first use (see workspaceToolsChunk.ts). */
function toolsChunk(): ToolsChunk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load
  return (loaded ??= require('./workspaceToolsChunk') as ToolsChunk);
}
