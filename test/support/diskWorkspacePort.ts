/**
 * A WorkspacePort over a real folder on disk, for unit tests of the workspace tools: real files,
 * real symlinks, real .gitignore files. Language features and the edit review are scripted.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { DiagnosticInfo, EditDecision, EditProposal, LocationInfo, OpenEditorInfo, SymbolInfo, WorkspacePort } from '../../src/core/tools/workspacePort';
import type { WorkspaceRoot } from '../../src/core/tools/workspacePath';
import { createLineMatcher } from '../../src/host/lineMatcher';
import { realPathOf } from '../../src/host/realPath';

export class DiskWorkspacePort implements WorkspacePort {
  diagnosticList: DiagnosticInfo[] = [];
  symbolList: SymbolInfo[] = [];
  definitionList: LocationInfo[] = [];
  referenceList: LocationInfo[] = [];
  editors: OpenEditorInfo[] = [];
  /** What the user answers to a proposed edit; 'accepted' writes the file as VS Code would. */
  decision: EditDecision | ((proposal: EditProposal, signal: AbortSignal) => Promise<EditDecision>) = 'rejected';
  readonly proposals: EditProposal[] = [];
  readonly lookups: { path: string; line: number; column: number }[] = [];

  constructor(private readonly folders: WorkspaceRoot[]) {}

  roots(): readonly WorkspaceRoot[] {
    return this.folders;
  }

  realPath(p: string): Promise<string> {
    return realPathOf(p);
  }

  async stat(p: string) {
    try {
      const s = await fs.stat(p);
      return { type: s.isDirectory() ? ('directory' as const) : ('file' as const), size: s.size };
    } catch {
      return undefined;
    }
  }

  async readFile(p: string): Promise<Uint8Array> {
    return fs.readFile(p);
  }

  async readDirectory(p: string): Promise<[string, 'file' | 'directory'][]> {
    const entries = await fs.readdir(p, { withFileTypes: true });
    return entries.map((e) => [e.name, e.isDirectory() ? 'directory' : 'file']);
  }

  async findFiles(glob: string, maxResults: number): Promise<string[]> {
    const isMatch = picomatch(glob, { dot: false });
    const found: string[] = [];
    const walk = async (dir: string, relative: string) => {
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        if (entry.name === 'node_modules' || entry.name === '.git') continue;
        const rel = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory()) await walk(path.join(dir, entry.name), rel);
        else if (isMatch(rel) && found.length < maxResults) found.push(`${dir}/${entry.name}`);
      }
    };
    for (const root of this.folders) await walk(root.path, '');
    return found;
  }

  async diagnostics(p: string | undefined): Promise<DiagnosticInfo[]> {
    return this.diagnosticList.filter((d) => p === undefined || d.path === p);
  }

  async symbols(): Promise<SymbolInfo[]> {
    return this.symbolList;
  }

  async definitions(p: string, line: number, column: number): Promise<LocationInfo[]> {
    this.lookups.push({ path: p, line, column });
    return this.definitionList;
  }

  async references(p: string, line: number, column: number): Promise<LocationInfo[]> {
    this.lookups.push({ path: p, line, column });
    return this.referenceList;
  }

  async openEditors(): Promise<OpenEditorInfo[]> {
    return this.editors;
  }

  lineMatcher(query: string, isRegex: boolean) {
    return createLineMatcher(query, isRegex);
  }

  async reviewEdit(proposal: EditProposal, signal: AbortSignal): Promise<EditDecision> {
    this.proposals.push(proposal);
    const decision = typeof this.decision === 'function' ? await this.decision(proposal, signal) : this.decision;
    if (decision === 'accepted') {
      await fs.mkdir(path.dirname(proposal.path), { recursive: true });
      await fs.writeFile(proposal.path, proposal.after);
    }
    return decision;
  }
}
