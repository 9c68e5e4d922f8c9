// Builds Kestrel's bundles: the extension (Node, CommonJS, `vscode` external), the lazily loaded
// openai SDK, and the chat and usage webviews (browser, IIFE). `--production` minifies without sourcemaps; `--watch` rebuilds.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the `file:line:col: error: text` form VS Code's esbuild problem matcher reads. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcherPlugin],
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
};

/** The openai SDK becomes its own file, required on first use, so activation does not load it. */
const lazyOpenAiPlugin = {
  name: 'lazy-openai',
  setup(build) {
    build.onResolve({ filter: /^openai$/ }, () => ({ path: './openai.js', external: true }));
  },
};

/** The workspace tools become their own file too, required on the first answer that uses them. */
const lazyToolsPlugin = {
  name: 'lazy-workspace-tools',
  setup(build) {
    build.onResolve({ filter: /\/workspaceToolsChunk$/ }, () => ({ path: './workspaceTools.js', external: true }));
  },
};

const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

const bundles = [
  {
    ...node,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    plugins: [...common.plugins, lazyOpenAiPlugin, lazyToolsPlugin],
  },
  {
    ...node,
    entryPoints: ['src/features/tools/workspaceToolsChunk.ts'],
    outfile: 'dist/workspaceTools.js',
    external: ['vscode'],
  },
  {
    ...node,
    entryPoints: [require.resolve('openai')],
    outfile: 'dist/openai.js',
  },
  {
    // search_text's regular expressions run in this worker thread (src/host/lineMatcher.ts).
    ...node,
    entryPoints: ['src/host/regexSearchWorker.ts'],
    outfile: 'dist/regexSearchWorker.js',
  },
  {
    ...common,
    entryPoints: ['media/chat/main.ts'],
    outfile: 'dist/webview/chat.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // The webview CSS is bundled alongside so the CSP can stay `style-src ${cspSource}`.
    loader: { '.css': 'css', '.ttf': 'file' },
  },
  {
    ...common,
    entryPoints: ['media/usage/main.ts'],
    outfile: 'dist/webview/usage.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
  },
];

async function main() {
  // A release build starts clean so no development sourcemap ends up in the .vsix.
  if (production) require('node:fs').rmSync('dist', { recursive: true, force: true });
  const contexts = await Promise.all(bundles.map((options) => esbuild.context(options)));
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    return;
  }
  const results = await Promise.allSettled(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length > 0) process.exit(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
