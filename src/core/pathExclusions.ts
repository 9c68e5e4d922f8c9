/**
 * Files whose content Kestrel never sends anywhere: secrets by default, plus the user's patterns.
 * The built-in secret patterns always apply, so a repository's settings cannot switch them off.
 */
import picomatch from 'picomatch';
import { normalizeSlashes, relativeInside } from './tools/workspacePath';

export const SECRET_PATTERNS: readonly string[] = [
  '**/.env*',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/*.{crt,cer,der,p8,jks,keystore}',
  '**/id_rsa*',
  '**/id_dsa*',
  '**/id_ecdsa*',
  '**/id_ed25519*',
  '**/.git/**',
  '**/.aws/**',
  '**/.azure/**',
  '**/.config/gcloud/**',
  '**/application_default_credentials.json',
  '**/.ssh/**',
  '**/.gnupg/**',
  '**/.netrc',
  '**/.npmrc',
  '**/.pypirc',
  '**/.git-credentials',
  '**/.docker/config.json',
  '**/.kube/config',
  '**/credentials.json',
  '**/secrets.{json,yaml,yml,toml}',
  '**/*.tfstate',
  '**/*.tfstate.backup',
  '**/.htpasswd',
  '**/*.env',
  '**/*.tfvars',
  '**/*.ppk',
  '**/*.kdbx',
  '**/*.keytab',
  '**/.pgpass',
  '**/.vault-token',
  '**/.dockercfg',
  '**/.yarnrc.yml',
];

export type PathMatcher = (path: string) => boolean;

/** The matcher for paths relative to the workspace folder at `folderPath` (with that folder's own patterns). */
export type FolderMatcher = (folderPath: string) => PathMatcher;

/** A workspace folder and the matcher for paths relative to it. */
export interface FolderExclusions {
  /** Absolute, as the platform writes it. */
  folderPath: string;
  matches: PathMatcher;
}

/** Builds one matcher for the secret patterns plus `extra`; paths may be absolute or relative. */
export function createExclusionMatcher(extra: readonly string[] = []): PathMatcher {
  const patterns = [...SECRET_PATTERNS, ...extra.map((pattern) => (pattern.includes('/') ? pattern : `**/${pattern}`))];
  const matches = picomatch(patterns, { dot: true, nocase: true });
  return (path) => {
    const normalized = path.replace(/\\/g, '/');
    // A directory pattern like `**/.ssh/**` must also catch `.ssh/x` given without a leading folder.
    return matches(normalized) || matches(`/${normalized.replace(/^\/+/, '')}`);
  };
}

/**
 * A matcher for absolute paths (a document's `fsPath`). Users write patterns relative to the
 * workspace folder (`config/private/**`), as the workspace tools check them, so a path inside a
 * folder is matched relative to every folder holding it, with that folder's matcher. The path as
 * given is matched by `anywhere` too: secrets outside every folder are still caught.
 */
export function absolutePathMatcher(anywhere: PathMatcher, folders: readonly FolderExclusions[]): PathMatcher {
  const roots = folders.map((folder) => ({ root: normalizeSlashes(folder.folderPath), matches: folder.matches }));
  return (path) => {
    if (anywhere(path)) return true;
    const normalized = normalizeSlashes(path);
    return roots.some(({ root, matches }) => {
      const relative = relativeInside(normalized, root);
      return relative !== undefined && relative !== '' && matches(relative);
    });
  };
}

/** One setting's value at each level, as VS Code's `inspect` reports them. */
export interface SettingLevels {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The raw `kestrel.exclude` of each level that sets one (user, workspace, folder). A plain read
 * gives the most specific level only, so a repository's `.vscode/settings.json` could drop the
 * user's own patterns; exclusions only ever add up (see `parseExcludeLevels` in settings.ts).
 */
export function excludeLevels(levels: SettingLevels | undefined): unknown[] {
  return [levels?.globalValue, levels?.workspaceValue, levels?.workspaceFolderValue].filter((value) => value !== undefined && value !== null);
}
