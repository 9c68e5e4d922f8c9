// Starts a real VS Code workbench for Kestrel's tests: code-server (VS Code 1.100 server + web
// workbench) on a free 127.0.0.1 port with throwaway profile folders, opened in headless Chromium
// through playwright-core. The development extension (and optionally a test entry) is passed in
// the workbench URL's `payload`, because code-server's CLI rejects --extensionDevelopmentPath.
//
// Teardown is layered so no code-server outlives a run: close() kills its process group; an
// 'exit' hook does the same on process.exit; signal handlers run it on Ctrl+C/SIGTERM; and a
// detached watchdog kills the group if this process dies without running any of those (SIGKILL).
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const { spawn } = require('node:child_process');
const { ensureCodeServer } = require('./codeServer');
const { SetupError, checkSystem, chromiumPath } = require('./systemCheck');

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync',
];

/** User settings for every run: no welcome pages, tips, telemetry or update checks. */
const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.startupPrompt': 'never',
  'chat.commandCenter.enabled': false,
};

const verbose = () => process.env.KESTREL_VERBOSE === '1';

/** Live code-server process groups (pid -> temp folder to remove), killed if this process exits early. */
const liveGroups = new Map();
let hooksInstalled = false;

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function killAllNow() {
  for (const [pid, tempDir] of liveGroups) {
    killGroup(pid, 'SIGKILL');
    if (tempDir && process.env.KESTREL_KEEP_TMP !== '1') {
      try {
        fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // best effort: the OS cleans /tmp eventually
      }
    }
  }
  liveGroups.clear();
}

function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, function onSignal() {
      killAllNow();
      // If nobody else (mocha, a driver script) handles the signal, keep its default meaning.
      if (process.listeners(signal).every((listener) => listener === onSignal)) {
        process.exit(128 + os.constants.signals[signal]);
      }
    });
  }
}

/**
 * Kills code-server's process group, and removes its temp folder, if `parentPid` dies without
 * cleaning up (SIGKILL, a crash).
 */
