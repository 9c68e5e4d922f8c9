/** Wires inline completions into VS Code: the provider, its commands and its status. */
import * as vscode from 'vscode';
import type { PathMatcher } from '../../core/pathExclusions';
import type { SettingsStore } from '../../host/configuration';
import type { KestrelStatusBar } from '../../host/statusBar';
import type { ModelService } from '../../model/modelService';
import type { Logger } from '../../model/types';
import { CompletionSwitch } from './completionSwitch';
import { KestrelInlineCompletionProvider } from './inlineCompletionProvider';
import { OpenFileSnippets } from './openFileSnippets';

export interface MenuEntry extends vscode.QuickPickItem {
  command: string;
  args?: unknown[];
}

export function registerCompletion(deps: {
  model: ModelService;
  settings: SettingsStore;
  status: KestrelStatusBar;
  globalState: vscode.Memento;
  log: Logger;
  isExcluded: () => PathMatcher;
  /** Why a spending limit pauses completions now, if it does. */
  budgetPause?: () => string | undefined;
}): { completionSwitch: CompletionSwitch; menuEntries: () => MenuEntry[]; disposables: vscode.Disposable[] } {
  const completionSwitch = new CompletionSwitch(deps.settings, deps.globalState, deps.status, deps.budgetPause);
  const isExcluded = deps.isExcluded;
  const snippets = new OpenFileSnippets(isExcluded);
  const provider = new KestrelInlineCompletionProvider(deps.model, deps.settings, completionSwitch, snippets, isExcluded, deps.log);

  const menuEntries = (): MenuEntry[] => {
    const { enabled } = deps.settings.settings.completion;
    const snoozed = completionSwitch.snoozedUntil() > Date.now();
    const entries: MenuEntry[] = [
      enabled
        ? { label: '$(circle-slash) Turn Off Inline Completions', command: 'kestrel.toggleCompletions' }
        : { label: '$(check) Turn On Inline Completions', command: 'kestrel.toggleCompletions' },
    ];
    if (enabled) {
      entries.push(
        snoozed
          ? { label: '$(play) Resume Inline Completions', command: 'kestrel.resumeCompletions' }
          : { label: '$(clock) Snooze Inline Completions for 30 Minutes', command: 'kestrel.snoozeCompletions' },
      );
    }
    const languageId = vscode.window.activeTextEditor?.document.languageId;
    if (languageId) {
      const languages = deps.settings.settings.completion.languages;
      const on = languages[languageId] ?? languages['*'] ?? true;
      entries.push({ label: `$(symbol-file) ${on ? 'Turn Off' : 'Turn On'} Inline Completions for ${languageId}`, command: 'kestrel.toggleCompletionsForLanguage', args: [languageId] });
    }
    return entries;
  };

  return {
    completionSwitch,
    menuEntries,
    disposables: [
      completionSwitch,
      snippets,
      provider,
      vscode.languages.registerInlineCompletionItemProvider([{ scheme: 'file' }, { scheme: 'untitled' }], provider),
      deps.settings.onDidChange(() => completionSwitch.refresh()),
      vscode.commands.registerCommand('kestrel.toggleCompletions', async () => {
        const { enabled } = deps.settings.settings.completion;
        // Turning on after a snooze should simply work, so "on" also clears the snooze.
        if (enabled && completionSwitch.snoozedUntil() > Date.now()) return completionSwitch.resume();
        await completionSwitch.setEnabled(!enabled);
      }),
      vscode.commands.registerCommand('kestrel.snoozeCompletions', () => completionSwitch.snooze()),
      vscode.commands.registerCommand('kestrel.resumeCompletions', () => completionSwitch.resume()),
      vscode.commands.registerCommand('kestrel.toggleCompletionsForLanguage', async (languageId?: unknown) => {
        const id = typeof languageId === 'string' ? languageId : vscode.window.activeTextEditor?.document.languageId;
        if (!id) return;
        const languages = deps.settings.settings.completion.languages;
        await completionSwitch.setLanguageEnabled(id, !(languages[id] ?? languages['*'] ?? true));
      }),
      vscode.commands.registerCommand('kestrel.triggerCompletion', () => vscode.commands.executeCommand('editor.action.inlineSuggest.trigger')),
    ],
  };
}
