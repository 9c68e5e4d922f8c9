/**
 * "Explain Selection" and "Ask About Selection…": from the editor's context menu, a code action
 * on a selection, or a key. The code goes to the chat as an attachment that names its file,
 * language and lines, and the answer streams in the panel. With nothing selected, the function
 * or class around the cursor is explained (from the language's document symbols), else the line.
 */
import * as vscode from 'vscode';
import { attachFromDocument, wholeLines, type AttachmentLimits } from '../chat/chatContext';
import type { ChatSession } from '../chat/chatSession';

export const EXPLAIN_QUESTION = 'Explain what this code does: its purpose, how it works step by step, and anything surprising or risky in it.';

/** Symbol kinds worth explaining as a whole when the cursor is inside one. */
const EXPLAINABLE = new Set([
  vscode.SymbolKind.Function,
  vscode.SymbolKind.Method,
  vscode.SymbolKind.Constructor,
  vscode.SymbolKind.Class,
  vscode.SymbolKind.Interface,
  vscode.SymbolKind.Enum,
  vscode.SymbolKind.Struct,
]);
/** A language server that is still starting should not hold up the explanation. */
const SYMBOL_TIMEOUT_MS = 1500;

export interface ExplainDeps {
  session: ChatSession;
  reveal: () => Promise<void>;
  limits: () => AttachmentLimits;
}

export function registerExplain(deps: ExplainDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('kestrel.explainSelection', (uri?: unknown, range?: unknown) => explain(deps, EXPLAIN_QUESTION, target(uri, range))),
    vscode.commands.registerCommand('kestrel.askAboutSelection', async () => {
      const question = await vscode.window.showInputBox({
        title: 'Ask Kestrel About the Selection',
        prompt: 'Your question about the selected code (or the function around the cursor)',
        placeHolder: 'Why does this loop never end?',
        validateInput: (value) => (value.trim() ? undefined : 'Type a question.'),
      });
      if (question !== undefined) await explain(deps, question.trim());
    }),
    vscode.languages.registerCodeActionsProvider({ scheme: '*' }, new ExplainCodeActions(), { providedCodeActionKinds: [ExplainCodeActions.kind] }),
  ];
}

/** Offers "Explain with Kestrel" in the light bulb whenever code is selected. */
class ExplainCodeActions implements vscode.CodeActionProvider {
  static readonly kind = vscode.CodeActionKind.Empty.append('kestrel').append('explain');

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    if (range.isEmpty) return [];
    const action = new vscode.CodeAction('Explain with Kestrel', ExplainCodeActions.kind);
    action.command = { command: 'kestrel.explainSelection', title: 'Explain with Kestrel', arguments: [document.uri, range] };
    return [action];
  }
}

interface Target {
  document: vscode.TextDocument;
  range: vscode.Range | undefined;
}

/** The code action passes its document and range; the menu and the key use the active editor. */
function target(uri: unknown, range: unknown): Target | undefined {
  if (!(uri instanceof vscode.Uri) || !(range instanceof vscode.Range)) return undefined;
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return document ? { document, range } : undefined;
}

async function explain(deps: ExplainDeps, question: string, given?: Target): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const document = given?.document ?? editor?.document;
  if (!document) {
    void vscode.window.showInformationMessage('Open a file and select some code for Kestrel to explain.');
    return;
  }
  const selection = given?.range ?? editor?.selection;
  const cursor = editor?.selection.active ?? selection?.start ?? new vscode.Position(0, 0);
  const range =
    selection && !selection.isEmpty
      ? wholeLines(document, selection)
      : ((await enclosingSymbol(document, cursor)) ?? document.lineAt(cursor.line).range);
  const result = attachFromDocument(document, range, deps.limits());
  if ('problem' in result) {
    void vscode.window.showWarningMessage(result.problem);
    return;
  }
  await deps.reveal();
  await deps.session.send(question, { attachments: [result.attachment], explain: true });
}

/** The range of the innermost function, method or class around `position`, if the language says. */
async function enclosingSymbol(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Range | undefined> {
  const symbols = await Promise.race([
    Promise.resolve(vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>('vscode.executeDocumentSymbolProvider', document.uri)).catch(() => undefined),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SYMBOL_TIMEOUT_MS)),
  ]);
  let best: vscode.Range | undefined;
  const visit = (list: readonly (vscode.DocumentSymbol | vscode.SymbolInformation)[]) => {
    for (const symbol of list) {
      const range = 'range' in symbol ? symbol.range : symbol.location.range;
      if (!range.contains(position)) continue;
      if (EXPLAINABLE.has(symbol.kind) && (!best || best.contains(range))) best = range;
      if ('children' in symbol) visit(symbol.children);
    }
  };
  visit(symbols ?? []);
  return best;
}
