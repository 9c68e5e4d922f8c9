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
    const realRootIndex = realRoots.findIndex((root) => isInsideFolder(real, root));
    if (realRootIndex < 0) return { ok: false, reason: `"${input}" links to a place outside the workspace folder; it cannot be used.` };
    const realRelative = real.slice(realRoots[realRootIndex].length).replace(/^\//, '');
    // A link may lead into another workspace folder: its target obeys that folder's .gitignore.
    const hidden = await this.whyHidden(path, false, { rootPath: this.port.roots()[realRootIndex].path, relative: realRelative });
    return hidden ? { ok: false, reason: `"${input}" ${hidden}` } : { ok: true, path, realRelative };
  }

  /**
   * The reason `path` must not be shown or read, or undefined when it may; `real` is where it
   * points after symlinks (listings pass none: what they list is checked again when read).
   */
  async whyHidden(path: ResolvedPath, isDirectory = false, real = { rootPath: path.root.path, relative: path.relative }): Promise<string | undefined> {
    if (path.relative === '') return undefined;
    // The path and its real target each obey their own folder's rules (a link may cross folders).
    const places = [
      { root: path.root.path, relative: path.relative },
      { root: real.rootPath, relative: real.relative },
    ];
    for (const { root, relative } of places) {
      const isExcluded = this.excludedIn(root);
      // The probe below the path catches folder patterns such as `**/.git/**` for the folder itself.
      if (isExcluded(relative) || isExcluded(`${relative}/_`)) {
        return 'is a protected file (secrets, keys, .git and kestrel.exclude are never read).';
      }
    }
    const suffix = isDirectory ? '/' : '';
    for (const { root, relative } of places) {
      if (relative && (await this.gitignore.ignores(normalizeSlashes(root), relative + suffix))) {
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
