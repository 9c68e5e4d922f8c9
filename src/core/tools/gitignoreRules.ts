/**
 * "Is this file ignored by git?", answered from the workspace's `.gitignore` files (the root's
 * and those of every folder on the way down), with git's own pattern rules through the `ignore`
 * package. Ignored files (build output, local configuration, dumps) are kept from the model like
 * secrets are: they are often large, generated or private.
 *
 * Each `.gitignore` is read once per instance; tools build one instance per answer, so an edit to
 * a `.gitignore` applies from the next answer on.
 */
import ignore, { type Ignore } from 'ignore';

/** Reads a text file; undefined when it does not exist or cannot be read. */
export type ReadText = (absolutePath: string) => Promise<string | undefined>;

export class GitignoreRules {
  private readonly folders = new Map<string, Promise<Ignore | undefined>>();

  constructor(private readonly readText: ReadText) {}

  /**
   * True when `relative` (inside the folder `rootPath`, `/` separators) is ignored; a directory
   * should be passed with a trailing `/`, as git matches `build/` only against directories.
   */
  async ignores(rootPath: string, relative: string): Promise<boolean> {
    const segments = relative.split('/');
    for (let depth = 0; depth < segments.length; depth++) {
      const folder = [rootPath, ...segments.slice(0, depth)].join('/');
      const rules = await this.rulesOf(folder);
      const rest = segments.slice(depth).join('/');
      if (rules && rest && rest !== '/' && rules.ignores(rest)) return true;
    }
    return false;
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
