// Runs the integration suite (test/integration/index.ts, compiled to out/) in a real VS Code
// through @vscode/test-electron's runTests. The route is explicit, from KESTREL_VSCODE:
//   code-server (default): VS Code 1.100.3 server + web workbench in headless Chromium, installed
//     on first use; runTests gets scripts/codeServerTestHost.js as its "VS Code executable".
//   electron: desktop VS Code downloaded by test-electron (KESTREL_VSCODE_VERSION, default
//     1.100.3, matching engines.vscode ^1.100.0). Needs internet (and a display or xvfb on Linux);
//     a failed download fails the suite.
// Run by scripts/test.js as a child process, which sets KESTREL_RESULTS_FILE.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');
const { ROOT, copyWorkspace } = require('./fixtures');
const { SetupError } = require('./systemCheck');

async function main() {
  const route = process.env.KESTREL_VSCODE || 'code-server';
  const workspace = copyWorkspace(); // a temp copy, removed when this process exits
  // On Ctrl+C or a timeout (scripts/test.js signals the whole process group) the VS Code stand-in
  // gets the signal too and shuts code-server down; wait for it instead of dying first.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      stopping = true;
    });
  }
  const options = {
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [workspace, '--disable-extensions'],
    extensionTestsEnv: {
      KESTREL_RESULTS_FILE: process.env.KESTREL_RESULTS_FILE || '',
      KESTREL_TEST_WORKSPACE: workspace,
      ...(process.env.KESTREL_GREP ? { KESTREL_GREP: process.env.KESTREL_GREP } : {}),
    },
  };
  if (route === 'code-server') {
    const host = path.join(ROOT, 'scripts', 'codeServerTestHost.js');
    fs.chmodSync(host, 0o755); // in case the checkout lost the executable bit
    await runTests({ ...options, vscodeExecutablePath: host });
  } else if (route === 'electron') {
    const version = process.env.KESTREL_VSCODE_VERSION || '1.100.3';
    try {
      await runTests({ ...options, version });
    } catch (error) {
      if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|download/i.test(String(error && error.message))) {
        throw new SetupError(`KESTREL_VSCODE=electron could not download VS Code ${version} (${error.message}). `
          + 'This route needs internet access; offline, use the default KESTREL_VSCODE=code-server.');
      }
      throw error;
    }
  } else {
    throw new SetupError(`KESTREL_VSCODE=${route} is not a test route; use code-server (default) or electron.`);
  }
  if (stopping) throw new Error('interrupted');
}

main().catch((error) => {
  console.error(error instanceof SetupError ? error.message : `Integration run failed: ${error && error.message ? error.message : error}`);
  process.exit(1);
});
