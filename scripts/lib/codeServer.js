// Installs code-server (VS Code for the Web, which bundles a real VS Code server and extension
// host) into `.vscode-test/code-server/` on first use, the way @vscode/test-electron caches desktop
// VS Code. It is deliberately not a devDependency: contributors on the Electron route should not
// pay ~300 MB. See /work/shared/docs/real-vscode.md for why each flag below is needed offline.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const { SetupError, checkSystem, which } = require('./systemCheck');

/** Newest code-server that runs on Node 20; bundles VS Code 1.100.3 (engines.vscode ^1.100.0). */
const CODE_SERVER_VERSION = '4.100.3';
/** @vscode/ripgrep version inside code-server 4.100.3 and the asset name its postinstall wants. */
const RIPGREP_CACHE_DIR = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE_DIR = process.env.KESTREL_CODE_SERVER_DIR
  ? path.resolve(process.env.KESTREL_CODE_SERVER_DIR)
  : path.join(ROOT, '.vscode-test', 'code-server');
/** Written last, so a half-finished install is never mistaken for a good one. */
const MARKER = path.join(CACHE_DIR, 'kestrel-install.json');
const INSTALL_TIMEOUT_MS = Number(process.env.KESTREL_INSTALL_TIMEOUT_MS || 15 * 60_000);

