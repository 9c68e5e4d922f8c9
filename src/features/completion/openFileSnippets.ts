/**
 * Supplies "similar code from other files" for the completion prompt: the other open editors and
 * the most recently used documents, each indexed once per document version, never an excluded or
 * oversized one.
 */
import * as vscode from 'vscode';
import { findSimilarSnippets, indexDocument, type IndexedDocument, type Snippet } from '../../core/completion/similarSnippets';
import type { PathMatcher } from '../../core/pathExclusions';

const MAX_DOCUMENTS = 10;
const MAX_DOCUMENT_CHARS = 500_000;

export class OpenFileSnippets implements vscode.Disposable {
  private readonly recent: vscode.Uri[] = [];
  private readonly indexes = new Map<string, { version: number; index: IndexedDocument }>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly isExcluded: () => PathMatcher) {
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor((editor) => editor && this.touch(editor.document.uri)),
      vscode.workspace.onDidCloseTextDocument((document) => this.indexes.delete(document.uri.toString())),
    ];
    if (vscode.window.activeTextEditor) this.touch(vscode.window.activeTextEditor.document.uri);
  }

  /** The snippets most like `query`, from documents other than `current`. */
  find(current: vscode.TextDocument, query: string): Snippet[] {
    const candidates = new Map<string, vscode.TextDocument>();
    for (const editor of vscode.window.visibleTextEditors) candidates.set(editor.document.uri.toString(), editor.document);
    for (const uri of this.recent) {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (document) candidates.set(uri.toString(), document);
    }
    candidates.delete(current.uri.toString());
    const indexes: IndexedDocument[] = [];
    const excluded = this.isExcluded();
    for (const document of [...candidates.values()].slice(0, MAX_DOCUMENTS)) {
      if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') continue;
      if (excluded(document.uri.fsPath) || document.offsetAt(document.lineAt(document.lineCount - 1).range.end) > MAX_DOCUMENT_CHARS) continue;
      indexes.push(this.indexOf(document));
    }
    return findSimilarSnippets(query, indexes);
  }

  private indexOf(document: vscode.TextDocument): IndexedDocument {
    const key = document.uri.toString();
    const cached = this.indexes.get(key);
    if (cached?.version === document.version) return cached.index;
    const index = indexDocument(vscode.workspace.asRelativePath(document.uri), document.getText());
    this.indexes.set(key, { version: document.version, index });
    return index;
  }

  private touch(uri: vscode.Uri): void {
    const at = this.recent.findIndex((u) => u.toString() === uri.toString());
    if (at >= 0) this.recent.splice(at, 1);
    this.recent.unshift(uri);
    this.recent.length = Math.min(this.recent.length, MAX_DOCUMENTS);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
