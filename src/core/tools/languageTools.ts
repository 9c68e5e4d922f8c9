/**
 * The tools that ask VS Code's language features instead of guessing: get_diagnostics,
 * get_symbols, find_definition, find_references and get_open_editors. They answer with
 * workspace-relative locations; a location the guard refuses (a secret, a git-ignored or an
 * outside file such as a library's typings) is named by its file name only, without its text.
 */
import { readWorkspaceText } from './fileTools';
import type { PathGuard } from './pathGuard';
import type { ResolvedPath } from './workspacePath';
import type { LocationInfo, SymbolInfo, WorkspacePort } from './workspacePort';
import type { WorkspaceTool } from './workspaceTool';

const MAX_DIAGNOSTICS = 100;
const MAX_LOCATIONS = 100;
const SEVERITY_ORDER = ['error', 'warning', 'info', 'hint'];

export function languageTools(port: WorkspacePort, guard: PathGuard): WorkspaceTool[] {
  const checked = async (input: string): Promise<ResolvedPath> => {
    const result = await guard.check(input);
    if (!result.ok) throw new Error(result.reason);
    return result.path;
  };
  /** The path, when the guard allows it (outside, protected and ignored files give undefined). */
  const allowed = async (absolute: string): Promise<ResolvedPath | undefined> => {
    const result = await guard.check(absolute);
    return result.ok ? result.path : undefined;
  };
  const symbolAt = {
    type: 'object' as const,
    properties: {
      path: { type: 'string' as const, description: 'File relative to the workspace folder.' },
      line: { type: 'integer' as const, minimum: 1, description: 'Line (1-based) where the symbol appears.' },
      symbol: { type: 'string' as const, minLength: 1, description: 'The identifier as written on that line.' },
    },
    required: ['path', 'line', 'symbol'],
    additionalProperties: false,
  };
  const locate = async (args: Record<string, unknown>) => {
    const path = await checked(String(args.path));
    const lines = (await readWorkspaceText(port, path, path.relative)).split('\n');
    const line = Number(args.line);
    const column = columnOf(lines[line - 1] ?? '', String(args.symbol));
    if (column === undefined) throw new Error(`"${String(args.symbol)}" is not on line ${line} of ${path.relative}; read the file to find the right line.`);
    return { path, line, column };
  };
  const describeLocations = async (locations: LocationInfo[]) => {
    const described: string[] = [];
    for (const location of locations.slice(0, MAX_LOCATIONS)) {
      const path = await allowed(location.path);
      if (!path) {
        described.push(`${location.path.split('/').pop()}:${location.line} (outside the workspace or protected; not shown)`);
        continue;
      }
      const text = (await readWorkspaceText(port, path, path.relative).catch(() => '')).split('\n')[location.line - 1];
      described.push(`${path.relative}:${location.line}: ${(text ?? '').trim().slice(0, 200)}`);
    }
    if (locations.length > MAX_LOCATIONS) described.push(`… and ${locations.length - MAX_LOCATIONS} more`);
    return described.join('\n');
  };

  return [
    {
      name: 'get_diagnostics',
      description: "The errors and warnings VS Code shows (compiler, linter) for one file, or for the whole workspace when path is null.",
      parameters: {
        type: 'object',
        properties: { path: { type: ['string', 'null'], description: 'File relative to the workspace folder, or null for all files.' } },
        required: ['path'],
        additionalProperties: false,
      },
      summary: (args) => (args.path ? String(args.path) : 'workspace'),
      async run(args) {
        const path = args.path ? await checked(String(args.path)) : undefined;
        const diagnostics = await port.diagnostics(path?.absolute);
        const lines: string[] = [];
        const sorted = [...diagnostics].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
        for (const d of sorted) {
          const allowedPath = await allowed(d.path);
          if (!allowedPath) continue;
          lines.push(`${allowedPath.relative}:${d.line}:${d.column} ${d.severity}${d.source ? ` [${d.source}]` : ''}: ${d.message}`);
        }
        if (lines.length === 0) return `No problems reported${path ? ` for ${path.relative}` : ' in the workspace'}.`;
        const more = lines.length > MAX_DIAGNOSTICS ? `\n… and ${lines.length - MAX_DIAGNOSTICS} more` : '';
        return `${plural(lines.length, 'problem')}:\n${lines.slice(0, MAX_DIAGNOSTICS).join('\n')}${more}`;
      },
    },
    {
      name: 'get_symbols',
      description: 'The outline of a file: its classes, functions, methods and variables with their line ranges.',
      parameters: {
        type: 'object',
        properties: { path: { type: 'string', description: 'File relative to the workspace folder.' } },
        required: ['path'],
        additionalProperties: false,
      },
      summary: (args) => String(args.path),
      async run(args) {
        const path = await checked(String(args.path));
        const symbols = await port.symbols(path.absolute);
        if (symbols.length === 0) return `No symbols found in ${path.relative} (no language support for it, or nothing declared).`;
        return `${path.relative}:\n${outline(symbols, 0).join('\n')}`;
      },
    },
    {
      name: 'find_definition',
      description: 'Where a symbol used on a given line is defined, through the language server.',
      parameters: symbolAt,
      summary: (args) => `${String(args.symbol)} at ${String(args.path)}:${String(args.line)}`,
      async run(args) {
        const { path, line, column } = await locate(args);
        const locations = await port.definitions(path.absolute, line, column);
        return locations.length === 0 ? `No definition found for "${String(args.symbol)}".` : await describeLocations(locations);
      },
    },
    {
      name: 'find_references',
      description: 'Every place a symbol is used, through the language server.',
      parameters: symbolAt,
      summary: (args) => `${String(args.symbol)} at ${String(args.path)}:${String(args.line)}`,
      async run(args) {
        const { path, line, column } = await locate(args);
        const locations = await port.references(path.absolute, line, column);
        return locations.length === 0 ? `No references found for "${String(args.symbol)}".` : `${plural(locations.length, 'reference')}:\n${await describeLocations(locations)}`;
      },
    },
    {
      name: 'get_open_editors',
      description: "The files open in the user's editor, which one is active, and the selected lines.",
      parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
      summary: () => '',
      async run() {
        const lines: string[] = [];
        for (const editor of await port.openEditors()) {
          const path = await allowed(editor.path);
          if (!path) continue;
          const flags = [editor.active ? 'active' : '', editor.dirty ? 'unsaved changes' : ''].filter(Boolean).join(', ');
          const selections = editor.selections.map((s) => (s.startLine === s.endLine ? `line ${s.startLine}` : `lines ${s.startLine}-${s.endLine}`)).join(', ');
          lines.push(`${path.relative}${flags ? ` (${flags})` : ''}${selections ? `: ${selections}` : ''}`);
        }
        return lines.length === 0 ? 'No workspace files are open.' : lines.join('\n');
      },
    },
  ];
}

/** The column (1-based) of `symbol` as a whole word on `line`. */
function columnOf(line: string, symbol: string): number | undefined {
  const escaped = symbol.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?<![\\w$])${escaped}(?![\\w$])`).exec(line) ?? new RegExp(escaped).exec(line);
  return match ? match.index + 1 : undefined;
}

function outline(symbols: readonly SymbolInfo[], depth: number): string[] {
  return symbols.flatMap((s) => [
    `${'  '.repeat(depth)}${s.kind} ${s.name} (lines ${s.startLine}-${s.endLine})`,
    ...(depth < 3 ? outline(s.children, depth + 1) : []),
  ]);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
