/**
 * The workspace tools' port onto VS Code: files through `workspace.fs` (an open editor's unsaved
 * text wins, since that is what the user sees), search through `workspace.findFiles` with the
 * user's `files.exclude` and `search.exclude`, and language features through the built-in
 * `vscode.execute*Provider` commands. It only reads; what may be read was decided by the path
 * guard before a call gets here. Local (`file:`) folders only: symlinks can be checked there.
 */
import * as vscode from 'vscode';
import type { WorkspaceRoot } from '../core/tools/workspacePath';
import type { DiagnosticInfo, EditDecision, EditProposal, EntryType, LocationInfo, OpenEditorInfo, SymbolInfo, WorkspacePort } from '../core/tools/workspacePort';
import { createLineMatcher } from './lineMatcher';
import { realPathOf } from './realPath';

const SEVERITIES: DiagnosticInfo['severity'][] = ['error', 'warning', 'info', 'hint'];

export class VsCodeWorkspacePort implements WorkspacePort {
  constructor(private readonly review: (proposal: EditProposal, signal: AbortSignal) => Promise<EditDecision>) {}

  roots(): readonly WorkspaceRoot[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, path: f.uri.fsPath }));
  }

  realPath(path: string): Promise<string> {
    return realPathOf(vscode.Uri.file(path).fsPath);
  }

  async stat(path: string): Promise<{ type: EntryType; size: number } | undefined> {
    try {
      const stat = await vscode.workspace.fs.stat(vscode.Uri.file(path));
      return { type: stat.type & vscode.FileType.Directory ? 'directory' : 'file', size: stat.size };
    } catch {
      return undefined;
    }
  }

  async readFile(path: string): Promise<Uint8Array> {
    const uri = vscode.Uri.file(path);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === uri.fsPath);
    if (open?.isDirty) return new TextEncoder().encode(open.getText());
    return vscode.workspace.fs.readFile(uri);
  }

  async readDirectory(path: string): Promise<[string, EntryType][]> {
    const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.file(path));
    return entries.map(([name, type]) => [name, type & vscode.FileType.Directory ? 'directory' : 'file']);
  }

  async findFiles(glob: string, maxResults: number): Promise<string[]> {
    const uris = await vscode.workspace.findFiles(glob, excludeGlob(), maxResults);
    return uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
  }

  async diagnostics(path: string | undefined): Promise<DiagnosticInfo[]> {
    const entries: [vscode.Uri, readonly vscode.Diagnostic[]][] = path
      ? [[vscode.Uri.file(path), vscode.languages.getDiagnostics(vscode.Uri.file(path))]]
      : vscode.languages.getDiagnostics();
    return entries
      .filter(([uri]) => uri.scheme === 'file')
      .flatMap(([uri, list]) =>
        list.map((d) => ({
          path: uri.fsPath,
          line: d.range.start.line + 1,
          column: d.range.start.character + 1,
          severity: SEVERITIES[d.severity],
          source: d.source ?? '',
          message: d.message,
        })),
      );
  }

  async symbols(path: string): Promise<SymbolInfo[]> {
    const found = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
      'vscode.executeDocumentSymbolProvider',
      vscode.Uri.file(path),
    );
    return (found ?? []).map(toSymbol);
  }

  definitions(path: string, line: number, column: number): Promise<LocationInfo[]> {
    return this.locations('vscode.executeDefinitionProvider', path, line, column);
  }

  references(path: string, line: number, column: number): Promise<LocationInfo[]> {
    return this.locations('vscode.executeReferenceProvider', path, line, column);
  }

  async openEditors(): Promise<OpenEditorInfo[]> {
    const active = vscode.window.tabGroups.activeTabGroup.activeTab;
    const editors: OpenEditorInfo[] = [];
    for (const tab of vscode.window.tabGroups.all.flatMap((group) => group.tabs)) {
      if (!(tab.input instanceof vscode.TabInputText) || tab.input.uri.scheme !== 'file') continue;
      const uri = tab.input.uri;
      const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
      editors.push({
        path: uri.fsPath,
        active: tab === active,
        dirty: tab.isDirty,
        selections: (editor?.selections ?? []).map((s) => ({ startLine: s.start.line + 1, endLine: s.end.line + 1 })),
      });
    }
    return editors;
  }

  lineMatcher(query: string, isRegex: boolean) {
    return createLineMatcher(query, isRegex);
  }

  reviewEdit(proposal: EditProposal, signal: AbortSignal): Promise<EditDecision> {
    return this.review(proposal, signal);
  }

  private async locations(command: string, path: string, line: number, column: number): Promise<LocationInfo[]> {
    const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[] | undefined>(
      command,
      vscode.Uri.file(path),
      new vscode.Position(line - 1, column - 1),
    );
    return (found ?? []).flatMap((location) => {
      const uri = 'targetUri' in location ? location.targetUri : location.uri;
      const range = 'targetUri' in location ? (location.targetSelectionRange ?? location.targetRange) : location.range;
      return uri.scheme === 'file' ? [{ path: uri.fsPath, line: range.start.line + 1 }] : [];
    });
  }
}

/** The user's `files.exclude` and `search.exclude` patterns that are on, as one glob. */
function excludeGlob(): string | undefined {
  const patterns = new Set<string>();
  for (const section of ['files.exclude', 'search.exclude']) {
    const map = vscode.workspace.getConfiguration().get<Record<string, unknown>>(section) ?? {};
    for (const [pattern, on] of Object.entries(map)) if (on === true) patterns.add(pattern);
  }
  return patterns.size === 0 ? undefined : `{${[...patterns].join(',')}}`;
}

function toSymbol(symbol: vscode.DocumentSymbol | vscode.SymbolInformation): SymbolInfo {
  const range = 'range' in symbol ? symbol.range : symbol.location.range;
  return {
    name: symbol.name,
    kind: vscode.SymbolKind[symbol.kind]?.toLowerCase() ?? 'symbol',
    startLine: range.start.line + 1,
    endLine: range.end.line + 1,
    children: 'children' in symbol ? symbol.children.map(toSymbol) : [],
  };
}
