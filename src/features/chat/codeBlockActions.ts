/**
 * What the buttons on a chat code block do in the editor. Each is an explicit click by the user
 * (that is the approval); Insert and Replace are single undoable edits in the last active editor.
 */
import * as vscode from 'vscode';
import type { CodeAction } from '../../shared/protocol';

/** Runs a code block action; returns a problem sentence when there is no editor to act on. */
export async function runCodeAction(action: CodeAction, code: string, language: string): Promise<string | undefined> {
  if (action === 'newFile') {
    const document = await vscode.workspace.openTextDocument({ content: code, language: knownLanguage(language, await vscode.languages.getLanguages()) });
    await vscode.window.showTextDocument(document, { preview: false });
    return undefined;
  }
  // The chat has focus, so the editor to act on is the last active one.
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) return 'Open a file in the editor first: there is no cursor to insert the code at.';
  const ok = await editor.edit((edit) => {
    for (const selection of editor.selections) {
      if (action === 'replace' && !selection.isEmpty) edit.replace(selection, code);
      else edit.insert(selection.active, code);
    }
  });
  if (!ok) return 'The editor refused the edit (is the file read-only?).';
  await vscode.window.showTextDocument(editor.document, editor.viewColumn);
  return undefined;
}

/** Maps a fence's language (often an alias like `ts` or `py`) to a VS Code language id. */
function knownLanguage(fence: string, languages: readonly string[]): string {
  const aliases: Record<string, string> = { ts: 'typescript', js: 'javascript', py: 'python', sh: 'shellscript', bash: 'shellscript', yml: 'yaml', md: 'markdown', rb: 'ruby', rs: 'rust', cs: 'csharp', 'c++': 'cpp', tsx: 'typescriptreact', jsx: 'javascriptreact' };
  const id = aliases[fence] ?? fence;
  return languages.includes(id) ? id : 'plaintext';
}
