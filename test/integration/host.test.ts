// Which VS Code the tests run in (code-server's web workbench or desktop Electron), logged rather
// than asserted so both routes pass; and that the sample workspace the runner opened is there.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('Test host', () => {
  it('is a VS Code that satisfies engines.vscode ^1.100.0', () => {
    console.log(`      host: ${vscode.env.appName} ${vscode.version}, uiKind ${vscode.UIKind[vscode.env.uiKind]}, `
      + `remoteName ${vscode.env.remoteName ?? '(local)'}, appHost ${vscode.env.appHost}`);
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.ok(major > 1 || (major === 1 && minor >= 100), `VS Code ${vscode.version} is older than 1.100`);
  });

  it('opened the sample workspace', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    const readme = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, 'README.md'));
    assert.match(new TextDecoder().decode(readme), /Kestrel sample workspace/);
    assert.equal(vscode.workspace.isTrusted, true);
  });
});
