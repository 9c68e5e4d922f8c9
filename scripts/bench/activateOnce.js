// One measurement in a fresh process: load the extension bundle and run activate(); prints ms.
const Module = require('node:module');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const stub = require('./vscodeStub');
const originalLoad = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? stub : originalLoad.call(this, request, ...rest);
};

const bundle = path.resolve(process.argv[2]);
const context = {
  subscriptions: [],
  extensionUri: {},
  extensionMode: 1,
  extension: { packageJSON: require('../../package.json') },
  secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: () => ({ dispose() {} }) },
  globalState: { get: () => undefined, update: async () => {}, keys: () => [] },
  workspaceState: { get: () => undefined, update: async () => {}, keys: () => [] },
  globalStorageUri: { fsPath: require('node:os').tmpdir() },
  storageUri: undefined,
};

const started = performance.now();
const extension = require(bundle);
Promise.resolve(extension.activate(context)).then(() => {
  process.stdout.write(`${(performance.now() - started).toFixed(2)}\n`);
  for (const item of context.subscriptions) item.dispose?.();
});
