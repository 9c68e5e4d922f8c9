/**
 * The benchmark corpus: real source files nobody on this team wrote, taken from npm packages
 * installed in node_modules at the exact versions pinned in package-lock.json. `corpus.json` lists
 * each file with its package, version, path, language and line range, and the sha256 of the text
 * used; loading fails loudly when a version or a hash differs, so figures are never silently
 * measured on different code.
 *
 * The text is normalised the way a typist would produce it: CRLF becomes LF and trailing
 * whitespace is stripped from every line.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CorpusEntry {
  package: string;
  version: string;
  /** Path inside the package. */
  path: string;
  languageId: string;
  /** 1-based inclusive line range; the whole file when absent. */
  lines?: [number, number];
  sha256: string;
}

export interface CorpusFile {
  /** `package@version/path`, also the document key and the path shown in the prompt. */
  key: string;
  promptPath: string;
  languageId: string;
  text: string;
}

export const REPO_ROOT = join(__dirname, '..', '..', '..');
const CORPUS_JSON = join(REPO_ROOT, 'bench', 'completion', 'corpus.json');

export function normalise(raw: string, lines?: [number, number]): string {
  let all = raw.replace(/\r\n?/g, '\n').split('\n');
  if (lines) all = all.slice(lines[0] - 1, lines[1]);
  const text = all.map((line) => line.replace(/[ \t]+$/, '')).join('\n');
  return text.replace(/\n*$/, '\n');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function pinnedVersion(lock: { packages?: Record<string, { version?: string }> }, name: string): string | undefined {
  return lock.packages?.[`node_modules/${name}`]?.version;
}

/** Loads and verifies every corpus file; throws one error listing every mismatch. */
export function loadCorpus(entries: readonly CorpusEntry[] = readEntries()): CorpusFile[] {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8'));
  const problems: string[] = [];
  const files: CorpusFile[] = [];
  for (const entry of entries) {
    const where = `${entry.package}@${entry.version}/${entry.path}`;
    const pinned = pinnedVersion(lock, entry.package);
    if (pinned !== entry.version) {
      problems.push(`${where}: package-lock.json pins ${entry.package}@${pinned ?? '(absent)'}, the corpus expects ${entry.version}`);
      continue;
    }
    let installed: string | undefined;
    try {
      installed = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', entry.package, 'package.json'), 'utf8')).version;
    } catch {
      installed = undefined;
    }
    if (installed !== entry.version) {
      problems.push(`${where}: node_modules has ${entry.package}@${installed ?? '(not installed)'}; run npm ci`);
      continue;
    }
    let raw: string;
    try {
      raw = readFileSync(join(REPO_ROOT, 'node_modules', entry.package, entry.path), 'utf8');
    } catch (error) {
      problems.push(`${where}: cannot read (${(error as Error).message})`);
      continue;
    }
    const text = normalise(raw, entry.lines);
    const hash = sha256(text);
    if (hash !== entry.sha256) {
      problems.push(`${where}${entry.lines ? ` lines ${entry.lines.join('-')}` : ''}: sha256 ${hash} differs from the pinned ${entry.sha256}`);
      continue;
    }
    files.push({ key: `bench:${where}`, promptPath: `${entry.package}/${entry.path}`, languageId: entry.languageId, text });
  }
  if (problems.length > 0) throw new Error(`The completion benchmark corpus does not match bench/completion/corpus.json:\n  ${problems.join('\n  ')}`);
  return files;
}

function readEntries(): CorpusEntry[] {
  return (JSON.parse(readFileSync(CORPUS_JSON, 'utf8')) as { files: CorpusEntry[] }).files;
}
