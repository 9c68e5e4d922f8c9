/**
 * The one gate every workspace tool passes a path through. A path is usable only when
 *  - it resolves inside a workspace folder, lexically (workspacePath.ts) and again after every
 *    symlink is resolved, so a link to `~/.ssh` inside the workspace leads nowhere;
 *  - neither the path nor its real target is a secret (`.env*`, keys, certificates, `.git/`,
 *    cloud credentials) or matches the user's `kestrel.exclude` (with its folder's own patterns);
 *  - git does not ignore it.
 * The refusal says which rule applied, so the model can tell the user instead of guessing.
 */
import type { FolderMatcher } from '../pathExclusions';
import { GitignoreRules } from './gitignoreRules';
import { isInsideFolder, normalizeSlashes, resolveWorkspacePath, type ResolvedPath } from './workspacePath';
import type { WorkspacePort } from './workspacePort';

/** `realRelative`: where the path really points (after symlinks), relative to its root. */
export type GuardResult = { ok: true; path: ResolvedPath; realRelative: string } | { ok: false; reason: string };

export class PathGuard {
  private readonly gitignore: GitignoreRules;
  private realRoots: Promise<string[]> | undefined;

  constructor(
    private readonly port: WorkspacePort,
    /** The exclusion matcher for paths relative to a root. */
    private readonly excludedIn: FolderMatcher,
  ) {
    this.gitignore = new GitignoreRules(async (path) => {
      try {
        return new TextDecoder().decode(await port.readFile(path));
      } catch {
        return undefined;
      }
    });
  }

  /** Resolves and checks a path the model gave. */
  async check(input: string): Promise<GuardResult> {
    const resolved = resolveWorkspacePath(input, this.port.roots());
    if (!resolved.ok) return resolved;
    const { path } = resolved;
    const real = normalizeSlashes(await this.port.realPath(path.absolute));
    const realRoots = await this.rootsResolved();
    const realRoot = realRoots.find((root) => isInsideFolder(real, root));
    if (!realRoot) return { ok: false, reason: `"${input}" links to a place outside the workspace folder; it cannot be used.` };
    const realRelative = real.slice(realRoot.length).replace(/^\//, '');
    const hidden = await this.whyHidden(path, realRelative);
    return hidden ? { ok: false, reason: `"${input}" ${hidden}` } : { ok: true, path, realRelative };
  }

  /** For listings: the reason an entry must not be shown or read, or undefined when it may. */
  async whyHidden(path: ResolvedPath, realRelative = path.relative, isDirectory = false): Promise<string | undefined> {
    if (path.relative === '') return undefined;
    const isExcluded = this.excludedIn(path.root.path);
    for (const candidate of new Set([path.relative, realRelative])) {
      // The probe below the path catches folder patterns such as `**/.git/**` for the folder itself.
      if (isExcluded(candidate) || isExcluded(`${candidate}/_`)) {
        return 'is a protected file (secrets, keys, .git and kestrel.exclude are never read).';
      }
    }
    const suffix = isDirectory ? '/' : '';
    for (const candidate of new Set([path.relative, realRelative])) {
      if (candidate && (await this.gitignore.ignores(normalizeSlashes(path.root.path), candidate + suffix))) {
        return 'is ignored by .gitignore, so Kestrel does not read it.';
      }
    }
    return undefined;
  }

  private rootsResolved(): Promise<string[]> {
    this.realRoots ??= Promise.all(this.port.roots().map(async (root) => normalizeSlashes(await this.port.realPath(normalizeSlashes(root.path)))));
    return this.realRoots;
  }
}
