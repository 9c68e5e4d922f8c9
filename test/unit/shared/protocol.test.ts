import * as assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../src/shared/protocol';

describe('webview message protocol', () => {
  it('accepts every well-formed message', () => {
    const valid = [
      { type: 'ready' },
      { type: 'stop' },
      { type: 'newChat' },
      { type: 'cancelEdit' },
      { type: 'runCommand', command: 'kestrel.setApiKey' },
      { type: 'send', text: 'Why?' },
      { type: 'send', text: 'Why not?', replacing: '0b7e-42' },
      { type: 'regenerate', turnId: 'abc' },
      { type: 'continue', turnId: 'abc' },
      { type: 'openChat', id: 'c1' },
      { type: 'renameChat', id: 'c1' },
      { type: 'deleteChat', id: 'c1' },
      { type: 'attach', what: 'selection' },
      { type: 'attach', what: 'file' },
      { type: 'removeContext', id: 'a1' },
      { type: 'copy', text: 'x' },
      { type: 'codeAction', action: 'insert', code: 'x', language: 'ts' },
      { type: 'openLink', href: 'https://code.visualstudio.com/api' },
      { type: 'reviewEdit', callId: 'call_abc123', accept: true },
      // Tool call ids of OpenAI-compatible servers (Kimi, vLLM, others).
      { type: 'reviewEdit', callId: 'functions.propose_edit:0', accept: true },
      { type: 'reviewEdit', callId: 'chatcmpl-tool-3f2a.b1', accept: false },
    ];
    for (const message of valid) assert.deepEqual(parseWebviewMessage(message), message, JSON.stringify(message));
  });

  it('drops fields it does not know', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'stop', extra: 'x' }), { type: 'stop' });
  });

  it('refuses malformed, unknown and dangerous messages', () => {
    const invalid: unknown[] = [
      null,
      'ready',
      [],
      {},
      { type: 'eval', code: '1' },
      { type: 'runCommand', command: 'workbench.action.terminal.sendSequence' },
      { type: 'send', text: '   ' },
      { type: 'send', text: 42 },
      { type: 'send', text: 'x'.repeat(1_000_001) },
      { type: 'send', text: 'hi', replacing: '../../etc/passwd' },
      { type: 'openChat', id: '../secrets' },
      { type: 'attach', what: 'folder' },
      { type: 'codeAction', action: 'delete', code: 'x', language: 'ts' },
      { type: 'codeAction', action: 'insert', code: 'x', language: 'x'.repeat(40) },
      { type: 'openLink', href: 'javascript:alert(1)' },
      { type: 'openLink', href: 'command:workbench.action.openSettings' },
      { type: 'openLink', href: 'file:///etc/passwd' },
      { type: 'reviewEdit', callId: 'call_1', accept: 'yes' },
      { type: 'reviewEdit', callId: '../x', accept: true },
      { type: 'reviewEdit', callId: 'call 1', accept: true },
      { type: 'reviewEdit', callId: 'x'.repeat(129), accept: true },
      { type: 'runCommand', command: 'kestrel.acceptProposedEdit' },
    ];
    for (const message of invalid) assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message)?.slice(0, 80));
  });
});
