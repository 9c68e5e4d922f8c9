/**
 * The usage ledger on disk, shared by every VS Code window of a profile: one JSON-lines file per
 * local calendar month in Kestrel's global storage (`usage-2026-11.jsonl`).
 *
 * Windows never read-modify-write. Each record is one `appendFile` of one short line (well under
 * 4 KB): the file is opened with O_APPEND, so on a local filesystem two windows' lines never
 * overlap or overwrite each other. Each window reads what the others wrote from its last offset
 * (on a file-system event, a timer, and before a budget decision) and drops records it has seen
 * (by their random id). A torn line (a crash mid-write) is skipped; a file that is mostly not
 * records, or cannot be read, is renamed aside and a new one started with what could be saved.
 * Only the last `keepMonths` months are kept. No `vscode` import: this runs in plain Node tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseUsageLine, serializeUsage, type UsageRecord } from '../core/usage/usageRecord';
import { monthKey } from '../core/usage/usagePeriods';

const FILE_PATTERN = /^usage-(\d{4})-(\d{2})\.jsonl$/;
const POLL_MS = 5_000;

interface Tail {
  ino: number;
  offset: number;
}

export interface UsageStoreOptions {
  folder: string;
  /** Months of files kept, the current one included. */
  keepMonths?: number;
  now?: () => number;
}

