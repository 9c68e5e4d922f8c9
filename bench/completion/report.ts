/**
 * Human-readable output of the completion benchmark: one table per configuration (a row per
 * policy) and the targets checked against the headline and imperfect-oracle runs.
 */
import type { BenchFields, Figures } from './metrics';
import type { PolicyName } from './policies';

export type Results = Record<string, Record<PolicyName, Figures>>;

const COLUMNS: [string, (f: Figures) => string][] = [
  ['saved %', (f) => f.savedKeystrokesPct.toFixed(1)],
  ['keys/chars', (f) => `${f.keypresses}/${f.chars}`],
  ['accepts whole+word', (f) => `${f.wholeAccepts}+${f.wordAccepts}`],
  ['shown', (f) => `${f.suggestionsShown}`],
  ['seen', (f) => `${f.suggestionsSeen}`],
  ['bad (% of seen)', (f) => `${f.badSuggestions} (${f.badSuggestionsShownPct.toFixed(1)})`],
  ['requests (aborted, empty)', (f) => `${f.requests} (${f.abortedRequests}, ${f.emptyAnswers})`],
  ['req/100ch', (f) => f.requestsPer100Chars.toFixed(2)],
  ['$/1000ch', (f) => f.usdPer1000Chars.toFixed(5)],
  ['latency p50 ms', (f) => fmt(f.suggestionLatencyMsMedian, 0)],
  ['prompt tok p50', (f) => fmt(f.promptTokensMedian, 0)],
  ['cached %', (f) => f.cachedPromptPct.toFixed(1)],
  ['overhead/req p50/p99 ms (preempted %)', (f) => `${fmt(f.overheadP50Ms, 3)}/${fmt(f.overheadP99Ms, 3)} (${f.overheadPreemptedPct.toFixed(0)})`],
];

function fmt(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

export function printTable(title: string, figures: Record<PolicyName, Figures>): void {
  const rows = [['policy', ...COLUMNS.map(([name]) => name)]];
  for (const [policy, f] of Object.entries(figures)) rows.push([policy, ...COLUMNS.map(([, cell]) => cell(f))]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  console.log(`== ${title}`);
  for (const row of rows) console.log('  ' + row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
}

export function printTargets(results: Results, bench: BenchFields): void {
  const head = results.exact400;
  const imperfect = results.imperfect400;
  const checks: [string, boolean, string][] = [
    ['savedKeystrokesPct > oneInFlight', bench.savedKeystrokesPct > head.oneInFlight.savedKeystrokesPct, `${bench.savedKeystrokesPct} vs ${head.oneInFlight.savedKeystrokesPct}`],
    ['savedKeystrokesPct >= 88', bench.savedKeystrokesPct >= 88, `${bench.savedKeystrokesPct}`],
    ['savedVsInstantOracle >= 0.9', bench.savedVsInstantOracle >= 0.9, `${bench.savedVsInstantOracle}`],
    ['requestsPer100Chars <= 5', bench.requestsPer100Chars <= 5, `${bench.requestsPer100Chars}`],
    ['usdPer1000Chars <= 0.01', bench.usdPer1000Chars <= 0.01, `${bench.usdPer1000Chars}`],
    ['promptTokensMedian <= 2000', bench.promptTokensMedian <= 2000, `${bench.promptTokensMedian}`],
    ['overheadP50Ms <= 2 (all configurations pooled)', bench.overheadP50Ms <= 2, `${bench.overheadP50Ms}`],
    ['overheadP99Ms <= 10 (all configurations pooled)', bench.overheadP99Ms <= 10, `${bench.overheadP99Ms}`],
    [
      'imperfect: fewer bad suggestions seen than both references',
      imperfect.kestrel.badSuggestions < Math.min(imperfect.naive.badSuggestions, imperfect.oneInFlight.badSuggestions),
      `${imperfect.kestrel.badSuggestions} vs naive ${imperfect.naive.badSuggestions}, oneInFlight ${imperfect.oneInFlight.badSuggestions}`,
    ],
    [
      'imperfect: lower bad % than both references',
      imperfect.kestrel.badSuggestionsShownPct < Math.min(imperfect.naive.badSuggestionsShownPct, imperfect.oneInFlight.badSuggestionsShownPct),
      `${imperfect.kestrel.badSuggestionsShownPct}% vs naive ${imperfect.naive.badSuggestionsShownPct}%, oneInFlight ${imperfect.oneInFlight.badSuggestionsShownPct}%`,
    ],
  ];
  console.log('== Targets (exact oracle 400 ms / 150 tok/s unless noted)');
  for (const [name, ok, value] of checks) console.log(`  ${ok ? 'MET   ' : 'MISSED'} ${name}: ${value}`);
  console.log('');
}

/** The checks that tell whether the simulation itself behaves (not targets for Kestrel). */
export function printSanityChecks(results: Results, unplaced: number): void {
  const policies = Object.keys(results.instant) as PolicyName[];
  const others = Object.keys(results).filter((key) => key !== 'instant');
  const instantBest = policies.every((p) => others.every((key) => results.instant[p].savedKeystrokesPct >= results[key][p].savedKeystrokesPct));
  const naive800 = results.exact800.naive;
  const head = results.exact400.kestrel;
  const checks: [string, boolean, string][] = [
    ['the instant oracle gives every policy its highest saving', instantBest, policies.map((p) => `${p} ${results.instant[p].savedKeystrokesPct}`).join(', ')],
    [
      'naive at 800 ms shows (almost) nothing',
      naive800.suggestionsSeen <= 0.01 * naive800.chars,
      `${naive800.suggestionsSeen} suggestions seen over ${naive800.chars} chars, saved ${naive800.savedKeystrokesPct}%`,
    ],
    ['kestrel requests include aborted ones', head.abortedRequests > 0, `${head.abortedRequests} of ${head.requests} aborted`],
    [
      'cost uses cached prompt tokens',
      head.cachedPromptPct > 0 && head.usdPer1000Chars < head.usdPer1000CharsUncached,
      `${head.cachedPromptPct}% cached: $${head.usdPer1000Chars} vs $${head.usdPer1000CharsUncached} without caching`,
    ],
    ['the oracle placed every request in the file', unplaced === 0, `${unplaced} unplaced`],
  ];
  console.log('== Sanity checks of the simulation');
  for (const [name, ok, value] of checks) console.log(`  ${ok ? 'OK    ' : 'NO    '} ${name}: ${value}`);
  console.log('');
}
