/**
 * "Is this file ignored by git?", answered from the workspace's `.gitignore` files (the root's
 * and those of every folder on the way down; and when the workspace folder is inside a larger
 * repository, those of its folders above it and the repository's `.git/info/exclude`), with git's
 * own pattern rules through the `ignore` package. Ignored files (build output, local configuration, dumps) are kept from the model like
 * secrets are: they are often large, generated or private.
 *
 * Each `.gitignore` is read once per instance; tools build one instance per answer, so an edit to
 * a `.gitignore` applies from the next answer on.
 */
import ignore, { type Ignore } from 'ignore';

/** Reads a text file; undefined when it does not exist or cannot be read. */
export type ReadText = (absolutePath: string) => Promise<string | undefined>;

/** How far above a workspace folder to look for the repository it belongs to. */
const MAX_LEVELS_UP = 32;

interface OuterRules {
  rules: Ignore;
  /** The workspace folder's path from the folder these rules apply to, with a trailing `/`. */
  prefix: string;
}

export class GitignoreRules {
  private readonly folders = new Map<string, Promise<Ignore | undefined>>();
  private readonly outer = new Map<string, Promise<OuterRules[]>>();

  constructor(private readonly readText: ReadText) {}

  /**
   * True when `relative` (inside the folder `rootPath`, `/` separators) is ignored; a directory
   * should be passed with a trailing `/`, as git matches `build/` only against directories.
   */
  async ignores(rootPath: string, relative: string): Promise<boolean> {
    for (const { rules, prefix } of await this.outerRulesOf(rootPath)) {
      if (rules.ignores(prefix + relative)) return true;
    }
    const segments = relative.split('/');
    for (let depth = 0; depth < segments.length; depth++) {
      const folder = [rootPath, ...segments.slice(0, depth)].join('/');
      const rules = await this.rulesOf(folder);
      const rest = segments.slice(depth).join('/');
      if (rules && rest && rest !== '/' && rules.ignores(rest)) return true;
    }
    return false;
  }

  /**
   * The rules above `rootPath` that git applies inside it: the `.gitignore` of each folder
   * between the repository's top (the nearest folder with a `.git`) and `rootPath`, and the
   * repository's `.git/info/exclude`. None when `rootPath` is in no repository.
   */
  private outerRulesOf(rootPath: string): Promise<OuterRules[]> {
    let found = this.outer.get(rootPath);
    if (!found) {
      found = this.findOuterRules(rootPath);
      this.outer.set(rootPath, found);
    }
    return found;
  }

  private async findOuterRules(rootPath: string): Promise<OuterRules[]> {
    const parts = rootPath.replace(/\/+$/, '').split('/');
    const found: OuterRules[] = [];
    for (let up = 0; up <= MAX_LEVELS_UP && up < parts.length; up++) {
      const folder = parts.slice(0, parts.length - up).join('/');
      const prefix = up === 0 ? '' : `${parts.slice(parts.length - up).join('/')}/`;
      if (up > 0) {
        const rules = await this.rulesOf(folder);
        if (rules) found.push({ rules, prefix });
      }
      // A `.git` folder (its HEAD) or a `.git` file (a worktree or submodule) marks the top.
      if ((await this.readText(`${folder}/.git/HEAD`)) !== undefined || (await this.readText(`${folder}/.git`)) !== undefined) {
        const exclude = await this.readText(`${folder}/.git/info/exclude`);
        if (exclude !== undefined) found.push({ rules: ignore().add(exclude), prefix });
        return found;
      }
    }
    return [];
  }

  private rulesOf(folder: string): Promise<Ignore | undefined> {
    let rules = this.folders.get(folder);
    if (!rules) {
      rules = this.readText(`${folder}/.gitignore`).then((text) => (text === undefined ? undefined : ignore().add(text)));
      this.folders.set(folder, rules);
    }
    return rules;
  }
}
