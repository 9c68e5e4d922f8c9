/**
 * Mocha reporter for every Kestrel suite: mocha's Spec output, plus a JSON file with the counts
 * (`{ passed, failed, pending, failures }`) at the path in `KESTREL_RESULTS_FILE`, which
 * scripts/test.js adds up into CI's totals line. Used by the unit and e2e runs (mocha CLI
 * `--reporter out/test/support/countingReporter.js`) and inside the extension host by the
 * integration index. No results file means the suite crashed before mocha finished.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha = require('mocha');

const { EVENT_RUN_END, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING } = Mocha.Runner.constants;

interface SuiteResults {
  passed: number;
  failed: number;
  pending: number;
  /** Full titles of failed tests and hooks, with the first line of the error. */
  failures: string[];
}

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const results: SuiteResults = { passed: 0, failed: 0, pending: 0, failures: [] };
    runner.on(EVENT_TEST_PASS, () => results.passed++);
    runner.on(EVENT_TEST_PENDING, () => results.pending++);
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Runnable, error: Error | undefined) => {
      results.failed++;
      results.failures.push(`${test.fullTitle()}: ${String(error?.message ?? error).split('\n')[0]}`);
    });
    runner.once(EVENT_RUN_END, () => writeResults(results));
  }
}

function writeResults(results: SuiteResults): void {
  const file = process.env.KESTREL_RESULTS_FILE;
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written then renamed, so a reader never sees half a file.
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

export = CountingReporter;