const WATCHDOG = `
const [parent, group] = process.argv.slice(1, 3).map(Number);
const tempDir = process.argv[3];
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const timer = setInterval(() => {
  if (!alive(-group)) process.exit(0);
  if (!alive(parent)) {
    clearInterval(timer);
    try { process.kill(-group, 'SIGTERM'); } catch {}
    setTimeout(() => {
      try { process.kill(-group, 'SIGKILL'); } catch {}
      if (tempDir) setTimeout(() => { try { require('fs').rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 }); } catch {} process.exit(0); }, 500);
      else process.exit(0);
    }, 2000);
  }
}, 1000);`;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function healthy(port) {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** `vscode-remote://127.0.0.1:PORT/abs/path`, how the web workbench names a server-side file. */
function remoteUri(port, file) {
  return `vscode-remote://127.0.0.1:${port}${path.resolve(file).split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The workbench URL that opens `folder` with the development extension (and test entry) loaded.
 * @param {{ port: number, folder?: string, extensionDevelopmentPath: string | string[], extensionTestsPath?: string }} options
 */
function workbenchUrl({ port, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const payload = [];
  for (const devPath of [].concat(extensionDevelopmentPath)) payload.push(['extensionDevelopmentPath', remoteUri(port, devPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(port, extensionTestsPath)]);
  payload.push(['skipWelcome', 'true'], ['skipReleaseNotes', 'true']);
  const query = [];
  if (folder) query.push(`folder=${encodeURIComponent(path.resolve(folder))}`);
  query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `http://127.0.0.1:${port}/?${query.join('&')}`;
}

/**
 * Starts code-server and waits for /healthz.
 * @param {object} options
 * @param {number} [options.port] default: a free port
 * @param {string} [options.folder] workspace folder to open by default
 * @param {string} [options.dataDir] where user-data/, extensions/ and xdg-config/ go; default: a new temp dir
 * @param {object} [options.settings] user settings merged over DEFAULT_SETTINGS
 * @param {boolean} [options.trustWorkspace=true] false leaves out --disable-workspace-trust (Restricted Mode)
 * @param {Record<string,string>} [options.env] extra environment for the server and its extension host
 * @param {string} [options.logFile] where code-server's output goes; default dataDir/code-server.log
 * @param {boolean} [options.inheritOutput] print code-server's output here instead of a log file
 */
async function startServer(options = {}) {
  const entry = await ensureCodeServer();
  if (options.port && !(await portIsFree(options.port))) {
    throw new SetupError(`Port ${options.port} on 127.0.0.1 is already in use; choose another (for npm start: PORT=8081 npm start).`);
  }
  const port = options.port || await freePort();
  const ownsDataDir = !options.dataDir;
  const dataDir = options.dataDir || fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-vscode-'));
  const userDataDir = path.join(dataDir, 'user-data');
  const extensionsDir = path.join(dataDir, 'extensions');
  const xdgConfig = path.join(dataDir, 'xdg-config');
  for (const dir of [path.join(userDataDir, 'User'), extensionsDir, xdgConfig]) fs.mkdirSync(dir, { recursive: true });
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  if (options.settings || !fs.existsSync(settingsFile)) {
    fs.writeFileSync(settingsFile, `${JSON.stringify({ ...DEFAULT_SETTINGS, ...options.settings }, null, 2)}\n`);
  }

  const args = [
    entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    ...(options.trustWorkspace === false ? [] : ['--disable-workspace-trust']),
    ...(options.folder ? [path.resolve(options.folder)] : []),
  ];
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    // A VS Code terminal's IPC variables would make code-server talk to that VS Code instead.
    if (!/^VSCODE_|^ELECTRON_RUN_AS_NODE$/.test(key)) env[key] = value;
  }
  Object.assign(env, options.env, { XDG_CONFIG_HOME: xdgConfig });

  const logFile = options.logFile || path.join(dataDir, 'code-server.log');
  const logFd = options.inheritOutput ? undefined : fs.openSync(logFile, 'a');
  installExitHooks();
  const child = spawn(process.execPath, args, {
    detached: true, // its own process group, so teardown can kill the extension host and helpers too
    env,
    stdio: options.inheritOutput ? ['ignore', 'inherit', 'inherit'] : ['ignore', logFd, logFd],
  });
  if (logFd !== undefined) fs.closeSync(logFd);
  liveGroups.set(child.pid, ownsDataDir ? dataDir : undefined);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), String(child.pid),
    ...(ownsDataDir && process.env.KESTREL_KEEP_TMP !== '1' ? [dataDir] : [])], { detached: true, stdio: 'ignore' });
  watchdog.unref();

  let stopped;
  const server = {
    port,
    pid: child.pid,
    dataDir,
    userDataDir,
    extensionsDir,
    logFile,
    /** Kills code-server's whole process group (SIGTERM, then SIGKILL) and removes temp folders. */
    stop() {
      stopped ??= (async () => {
        if (killGroup(child.pid, 'SIGTERM')) {
          for (let i = 0; i < 30 && killGroup(child.pid, 0); i++) await sleep(100);
          killGroup(child.pid, 'SIGKILL');
        }
        liveGroups.delete(child.pid);
        if (ownsDataDir && process.env.KESTREL_KEEP_TMP !== '1') fs.rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };

  const deadline = Date.now() + Number(process.env.KESTREL_SERVER_START_TIMEOUT_MS || 30_000);
  while (!(await healthy(port))) {
    if (exited || Date.now() > deadline) {
      const reason = exited ? `exited with code ${child.exitCode}` : 'did not answer /healthz in time';
      const log = options.inheritOutput ? '' : `\n--- ${logFile} ---\n${tail(logFile)}`;
      await server.stop();
      throw new Error(`code-server on 127.0.0.1:${port} ${reason}.${log}`);
    }
    await sleep(150);
  }
  return server;
}

/**
 * Starts code-server and opens the workbench in headless Chromium.
 * @param {object} options everything startServer takes, plus:
 * @param {string | string[]} options.extensionDevelopmentPath
 * @param {string} [options.extensionTestsPath] run this test entry's run() in the extension host
 * @param {(type: string, text: string) => void} [options.onLog] the extension host's console (test runs)
 * @param {(code: number) => void} [options.onExit] called with the test entry's result (0 pass, 1 fail)
 * @param {{ width: number, height: number }} [options.viewport]
 * @param {boolean} [options.headed] show the browser window (needs a display)
 */
async function startWorkbench(options) {
  checkSystem({ browser: true });
  const { chromium } = require('playwright-core');
  const server = await startServer(options);
  let browser;
  let closed;
  const workbench = {
    server,
    port: server.port,
    url: workbenchUrl({ ...options, port: server.port }),
    browser: undefined,
    page: undefined,
    /** Closes the browser and stops code-server; safe to call more than once. */
    close() {
      closed ??= (async () => {
        if (browser) await Promise.race([browser.close().catch(() => {}), sleep(5000)]);
        await server.stop();
      })();
      return closed;
    },
  };
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: !options.headed,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
      // Our own hooks kill code-server first; Playwright still kills Chromium on process exit.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    workbench.browser = browser;
    const context = await browser.newContext({ viewport: options.viewport || { width: 1400, height: 900 } });
    const page = await context.newPage();
    workbench.page = page;
    if (options.onLog) {
      await page.exposeFunction('codeAutomationLog', (type, args) => {
        options.onLog(String(type), Array.isArray(args) ? util.format(...args) : util.format(args));
      });
    }
    if (options.onExit) {
      await page.exposeFunction('codeAutomationExit', (code) => options.onExit(Number(code)));
    }
    if (verbose()) {
      page.on('console', (message) => process.stderr.write(`[browser ${message.type()}] ${message.text()}\n`));
      page.on('pageerror', (error) => process.stderr.write(`[browser pageerror] ${error.message}\n`));
    }
    await page.goto(workbench.url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    return workbench;
  } catch (error) {
    await workbench.close();
    throw error;
  }
}

module.exports = { startServer, startWorkbench, workbenchUrl, remoteUri, freePort, DEFAULT_SETTINGS };
