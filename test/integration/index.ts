/**
 * Test entry that VS Code loads in the extension host (`--extensionTestsPath`): runs mocha (bdd,
 * like the unit tests) over every compiled `*.test.js` next to this file. scripts/test.js starts
 * it through @vscode/test-electron on either route (code-server or desktop Electron) and reads
 * the counts the reporter writes to `KESTREL_RESULTS_FILE` (passed in `extensionTestsEnv`).
 */
import Mocha = require('mocha');
import CountingReporter = require('../support/countingReporter');
import { findTestFiles } from '../support/findTests';

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: CountingReporter,
    timeout: Number(process.env.KESTREL_MOCHA_TIMEOUT_MS || 20_000),
    color: false,
    ...(process.env.KESTREL_GREP ? { grep: process.env.KESTREL_GREP } : {}),
  });
  for (const file of findTestFiles(__dirname)) mocha.addFile(file);
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed.`)) : resolve()));
  });
}
