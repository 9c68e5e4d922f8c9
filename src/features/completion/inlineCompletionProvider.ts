/**
 * Kestrel's inline completion provider: decides whether to ask, builds the fill-in-the-hole prompt,
 * streams the answer through the shared model service, and cleans it into ghost text.
 *
 * It never throws and never notifies: failures pause it (see CompletionSwitch) and the status bar
 * and the log say why. A single-line request stops reading at the first newline, which aborts the
 * HTTP request, so no tokens are paid for past it.
 */
import * as vscode from 'vscode';
import { cleanCompletion } from '../../core/completion/cleanCompletion';
import { decideMode, type CursorText } from '../../core/completion/completionMode';
import { buildCompletionPrompt, completionLimits, DEFAULT_BUDGET } from '../../core/completion/completionPrompt';
import { reasonToSkip } from '../../core/completion/completionSkip';
import type { PathMatcher } from '../../core/pathExclusions';
import { abortSignalFor } from '../../host/cancellation';
import type { SettingsStore } from '../../host/configuration';
import { KestrelError } from '../../model/errors';
import type { ModelService } from '../../model/modelService';
import type { Logger } from '../../model/types';
import type { CompletionSwitch } from './completionSwitch';
import type { OpenFileSnippets } from './openFileSnippets';

const PREFIX_WINDOW_LINES = 400;
const SUFFIX_WINDOW_LINES = 120;
const NEARBY_LINES = 6;
const QUERY_LINES = 12;

export class KestrelInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  constructor(
    private readonly model: ModelService,
    private readonly settings: SettingsStore,
    private readonly completionSwitch: CompletionSwitch,
    private readonly snippets: OpenFileSnippets,
    private readonly isExcluded: () => PathMatcher,
    private readonly log: Logger,
  ) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    if (!this.completionSwitch.allows(document) || this.completionSwitch.backoff.pausedBecause()) return undefined;
    if (this.isExcluded()(document.uri.fsPath)) return undefined;
    const cursor = cursorText(document, position);
    const skip = reasonToSkip({
      hasSelection: hasSelection(context, document),
      lineSuffix: cursor.lineSuffix,
      currentLine: document.lineAt(position.line).text,
      documentLength: document.offsetAt(document.lineAt(document.lineCount - 1).range.end),
      head: document.getText(new vscode.Range(0, 0, Math.min(document.lineCount, 50), 0)),
    });
    if (skip) {
      this.log.trace(`completion skipped: ${skip}`);
      return undefined;
    }

    const settings = this.settings.settings.completion;
    if (context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic && settings.debounceMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, settings.debounceMs));
      if (token.isCancellationRequested) return undefined;
    }

    const mode = decideMode(cursor);
    const prefixStartLine = Math.max(0, position.line - PREFIX_WINDOW_LINES);
    const prefix = document.getText(new vscode.Range(prefixStartLine, 0, position.line, position.character));
    const suffix = document.getText(new vscode.Range(position, new vscode.Position(position.line + SUFFIX_WINDOW_LINES, 0)));
    const query = [...cursor.linesAbove.slice(-QUERY_LINES), cursor.linePrefix].join('\n');
    const prompt = buildCompletionPrompt({
      path: vscode.workspace.asRelativePath(document.uri),
      languageId: document.languageId,
      prefix,
      prefixStartLine,
      suffix,
      snippets: this.snippets.find(document, query),
      mode,
      budget: { ...DEFAULT_BUDGET, contextTokens: settings.contextTokens },
    });
    const limits = completionLimits(mode, settings.sampling.maxCompletionTokens);

    const abort = abortSignalFor(token);
    const endRequest = this.completionSwitch.beginRequest();
    let raw = '';
    try {
      for await (const event of this.model.stream({ feature: 'completion', messages: prompt.messages, overrides: limits, signal: abort.signal })) {
        if (event.type !== 'content') continue;
        raw += event.text;
        // Servers that ignore `stop` still cost nothing past the line: stop reading aborts the request.
        if (mode === 'single' && raw.includes('\n')) break;
      }
      this.completionSwitch.recordSuccess();
    } catch (error) {
      if (error instanceof KestrelError) {
        const pause = this.completionSwitch.recordFailure(error);
        if (pause > 0) this.log.warn(`Inline completions paused ${Number.isFinite(pause) ? `for ${Math.ceil(pause / 1000)} s` : 'until the key or endpoint changes'}: ${error.message}`);
      } else {
        this.log.error(`Inline completion failed: ${String(error)}`);
      }
      return undefined;
    } finally {
      endRequest();
      abort.dispose();
    }
    if (token.isCancellationRequested) return undefined;
    const text = cleanCompletion({ raw, mode, ...cursor });
    if (text === undefined) {
      this.log.trace(`completion discarded after cleaning: ${JSON.stringify(raw.slice(0, 200))}`);
      return undefined;
    }
    return [new vscode.InlineCompletionItem(text, new vscode.Range(position, position))];
  }
}

function cursorText(document: vscode.TextDocument, position: vscode.Position): CursorText {
  const line = document.lineAt(position.line).text;
  const linesAbove: string[] = [];
  for (let i = Math.max(0, position.line - NEARBY_LINES * 2); i < position.line; i++) linesAbove.push(document.lineAt(i).text);
  const linesBelow: string[] = [];
  for (let i = position.line + 1; i < Math.min(document.lineCount, position.line + 1 + NEARBY_LINES); i++) linesBelow.push(document.lineAt(i).text);
  return { linePrefix: line.slice(0, position.character), lineSuffix: line.slice(position.character), linesAbove, linesBelow };
}

function hasSelection(context: vscode.InlineCompletionContext, document: vscode.TextDocument): boolean {
  const editor = vscode.window.activeTextEditor;
  return editor?.document === document && !editor.selection.isEmpty && context.selectedCompletionInfo === undefined;
}
