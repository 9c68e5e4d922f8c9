// Every command Kestrel declares in package.json is really registered once it has activated
// (a declared but unregistered command fails with "command not found" when the user runs it).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('Kestrel commands', () => {
  it('registers every command declared in contributes.commands', async () => {
    const extension = vscode.extensions.getExtension('kestrel-dev.kestrel')!;
    await extension.activate();
    const declared = (extension.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(declared.length > 0, 'package.json declares no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
  });
});
