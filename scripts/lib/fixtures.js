// Copies the sample workspace (test/fixtures/workspace) somewhere writable, so tests and
// `npm start` can edit files without touching the repository.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE_WORKSPACE = path.join(ROOT, 'test', 'fixtures', 'workspace');

const tempDirs = new Set();

/**
 * Copies the fixture into a new temp folder, removed when this process exits (or into `target`,
 * kept, if it does not exist yet); returns the workspace path.
 */
function copyWorkspace(target) {
  if (target && fs.existsSync(target)) return target;
  let dest = target;
  if (!dest) {
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-workspace-'));
    if (tempDirs.size === 0) process.on('exit', removeTempWorkspaces);
    tempDirs.add(tempDir);
    dest = path.join(tempDir, 'workspace');
  }
  fs.cpSync(FIXTURE_WORKSPACE, dest, { recursive: true });
  return dest;
}

function removeTempWorkspaces() {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

module.exports = { ROOT, FIXTURE_WORKSPACE, copyWorkspace };
