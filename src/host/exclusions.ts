/**
 * Which files Kestrel never sends: secret files plus `kestrel.exclude`, for every feature that
 * reads files for the model. Patterns are written relative to a workspace folder, and each folder
 * may add its own (the setting is resource-scoped), so the answer depends on the folder holding
 * the file. Each folder's patterns are read once per settings change (SettingsStore.excludeIn); a
 * matcher is compiled once per set of patterns.
 */
import * as vscode from 'vscode';
import { absolutePathMatcher, createExclusionMatcher, type FolderMatcher, type PathMatcher } from '../core/pathExclusions';
import { normalizeSlashes } from '../core/tools/workspacePath';
import type { SettingsStore } from './configuration';

const MAX_COMPILED = 32;

export interface ExcludedFiles {
  /** For absolute paths (documents, attachments), inside a workspace folder or not. */
  isExcluded: PathMatcher;
  /** For paths relative to a workspace folder (the workspace tools). */
  inFolder: FolderMatcher;
}

export function excludedFiles(settings: SettingsStore): ExcludedFiles {
  const compiled = new Map<string, PathMatcher>();
  const matcherFor = (patterns: readonly string[]): PathMatcher => {
    const key = JSON.stringify(patterns);
    let matcher = compiled.get(key);
    if (!matcher) {
      if (compiled.size >= MAX_COMPILED) compiled.clear();
      matcher = createExclusionMatcher(patterns);
      compiled.set(key, matcher);
    }
    return matcher;
  };
  const folders = () => vscode.workspace.workspaceFolders ?? [];
  return {
    isExcluded: (path) => {
      const inFolders = folders().map((folder) => ({ folderPath: folder.uri.fsPath, matches: matcherFor(settings.excludeIn(folder.uri)) }));
      return absolutePathMatcher(matcherFor(settings.settings.exclude), inFolders)(path);
    },
    inFolder: (folderPath) => {
      const folder = folders().find((f) => normalizeSlashes(f.uri.fsPath) === normalizeSlashes(folderPath));
      return matcherFor(folder ? settings.excludeIn(folder.uri) : settings.settings.exclude);
    },
  };
}
