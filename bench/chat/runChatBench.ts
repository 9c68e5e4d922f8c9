/**
 * `npm run bench:chat`: streams a 4,000-token markdown answer at 150 tokens/s into the real chat
 * webview bundle (media/chat/main.ts, minified like the release) in headless Chromium, under the
 * webview's CSP, while recording a Chromium trace; prints main-thread CPU figures, checks the
 * streamed answer against the same answer loaded whole from history, and last the
 * `BENCH chat {...}` line.
 *
 * pageHarness.ts stands in for VS Code: it provides `acquireVsCodeApi` and posts the protocol's
 * messages the way the extension host does. The page is served from a fake origin so the CSP can
 * name it like a webview's cspSource.
 *
 * Deltas reach the page as messages, each a task of its own, batched every DELTA_INTERVAL_MS
 * (100 ms) like ChatSession does (10 a second, 15 tokens each at 150 tok/s); `--batch-ms 0` sends
 * one message per token.
 *
 * Options: --quick (the first 600 tokens, about 4 s), --tokens N, --rate TOKENS_PER_SECOND,
 * --batch-ms MS, --trace-out FILE (saves the trace as JSON, for chrome://tracing or Perfetto).
 * Environment: KESTREL_CHROMIUM overrides the browser (default /usr/bin/chromium).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import { DELTA_INTERVAL_MS } from '../../src/features/chat/deltaBatcher';
import { buildAnswer } from './answerCorpus';
import type { StreamResult } from './hostHarness';
import { mainThreadFigures, type MainThreadFigures, type TraceEvent } from './traceMetrics';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ORIGIN = 'https://kestrel-webview.invalid';
/** The embedding "workbench" is another site, so (with site isolation) its work runs on another thread. */
const HOST_ORIGIN = 'https://workbench-host.invalid';
const NONCE = 'benchNonce0123456789';
const CSP = `default-src 'none'; style-src ${ORIGIN}; font-src ${ORIGIN}; img-src ${ORIGIN} data: blob:; script-src 'nonce-${NONCE}'`;
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'];
const TARGETS = { longestTaskMs: 16, renderCpuPctOfStream: 5 };

/** A dark theme's worth of the variables VS Code injects into webviews, so the CSS resolves. */
const PAGE_CSS = `
:root {
  --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-foreground: #cccccc;
  --vscode-sideBar-background: #181818; --vscode-editor-font-family: monospace; --vscode-editor-font-size: 14px;
  --vscode-editor-foreground: #cccccc; --vscode-textCodeBlock-background: #2b2b2b; --vscode-textPreformat-foreground: #d0d0d0;
  --vscode-textPreformat-background: #3c3c3c; --vscode-textLink-foreground: #4daafc; --vscode-widget-border: #313131;
  --vscode-descriptionForeground: #9d9d9d; --vscode-debugTokenExpression-boolean: #4e94ce; --vscode-debugTokenExpression-string: #ce9178;
  --vscode-debugTokenExpression-number: #b5cea8; --vscode-debugTokenExpression-name: #c586c0; --vscode-symbolIcon-functionForeground: #b180d7;
  --vscode-symbolIcon-classForeground: #ee9d28; --vscode-symbolIcon-variableForeground: #75beff;
}
html, body { margin: 0; height: 100%; }`;

interface Options {
  tokens: number;
  rate: number;
  batchMs: number;
  traceOut?: string;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { tokens: 4000, rate: 150, batchMs: DELTA_INTERVAL_MS };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = (): number => Number(inline ?? argv[++i]);
    if (flag === '--quick') options.tokens = 600;
    else if (flag === '--tokens') options.tokens = value();
    else if (flag === '--rate') options.rate = value();
    else if (flag === '--batch-ms') options.batchMs = value();
    else if (flag === '--trace-out') options.traceOut = inline ?? argv[++i];
    else throw new Error(`Unknown option ${argv[i]} (use --quick, --tokens N, --rate N, --batch-ms N, --trace-out FILE)`);
  }
  if (!(options.tokens > 0 && options.rate > 0 && options.batchMs >= 0)) throw new Error('--tokens and --rate take positive numbers, --batch-ms a non-negative one');
  return options;
}

