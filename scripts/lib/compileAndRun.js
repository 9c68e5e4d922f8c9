// Compiles the TypeScript (tsc -p .) and runs one compiled script, passing the remaining arguments.
'use strict';

require('./ensureDependencies').ensureDependencies();
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const [script, ...args] = process.argv.slice(2);
const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: ROOT, stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status || 1);
const run = spawnSync(process.execPath, [path.join(ROOT, script), ...args], { cwd: ROOT, stdio: 'inherit' });
process.exit(run.status ?? 1);
