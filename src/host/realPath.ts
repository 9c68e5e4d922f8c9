/**
 * The real location of a path, symlinks resolved. For a path that does not exist yet (a file the
 * model proposes to create), its nearest existing ancestor is resolved and the rest appended, so
 * `linked-dir/new.ts` is still seen to land wherever `linked-dir` points. A dangling symlink is
 * followed to where it points, since that is where a write through it would go.
 */
import * as fsCallbacks from 'node:fs';
import * as path from 'node:path';

const MAX_LINKS = 40;
/** `fs.promises` loads on first use, not with the extension (node:fs/promises costs activation ~2 ms). */
const fs = { realpath: (p: string) => fsCallbacks.promises.realpath(p), lstat: (p: string) => fsCallbacks.promises.lstat(p), readlink: (p: string) => fsCallbacks.promises.readlink(p) };

export async function realPathOf(target: string, links = 0): Promise<string> {
  try {
    return await fs.realpath(target);
  } catch {
    // Missing, a dangling link, or unreadable: find out which.
  }
  try {
    const stat = await fs.lstat(target);
    if (!stat.isSymbolicLink() || links >= MAX_LINKS) return target;
    return realPathOf(path.resolve(path.dirname(target), await fs.readlink(target)), links + 1);
  } catch {
    const parent = path.dirname(target);
    if (parent === target) return target;
    return path.join(await realPathOf(parent, links), path.basename(target));
  }
}