function binPath() {
  return path.join(CACHE_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** The installed version if the cache holds a complete install, else undefined. */
function installedVersion() {
  try {
    const marker = JSON.parse(fs.readFileSync(MARKER, 'utf8'));
    const pkg = JSON.parse(fs.readFileSync(path.join(CACHE_DIR, 'node_modules', 'code-server', 'package.json'), 'utf8'));
    if (marker.version !== pkg.version || !fs.existsSync(binPath())) return undefined;
    return pkg.version;
  } catch {
    return undefined;
  }
}

/**
 * Returns the path of code-server's Node entry point (run it with `node`), installing
 * code-server first when the cache is missing, incomplete or holds another version.
 * @param {{ log?: (line: string) => void }} [options]
 */
async function ensureCodeServer(options = {}) {
  const log = options.log || ((line) => console.log(line));
  if (installedVersion() === CODE_SERVER_VERSION) return binPath();
  const release = await lock(log);
  try {
    return await install(log);
  } finally {
    release();
  }
}

/** One install at a time (two test runs started together must not both write the cache). */
async function lock(log) {
  const lockDir = `${CACHE_DIR}.lock`;
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
    } catch {
      // the owner is between mkdir and writing its pid
    }
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) {
      fs.rmSync(lockDir, { recursive: true, force: true }); // left by a killed install
      continue;
    }
    if (!announced) log(`[kestrel] another process (${owner}) is installing code-server; waiting for it.`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

async function install(log) {
  const current = installedVersion();
  if (current === CODE_SERVER_VERSION) return binPath(); // installed while we waited

  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) {
    throw new SetupError(`code-server ${CODE_SERVER_VERSION} installs only on Node 20 (this is Node ${process.versions.node}). `
      + 'Use Node 20, or run against desktop VS Code: KESTREL_VSCODE=electron.');
  }
  checkSystem({ build: true });

  log(current
    ? `[kestrel] code-server ${current} in ${path.relative(ROOT, CACHE_DIR)} is not ${CODE_SERVER_VERSION}: reinstalling.`
    : `[kestrel] code-server ${CODE_SERVER_VERSION} is not installed in ${path.relative(ROOT, CACHE_DIR) || CACHE_DIR}: installing it (first run only; about 1.5 minutes, ~300 MB; native modules build from source).`);
  const started = Date.now();
  fs.rmSync(CACHE_DIR, { recursive: true, force: true });
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  fs.writeFileSync(path.join(CACHE_DIR, 'package.json'), `${JSON.stringify({
    name: 'kestrel-code-server-cache',
    private: true,
    description: 'Installed by scripts/lib/codeServer.js; delete this folder to reinstall.',
  }, null, 2)}\n`);

  // A private TMPDIR holding the ripgrep tarball @vscode/ripgrep's postinstall would otherwise
  // download from GitHub; Debian's rg stands in for the musl build.
  const tmpDir = path.join(CACHE_DIR, '.tmp');
  seedRipgrepCache(tmpDir);

  await runNpmInstall(tmpDir, log);
  fs.rmSync(tmpDir, { recursive: true, force: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(CACHE_DIR, 'node_modules', 'code-server', 'package.json'), 'utf8'));
  if (pkg.version !== CODE_SERVER_VERSION || !fs.existsSync(path.join(CACHE_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules'))) {
    throw new Error(`code-server install in ${CACHE_DIR} is incomplete (version ${pkg.version}).`);
  }
  fs.writeFileSync(MARKER, `${JSON.stringify({ version: CODE_SERVER_VERSION, installedAt: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000) }, null, 2)}\n`);
  log(`[kestrel] code-server ${CODE_SERVER_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s.`);
  return binPath();
}

function seedRipgrepCache(tmpDir) {
  const rg = which('rg');
  const cacheDir = path.join(tmpDir, RIPGREP_CACHE_DIR);
  const staging = path.join(tmpDir, 'rg-staging');
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.mkdirSync(staging, { recursive: true });
  fs.copyFileSync(rg, path.join(staging, 'rg'));
  fs.chmodSync(path.join(staging, 'rg'), 0o755);
  execFileSync('tar', ['-czf', path.join(cacheDir, RIPGREP_ASSET), '-C', staging, 'rg']);
  fs.rmSync(staging, { recursive: true, force: true });
}

/** npm settings passed down from an outer `npm test` that must not steer the nested install. */
const KEEP_NPM_CONFIG = new Set(['registry', 'cache', 'cafile', 'ca', 'proxy', 'https_proxy', 'http_proxy', 'noproxy',
  'strict_ssl', 'userconfig', 'globalconfig', 'nodedir', 'loglevel']);

function installEnv(tmpDir) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    const config = /^npm_config_(.*)$/i.exec(key);
    if (config ? KEEP_NPM_CONFIG.has(config[1].toLowerCase()) : !/^(npm_|INIT_CWD$)/i.test(key)) env[key] = value;
  }
  Object.assign(env, {
    TMPDIR: tmpDir,
    npm_config_unsafe_perm: 'true', // code-server's postinstall refuses root without it
    npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  });
  // node-gyp downloads Node's headers unless told where they are; use the running Node's own.
  const nodePrefix = path.resolve(process.execPath, '..', '..');
  if (!env.npm_config_nodedir && fs.existsSync(path.join(nodePrefix, 'include', 'node', 'common.gypi'))) {
    env.npm_config_nodedir = nodePrefix;
  }
  return env;
}

function runNpmInstall(tmpDir, log) {
  const npmCli = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : undefined;
  const command = npmCli ? process.execPath : 'npm';
  const args = [...(npmCli ? [npmCli] : []), 'install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`];
  log(`[kestrel] (cd ${CACHE_DIR} && npm_config_unsafe_perm=true npm_config_yes=true npm ${args.slice(npmCli ? 1 : 0).join(' ')})`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: CACHE_DIR, env: installEnv(tmpDir), stdio: 'inherit', detached: true });
    const kill = () => {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    };
    const timer = setTimeout(() => {
      log(`[kestrel] npm install of code-server did not finish within ${INSTALL_TIMEOUT_MS / 1000} s; stopping it.`);
      kill();
    }, INSTALL_TIMEOUT_MS);
    const onSignal = (signal) => { kill(); process.exit(signal === 'SIGINT' ? 130 : 143); };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    child.on('error', (error) => reject(new Error(`Could not run npm: ${error.message}`)));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      if (code === 0) resolve();
      else reject(new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (${signal || `exit code ${code}`}); see its output above. Delete ${CACHE_DIR} and retry.`));
    });
  });
}

module.exports = { CODE_SERVER_VERSION, CACHE_DIR, ensureCodeServer, installedVersion, binPath };

if (require.main === module) {
  // `node scripts/lib/codeServer.js` installs (or checks) code-server on its own.
  ensureCodeServer().then((bin) => console.log(bin), (error) => {
    console.error(error instanceof SetupError ? error.message : error);
    process.exit(error instanceof SetupError ? 2 : 1);
  });
}
