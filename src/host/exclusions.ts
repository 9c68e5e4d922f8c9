/**
 * The current exclusion matcher (secret files plus `kestrel.exclude`), rebuilt only when the
 * setting changes. Shared by every feature that reads files for the model.
 */
import { createExclusionMatcher, type PathMatcher } from '../core/pathExclusions';
import type { SettingsStore } from './configuration';

export function excludedPaths(settings: SettingsStore): () => PathMatcher {
  let matcher: { patterns: string; match: PathMatcher } | undefined;
  return () => {
    const patterns = JSON.stringify(settings.settings.exclude);
    if (matcher?.patterns !== patterns) matcher = { patterns, match: createExclusionMatcher(settings.settings.exclude) };
    return matcher.match;
  };
}
