/**
 * The real location of a path, symlinks resolved. For a path that does not exist yet (a file the
 * model proposes to create), its nearest existing ancestor is resolved and the rest appended, so
 * `linked-dir/new.ts` is still seen to land wherever `linked-dir` points.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export async function realPathOf(target: string): Promise<string> {
  const missing: string[] = [];
  let at = target;
  for (;;) {
    try {
      return path.join(await fs.realpath(at), ...missing.reverse());
    } catch {
      missing.push(path.basename(at));
      const parent = path.dirname(at);
      if (parent === at) return target;
      at = parent;
    }
  }
}
