/** Small commands that open things: the log, Kestrel's settings, the walkthrough, the menu. */
import * as vscode from 'vscode';

interface MenuItem extends vscode.QuickPickItem {
  command: string;
  args?: unknown[];
}

/** `featureEntries` come first in Kestrel's menu (for example the completion toggles). */
export function registerGeneralCommands(log: vscode.LogOutputChannel, featureEntries: () => MenuItem[] = () => []): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('kestrel.showLog', () => log.show()),
    vscode.commands.registerCommand('kestrel.openSettings', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', '@ext:kestrel-dev.kestrel'),
    ),
    vscode.commands.registerCommand('kestrel.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', 'kestrel-dev.kestrel#kestrel.gettingStarted', false),
    ),
    vscode.commands.registerCommand('kestrel.showMenu', async () => {
      const items: MenuItem[] = [
        ...featureEntries(),
        { label: '', kind: vscode.QuickPickItemKind.Separator, command: '' },
        { label: '$(comment-discussion) Open Chat', command: 'kestrel.chatView.focus' },
        { label: '$(graph) Show Usage', command: 'kestrel.showUsage' },
        { label: '$(plug) Test Connection', command: 'kestrel.testConnection' },
        { label: '$(key) Set API Key', command: 'kestrel.setApiKey' },
        { label: '$(settings-gear) Settings', command: 'kestrel.openSettings' },
        { label: '$(output) Show Log', command: 'kestrel.showLog' },
        { label: '$(book) Get Started', command: 'kestrel.openWalkthrough' },
      ];
      const choice = await vscode.window.showQuickPick(items, { title: 'Kestrel', placeHolder: 'What would you like to do?' });
      if (choice?.command) await vscode.commands.executeCommand(choice.command, ...(choice.args ?? []));
    }),
  ];
}