/** Bundles the webview and the harness like esbuild.js bundles the webview (browser IIFE, es2022, minified). */
async function bundleHarness(outdir: string): Promise<void> {
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { harness: 'bench/chat/pageHarness.ts', host: 'bench/chat/hostHarness.ts', chat: 'media/chat/main.ts' },
    outdir,
    bundle: true,
    minify: true,
    sourcemap: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css', '.ttf': 'file' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
}

async function servePage(page: Page, dir: string): Promise<{ outsideRequests: string[] }> {
  const files: Record<string, [string, string | Buffer]> = {
    '/index.html': [
      'text/html',
      `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}">` +
        `<link rel="stylesheet" href="${ORIGIN}/page.css"><link rel="stylesheet" href="${ORIGIN}/chat.css"></head>` +
        `<body class="vscode-dark"><main id="app"></main><script nonce="${NONCE}" src="${ORIGIN}/harness.js"></script>` +
        `<script nonce="${NONCE}" src="${ORIGIN}/chat.js"></script></body></html>`,
    ],
    '/page.css': ['text/css', PAGE_CSS],
  };
  for (const name of fs.readdirSync(dir)) {
    const type = name.endsWith('.js') ? 'text/javascript' : name.endsWith('.css') ? 'text/css' : 'font/ttf';
    files[`/${name}`] = [type, fs.readFileSync(path.join(dir, name))];
  }
  const outsideRequests: string[] = [];
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    const file = url.origin === ORIGIN ? files[url.pathname] : undefined;
    if (url.origin === HOST_ORIGIN) {
      const body = url.pathname === '/host.js' ? fs.readFileSync(path.join(dir, 'host.js')) : `<!doctype html><html><body style="margin:0"><iframe src="${ORIGIN}/index.html" style="border:0;width:100vw;height:100vh"></iframe><script src="${HOST_ORIGIN}/host.js"></script></body></html>`;
      return route.fulfill({ status: 200, contentType: url.pathname === '/host.js' ? 'text/javascript' : 'text/html', body });
    }
    if (file) return route.fulfill({ status: 200, contentType: file[0], body: file[1] });
    outsideRequests.push(url.href);
    return route.abort();
  });
  return { outsideRequests };
}

async function traced<T>(page: Page, run: () => Promise<T>): Promise<{ result: T; events: TraceEvent[] }> {
  const cdp = await page.context().newCDPSession(page);
  const complete = new Promise<string>((resolve, reject) =>
    cdp.once('Tracing.tracingComplete', ({ stream }) => (stream ? resolve(stream) : reject(new Error('the trace came back without a stream')))),
  );
  // Kept in the browser until the end and read then: streaming events out while tracing would
  // have the browser and this process busy serialising them during the measured window, taking
  // CPU from the page on a small machine.
  await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: TRACE_CATEGORIES } });
  const result = await run();
  await cdp.send('Tracing.end');
  const handle = await complete;
  let json = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle, size: 1 << 20 });
    json += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle });
  await cdp.detach();
  // Chromium writes either {"traceEvents": [...]} or a bare array.
  const parsed = JSON.parse(json) as { traceEvents: TraceEvent[] } | TraceEvent[];
  return { result, events: Array.isArray(parsed) ? parsed : parsed.traceEvents };
}

function normalise(html: string): string {
  return html.replace(/\s+/g, ' ').replace(/> </g, '><').trim();
}

