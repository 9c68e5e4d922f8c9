#!/usr/bin/env node
// Kestrel's test runner: `node scripts/test.js [unit|integration|e2e ...]` (no argument = all).
// Builds once (esbuild bundles + `tsc -p .` into a clean out/), runs each suite in its own process
// group with a timeout, and reads the counts each suite's mocha reporter
// (test/support/countingReporter.ts) writes to test-results/results-<suite>.json. Prints each
// suite's counts, then the totals line last: `N passed, N failed, N skipped`.
//
// A suite that crashes, times out, writes no results file or runs zero tests counts as one
// failure (so the totals line never says "0 failed" for a broken run); so does a build failure.
// Exits 0 only when nothing failed.
//
// Environment: KESTREL_VSCODE=code-server (default) | electron picks the integration route (see
// scripts/lib/runIntegration.js); KESTREL_GREP filters tests by title in every suite;
// KESTREL_SUITE_TIMEOUT_MS overrides the per-suite timeout (default 5 minutes);
// KESTREL_VERBOSE=1 prints the browser console and code-server details.
'use strict';

// Before anything that needs node_modules.
require('./lib/ensureDependencies').ensureDependencies();

const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ROOT } = require('./lib/fixtures');
const { SetupError, checkSystem } = require('./lib/systemCheck');
const { ensureCodeServer } = require('./lib/codeServer');

const ALL_SUITES = ['unit', 'integration', 'e2e'];
const OUT = path.join(ROOT, 'out');
const RESULTS_DIR = path.join(ROOT, 'test-results');
const MOCHA = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
const REPORTER = path.join(OUT, 'test', 'support', 'countingReporter.js');
const SUITE_TIMEOUT_MS = Number(process.env.KESTREL_SUITE_TIMEOUT_MS || 5 * 60_000);
const ROUTE = process.env.KESTREL_VSCODE || 'code-server';

const running = new Set();
let interrupted = false;

function findTests(dir) {
  const found = [];
  const walk = (current) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.test.js')) found.push(full);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return found.sort();
}

function mochaArgs(files, timeoutMs) {
  return [MOCHA, '--ui', 'bdd', '--reporter', REPORTER, '--timeout', String(timeoutMs), '--exit',
    ...(process.env.KESTREL_GREP ? ['--grep', process.env.KESTREL_GREP] : []), ...files];
}

/** How each suite is started: a command line, or a reason it cannot run. */
const SUITES = {
  unit() {
    const files = findTests(path.join(OUT, 'test', 'unit'));
    if (files.length === 0) return { error: 'no out/test/unit/**/*.test.js files' };
    return { command: [process.execPath, ...mochaArgs(files, 10_000)] };
  },
  integration() {
    return { command: [process.execPath, path.join(ROOT, 'scripts', 'lib', 'runIntegration.js')], label: ROUTE };
  },
  e2e() {
    const files = findTests(path.join(OUT, 'test', 'e2e'));
    if (files.length === 0) return { error: 'no out/test/e2e/**/*.test.js files' };
    return { command: [process.execPath, ...mochaArgs(files, 120_000)], label: 'code-server' };
  },
};

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Runs one command in its own process group; resolves with its exit code or 'timeout'. */
function runGroup(command, env, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit', detached: true });
    running.add(child.pid);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n[kestrel] timed out after ${timeoutMs / 1000} s; stopping it.`);
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), 10_000).unref();
    }, timeoutMs);
    child.on('error', (error) => console.error(`[kestrel] could not start ${command[0]}: ${error.message}`));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child.pid);
      resolve(timedOut ? 'timeout' : (code ?? signal));
    });
  });
}

function runStep(label, command) {
  const started = Date.now();
  const result = spawnSync(command[0], command.slice(1), { cwd: ROOT, stdio: 'inherit' });
  const ok = result.status === 0;
  return { label, ok, note: `${ok ? 'ok' : 'FAILED'} (${seconds(started)})` };
}

async function runSuite(name, build) {
  const started = Date.now();
  const result = { name, passed: 0, failed: 0, pending: 0, broken: undefined, time: '', label: '' };
  if (interrupted) {
    result.broken = 'not run (interrupted)';
    return result;
  }
  if ((name === 'integration' || name === 'e2e') && !build.bundled) {
    result.broken = 'not run: the esbuild bundle failed';
    return result;
  }
  const plan = SUITES[name]();
  result.label = plan.label ? ` [${plan.label}]` : '';
  if (plan.error) {
    result.broken = `ran no tests: ${plan.error}`;
    return result;
  }
  const resultsFile = path.join(RESULTS_DIR, `results-${name}.json`);
  fs.rmSync(resultsFile, { force: true });
  console.log(`\n━━━ ${name}${result.label} ━━━`);
  const exit = await runGroup(plan.command, { KESTREL_RESULTS_FILE: resultsFile }, SUITE_TIMEOUT_MS);
  result.time = seconds(started);
  let counts;
  try {
    counts = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    counts = undefined;
  }
  if (counts) Object.assign(result, { passed: counts.passed, failed: counts.failed, pending: counts.pending });
  if (interrupted) result.broken = 'INTERRUPTED';
  else if (exit === 'timeout') result.broken = `TIMED OUT after ${SUITE_TIMEOUT_MS / 1000} s`;
  else if (!counts) result.broken = `CRASHED: exit ${exit}, no results file`;
  else if (counts.passed + counts.failed === 0) result.broken = 'ran no tests';
  else if (exit !== 0 && counts.failed === 0) result.broken = `exited with ${exit} although no test failed`;
  return result;
}

function printSummary(build, results, setupError) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  console.log('\n━━━ Kestrel test summary ━━━');
  if (setupError) {
    console.log(`setup:        FAILED, see above (counted as 1 failure)`);
    failed++;
  }
  for (const step of build.steps) {
    console.log(`${`${step.label}:`.padEnd(14)}${step.note}${step.ok ? '' : ' (counted as 1 failure)'}`);
    if (!step.ok) failed++;
  }
  for (const r of results) {
    passed += r.passed;
    failed += r.failed;
    skipped += r.pending;
    const counts = `${r.passed} passed, ${r.failed} failed, ${r.pending} skipped`;
    const time = r.time ? ` (${r.time})` : '';
    if (r.broken) {
      failed++;
      console.log(`${`${r.name}:`.padEnd(14)}${r.broken}; ${counts}, counted as 1 more failure${time}${r.label}`);
    } else {
      console.log(`${`${r.name}:`.padEnd(14)}${counts}${time}${r.label}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed;
}

