// Installs the project's npm packages on first use (`npm ci`), so `npm start` and `npm test` are
// the only commands a newcomer needs. It runs again when package-lock.json is newer than the
// install. Plain Node with no dependencies: it runs before node_modules exists.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');

function ensureDependencies() {
  const lock = path.join(ROOT, 'package-lock.json');
  const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
  if (fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  console.log('[kestrel] installing npm packages (npm ci; first run only)...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('[kestrel] npm ci failed; see its output above.');
    process.exit(result.status || 1);
  }
}

module.exports = { ensureDependencies };
