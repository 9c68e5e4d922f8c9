/**
 * The tools that read the workspace's files: read_file, list_directory, find_files and
 * search_text. Every path goes through the path guard; listings and searches leave out what the
 * guard would refuse, and say how many entries they left out.
 */
import { looksBinary } from '../chat/attachmentText';
import { toLf } from './lineEndings';
import type { PathGuard } from './pathGuard';
import type { ResolvedPath } from './workspacePath';
import type { WorkspacePort } from './workspacePort';
import type { WorkspaceTool } from './workspaceTool';

/** Larger files are not read whole: they are logs, dumps or bundles, not code to reason about. */
export const MAX_READ_BYTES = 4 * 1024 * 1024;
/** search_text skips larger files, like VS Code's search does with very large ones. */
const MAX_SEARCH_FILE_BYTES = 1024 * 1024;
const MAX_SEARCH_FILES = 5000;
const SEARCH_TIME_LIMIT_MS = 5000;
const MAX_LISTED_ENTRIES = 400;

export interface FileToolsDeps {
  port: WorkspacePort;
  guard: PathGuard;
  now?: () => number;
}

/** Reads a checked file as text with `\n` line endings (see lineEndings.ts); throws a sentence the model can act on. */
export async function readWorkspaceText(port: WorkspacePort, path: ResolvedPath, shownPath: string): Promise<string> {
  return toLf(await readWorkspaceFileText(port, path, shownPath));
}

/** Reads a checked file as text, line endings as they are on disk. */
export async function readWorkspaceFileText(port: WorkspacePort, path: ResolvedPath, shownPath: string): Promise<string> {
  const stat = await port.stat(path.absolute);
  if (!stat) throw new Error(`"${shownPath}" does not exist. Use find_files or list_directory to find the right path.`);
  if (stat.type === 'directory') throw new Error(`"${shownPath}" is a folder; use list_directory for it.`);
  if (stat.size > MAX_READ_BYTES) throw new Error(`"${shownPath}" is too large to read (${Math.round(stat.size / 1024 / 1024)} MB).`);
  const text = new TextDecoder().decode(await port.readFile(path.absolute));
  if (looksBinary(text)) throw new Error(`"${shownPath}" is a binary file, not text.`);
  return text;
}

