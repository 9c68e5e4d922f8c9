/**
 * What the workspace tools may ask of the editor: the host implements this with VS Code's file
 * system, search and language features (src/host/workspacePort.ts); unit tests with the disk.
 * Every path here is absolute with `/` separators, and every one was checked by the path guard
 * before the port sees it: the port reads, it does not decide what may be read.
 */
import type { LineMatch } from './textSearch';
import type { WorkspaceRoot } from './workspacePath';

export type EntryType = 'file' | 'directory';

export interface DiagnosticInfo {
  path: string;
  /** 1-based, as people and the model count lines. */
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  source: string;
  message: string;
}

export interface SymbolInfo {
  name: string;
  kind: string;
  startLine: number;
  endLine: number;
  children: SymbolInfo[];
}

export interface LocationInfo {
  path: string;
  line: number;
}

export interface OpenEditorInfo {
  path: string;
  active: boolean;
  dirty: boolean;
  /** 1-based line ranges of the selections (an empty selection is the cursor's line). */
  selections: { startLine: number; endLine: number }[];
}

/** A change the model proposes; `before` is undefined for a new file. */
export interface EditProposal {
  /** The tool call that proposed it: the chat's Accept and Reject name it. */
  callId: string;
  path: string;
  relative: string;
  before: string | undefined;
  after: string;
  explanation: string;
  /** True while the path still resolves where it did when proposed (run just before writing). */
  recheck(): Promise<boolean>;
  /** Called when the user accepts, before writing: Stop then waits for the write to finish. */
  accepted(): void;
}

/** `stale`: the file changed between the proposal and the user's decision, so nothing was written. */
export type EditDecision = 'accepted' | 'rejected' | 'stale';

/** Matches lines of one file at a time for search_text; built per search, disposed after it. */
export interface LineMatcher {
  match(text: string, max: number): Promise<LineMatch[]>;
  dispose(): void;
}

export interface WorkspacePort {
  roots(): readonly WorkspaceRoot[];
  /** The path with every symlink resolved; for a path that does not exist, its nearest existing ancestor resolved plus the rest. */
  realPath(path: string): Promise<string>;
  stat(path: string): Promise<{ type: EntryType; size: number } | undefined>;
  readFile(path: string): Promise<Uint8Array>;
  readDirectory(path: string): Promise<[name: string, type: EntryType][]>;
  /** Files matching `glob` (relative to the roots), honouring the user's files and search excludes. */
  findFiles(glob: string, maxResults: number): Promise<string[]>;
  /** For one file, or for every file with problems when `path` is undefined. */
  diagnostics(path: string | undefined): Promise<DiagnosticInfo[]>;
  symbols(path: string): Promise<SymbolInfo[]>;
  definitions(path: string, line: number, column: number): Promise<LocationInfo[]>;
  references(path: string, line: number, column: number): Promise<LocationInfo[]>;
  openEditors(): Promise<OpenEditorInfo[]>;
  /** A matcher for `query`; throws a sentence the model can act on for an unusable pattern. */
  lineMatcher(query: string, isRegex: boolean): LineMatcher;
  /** Shows the change to the user and waits for their decision (or `signal`, which rejects it). */
  reviewEdit(proposal: EditProposal, signal: AbortSignal): Promise<EditDecision>;
}