async function main() {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((s) => !ALL_SUITES.includes(s));
  if (unknown.length > 0) {
    console.error(`Unknown suite(s): ${unknown.join(', ')}. Usage: node scripts/test.js [${ALL_SUITES.join('|')} ...]`);
    process.exit(2);
  }
  const suites = ALL_SUITES.filter((s) => requested.length === 0 || requested.includes(s));
  const started = Date.now();
  const build = { steps: [], bundled: false };

  // Setup first, so a missing package is reported before anything slow happens.
  const needsWorkbench = suites.includes('e2e') || (suites.includes('integration') && ROUTE === 'code-server');
  if (needsWorkbench) {
    try {
      checkSystem({ browser: true });
      await ensureCodeServer();
    } catch (error) {
      const message = error instanceof SetupError ? error.message : String(error && error.stack ? error.stack : error);
      console.log(`\n${message}`);
      printSummary(build, [], message);
      process.exit(error instanceof SetupError ? 2 : 1);
    }
  }

  console.log('━━━ build ━━━');
  const esbuildStep = runStep('esbuild', [process.execPath, path.join(ROOT, 'esbuild.js')]);
  build.steps.push(esbuildStep);
  build.bundled = esbuildStep.ok;
  fs.rmSync(OUT, { recursive: true, force: true }); // no stale compiled tests from deleted sources
  const tscStep = runStep('tsc', [process.execPath, path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
  if (!tscStep.ok) tscStep.note += ': type errors above; suites still run on what tsc emitted';
  build.steps.push(tscStep);
  if (!fs.existsSync(REPORTER)) {
    build.bundled = false;
    build.steps.push({ label: 'reporter', ok: false, note: `FAILED: ${path.relative(ROOT, REPORTER)} was not emitted` });
  }

  const results = [];
  for (const suite of suites) {
    if (!fs.existsSync(REPORTER)) {
      results.push({ name: suite, passed: 0, failed: 0, pending: 0, broken: 'not run: no test reporter', time: '', label: '' });
      continue;
    }
    results.push(await runSuite(suite, build));
  }
  console.log(`(total ${seconds(started)})`);
  const failed = printSummary(build, results);
  process.exit(interrupted ? 130 : failed > 0 ? 1 : 0);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (interrupted) {
      for (const pid of running) killGroup(pid, 'SIGKILL');
      process.exit(130);
    }
    interrupted = true;
    console.error(`\n[kestrel] ${signal}: stopping the running suite (again to force).`);
    for (const pid of running) killGroup(pid, signal === 'SIGHUP' ? 'SIGTERM' : signal);
    setTimeout(() => {
      for (const pid of running) killGroup(pid, 'SIGKILL');
      process.exit(130);
    }, 15_000).unref();
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
