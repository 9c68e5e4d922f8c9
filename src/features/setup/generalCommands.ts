/** Small commands that open things: the log, Kestrel's settings, the walkthrough, the menu. */
import * as vscode from 'vscode';

interface MenuItem extends vscode.QuickPickItem {
  command: string;
}

export function registerGeneralCommands(log: vscode.LogOutputChannel): vscode.Disposable[] {
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
        { label: '$(comment-discussion) Open Chat', command: 'kestrel.chatView.focus' },
        { label: '$(plug) Test Connection', command: 'kestrel.testConnection' },
        { label: '$(key) Set API Key', command: 'kestrel.setApiKey' },
        { label: '$(settings-gear) Settings', command: 'kestrel.openSettings' },
        { label: '$(output) Show Log', command: 'kestrel.showLog' },
        { label: '$(book) Get Started', command: 'kestrel.openWalkthrough' },
      ];
      const choice = await vscode.window.showQuickPick(items, { title: 'Kestrel', placeHolder: 'What would you like to do?' });
      if (choice) await vscode.commands.executeCommand(choice.command);
    }),
  ];
}
