#!/usr/bin/env node
// `npm start`: builds Kestrel and opens VS Code with it loaded as a development extension on the
// sample workspace (a persistent copy of test/fixtures/workspace in .vscode-test/sample-workspace).
// Which VS Code is explicit, from KESTREL_VSCODE:
//   code-server (default): VS Code for the Web on http://127.0.0.1:$PORT (default 8080), installed
//     into .vscode-test/code-server on first use. Its CLI rejects --extensionDevelopmentPath, so
//     this prints the workbench URL whose `payload` loads Kestrel; open that URL. Runs until Ctrl+C.
//     Settings and state persist in .vscode-test/start/ between runs.
//   desktop: runs `code --extensionDevelopmentPath=<root> <workspace>` (a desktop VS Code on PATH).
//   electron: downloads desktop VS Code (KESTREL_VSCODE_VERSION, default 1.100.3) with
//     @vscode/test-electron and opens it (needs internet).
'use strict';

// Before anything that needs node_modules.
require('./lib/ensureDependencies').ensureDependencies();

const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ROOT, copyWorkspace } = require('./lib/fixtures');
const { SetupError } = require('./lib/systemCheck');

const route = process.env.KESTREL_VSCODE || 'code-server';
const STATE_DIR = path.join(ROOT, '.vscode-test');

function build() {
  console.log('[kestrel] building (node esbuild.js)...');
  const result = spawnSync(process.execPath, [path.join(ROOT, 'esbuild.js')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new SetupError('The build failed; fix the errors above and run npm start again.');
}

function runAndWait(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', (error) => reject(error.code === 'ENOENT'
      ? new SetupError(`\`${command}\` was not found on PATH. Install desktop VS Code and its \`code\` command, or use the default KESTREL_VSCODE=code-server.`)
      : error));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function startCodeServer(workspace) {
  const { startServer, workbenchUrl } = require('./lib/workbench');
  const { CODE_SERVER_VERSION } = require('./lib/codeServer');
  const port = Number(process.env.PORT || 8080);
  const dataDir = path.join(STATE_DIR, 'start');
  const server = await startServer({ port, folder: workspace, dataDir, logFile: path.join(dataDir, 'code-server.log') });
  const url = workbenchUrl({ port, folder: workspace, extensionDevelopmentPath: ROOT });
  const rel = (p) => path.relative(ROOT, p);
  console.log([
    '',
    `Kestrel is loaded in VS Code for the Web (code-server ${CODE_SERVER_VERSION}, VS Code 1.100.3). Open:`,
    '',
    `  ${url}`,
    '',
    `Workspace: ${rel(workspace)}   Settings and state: ${rel(dataDir)}/   Log: ${rel(server.logFile)}`,
    'After a rebuild (`npm run watch` in another terminal), run "Developer: Reload Window" in VS Code.',
    'Press Ctrl+C to stop.',
  ].join('\n'));

  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      console.log('\n[kestrel] stopping code-server.');
      void stop(0);
    });
  }
  // Keep running while code-server does.
  const timer = setInterval(() => {
    try {
      process.kill(server.pid, 0);
    } catch {
      if (stopping) return;
      console.error(`[kestrel] code-server exited; see ${server.logFile}.`);
      clearInterval(timer);
      void stop(1);
    }
  }, 1000);
}

async function main() {
  build();
  const workspace = copyWorkspace(path.join(STATE_DIR, 'sample-workspace'));
  if (route === 'code-server') {
    await startCodeServer(workspace);
  } else if (route === 'desktop') {
    process.exit(await runAndWait('code', [`--extensionDevelopmentPath=${ROOT}`, workspace]));
  } else if (route === 'electron') {
    const { downloadAndUnzipVSCode } = require('@vscode/test-electron');
    const executable = await downloadAndUnzipVSCode(process.env.KESTREL_VSCODE_VERSION || '1.100.3');
    const profile = path.join(STATE_DIR, 'start-electron');
    fs.mkdirSync(profile, { recursive: true });
    process.exit(await runAndWait(executable, [
      `--extensionDevelopmentPath=${ROOT}`, `--user-data-dir=${path.join(profile, 'user-data')}`,
      `--extensions-dir=${path.join(profile, 'extensions')}`, workspace,
    ]));
  } else {
    throw new SetupError(`KESTREL_VSCODE=${route} is not supported by npm start; use code-server (default), desktop or electron.`);
  }
}

main().catch((error) => {
  console.error(error instanceof SetupError ? error.message : error);
  process.exit(error instanceof SetupError ? 2 : 1);
});
