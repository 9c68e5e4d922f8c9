/**
 * Kestrel's inline completion provider: the VS Code side of completions. It decides whether to
 * ask at all, describes the cursor to the completion engine (which schedules, caches and reuses
 * answers) and turns the engine's suggestion into ghost text.
 *
 * It never throws and never notifies: failures pause it (see CompletionSwitch) and the status bar
 * and the log say why.
 */
import * as vscode from 'vscode';
import { CompletionEngine, PREFIX_TAIL, SUFFIX_HEAD, type CompletionSnapshot } from '../../core/completion/completionEngine';
import { decideMode, type CursorText } from '../../core/completion/completionMode';
import { DEFAULT_BUDGET } from '../../core/completion/completionPrompt';
import { lineSuffixReplaced } from '../../core/completion/lineSuffixReplacement';
import { reasonToSkip } from '../../core/completion/completionSkip';
import type { PathMatcher } from '../../core/pathExclusions';
import { abortSignalFor } from '../../host/cancellation';
import type { SettingsStore } from '../../host/configuration';
import type { ModelService } from '../../model/modelService';
import { prefetchAfterAccept } from '../../model/prefetchAfterAccept';
import { ModelSuggestionSource, type SuggestionRequest } from '../../model/suggestionSource';
import type { Logger } from '../../model/types';
import type { CompletionSwitch } from './completionSwitch';
import type { OpenFileSnippets } from './openFileSnippets';

const PREFIX_WINDOW_LINES = 400;
const SUFFIX_WINDOW_LINES = 120;
const NEARBY_LINES = 6;
const QUERY_LINES = 12;
export const ACCEPTED_COMMAND = 'kestrel.completionAccepted';

