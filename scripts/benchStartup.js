// `npm run bench:startup`: bundle sizes (production build) and the time to load the extension
// bundle and run activate() in a fresh Node process, median of several runs.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 15);

execFileSync(process.execPath, ['esbuild.js', '--production'], { cwd: root, stdio: 'inherit' });
const kb = (file) => Math.round((fs.statSync(path.join(root, file)).size / 1024) * 10) / 10;
const extensionBundleKB = kb('dist/extension.js');
const webviewBundleKB = ['dist/webview/chat.js', 'dist/webview/chat.css']
  .filter((file) => fs.existsSync(path.join(root, file)))
  .reduce((sum, file) => sum + kb(file), 0);

const timings = [];
for (let i = 0; i < runs; i++) {
  const output = execFileSync(process.execPath, [path.join(__dirname, 'bench/activateOnce.js'), path.join(root, 'dist/extension.js')], { encoding: 'utf8' });
  timings.push(Number(output.trim()));
}
timings.sort((a, b) => a - b);
const median = timings[Math.floor(timings.length / 2)];
console.log(`extension bundle: ${extensionBundleKB} KB (target <= 400 KB)`);
console.log(`webview bundle:   ${webviewBundleKB} KB (target <= 300 KB)`);
console.log(`activate: median ${median.toFixed(1)} ms over ${runs} fresh processes (min ${timings[0].toFixed(1)}, max ${timings.at(-1).toFixed(1)}; target <= 30 ms)`);
console.log(`BENCH startup ${JSON.stringify({ extensionBundleKB, webviewBundleKB: Math.round(webviewBundleKB * 10) / 10, activateMsMedian: Math.round(median * 10) / 10 })}`);
