/**
 * Runs one benchmark configuration (an oracle at one speed): starts a test server whose replies
 * are the oracle's, then for each policy types every corpus file on a fresh virtual clock and
 * collects the figures. The same seed gives the same trace for every policy.
 */
import { parseSettings } from '../../src/core/settings';
import { ModelSuggestionSource } from '../../src/model/suggestionSource';
import { startOpenAiTestServer } from '../../test/fakes/openaiTestServer';
import type { CorpusFile } from './corpus';
import { EditorSim } from './editorSim';
import { figuresOf, type Figures, type RunData } from './metrics';
import { Oracle, type OracleKind } from './oracles';
import { MeteredSource, OverheadMeter } from './overhead';
import { POLICIES, type PolicyFactory, type PolicyName } from './policies';
import { RealModel, RetimedModel, type Timing } from './retimedModel';
import { typingModel } from './typist';
import { VirtualClock } from './virtualClock';

export interface BenchConfig {
  key: string;
  title: string;
  oracle: OracleKind;
  timing: Timing;
  /** Seeds typed in a row (seed, seed + 1, ...), their sessions pooled; default 1. */
  seeds?: number;
  /** Run only when named with --config (a check, not part of the BENCH line). */
  onRequest?: boolean;
}

export const CONFIGS: readonly BenchConfig[] = [
  { key: 'exact400', title: 'exact oracle, 400 ms to first token, 150 tok/s (headline)', oracle: 'exact', timing: { ttftMs: 400, tokensPerSecond: 150 } },
  { key: 'exact400slow', title: 'exact oracle, 400 ms, 60 tok/s', oracle: 'exact', timing: { ttftMs: 400, tokensPerSecond: 60 } },
  { key: 'exact800', title: 'exact oracle, 800 ms, 150 tok/s', oracle: 'exact', timing: { ttftMs: 800, tokensPerSecond: 150 } },
  { key: 'instant', title: 'instant exact oracle (the limit)', oracle: 'exact', timing: { ttftMs: 0, tokensPerSecond: Infinity } },
  // The imperfect oracle's mistakes are drawn per request position, and policies ask at different
  // positions: over one seed the luck of the draw moves saved keystrokes by a few points.
  { key: 'imperfect400', title: 'imperfect oracle, 400 ms, 150 tok/s, 3 seeds pooled', oracle: 'imperfect', timing: { ttftMs: 400, tokensPerSecond: 150 }, seeds: 3 },
  { key: 'imperfectPerChar400', title: 'imperfect oracle with mistakes per character, 400 ms, 150 tok/s, 3 seeds pooled', oracle: 'imperfectPerCharacter', timing: { ttftMs: 400, tokensPerSecond: 150 }, seeds: 3, onRequest: true },
];

export interface ConfigResult {
  key: string;
  figures: Record<PolicyName, Figures>;
  /** The provider's own wall-clock time per request, per policy (pooled over configurations for the BENCH line). */
  overhead: Record<string, { ms: number; preempted: boolean }[]>;
  /** Requests the oracle could not place in the file (a benchmark bug if not 0). */
  unplaced: number;
  /** Virtual events simulated, and the wall-clock seconds it took. */
  events: number;
  seconds: number;
}

const API_KEY = 'sk-kestrel-bench';
/** Virtual time between two files: longer than the prompt cache's 5 minutes. */
const GAP_BETWEEN_FILES_MS = 10 * 60_000;

/**
 * Runs `policies` (default: the three of the issue) over `files` under `config`. Kestrel's
 * confidence cut is `minTokenProbability` (default: the setting's default); the references have none.
 */
export async function runConfig(
  config: BenchConfig,
  files: readonly CorpusFile[],
  seed: number,
  options: { policies?: Record<string, PolicyFactory>; minTokenProbability?: number } = {},
): Promise<ConfigResult> {
  const policies = options.policies ?? POLICIES;
  const started = performance.now();
  const seeds = Array.from({ length: config.seeds ?? 1 }, (_, i) => seed + i);
  const oracles = seeds.map((s) => new Oracle(config.oracle, s));
  let oracle = oracles[0];
  // The server's prompt cache expires on virtual time.
  const time = { base: Date.UTC(2025, 0, 1), clock: undefined as VirtualClock | undefined };
  const server = await startOpenAiTestServer({ defaultReply: (request) => oracle.reply(request), now: () => time.base + (time.clock?.now() ?? 0) });
  const raw: Record<string, unknown> = { baseUrl: server.baseUrl };
  const { settings, problems } = parseSettings((key) => raw[key]);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const real = new RealModel(settings, API_KEY);
  const figures: Record<string, Figures> = {};
  const overhead: Record<string, { ms: number; preempted: boolean }[]> = {};
  let events = 0;
  try {
    for (const [policy, makePolicy] of Object.entries(policies)) {
      server.reset();
      const run: RunData = { sessions: [], requests: [], overhead: [], emptyAnswers: 0 };
      for (const [round, s] of seeds.entries()) {
        oracle = oracles[round];
        for (const [index, file] of files.entries()) {
          const clock = new VirtualClock();
          time.clock = clock;
          const model = new RetimedModel(real, clock, config.timing);
          const meter = new OverheadMeter();
          const source = new MeteredSource(new ModelSuggestionSource(model), meter, (signal) => model.realEndBySignal.get(signal));
          const target = { truth: file.text, languageId: file.languageId, builtAt: new Set<number>() };
          oracle.target = target;
          const traceKey = `${config.key}/${policy}/${s}/${index}`;
          const trace = process.env.BENCH_TRACE && `${traceKey}/`.startsWith(`${process.env.BENCH_TRACE}/`) ? (event: string) => console.error(`[${traceKey}] ${event}`) : undefined;
          const typing = typingModel(file.text, s, index);
          const onBuild = (at: number) => target.builtAt.add(at);
          const minTokenProbability = policy === 'kestrel' ? (options.minTokenProbability ?? settings.completion.minTokenProbability) : 0;
          const sim = new EditorSim(file, makePolicy(source, clock), clock, typing, meter, onBuild, minTokenProbability, trace);
          run.sessions.push(await clock.run(sim.run()));
          run.requests.push(...model.records);
          run.overhead.push(...meter.perRequest());
          run.emptyAnswers += source.emptyAnswers;
          events += clock.events;
          time.base += clock.now() + GAP_BETWEEN_FILES_MS;
        }
      }
      figures[policy] = figuresOf(run);
      overhead[policy] = run.overhead.map(({ ms, preempted }) => ({ ms: Math.round(ms * 1000) / 1000, preempted }));
    }
  } finally {
    time.clock = undefined;
    await server.close();
  }
  return { key: config.key, figures: figures as Record<PolicyName, Figures>, overhead, unplaced: oracles.reduce((n, o) => n + o.unplaced, 0), events, seconds: (performance.now() - started) / 1000 };
}
