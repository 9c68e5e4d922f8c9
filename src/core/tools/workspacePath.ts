/**
 * Where a path the model names really points, and whether it stays inside the workspace.
 *
 * The model writes paths; it may write them wrong or, when a file it read told it to, with
 * intent: `../../etc/passwd`, `/home/me/.ssh/id_rsa`, `C:\Users\me\.aws\credentials`,
 * `file:///...`. Every tool resolves its path here first. This is the lexical half (no disk);
 * `pathGuard.ts` adds the symlink check against the real paths.
 *
 * Paths are handled with forward slashes whatever the platform: a backslash is a separator (so
 * `..\..\x` cannot slip past the `..` check) and a drive letter compares without case.
 */

export interface WorkspaceRoot {
  /** The folder's name, which also selects it in a multi-root workspace (`name/src/a.ts`). */
  name: string;
  /** Absolute path of the folder, as the platform writes it. */
  path: string;
}

export interface ResolvedPath {
  root: WorkspaceRoot;
  /** Relative to the root with `/` separators; '' for the root itself. */
  relative: string;
  /** Absolute, with `/` separators. */
  absolute: string;
}

export type PathResolution = { ok: true; path: ResolvedPath } | { ok: false; reason: string };

/** Normalises separators and a drive letter, and removes a trailing slash. */
export function normalizeSlashes(path: string): string {
  let normalized = path.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  if (/^[a-zA-Z]:/.test(normalized)) normalized = normalized[0].toLowerCase() + normalized.slice(1);
  return normalized.length > 1 ? normalized.replace(/\/$/, '') : normalized;
}

/** `path` relative to `root` ('' for the root itself), or undefined when it is not inside it (both normalised). */
export function relativeInside(path: string, root: string): string | undefined {
  return isInsideFolder(path, root) ? path.slice(root.length).replace(/^\//, '') : undefined;
}

/** True when `path` is `root` or inside it (both absolute and normalised). */
export function isInsideFolder(path: string, root: string): boolean {
  const fold = (p: string) => (/^[a-z]:/.test(p) ? p.toLowerCase() : p);
  const [p, r] = [fold(path), fold(root)];
  return p === r || p.startsWith(r.endsWith('/') ? r : `${r}/`);
}

/**
 * Resolves `input` (relative to the first root, to the root it names, or absolute inside a root)
 * without touching the disk. Refuses URIs, NUL bytes and anything that leaves every root.
 */
export function resolveWorkspacePath(input: string, roots: readonly WorkspaceRoot[]): PathResolution {
  if (roots.length === 0) return { ok: false, reason: 'No folder is open in VS Code, so there are no workspace files to use.' };
  const raw = input.trim();
  if (raw.includes('\u0000')) return { ok: false, reason: 'The path contains a NUL character.' };
  if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(raw)) {
    return { ok: false, reason: `"${raw}" is a URI; use a path relative to the workspace folder instead.` };
  }
  const path = normalizeSlashes(raw === '' ? '.' : raw);
  const aliased = path.split('/').find((segment, i) => isWindowsAlias(segment, i === 0));
  if (aliased !== undefined) {
    return { ok: false, reason: `"${raw}" has a name Windows reads as another file ("${aliased}": a trailing dot or space, a stream after ":", or a short name like "~1"); use the file's real name.` };
  }
  const absoluteInput = path.startsWith('/') || /^[a-z]:/.test(path);
  if (absoluteInput) {
    const lexical = collapseDots(path);
    const root = roots.find((r) => lexical !== undefined && isInsideFolder(lexical, normalizeSlashes(r.path)));
    if (!root || lexical === undefined) return { ok: false, reason: outside(raw) };
    return { ok: true, path: inRoot(root, relativeInside(lexical, normalizeSlashes(root.path))!) };
  }
  // `name/...` picks that root in a multi-root workspace; otherwise the first root.
  const [first, ...rest] = path.split('/');
  const named = roots.length > 1 ? roots.find((r) => r.name === first) : undefined;
  const root = named ?? roots[0];
  const relative = collapseDots(named ? rest.join('/') : path);
  if (relative === undefined || relative === '..' || relative.startsWith('../')) return { ok: false, reason: outside(raw) };
  return { ok: true, path: inRoot(root, relative === '.' ? '' : relative) };
}

/**
 * Windows opens `secrets.json.`, `secrets.json ` and `secrets.json::$DATA` as `secrets.json`, and
 * `SECRET~1.JSO` may be its short name: names that would slip past the secret patterns.
 */
function isWindowsAlias(segment: string, first: boolean): boolean {
  if (segment === '.' || segment === '..' || segment === '') return false;
  if (first && /^[a-z]:$/.test(segment)) return false;
  return /[. ]$/.test(segment) || segment.includes(':') || /~\d/.test(segment);
}

function inRoot(root: WorkspaceRoot, relative: string): ResolvedPath {
  const base = normalizeSlashes(root.path);
  return { root, relative, absolute: relative ? `${base === '/' ? '' : base}/${relative}` : base };
}

/**
 * Removes `.` and resolves `..` segments. For a relative path a leading `..` survives (and is then
 * refused); for an absolute one, climbing above the top yields undefined.
 */
function collapseDots(path: string): string | undefined {
  const absolute = path.startsWith('/');
  const drive = /^[a-z]:/.test(path) ? path.slice(0, 2) : '';
  const segments: string[] = [];
  for (const segment of path.slice(drive.length).split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length > 0 && segments[segments.length - 1] !== '..') segments.pop();
      else if (absolute || drive) return undefined;
      else segments.push('..');
    } else {
      segments.push(segment);
    }
  }
  const joined = segments.join('/');
  if (drive) return `${drive}/${joined}`.replace(/\/$/, '') || drive;
  if (absolute) return `/${joined}`;
  return joined || '.';
}

function outside(path: string): string {
  return `"${path}" is outside the workspace folder; only files inside it can be used.`;
}
