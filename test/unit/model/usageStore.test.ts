// The usage ledger on disk: what survives a restart, what a damaged file becomes, and two
// processes (as two VS Code windows are) appending to the same file at the same time.
import * as assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serializeUsage } from '../../../src/core/usage/usageRecord';
import { UsageLedger } from '../../../src/model/usageLedger';
import { UsageStore } from '../../../src/model/usageStore';
import type { RequestUsage } from '../../../src/model/types';
import { usageRecord } from '../core/usage/fixtures';

function request(overrides: Partial<RequestUsage> = {}): RequestUsage {
  return { feature: 'chat', model: 'gpt-4o-mini', promptTokens: 500, cachedPromptTokens: 128, completionTokens: 50, imageTokens: 0, latencyMs: 800, firstTokenMs: 400, outcome: 'ok', estimated: false, at: Date.now(), usd: 0.0001, ...overrides };
}

describe('usage ledger on disk', function () {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-usage-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('keeps every request across a restart, one JSON line each', async () => {
    const first = new UsageLedger({ store: new UsageStore({ folder }) });
    await first.load();
    first.record(request({ usd: 0.25 }));
    first.record(request({ usd: 0.5, feature: 'completion' }));
    await first.flushed();
    const file = new UsageStore({ folder }).fileFor(Date.now());
    assert.equal(fs.readFileSync(file, 'utf8').trim().split('\n').length, 2);

    const restarted = new UsageLedger({ store: new UsageStore({ folder }) });
    assert.deepEqual(await restarted.load(), []);
    assert.equal(restarted.today().total.usd, 0.75);
    assert.equal(restarted.today().byFeature.completion?.requests, 1);
  });

  it('skips a torn line and keeps the record written after it', async () => {
    const store = new UsageStore({ folder });
    const good = usageRecord({ at: Date.now() });
    const next = usageRecord({ at: Date.now() });
    fs.mkdirSync(folder, { recursive: true });
    // A crash mid-write leaves half a line; the next window's append continues that line.
    fs.writeFileSync(store.fileFor(Date.now()), serializeUsage(good) + serializeUsage(usageRecord()).slice(0, 40) + serializeUsage(next));
    const { records, problems } = await store.load();
    assert.deepEqual(records.map((r) => r.id), [good.id, next.id]);
    assert.deepEqual(problems, [], 'one torn line is no reason to start over');
  });

  it('sets a damaged file aside, starts a new one with what could be read, and says so once', async () => {
    const store = new UsageStore({ folder, now: () => 1_700_000_000_000 });
    const file = store.fileFor(1_700_000_000_000);
    const survivor = usageRecord({ at: 1_700_000_000_000 });
    fs.writeFileSync(file, `${serializeUsage(survivor)}\u0000\u0000garbage\n{{{{\nnot a record\n`);
    const problems: string[] = [];
    const ledger = new UsageLedger({ store, onProblem: (p) => problems.push(p), now: () => 1_700_000_000_000 });
    await ledger.load();
    assert.equal(problems.length, 1);
    assert.match(problems[0], /was damaged .* renamed to usage-\d{4}-\d{2}\.jsonl\.damaged-1700000000000 and a new one started with the 1 request/);
    assert.ok(fs.existsSync(`${file}.damaged-1700000000000`), 'the damaged file is kept for inspection');
    assert.deepEqual(fs.readFileSync(file, 'utf8'), serializeUsage(survivor), 'the new file holds what could be read');
    assert.equal(ledger.today().total.requests, 1);
    // The next start finds a healthy file.
    assert.deepEqual((await new UsageStore({ folder, now: () => 1_700_000_000_000 }).load()).problems, []);
  });

  it('starts anew when the ledger path cannot be read as a file', async () => {
    const store = new UsageStore({ folder });
    fs.mkdirSync(store.fileFor(Date.now()), { recursive: true }); // a folder where the file should be
    const { problems } = await store.load();
    assert.equal(problems.length, 1);
    const ledger = new UsageLedger({ store });
    ledger.record(request());
    await ledger.flushed();
    assert.equal(fs.readFileSync(store.fileFor(Date.now()), 'utf8').split('\n').length, 2, 'new records go to a fresh file');
  });

  it('keeps only the last six months of files', async () => {
    const now = new Date(2026, 10, 27).getTime();
    const store = new UsageStore({ folder, now: () => now });
    for (const month of ['2026-04', '2026-05', '2026-06', '2026-11']) fs.writeFileSync(path.join(folder, `usage-${month}.jsonl`), '');
    fs.writeFileSync(path.join(folder, 'usage-2026-01.jsonl.damaged-1'), 'x');
    await store.load();
    assert.deepEqual(fs.readdirSync(folder).sort(), ['usage-2026-06.jsonl', 'usage-2026-11.jsonl']);
  });

  it('picks up what another window appends, once, and survives that window starting a new file', async () => {
    const mine = new UsageLedger({ store: new UsageStore({ folder }) });
    const other = new UsageLedger({ store: new UsageStore({ folder }) });
    await Promise.all([mine.load(), other.load()]);
    mine.record(request({ usd: 1 }));
    other.record(request({ usd: 2 }));
    await Promise.all([mine.flushed(), other.flushed()]);
    await mine.sync();
    await mine.sync();
    assert.equal(mine.today().total.usd, 3, 'its own record is not counted twice');
    assert.equal(mine.today().total.requests, 2);
    // The other window set the file aside (damaged) and started anew with a new record.
    const file = new UsageStore({ folder }).fileFor(Date.now());
    fs.renameSync(file, `${file}.damaged-1`);
    other.record(request({ usd: 4 }));
    await other.flushed();
    await mine.sync();
    assert.equal(mine.today().total.usd, 7);
  });

  it('loses and doubles nothing when two processes append hundreds of records at once', async function () {
    this.timeout(30_000);
    const perWriter = 400;
    const watcher = new UsageLedger({ store: new UsageStore({ folder }) });
    await watcher.load();
    const script = path.join(__dirname, 'usageWriterChild.js');
    const children: ChildProcess[] = ['a', 'b'].map((tag) => fork(script, [folder, String(perWriter), tag], { stdio: 'inherit' }));
    const message = (child: ChildProcess, expected: string) => new Promise<void>((resolve, reject) => {
      child.on('message', (m) => m === expected && resolve());
      child.on('exit', (code) => code !== 0 && reject(new Error(`writer exited with ${code}`)));
    });
    await Promise.all(children.map((child) => message(child, 'ready')));
    const done = children.map((child) => message(child, 'done'));
    for (const child of children) child.send('go');
    await Promise.all(done);

    const lines = fs.readFileSync(new UsageStore({ folder }).fileFor(Date.now()), 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 2 * perWriter, 'every append is one whole line');
    await watcher.sync();
    const total = watcher.today().total;
    assert.equal(total.requests, 2 * perWriter);
    // Each writer's prompt tokens are 1000..1399: 2 x (400 x 1000 + 399 x 400 / 2).
    assert.equal(total.promptTokens, 2 * (perWriter * 1000 + ((perWriter - 1) * perWriter) / 2));
    assert.equal(watcher.today().byFeature.completion?.requests, perWriter);
    const fresh = new UsageLedger({ store: new UsageStore({ folder }) });
    await fresh.load();
    assert.equal(fresh.today().total.promptTokens, total.promptTokens, 'a restart reads the same totals');
    assert.equal(Math.round(fresh.today().total.usd * 1000), 2 * perWriter);
  });
});