export class KestrelInlineCompletionProvider implements vscode.InlineCompletionItemProvider, vscode.Disposable {
  readonly engine: CompletionEngine<SuggestionRequest>;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    model: ModelService,
    private readonly settings: SettingsStore,
    private readonly completionSwitch: CompletionSwitch,
    private readonly snippets: OpenFileSnippets,
    private readonly isExcluded: () => PathMatcher,
    private readonly log: Logger,
  ) {
    const source = new ModelSuggestionSource(model, (outcome) => {
      if (outcome.ok) return this.completionSwitch.recordSuccess();
      const pause = this.completionSwitch.recordFailure(outcome.error);
      if (pause > 0) {
        const how = Number.isFinite(pause) ? `for ${Math.ceil(pause / 1000)} s` : 'until the key or endpoint changes';
        this.log.warn(`Inline completions paused ${how}: ${outcome.error.message}`);
      }
    });
    this.engine = new CompletionEngine({
      // The status bar shows "waiting for the model" while any request is out.
      source: {
        fetch: async (request, signal, onPartial, onFailure) => {
          const end = this.completionSwitch.beginRequest();
          try {
            return await source.fetch(request, signal, onPartial, onFailure);
          } finally {
            end();
          }
        },
      },
      debounceMs: () => settings.settings.completion.debounceMs,
      // A call that joined a request which then failed must not send another one.
      mayRequest: () => this.completionSwitch.backoff.pausedBecause() === undefined,
    });
    let answersMadeUnder = suggestionSettingsKey(settings);
    this.subscriptions = [
      // Answers made under other settings (endpoint, model, budget) are not reused; a change of
      // anything else (a toggle, the debounce) keeps them and the requests in flight.
      settings.onDidChange(() => {
        const key = suggestionSettingsKey(settings);
        if (key !== answersMadeUnder) this.engine.reset();
        answersMadeUnder = key;
      }),
      // The user moved the cursor: requests that can no longer serve are aborted now, not when they
      // finish. Selection changes caused by edits (no kind) are left to the provider calls that
      // follow them, since an edit can pass through states that are not the final one.
      vscode.window.onDidChangeTextEditorSelection(({ textEditor, kind }) => {
        if (kind === undefined || textEditor.selections.length !== 1) return;
        this.engine.observe(this.snapshotAt(textEditor.document, textEditor.selection.active));
      }),
      // VS Code closes a document well after its last tab (if ever); the tab is what the user closed.
      vscode.window.tabGroups.onDidChangeTabs(({ closed }) => {
        for (const key of documentsNoLongerInTabs(closed)) this.engine.forgetDocument(key);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.engine.forgetDocument(document.uri.toString())),
      vscode.commands.registerCommand(ACCEPTED_COMMAND, () => this.onWholeAccept()),
    ];
  }

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    if (!this.completionSwitch.allows(document) || this.completionSwitch.backoff.pausedBecause()) return undefined;
    if (this.isExcluded()(document.uri.fsPath)) return undefined;
    const skip = reasonToSkip({
      hasSelection: hasSelection(context, document),
      lineSuffix: document.lineAt(position.line).text.slice(position.character),
      currentLine: document.lineAt(position.line).text,
      documentLength: document.offsetAt(document.lineAt(document.lineCount - 1).range.end),
      head: document.getText(new vscode.Range(0, 0, Math.min(document.lineCount, 50), 0)),
    });
    if (skip) {
      this.log.trace(`completion skipped: ${skip}`);
      return undefined;
    }
    const abort = abortSignalFor(token);
    try {
      const snapshot = this.snapshotAt(document, position);
      const explicit = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
      const text = await this.engine.provide(snapshot, () => this.requestAt(document, position, snapshot), abort.signal, { explicit });
      if (text === undefined || token.isCancellationRequested) return undefined;
      const line = document.lineAt(position.line).text;
      // Over closers the suggestion writes again, VS Code draws it around them and accepting replaces them.
      const replaced = lineSuffixReplaced(text, line.slice(0, position.character), line.slice(position.character));
      const item = new vscode.InlineCompletionItem(text, new vscode.Range(position, position.translate(0, replaced)));
      item.command = { command: ACCEPTED_COMMAND, title: 'Prefetch the next suggestion' };
      return [item];
    } finally {
      abort.dispose();
    }
  }

  /** Runs after a whole accept: see prefetchAfterAccept.ts. */
  private onWholeAccept(): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !this.completionSwitch.allows(editor.document)) return;
    if (this.isExcluded()(editor.document.uri.fsPath)) return;
    const { document } = editor;
    const position = editor.selection.active;
    const here = this.snapshotAt(document, position);
    const lineSuffix = document.lineAt(position.line).text.slice(position.character);
    prefetchAfterAccept(this.engine, here, () => this.requestAt(document, position, here), lineSuffix);
  }

  private snapshotAt(document: vscode.TextDocument, position: vscode.Position): CompletionSnapshot {
    const offset = document.offsetAt(position);
    return {
      documentKey: document.uri.toString(),
      prefixTail: document.getText(new vscode.Range(document.positionAt(Math.max(0, offset - PREFIX_TAIL)), position)),
      suffixHead: document.getText(new vscode.Range(position, document.positionAt(offset + SUFFIX_HEAD))),
      mode: decideMode(cursorText(document, position)),
    };
  }

  private requestAt(document: vscode.TextDocument, position: vscode.Position, snapshot: CompletionSnapshot): SuggestionRequest {
    const settings = this.settings.settings.completion;
    const cursor = cursorText(document, position);
    const prefixStartLine = Math.max(0, position.line - PREFIX_WINDOW_LINES);
    const query = [...cursor.linesAbove.slice(-QUERY_LINES), cursor.linePrefix].join('\n');
    return {
      prompt: {
        path: vscode.workspace.asRelativePath(document.uri),
        languageId: document.languageId,
        prefix: document.getText(new vscode.Range(prefixStartLine, 0, position.line, position.character)),
        prefixStartLine,
        suffix: document.getText(new vscode.Range(position, new vscode.Position(position.line + SUFFIX_WINDOW_LINES, 0))),
        snippets: this.snippets.find(document, query),
        mode: snapshot.mode,
        budget: { ...DEFAULT_BUDGET, contextTokens: settings.contextTokens },
      },
      cursor,
      maxBlockTokens: settings.sampling.maxCompletionTokens,
      minTokenProbability: settings.minTokenProbability,
    };
  }

  dispose(): void {
    this.engine.reset();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

function suggestionSettingsKey(settings: SettingsStore): string {
  const { connection, completion } = settings.settings;
  return JSON.stringify([connection, completion.model, completion.contextTokens, completion.minTokenProbability, completion.sampling]);
}

function cursorText(document: vscode.TextDocument, position: vscode.Position): CursorText {
  const line = document.lineAt(position.line).text;
  const linesAbove: string[] = [];
  for (let i = Math.max(0, position.line - NEARBY_LINES * 2); i < position.line; i++) linesAbove.push(document.lineAt(i).text);
  const linesBelow: string[] = [];
  for (let i = position.line + 1; i < Math.min(document.lineCount, position.line + 1 + NEARBY_LINES); i++) linesBelow.push(document.lineAt(i).text);
  return { linePrefix: line.slice(0, position.character), lineSuffix: line.slice(position.character), linesAbove, linesBelow };
}

/** The documents (URI strings) of `closed` tabs that no remaining tab shows. */
function documentsNoLongerInTabs(closed: readonly vscode.Tab[]): string[] {
  const shown = (tab: vscode.Tab) =>
    tab.input instanceof vscode.TabInputText ? [tab.input.uri.toString()] : tab.input instanceof vscode.TabInputTextDiff ? [tab.input.original.toString(), tab.input.modified.toString()] : [];
  const open = new Set(vscode.window.tabGroups.all.flatMap((group) => group.tabs.flatMap(shown)));
  return [...new Set(closed.flatMap(shown))].filter((key) => !open.has(key));
}

function hasSelection(context: vscode.InlineCompletionContext, document: vscode.TextDocument): boolean {
  const editor = vscode.window.activeTextEditor;
  return editor?.document === document && !editor.selection.isEmpty && context.selectedCompletionInfo === undefined;
}
