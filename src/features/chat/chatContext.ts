/**
 * Context for a chat question from the editor: the selection (or, for Explain, the enclosing
 * function), or a whole file picked by the user. Secret files (and `kestrel.exclude`) are never
 * attached; binary files are refused; text beyond the budget is cut at a line and labelled so.
 * Problems come back as a message for the user, never as an exception.
 */
import * as vscode from 'vscode';
import { fitToTokens, looksBinary } from '../../core/chat/attachmentText';
import type { Attachment } from '../../core/chat/chatTypes';
import type { PathMatcher } from '../../core/pathExclusions';
import { newAttachmentId } from '../../core/chat/pendingAttachments';

export type AttachmentResult = { attachment: Attachment } | { problem: string };

export interface AttachmentLimits {
  isExcluded: PathMatcher;
  maxTokens: number;
}

/** Files larger than this are not even read: nobody attaches a 20 MB log to a question. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** The text of `range` in `document` (the whole document when no range is given). */
export function attachFromDocument(document: vscode.TextDocument, range: vscode.Range | undefined, limits: AttachmentLimits): AttachmentResult {
  const name = displayPath(document.uri);
  if (limits.isExcluded(document.uri.fsPath || document.uri.path)) {
    return { problem: `${name} matches Kestrel's secret-file patterns or kestrel.exclude, so it is never sent to the model.` };
  }
  const text = document.getText(range);
  if (looksBinary(text)) return { problem: `${name} looks like a binary file; Kestrel attaches text only.` };
  if (!text.trim()) return { problem: `There is nothing to attach: the ${range ? 'selection' : 'file'} is empty.` };
  const firstLine = range ? range.start.line + 1 : 1;
  const fitted = fitToTokens(text, limits.maxTokens);
  const lastLine = firstLine + fitted.keptLines - 1;
  const cut = fitted.keptLines < fitted.totalLines;
  const lines = !range && !cut ? '' : firstLine === lastLine ? `${firstLine}` : `${firstLine}-${lastLine}`;
  const base = document.uri.path.split('/').pop() ?? name;
  return {
    attachment: {
      id: newAttachmentId(),
      kind: range ? 'selection' : 'file',
      label: lines ? `${base}:${lines}` : base,
      detail: `${name}${lines ? `, ${lines.includes('-') ? 'lines' : 'line'} ${lines}` : ''}${cut ? ` (cut from ${fitted.totalLines} lines to fit the budget)` : ''} (${document.languageId})`,
      language: document.languageId,
      content: fitted.text,
      tokens: fitted.tokens,
    },
  };
}

/** The active editor's selection, or the whole file when nothing is selected. */
export function attachSelection(editor: vscode.TextEditor | undefined, limits: AttachmentLimits): AttachmentResult {
  if (!editor) return { problem: 'Open a file in the editor first: Kestrel attaches its selection.' };
  const selection = editor.selection;
  return attachFromDocument(editor.document, selection.isEmpty ? undefined : wholeLines(editor.document, selection), limits);
}

/** A file chosen from a quick pick of the workspace's files (secret files are not offered). */
export async function pickFileToAttach(limits: AttachmentLimits): Promise<AttachmentResult | undefined> {
  const files = await vscode.workspace.findFiles('**/*', '**/{node_modules,.git,dist,out,build}/**', 5000);
  const items = files
    .filter((uri) => !limits.isExcluded(uri.fsPath))
    .map((uri) => ({ label: uri.path.split('/').pop() ?? uri.path, description: displayPath(uri), uri }))
    .sort((a, b) => a.description.localeCompare(b.description));
  if (items.length === 0) {
    return { problem: 'There are no workspace files to attach: open a folder first.' };
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Add File to Kestrel Chat', placeHolder: 'Type to search files', matchOnDescription: true });
  if (!picked) return undefined;
  return attachFile(picked.uri, limits);
}

/** A whole file, read only if its size is sane. */
export async function attachFile(uri: vscode.Uri, limits: AttachmentLimits): Promise<AttachmentResult> {
  const name = displayPath(uri);
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return { problem: `${name} is a folder; attach files one at a time.` };
    if (stat.size > MAX_FILE_BYTES) return { problem: `${name} is ${(stat.size / 1024 / 1024).toFixed(1)} MB, too large to attach; select the part you need instead.` };
    return attachFromDocument(await vscode.workspace.openTextDocument(uri), undefined, limits);
  } catch (error) {
    return { problem: `Could not read ${name}: ${(error as Error).message}` };
  }
}

/** Extends a selection to whole lines, so the model sees complete statements with line numbers. */
export function wholeLines(document: vscode.TextDocument, selection: vscode.Range): vscode.Range {
  const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  return new vscode.Range(selection.start.line, 0, endLine, document.lineAt(endLine).text.length);
}

function displayPath(uri: vscode.Uri): string {
  return uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri, false);
}