export class UsageStore {
  private readonly tails = new Map<string, Tail>();
  private readonly now: () => number;
  private readonly keepMonths: number;
  private madeFolder: Promise<unknown> | undefined;
  /** Reads run one at a time, so two never consume the same bytes. */
  private reading: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: UsageStoreOptions) {
    this.now = options.now ?? Date.now;
    this.keepMonths = Math.max(2, options.keepMonths ?? 6);
  }

  fileFor(at: number): string {
    return path.join(this.options.folder, `usage-${monthKey(at)}.jsonl`);
  }

  /** Appends one record as one write. */
  async append(record: UsageRecord): Promise<void> {
    this.madeFolder ??= fs.promises.mkdir(this.options.folder, { recursive: true });
    await this.madeFolder;
    await fs.promises.appendFile(this.fileFor(record.at), serializeUsage(record), { encoding: 'utf8', flag: 'a' });
  }

  /**
   * Reads the current and previous month from the start (the previous month holds part of the
   * last 30 days), setting aside damaged files; returns their records and what to tell the user.
   */
  load(): Promise<{ records: UsageRecord[]; problems: string[] }> {
    return this.exclusive(async () => {
      await this.prune().catch(() => undefined);
      const records: UsageRecord[] = [];
      const problems: string[] = [];
      for (const file of this.liveFiles()) {
        this.tails.delete(file);
        const result = await this.readFrom(file, true);
        records.push(...result.records);
        if (result.problem) problems.push(result.problem);
      }
      return { records, problems };
    });
  }

  /** Records other windows appended since the last read (and our own; the caller drops those it has). */
  readNew(): Promise<UsageRecord[]> {
    return this.exclusive(async () => {
      const records: UsageRecord[] = [];
      for (const file of this.liveFiles()) records.push(...(await this.readFrom(file, false)).records);
      return records;
    });
  }

  /** Every record kept on disk, oldest month first, each once (for the CSV export). */
  async readAll(): Promise<UsageRecord[]> {
    const records = new Map<string, UsageRecord>();
    for (const name of (await this.monthFiles()).sort()) {
      const text = await fs.promises.readFile(path.join(this.options.folder, name), 'utf8').catch(() => '');
      for (const record of parseLines(text).records) if (!records.has(record.id)) records.set(record.id, record);
    }
    return [...records.values()];
  }

  /** Calls `onChange` when another window may have written (a file event or every few seconds). */
  watch(onChange: () => void): { dispose(): void } {
    let watcher: fs.FSWatcher | undefined;
    let debounce: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      clearTimeout(debounce);
      debounce = setTimeout(onChange, 50);
    };
    try {
      fs.mkdirSync(this.options.folder, { recursive: true });
      watcher = fs.watch(this.options.folder, { persistent: false }, changed);
      watcher.on('error', () => watcher?.close());
    } catch {
      // Some file systems cannot be watched; the timer below still catches up.
    }
    const timer = setInterval(onChange, POLL_MS);
    timer.unref?.();
    return {
      dispose: () => {
        watcher?.close();
        clearTimeout(debounce);
        clearInterval(timer);
      },
    };
  }

  /** The files read continuously: this month's and last month's. */
  private liveFiles(): string[] {
    const now = new Date(this.now());
    const lastMonth = new Date(now.getFullYear(), now.getMonth() - 1, 15).getTime();
    return [this.fileFor(lastMonth), this.fileFor(now.getTime())];
  }

  /** Reads `file` from its last offset up to its last complete line. */
  private async readFrom(file: string, checkDamage: boolean): Promise<{ records: UsageRecord[]; problem?: string }> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [] };
      // Busy, locked or unreachable is not damage: keep the file and try again on the next read.
      return { records: [], ...(checkDamage ? { problem: unreadable(file, error as Error) } : {}) };
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) {
        // Something else took the file's place (a folder): nothing can be appended there.
        await handle.close().catch(() => undefined);
        return checkDamage ? this.setAside(file, [], new Error('it is not a file'), stat.ino) : { records: [] };
      }
      let tail = this.tails.get(file);
      // Renamed aside and started anew by another window: read the new file from its start.
      if (!tail || tail.ino !== stat.ino || stat.size < tail.offset) tail = { ino: stat.ino, offset: 0 };
      this.tails.set(file, tail);
      if (stat.size === tail.offset) return { records: [] };
      const buffer = Buffer.alloc(stat.size - tail.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, tail.offset);
      const lastNewline = buffer.lastIndexOf(0x0a, bytesRead - 1);
      if (lastNewline < 0) return { records: [] };
      tail.offset += lastNewline + 1;
      const text = buffer.subarray(0, lastNewline + 1).toString('utf8');
      const parsed = parseLines(text);
      if (checkDamage && (text.includes('\u0000') || parsed.bad > parsed.records.length)) {
        await handle.close().catch(() => undefined);
        return this.setAside(file, parsed.records, new Error(`${parsed.bad} of ${parsed.bad + parsed.records.length} lines are not usage records`), stat.ino);
      }
      return { records: parsed.records };
    } catch (error) {
      return { records: [], ...(checkDamage ? { problem: unreadable(file, error as Error) } : {}) };
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /** Renames a damaged file aside and starts a new one holding the records that could be read. */
  private async setAside(file: string, salvaged: UsageRecord[], why: Error, ino: number): Promise<{ records: UsageRecord[]; problem?: string }> {
    const aside = `${file}.damaged-${this.now()}`;
    this.tails.delete(file);
    try {
      // Another window may have set it aside and started anew already: then it also wrote what could
      // be saved, and this one leaves the new file be.
      if ((await fs.promises.stat(file)).ino !== ino) return { records: salvaged };
      await fs.promises.rename(file, aside);
      if (salvaged.length > 0) await fs.promises.appendFile(file, salvaged.map(serializeUsage).join(''), 'utf8');
    } catch (error) {
      return { records: salvaged, problem: `Kestrel's usage file ${path.basename(file)} could not be read (${why.message}) nor set aside (${(error as Error).message}); this month's figures may be incomplete.` };
    }
    return {
      records: salvaged,
      problem: `Kestrel's usage file ${path.basename(file)} was damaged (${why.message}). It was renamed to ${path.basename(aside)} and a new one started with the ${salvaged.length} request(s) that could be read.`,
    };
  }

  private async monthFiles(): Promise<string[]> {
    const names = await fs.promises.readdir(this.options.folder).catch(() => [] as string[]);
    return names.filter((name) => FILE_PATTERN.test(name));
  }

  /** Deletes month files (and damaged copies) older than `keepMonths`. */
  private async prune(): Promise<void> {
    const now = new Date(this.now());
    const oldestKept = monthKey(new Date(now.getFullYear(), now.getMonth() - (this.keepMonths - 1), 15).getTime());
    const names = await fs.promises.readdir(this.options.folder).catch(() => [] as string[]);
    for (const name of names) {
      const month = /^usage-(\d{4}-\d{2})\.jsonl/.exec(name)?.[1];
      if (month && month < oldestKept) await fs.promises.rm(path.join(this.options.folder, name), { force: true });
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.reading.then(work);
    this.reading = result.catch(() => undefined);
    return result;
  }
}

/** Records in `text`; a line that is not one is counted, or salvaged when a record follows a torn one. */
export function parseLines(text: string): { records: UsageRecord[]; bad: number } {
  const records: UsageRecord[] = [];
  let bad = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let record = parseUsageLine(line);
    if (!record) {
      // A write torn by a crash leaves a fragment; the next window's line continues it.
      const start = line.lastIndexOf('{"id":');
      record = start > 0 ? parseUsageLine(line.slice(start)) : undefined;
      bad++;
    }
    if (record) records.push(record);
  }
  return { records, bad };
}

function unreadable(file: string, error: Error): string {
  return `Kestrel could not read its usage file ${path.basename(file)} (${error.message}); figures may be incomplete until it can.`;
}
