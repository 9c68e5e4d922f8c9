/**
 * `npm run bench:completion`: the inline-completion benchmark (a script that prints figures).
 *
 * A seeded typist types real files (corpus.json) in a simulated editor on a virtual clock; the
 * same trace is replayed for each policy (Kestrel's real CompletionEngine and two references)
 * against oracle models on the project's OpenAI test server, at several model speeds (see
 * runConfig.ts). Prints a table per configuration, the targets, sanity checks, and last
 * the `BENCH completion {...}` line.
 *
 * Configurations run in child processes, as many at once as there are cores (at most 2), because
 * each is single-threaded; the figures do not depend on it (only the wall-clock overhead does).
 *
 * Options: --quick (first corpus file only), --seed N (default 1, or BENCH_SEED), --serial (one
 * process), --config a,b (only those configurations, including the check imperfectPerChar400 that
 * runs only when named; no BENCH line unless every default one ran), --min-token-probability P
 * (Kestrel's confidence cut instead of the setting's default; no BENCH line).
 * Debugging: BENCH_TRACE=<config>/<policy>/<seed>/<file index> (e.g. exact400/kestrel/1/0) prints
 * every keystroke, request, suggestion and reaction of that session to stderr; a shorter key (e.g.
 * imperfect400/kestrel) traces every session it starts.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { loadCorpus } from './corpus';
import { overheadFigures, type BenchFields } from './metrics';
import type { PolicyName } from './policies';
import { printSanityChecks, printTable, printTargets, type Results } from './report';
import { CONFIGS, runConfig, type ConfigResult } from './runConfig';

interface Options {
  quick: boolean;
  seed: number;
  serial: boolean;
  configs: string[];
  worker: string | undefined;
  minTokenProbability: number | undefined;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { quick: process.env.BENCH_QUICK === '1', seed: Number(process.env.BENCH_SEED ?? 1), serial: false, configs: CONFIGS.filter((c) => !c.onRequest).map((c) => c.key), worker: undefined, minTokenProbability: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--quick') options.quick = true;
    else if (flag === '--serial') options.serial = true;
    else if (flag === '--seed') options.seed = Number(value());
    else if (flag === '--config') options.configs = value().split(',');
    else if (flag === '--worker') options.worker = value();
    else if (flag === '--min-token-probability') options.minTokenProbability = Number(value());
    else throw new Error(`Unknown option ${argv[i]} (use --quick, --seed N, --serial, --config a,b, --min-token-probability P)`);
  }
  if (!Number.isInteger(options.seed)) throw new Error('--seed takes an integer');
  const p = options.minTokenProbability;
  if (p !== undefined && !(p >= 0 && p <= 1)) throw new Error('--min-token-probability takes a number from 0 to 1');
  for (const key of [...options.configs, ...(options.worker ? [options.worker] : [])]) {
    if (!CONFIGS.some((c) => c.key === key)) throw new Error(`Unknown configuration ${key} (${CONFIGS.map((c) => c.key).join(', ')})`);
  }
  return options;
}

/** Runs one configuration in a child process (this script with --worker) and reads its result. */
function runInChild(key: string, options: Options): Promise<ConfigResult> {
  const args = [__filename, '--worker', key, '--seed', String(options.seed), ...(options.quick ? ['--quick'] : [])];
  if (options.minTokenProbability !== undefined) args.push('--min-token-probability', String(options.minTokenProbability));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`configuration ${key} failed (exit code ${code})`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)!) as ConfigResult);
      } catch (error) {
        reject(new Error(`configuration ${key}: unreadable result (${(error as Error).message})`));
      }
    });
  });
}

async function runAll(options: Options, files: ReturnType<typeof loadCorpus>): Promise<Map<string, ConfigResult>> {
  const results = new Map<string, ConfigResult>();
  const selected = CONFIGS.filter((c) => options.configs.includes(c.key));
  if (options.serial) {
    for (const config of selected) results.set(config.key, await runConfig(config, files, options.seed, options));
    return results;
  }
  // Slowest first (the naive policy at 800 ms sends the most requests), for better packing.
  const queue = [...selected].sort((a, b) => b.timing.ttftMs / b.timing.tokensPerSecond - a.timing.ttftMs / a.timing.tokensPerSecond);
  const workers = Math.max(1, Math.min(2, availableParallelism()));
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let config = queue.shift(); config; config = queue.shift()) {
        const result = await runInChild(config.key, options);
        console.error(`  ${config.key}: ${result.seconds.toFixed(1)} s`);
        results.set(config.key, result);
      }
    }),
  );
  return results;
}

