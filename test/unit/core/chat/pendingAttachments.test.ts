import * as assert from 'node:assert/strict';
import type { Attachment } from '../../../../src/core/chat/chatTypes';
import { PendingAttachments } from '../../../../src/core/chat/pendingAttachments';

const selection = (id: string, detail: string): Attachment => ({ id, kind: 'selection', label: detail, detail, language: 'ts', content: 'x', tokens: 1 });

describe('pending attachments (the next question\'s context)', () => {
  it('replaces an older copy of the same lines instead of attaching them twice', () => {
    const pending = new PendingAttachments();
    pending.add(selection('a', 'src/a.ts:1-5'));
    pending.add(selection('b', 'src/b.ts:1-5'));
    pending.add(selection('c', 'src/a.ts:1-5'));
    assert.deepEqual(pending.all.map((a) => a.id), ['b', 'c']);
  });

  it('puts back what an edited question carried without doubling it, and empties on take', () => {
    const pending = new PendingAttachments();
    pending.add(selection('a', 'src/a.ts:1-5'));
    pending.addBack([selection('old', 'src/a.ts:1-5'), selection('d', 'src/d.ts:2')]);
    assert.deepEqual(pending.all.map((a) => a.id), ['old', 'd']);
    pending.remove('old');
    assert.deepEqual(pending.take().map((a) => a.id), ['d']);
    assert.deepEqual(pending.all, []);
  });
});