function printReport(options: Options, stream: StreamResult, trace: MainThreadFigures, extra: { matches: boolean; exact: boolean; outside: number; csp: number }): void {
  const pct = (trace.cpuMsTotal / stream.streamMs) * 100;
  const rows: [string, string][] = [
    ['machine', `${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)} (figures are noisier when loaded)`],
    ['answer', `${options.tokens} tokens at ${options.rate} tok/s`],
    ['stream wall time', `${(stream.streamMs / 1000).toFixed(2)} s`],
    ['messages to the page', `${stream.messages} (${options.batchMs > 0 ? `batched every ${options.batchMs} ms` : 'one per token'}; tokens late: ${stream.lateTokens})`],
    ['main-thread tasks in stream', `${trace.tasks} (${trace.tasksOver16Ms} over 16 ms)`],
    ['render CPU total (trace)', `${trace.cpuMsTotal.toFixed(1)} ms = ${pct.toFixed(2)} % of the stream (target <= ${TARGETS.renderCpuPctOfStream} %)`],
    ['  of which thread time', `${trace.threadMsTotal.toFixed(1)} ms (the rest: descheduled by other load)`],
    ['where the time went (ms)', trace.breakdown],
    ['longest task (trace)', `${trace.longestTaskMs.toFixed(2)} ms (target <= ${TARGETS.longestTaskMs} ms)`],
    ['  without a major GC', `${trace.longestTaskWithoutMajorGcMs.toFixed(2)} ms (V8 runs one about 30 s after the page loads, streaming or not)`],
    ...trace.longestTasks.map((task, i): [string, string] => [
      i === 0 ? 'longest tasks (ms: inside)' : '',
      `${task.ms.toFixed(1)} at ${(task.atMs / 1000).toFixed(1)} s: ${task.parts}`,
    ]),
    ['final == whole render', `${extra.matches ? 'yes' : 'NO'} (normalised)${extra.exact ? ', byte-identical' : ''}`],
    ['requests outside the webview', `${extra.outside}; CSP violations ${extra.csp}`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log('== Chat streaming render');
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
  const checks: [string, boolean][] = [
    [`longestTaskMs <= ${TARGETS.longestTaskMs}`, trace.longestTaskMs <= TARGETS.longestTaskMs],
    [`renderCpuPctOfStream <= ${TARGETS.renderCpuPctOfStream}`, pct <= TARGETS.renderCpuPctOfStream],
    ['finalMatchesNonStreamed', extra.matches],
    ['no request leaves the webview', extra.outside === 0 && extra.csp === 0],
  ];
  console.log('== Targets');
  for (const [name, ok] of checks) console.log(`  ${ok ? 'MET   ' : 'MISSED'} ${name}`);
  const bench = {
    renderCpuMsTotal: Number(trace.cpuMsTotal.toFixed(1)),
    longestTaskMs: Number(trace.longestTaskMs.toFixed(2)),
    renderCpuPctOfStream: Number(pct.toFixed(2)),
    finalMatchesNonStreamed: extra.matches,
  };
  console.log(`BENCH chat ${JSON.stringify(bench)}`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const answer = buildAnswer(options.tokens);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-bench-chat-'));
  const browser = await chromium.launch({
    executablePath: process.env.KESTREL_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--site-per-process', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  try {
    await bundleHarness(dir);
    // A side panel's size: the transcript is narrow and scrolls.
    const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    const { outsideRequests } = await servePage(page, dir);
    let cspViolations = 0;
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations++;
    });
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(`${HOST_ORIGIN}/index.html`);
    await page.waitForFunction(() => typeof window.__stream === 'function');
    await page.evaluate(() => window.__ready);
    const { result: stream, events } = await traced(page, () =>
      page.evaluate(({ chunks, interval, batchMs }) => window.__stream(chunks, interval, batchMs), {
        chunks: answer.chunks,
        interval: 1000 / options.rate,
        batchMs: options.batchMs,
      }),
    );
    if (options.traceOut) fs.writeFileSync(options.traceOut, JSON.stringify({ traceEvents: events }));
    const trace = mainThreadFigures(events, 'kestrel-bench-start', 'kestrel-bench-end');
    const whole = await page.evaluate((markdown) => window.__renderWhole(markdown), answer.markdown);
    if (outsideRequests.length > 0) console.log(`outside requests: ${outsideRequests.slice(0, 5).join(', ')}`);
    printReport(options, stream, trace, {
      matches: normalise(stream.html) === normalise(whole),
      exact: stream.html === whole,
      outside: outsideRequests.length,
      csp: cspViolations,
    });
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
