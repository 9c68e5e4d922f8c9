// Kestrel activates in a real extension host and hands its test API to tests.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KestrelTestApi } from '../../src/extension';

const EXTENSION_ID = 'kestrel-dev.kestrel';

describe('Kestrel activation', () => {
  it('is installed as the development extension', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded; installed: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ')}`);
    assert.equal(extension.packageJSON.name, 'kestrel');
  });

  it('activates and returns its test API', async () => {
    const extension = vscode.extensions.getExtension<KestrelTestApi | undefined>(EXTENSION_ID)!;
    const api = await extension.activate();
    assert.equal(extension.isActive, true);
    assert.ok(api, 'activate() returned nothing: the host did not run Kestrel in test mode');
    assert.ok(api.modelService, 'test API lacks modelService');
    assert.ok(api.usage, 'test API lacks usage');
  });
});
