/** "Kestrel: Set API Key" and "Kestrel: Clear API Key". */
import * as vscode from 'vscode';
import { environmentKeyVariable } from '../../core/environmentKey';
import type { ApiKeyStore } from '../../host/apiKeyStore';
import type { SettingsStore } from '../../host/configuration';

const PROVIDER_LABEL = { openai: 'OpenAI', azure: 'Azure OpenAI', 'openai-compatible': 'your OpenAI-compatible endpoint' } as const;

export function registerKeyCommands(keys: ApiKeyStore, settings: SettingsStore): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('kestrel.setApiKey', async (keyFromCaller?: unknown) => {
      const provider = settings.settings.connection.provider;
      // A caller (a test, or another extension) may pass the key; a person is asked for it.
      const key =
        typeof keyFromCaller === 'string'
          ? keyFromCaller
          : await vscode.window.showInputBox({
              title: `Kestrel: API key for ${PROVIDER_LABEL[provider]}`,
              prompt: 'Stored in VS Code\'s secret storage (your OS keychain), never in settings.',
              placeHolder: provider === 'openai' ? 'sk-...' : 'API key',
              password: true,
              ignoreFocusOut: true,
              validateInput: (value) => (value.trim() ? (/\s/.test(value.trim()) ? 'A key has no spaces.' : undefined) : 'Enter a key, or press Escape.'),
            });
      if (!key?.trim()) return false;
      await keys.set(provider, key);
      // Not awaited: the command is done once the key is stored, whatever the user does with the toast.
      void vscode.window.showInformationMessage(`Kestrel: API key for ${PROVIDER_LABEL[provider]} saved.`, 'Test Connection').then((choice) => {
        if (choice) void vscode.commands.executeCommand('kestrel.testConnection');
      });
      return true;
    }),
    vscode.commands.registerCommand('kestrel.clearApiKey', async () => {
      const { connection } = settings.settings;
      const provider = connection.provider;
      await keys.clear(provider);
      const { source } = await keys.get(connection);
      const note = source === 'environment' ? ` The ${environmentKeyVariable(provider)} environment variable is still used.` : '';
      void vscode.window.showInformationMessage(`Kestrel: API key for ${PROVIDER_LABEL[provider]} removed.${note}`);
    }),
  ];
}