export function fileTools({ port, guard, now = Date.now }: FileToolsDeps): WorkspaceTool[] {
  const checked = async (input: string): Promise<ResolvedPath> => {
    const result = await guard.check(input);
    if (!result.ok) throw new Error(result.reason);
    return result.path;
  };
  const shown = (path: ResolvedPath) => path.relative || '.';

  return [
    {
      name: 'read_file',
      description: 'Read a text file of the workspace, with line numbers. Give a line range for large files.',
      parameters: {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'Path relative to the workspace folder.' },
          start_line: { type: ['integer', 'null'], minimum: 1, description: 'First line (1-based), or null for the start.' },
          end_line: { type: ['integer', 'null'], minimum: 1, description: 'Last line, or null for the end.' },
        },
        required: ['path', 'start_line', 'end_line'],
        additionalProperties: false,
      },
      summary: (args) => `${String(args.path)}${args.start_line || args.end_line ? `:${String(args.start_line ?? 1)}-${String(args.end_line ?? '')}` : ''}`,
      cutHint: 'Ask for a line range to see the rest.',
      async run(args) {
        const path = await checked(String(args.path));
        const lines = (await readWorkspaceText(port, path, shown(path))).split('\n');
        const start = Math.min(Number(args.start_line ?? 1), lines.length);
        const end = Math.min(Math.max(Number(args.end_line ?? lines.length), start), lines.length);
        const numbered = lines.slice(start - 1, end).map((line, i) => `${start + i}: ${line}`);
        return `${shown(path)}, lines ${start}-${end} of ${lines.length}:\n${numbered.join('\n')}`;
      },
    },
    {
      name: 'list_directory',
      description: 'List the files and folders in a workspace folder (folders end with /).',
      parameters: {
        type: 'object',
        properties: { path: { type: 'string', description: 'Folder relative to the workspace, "." for its root.' } },
        required: ['path'],
        additionalProperties: false,
      },
      summary: (args) => String(args.path),
      async run(args) {
        const folder = await checked(String(args.path));
        const stat = await port.stat(folder.absolute);
        if (stat?.type !== 'directory') throw new Error(`"${shown(folder)}" is not a folder.`);
        const entries = (await port.readDirectory(folder.absolute)).sort(([a, ta], [b, tb]) => (ta === tb ? a.localeCompare(b) : ta === 'directory' ? -1 : 1));
        const listed: string[] = [];
        let hidden = 0;
        for (const [name, type] of entries) {
          const relative = folder.relative ? `${folder.relative}/${name}` : name;
          const entry = { root: folder.root, relative, absolute: `${folder.absolute}/${name}` };
          if (await guard.whyHidden(entry, type === 'directory')) hidden++;
          else listed.push(type === 'directory' ? `${name}/` : name);
        }
        const more = listed.length > MAX_LISTED_ENTRIES ? `\n… and ${listed.length - MAX_LISTED_ENTRIES} more` : '';
        const note = hidden > 0 ? `\n(${hidden} protected or git-ignored entries not shown)` : '';
        return `${shown(folder)}/ (${listed.length} entries):\n${listed.slice(0, MAX_LISTED_ENTRIES).join('\n')}${more}${note}`;
      },
    },
    {
      name: 'find_files',
      description: 'Find workspace files by glob pattern, for example "**/*.test.ts" or "src/**/config*".',
      parameters: {
        type: 'object',
        properties: {
          glob: { type: 'string', description: 'Glob relative to the workspace folder.' },
          max_results: { type: ['integer', 'null'], minimum: 1, maximum: 500, description: 'Default 100.' },
        },
        required: ['glob', 'max_results'],
        additionalProperties: false,
      },
      summary: (args) => String(args.glob),
      async run(args) {
        const max = Number(args.max_results ?? 100);
        const found = await allowedFiles(port, guard, String(args.glob), max * 2);
        const listed = found.paths.slice(0, max).map((p) => p.relative);
        const note = found.hidden > 0 ? `\n(${found.hidden} protected or git-ignored files not shown)` : '';
        if (listed.length === 0) return `No files match "${String(args.glob)}".${note}`;
        return `${listed.length}${found.paths.length > max ? '+' : ''} files:\n${listed.join('\n')}${note}`;
      },
    },
    {
      name: 'search_text',
      description: 'Search the workspace files for text or a regular expression; returns matching lines as path:line: text.',
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', minLength: 1, maxLength: 300 },
          is_regex: { type: 'boolean', description: 'true for a JavaScript regular expression, false for plain text.' },
          glob: { type: ['string', 'null'], description: 'Only files matching this glob, or null for all.' },
          max_results: { type: ['integer', 'null'], minimum: 1, maximum: 200, description: 'Default 50.' },
        },
        required: ['query', 'is_regex', 'glob', 'max_results'],
        additionalProperties: false,
      },
      summary: (args) => `${args.is_regex ? '/' : '"'}${String(args.query)}${args.is_regex ? '/' : '"'}${args.glob ? ` in ${String(args.glob)}` : ''}`,
      async run(args, { signal }) {
        const matcher = port.lineMatcher(String(args.query), Boolean(args.is_regex));
        const max = Number(args.max_results ?? 50);
        const deadline = now() + SEARCH_TIME_LIMIT_MS;
        const results: string[] = [];
        let searched = 0;
        let unreadable = 0;
        let stoppedEarly = '';
        try {
          const files = await allowedFiles(port, guard, args.glob ? String(args.glob) : '**/*', MAX_SEARCH_FILES);
          for (const file of files.paths) {
            if (signal.aborted) throw new Error('cancelled by the user.');
            if (results.length >= max) {
              stoppedEarly = ` (stopped at ${max} matches)`;
              break;
            }
            if (now() > deadline) {
              stoppedEarly = ` (stopped after ${SEARCH_TIME_LIMIT_MS / 1000} s; narrow the glob)`;
              break;
            }
            const text = await readForSearch(port, file.absolute);
            if (text === undefined) {
              unreadable++;
              continue;
            }
            searched++;
            for (const match of await matcher.match(text, max - results.length)) results.push(`${file.relative}:${match.line}: ${match.text}`);
          }
        } finally {
          matcher.dispose();
        }
        if (unreadable > 0) stoppedEarly += ` (${unreadable} binary, large or unreadable files skipped)`;
        const header = `${results.length} matches in ${searched} files searched${stoppedEarly}`;
        return results.length === 0 ? `No matches for "${String(args.query)}" (${searched} files searched).` : `${header}:\n${results.join('\n')}`;
      },
    },
  ];
}

/** A file's text for searching, or undefined when it is binary, over 1 MB, gone or unreadable. */
async function readForSearch(port: WorkspacePort, absolute: string): Promise<string | undefined> {
  try {
    const stat = await port.stat(absolute);
    if (stat?.type !== 'file' || stat.size > MAX_SEARCH_FILE_BYTES) return undefined;
    const text = new TextDecoder().decode(await port.readFile(absolute));
    return looksBinary(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Files matching `glob` that the guard allows, in a stable order, and how many it held back. */
async function allowedFiles(port: WorkspacePort, guard: PathGuard, glob: string, max: number): Promise<{ paths: ResolvedPath[]; hidden: number }> {
  const found = (await port.findFiles(glob, max)).sort();
  const paths: ResolvedPath[] = [];
  let hidden = 0;
  for (const absolute of found) {
    const checked = await guard.check(absolute);
    if (checked.ok) paths.push(checked.path);
    else hidden++;
  }
  return { paths, hidden };
}
