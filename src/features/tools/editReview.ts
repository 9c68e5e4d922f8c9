/**
 * The user's review of an edit the model proposed: the change opens in VS Code's diff editor
 * (current file on the left, proposal on the right, read-only) with Accept and Reject in its title
 * bar, and the chat's step for the call shows the same two buttons. Only the user's click, or the
 * user running the command, decides: the model has no tool that reaches these commands (the
 * chat's command allow-list leaves them out, and the chat's buttons name the call they decide),
 * and there is no setting that accepts on the user's behalf. Closing the diff or Stop rejects.
 *
 * Accepting re-reads the file: if it changed since the model read it (the user typed, a formatter
 * ran), the edit is reported back as stale and nothing is written. Accepted edits go through a
 * WorkspaceEdit, so they can be undone like any other edit, and the file is saved.
 */
import * as vscode from 'vscode';
import { toLf } from '../../core/tools/lineEndings';
import type { EditDecision, EditProposal } from '../../core/tools/workspacePort';

export const PROPOSAL_SCHEME = 'kestrel-proposal';
const REVIEWING_CONTEXT = 'kestrel.reviewingEdit';

interface PendingReview {
  proposal: EditProposal;
  proposalUri: vscode.Uri;
  decide(decision: 'accept' | 'reject'): void;
}

export class EditReview implements vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private pending: PendingReview | undefined;
  /** One review at a time: parallel proposals from one round wait their turn. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly disposables: vscode.Disposable[];
  private counter = 0;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables = [
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, { provideTextDocumentContent: (uri) => this.contents.get(uri.toString()) ?? '' }),
      vscode.commands.registerCommand('kestrel.acceptProposedEdit', () => this.pending?.decide('accept')),
      vscode.commands.registerCommand('kestrel.rejectProposedEdit', () => this.pending?.decide('reject')),
      vscode.window.tabGroups.onDidChangeTabs((event) => {
        const pending = this.pending;
        if (pending && event.closed.some((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === pending.proposalUri.toString())) {
          pending.decide('reject');
        }
      }),
    ];
  }

  /** The chat's Accept or Reject for the call `callId`; ignored unless that call is under review. */
  decide(callId: string, accept: boolean): void {
    if (this.pending?.proposal.callId === callId) this.pending.decide(accept ? 'accept' : 'reject');
  }

  /** Shows `proposal` and resolves with the user's decision; `signal` (Stop) rejects it. */
  review(proposal: EditProposal, signal: AbortSignal): Promise<EditDecision> {
    const result = this.queue.then(() => (signal.aborted ? ('rejected' as const) : this.show(proposal, signal)));
    this.queue = result.catch(() => undefined);
    return result;
  }

  dispose(): void {
    this.pending?.decide('reject');
    for (const disposable of this.disposables) disposable.dispose();
  }

  private async show(proposal: EditProposal, signal: AbortSignal): Promise<EditDecision> {
    const fileUri = vscode.Uri.file(proposal.path);
    const name = proposal.relative.split('/').pop() ?? proposal.relative;
    const id = ++this.counter;
    const proposalUri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${id}/${proposal.relative}` });
    const emptyUri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${id}/empty/${proposal.relative}` });
    this.contents.set(proposalUri.toString(), proposal.after);
    this.contents.set(emptyUri.toString(), '');
    let decide: (decision: 'accept' | 'reject') => void = () => undefined;
    const decided = new Promise<'accept' | 'reject'>((resolve) => (decide = resolve));
    this.pending = { proposal, proposalUri, decide };
    const onAbort = () => decide('reject');
    signal.addEventListener('abort', onAbort, { once: true });
    await vscode.commands.executeCommand('setContext', REVIEWING_CONTEXT, true);
    try {
      const title = `${name}: Kestrel's proposed ${proposal.before === undefined ? 'new file' : 'change'} (Accept ✓ or Reject ✗)`;
      await vscode.commands.executeCommand('vscode.diff', proposal.before === undefined ? emptyUri : fileUri, proposalUri, title, { preview: false });
      const decision = await decided;
      if (decision === 'accept') proposal.accepted();
      const outcome = decision === 'accept' ? await this.apply(proposal, fileUri) : 'rejected';
      this.log.info(`Proposed edit of ${proposal.relative}: ${outcome}.`);
      return outcome;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.pending = undefined;
      await vscode.commands.executeCommand('setContext', REVIEWING_CONTEXT, false);
      await closeDiff(proposalUri);
      this.contents.delete(proposalUri.toString());
      this.contents.delete(emptyUri.toString());
    }
  }

  /** Writes the proposal unless the file moved on since the model read it. */
  private async apply(proposal: EditProposal, uri: vscode.Uri): Promise<EditDecision> {
    if (!(await proposal.recheck())) {
      void vscode.window.showWarningMessage(`${proposal.relative} no longer points where it did when Kestrel proposed the change, so it was not applied.`);
      return 'rejected';
    }
    const current = await currentText(uri);
    // VS Code gives a file with mixed line endings one ending when it opens it: that is no change.
    if (current === undefined || proposal.before === undefined ? current !== proposal.before : toLf(current) !== toLf(proposal.before)) {
      void vscode.window.showWarningMessage(`${proposal.relative} changed while you were reviewing Kestrel's proposal, so it was not applied. Kestrel will read the file again.`);
      return 'stale';
    }
    const edit = new vscode.WorkspaceEdit();
    if (proposal.before === undefined) {
      edit.createFile(uri, { ignoreIfExists: false });
      edit.insert(uri, new vscode.Position(0, 0), proposal.after);
    } else {
      const document = await vscode.workspace.openTextDocument(uri);
      edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), proposal.after);
    }
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`Kestrel could not apply the change to ${proposal.relative}.`);
      return 'stale';
    }
    await (await vscode.workspace.openTextDocument(uri)).save();
    return 'accepted';
  }
}

/** The file's text as the user sees it (unsaved changes included), or undefined when it does not exist. */
async function currentText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    return undefined;
  }
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

async function closeDiff(proposalUri: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposalUri.toString());
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}
