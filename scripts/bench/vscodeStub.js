// A stand-in for the `vscode` module, just enough for Kestrel's activate() to run in plain Node,
// so the startup benchmark measures our bundle and activation code and nothing of VS Code's.
// Any API not listed answers with an inert object (a "deep stub") rather than throwing.
const inert = new Proxy(function () {}, {
  get: (_target, key) => (key === 'then' ? undefined : key === Symbol.iterator ? undefined : inert),
  apply: () => inert,
  construct: () => inert,
});

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (listener) => {
      this.listeners.add(listener);
      return { dispose: () => this.listeners.delete(listener) };
    };
  }
  fire(value) {
    for (const listener of this.listeners) listener(value);
  }
  dispose() {
    this.listeners.clear();
  }
}

const disposable = { dispose() {} };
const outputChannel = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, show() {}, dispose() {} };

/** Unknown `onDid...` events subscribe to nothing; other unknown members are absent. */
const namespace = (members) =>
  new Proxy(members, { get: (target, key) => (key in target ? target[key] : typeof key === 'string' && key.startsWith('on') ? () => disposable : undefined) });

module.exports = new Proxy(
  {
    version: '1.100.3',
    EventEmitter,
    ThemeColor: class {},
    MarkdownString: class {
      appendMarkdown() {
        return this;
      }
    },
    ThemeIcon: class {},
    SymbolKind: { Module: 1, Class: 4, Method: 5, Constructor: 8, Enum: 9, Interface: 10, Function: 11, Struct: 22 },
    CodeActionKind: { Empty: { append: () => ({ append: () => inert }) } },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    Uri: { joinPath: () => inert, file: () => inert },
    env: { appName: 'benchmark' },
    window: namespace({
      createOutputChannel: () => outputChannel,
      createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
      registerWebviewViewProvider: () => disposable,
      registerInlineCompletionItemProvider: () => disposable,
      showWarningMessage: async () => undefined,
      showErrorMessage: async () => undefined,
      showInformationMessage: async () => undefined,
      onDidChangeActiveTextEditor: () => disposable,
      visibleTextEditors: [],
      tabGroups: namespace({ all: [] }),
    }),
    workspace: namespace({
      getConfiguration: () => ({ get: () => undefined }),
      onDidChangeConfiguration: () => disposable,
      onDidChangeTextDocument: () => disposable,
      isTrusted: true,
      createFileSystemWatcher: () => namespace({ dispose() {} }),
      registerTextDocumentContentProvider: () => disposable,
      textDocuments: [],
    }),
    commands: namespace({ registerCommand: () => disposable, executeCommand: async () => undefined }),
    languages: namespace({ registerInlineCompletionItemProvider: () => disposable, registerCodeActionsProvider: () => disposable }),
  },
  { get: (target, key) => (key in target ? target[key] : inert) },
);