/**
 * The fields of the BENCH line for one policy. Overhead percentiles pool the policy's requests of
 * every configuration: the provider's own time does not depend on the oracle's speed, and over the
 * headline run alone (~160 requests) p99 would be its second-worst sample. Requests the OS
 * preempted are left out (see overhead.ts).
 */
function benchFields(results: Results, runs: ReadonlyMap<string, ConfigResult>, policy: PolicyName): BenchFields {
  const head = results.exact400[policy];
  const imperfect = results.imperfect400[policy];
  const overhead = overheadFigures([...runs.values()].flatMap((run) => run.overhead[policy] ?? []));
  return {
    savedKeystrokesPct: head.savedKeystrokesPct,
    savedVsInstantOracle: Math.round((100 * head.savedKeystrokesPct) / results.instant[policy].savedKeystrokesPct) / 100,
    imperfectSavedKeystrokesPct: imperfect.savedKeystrokesPct,
    badSuggestionsShownPct: imperfect.badSuggestionsShownPct,
    requestsPer100Chars: head.requestsPer100Chars,
    usdPer1000Chars: head.usdPer1000Chars,
    suggestionLatencyMsMedian: head.suggestionLatencyMsMedian,
    overheadP50Ms: overhead.overheadP50Ms,
    overheadP99Ms: overhead.overheadP99Ms,
    promptTokensMedian: head.promptTokensMedian,
    cachedPromptPct: head.cachedPromptPct,
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const corpus = loadCorpus();
  const files = options.quick ? corpus.slice(0, 1) : corpus;
  if (options.worker) {
    const result = await runConfig(CONFIGS.find((c) => c.key === options.worker)!, files, options.seed, options);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const started = performance.now();
  const chars = files.reduce((n, f) => n + f.text.length, 0);
  const cut = options.minTokenProbability === undefined ? '' : `, Kestrel's minTokenProbability ${options.minTokenProbability}`;
  console.log(`Completion benchmark: seed ${options.seed}, ${files.length} file(s), ${chars} characters${cut}`);
  for (const f of files) console.log(`  ${f.promptPath} (${f.languageId}, ${f.text.length} chars, ${f.text.split('\n').length - 1} lines)`);
  // Enter inserts the next line's indentation (auto-indent), so typing alone already saves this.
  const indentation = files.reduce((n, f) => n + [...f.text.matchAll(/\n([ \t]+)/g)].reduce((m, match) => m + match[1].length, 0), 0);
  console.log(`Typing with no suggestions saves ${((100 * indentation) / chars).toFixed(1)}% (auto-indent after Enter).\n`);
  const loadBefore = loadavg()[0];
  const runs = await runAll(options, files);
  const results: Results = {};
  for (const config of CONFIGS) {
    const run = runs.get(config.key);
    if (!run) continue;
    results[config.key] = run.figures;
    printTable(config.title, run.figures);
    const note = run.unplaced > 0 ? `; WARNING: the oracle could not place ${run.unplaced} request(s)` : '';
    console.log(`  (${run.seconds.toFixed(1)} s real, ${run.events} virtual events${note})\n`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  // Wall-clock overhead includes time the OS gave to other processes: say how busy the machine was.
  console.log(`Load average (1 min) ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after, on ${availableParallelism()} cores.\n`);
  if (CONFIGS.some((c) => !runs.has(c.key) && !c.onRequest)) return console.log(`${seconds} s real. No BENCH line: not every configuration ran.`);
  if (options.minTokenProbability !== undefined) return console.log(`${seconds} s real. No BENCH line: not the shipped settings.`);
  const bench = { ...benchFields(results, runs, 'kestrel'), naive: benchFields(results, runs, 'naive'), oneInFlight: benchFields(results, runs, 'oneInFlight') };
  printTargets(results, bench);
  printSanityChecks(results, [...runs.values()].reduce((n, r) => n + r.unplaced, 0));
  console.log(`${seconds} s real.`);
  console.log(`BENCH completion ${JSON.stringify(bench)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
