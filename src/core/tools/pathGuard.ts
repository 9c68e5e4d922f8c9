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
import { normalizeSlashes, relativeInside, resolveWorkspacePath, type ResolvedPath } from './workspacePath';
import type { WorkspacePort } from './workspacePort';

/** A path as seen from one workspace folder. */
interface Place {
  root: string;
  relative: string;
}

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
    // Every folder that holds the real target (a link may cross folders; folders may nest).
    const realPlaces = this.port.roots().flatMap((root, i) => {
      const relative = relativeInside(real, realRoots[i]);
      return relative === undefined ? [] : [{ root: root.path, relative }];
    });
    if (realPlaces.length === 0) return { ok: false, reason: `"${input}" links to a place outside the workspace folder; it cannot be used.` };
    const hidden = await this.whyHidden(path, false, realPlaces);
    return hidden ? { ok: false, reason: `"${input}" ${hidden}` } : { ok: true, path, realRelative: realPlaces[0].relative };
  }

  /**
   * The reason `path` must not be shown or read, or undefined when it may. It obeys the rules
   * (kestrel.exclude, .gitignore) of every workspace folder that holds it, and so does its real
   * target after symlinks, `realPlaces` (listings pass none: what they list is checked when read).
   */
  async whyHidden(path: ResolvedPath, isDirectory = false, realPlaces: readonly Place[] = []): Promise<string | undefined> {
    if (path.relative === '') return undefined;
    const places = [...this.placesOf(normalizeSlashes(path.absolute)), ...realPlaces];
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

  /** Each workspace folder that holds `absolute` (nested folders both do), with the path inside it. */
  private placesOf(absolute: string): Place[] {
    return this.port.roots().flatMap((folder) => {
      const root = normalizeSlashes(folder.path);
      const relative = relativeInside(absolute, root);
      return relative === undefined ? [] : [{ root, relative }];
    });
  }

  private rootsResolved(): Promise<string[]> {
    this.realRoots ??= Promise.all(this.port.roots().map(async (root) => normalizeSlashes(await this.port.realPath(normalizeSlashes(root.path)))));
    return this.realRoots;
  }
}
