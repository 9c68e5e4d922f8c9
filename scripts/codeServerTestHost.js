#!/usr/bin/env node
// Stands in for the VS Code executable in @vscode/test-electron's runTests({ vscodeExecutablePath })
// on the code-server route. runTests spawns it with the same arguments it would give desktop VS Code:
//   [...launchArgs, --no-sandbox, --disable-gpu-sandbox, --disable-updates, --skip-welcome,
//    --skip-release-notes, --disable-workspace-trust, --extensionTestsPath=P,
//    --extensionDevelopmentPath=P, --extensions-dir=D, --user-data-dir=D]
// It reads the paths and the workspace folder (the first positional argument), ignores the
// Electron-only flags and the shared profile folders (every run gets fresh ones instead), runs the
// tests in code-server + headless Chromium, prints the extension host's console (mocha's reporter
// included), and exits with the test entry's result: 0 pass, 1 fail, 1 on its own timeout.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { startWorkbench } = require('./lib/workbench');
const { SetupError } = require('./lib/systemCheck');

const TIMEOUT_MS = Number(process.env.KESTREL_TEST_TIMEOUT_MS || 4 * 60_000);

function parseArgs(argv) {
  const parsed = { extensionDevelopmentPath: [], extensionTestsPath: undefined, folder: undefined, trustWorkspace: false, ignored: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (name) => {
      if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
      if (arg === `--${name}`) return argv[++i];
      return undefined;
    };
    let v;
    if ((v = value('extensionDevelopmentPath')) !== undefined) parsed.extensionDevelopmentPath.push(path.resolve(v));
    else if ((v = value('extensionTestsPath')) !== undefined) parsed.extensionTestsPath = path.resolve(v);
    else if (arg === '--disable-workspace-trust') parsed.trustWorkspace = true;
    else if (!arg.startsWith('-') && !parsed.folder) parsed.folder = path.resolve(arg);
    else parsed.ignored.push(arg);
  }
  return parsed;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.extensionDevelopmentPath.length === 0) throw new SetupError('codeServerTestHost: no --extensionDevelopmentPath= argument.');
  if (!args.extensionTestsPath) throw new SetupError('codeServerTestHost: no --extensionTestsPath= argument.');
  if (process.env.KESTREL_VERBOSE === '1') console.log(`[kestrel] ignoring arguments: ${args.ignored.join(' ')}`);

  let workbench;
  let finishing = false;
  const finish = async (code, reason) => {
    if (finishing) return;
    finishing = true;
    if (reason) console.error(`[kestrel] ${reason}`);
    if (workbench) await workbench.close();
    process.exit(code);
  };
  const timer = setTimeout(() => {
    let log = '';
    if (workbench) {
      try {
        const lines = fs.readFileSync(workbench.server.logFile, 'utf8').trimEnd().split('\n').slice(-30);
        log = `\n--- last lines of code-server's log ---\n${lines.join('\n')}`;
      } catch {
        // no log yet
      }
    }
    void finish(1, `Integration tests did not finish within ${TIMEOUT_MS / 1000} s (KESTREL_TEST_TIMEOUT_MS); stopping VS Code.${log}`);
  }, TIMEOUT_MS);
  timer.unref();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void finish(1, `${signal}: stopping VS Code.`));

  const started = Date.now();
  workbench = await startWorkbench({
    extensionDevelopmentPath: args.extensionDevelopmentPath,
    extensionTestsPath: args.extensionTestsPath,
    folder: args.folder,
    trustWorkspace: args.trustWorkspace,
    onLog: (type, text) => {
      // The workbench's and extension host's console; mocha's reporter writes here. One stream keeps
      // lines in order. The Open VSX lookup always fails offline and is harmless (real-vscode.md).
      if (!/ENOTFOUND open-vsx\.org/.test(text)) process.stdout.write(`${text}\n`);
    },
    onExit: (code) => {
      console.log(`[kestrel] test entry finished with ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      void finish(code === 0 ? 0 : 1);
    },
  });
  console.log(`[kestrel] VS Code (code-server) on http://127.0.0.1:${workbench.port}, workspace ${args.folder ?? '(none)'}`);
  workbench.page.on('crash', () => void finish(1, 'The workbench page crashed.'));
  workbench.browser.on('disconnected', () => void finish(1, 'Chromium exited before the tests finished.'));
}

main().catch((error) => {
  console.error(error instanceof SetupError ? error.message : error);
  process.exit(1);
});
