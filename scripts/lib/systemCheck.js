// Checks for the system programs the code-server route needs, and turns a missing one into one
// clear message with the install command (a SetupError the entry scripts print without a stack).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const APT_PACKAGES = 'chromium libkrb5-dev pkg-config ripgrep';
const APT_COMMAND = `sudo apt-get install -y ${APT_PACKAGES}`;

/** An environment problem the user fixes by installing something; printed without a stack trace. */
class SetupError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SetupError';
  }
}

/** Absolute path of `name` on PATH, or undefined. */
function which(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The Chromium the rig drives: `KESTREL_CHROMIUM`, else Debian's /usr/bin/chromium. */
function chromiumPath() {
  return process.env.KESTREL_CHROMIUM || '/usr/bin/chromium';
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws a SetupError naming every missing piece.
 * @param {{ browser?: boolean, build?: boolean }} needs browser: Chromium to open the workbench;
 *   build: what installing code-server needs (rg to seed @vscode/ripgrep, pkg-config and the
 *   Kerberos headers for the `kerberos` native module, a C++ toolchain and python3 for node-gyp).
 */
function checkSystem(needs) {
  const missing = [];
  let needsToolchain = false;
  if (needs.browser && !isExecutable(chromiumPath())) {
    missing.push(process.env.KESTREL_CHROMIUM
      ? `Chromium (KESTREL_CHROMIUM=${process.env.KESTREL_CHROMIUM} is not an executable file)`
      : 'chromium (no /usr/bin/chromium; set KESTREL_CHROMIUM to use another Chromium)');
  }
  if (needs.build) {
    if (!which('rg')) missing.push('ripgrep (no `rg` on PATH)');
    if (!which('pkg-config')) missing.push('pkg-config (not on PATH)');
    if (!fs.existsSync('/usr/include/gssapi/gssapi.h') && !which('krb5-config')) {
      missing.push('libkrb5-dev (no Kerberos headers: /usr/include/gssapi/gssapi.h)');
    }
    for (const tool of ['make', 'g++', 'python3']) {
      if (!which(tool)) {
        missing.push(`${tool} (not on PATH; needed to build code-server's native modules)`);
        needsToolchain = true;
      }
    }
  }
  if (missing.length === 0) return;
  const command = needsToolchain ? `${APT_COMMAND} build-essential python3` : APT_COMMAND;
  throw new SetupError([
    'Kestrel\'s VS Code test rig (code-server route) is missing system packages:',
    ...missing.map((item) => `  - ${item}`),
    'Install them with:',
    `  ${command}`,
    '(Integration tests alone can run in desktop VS Code instead: KESTREL_VSCODE=electron, which needs internet.)',
  ].join('\n'));
}

module.exports = { SetupError, checkSystem, chromiumPath, which, APT_COMMAND };
