import * as assert from 'node:assert/strict';
import type { Attachment } from '../../../../src/core/chat/chatTypes';
import { DraftAttachments } from '../../../../src/core/chat/draftAttachments';

const code = (id: string, lines: string): Attachment => ({ id, kind: 'selection', label: `a.ts:${lines}`, detail: `a.ts, lines ${lines}`, language: 'typescript', content: 'x', tokens: 1 });

describe('draft attachments', () => {
  it("keeps the draft's own apart from an edit's, and gives them back when the edit ends", () => {
    const draft = new DraftAttachments();
    draft.add(code('d1', '1-2'));
    draft.startEdit('q1', [code('e1', '5-6'), code('e2', '8-9')]);
    assert.deepEqual(draft.shown.map((a) => a.id), ['e1', 'e2']);
    draft.remove('e2');
    draft.add(code('e3', '10-12'));
    assert.deepEqual(draft.state(), { draft: [code('d1', '1-2')], edit: { turnId: 'q1', attachments: [code('e1', '5-6'), code('e3', '10-12')] } });
    draft.startEdit('q1', [code('e1', '5-6'), code('e2', '8-9')]);
    assert.deepEqual(draft.shown.map((a) => a.id), ['e1', 'e3'], 'editing the same question again keeps what was removed');
    assert.deepEqual(draft.take({ id: 'q1' }).map((a) => a.id), ['e1', 'e3']);
    assert.deepEqual(draft.shown.map((a) => a.id), ['d1']);
  });

  it('an edit the host does not know of sends the question with its own attachments', () => {
    const draft = new DraftAttachments();
    draft.add(code('d1', '1-2'));
    assert.deepEqual(draft.take({ id: 'q1', attachments: [code('q', '3-4')] }).map((a) => a.id), ['q']);
    assert.deepEqual(draft.shown.map((a) => a.id), ['d1'], "the draft's own stay for the next question");
  });

  it('an edit ends when its question is no longer the last one', () => {
    const draft = new DraftAttachments();
    draft.startEdit('q1', [code('e1', '5-6')]);
    draft.endEditUnlessOf('q1');
    assert.equal(draft.state().edit?.turnId, 'q1');
    draft.endEditUnlessOf('q2');
    assert.equal(draft.state().edit, undefined);
  });

  it('a restored state joins what was attached since', () => {
    const draft = new DraftAttachments();
    draft.add(code('new', '1-2'));
    draft.restore({ draft: [code('old', '3-4')], edit: { turnId: 'q1', attachments: [code('e1', '5-6')] } });
    assert.deepEqual(draft.state(), { draft: [code('old', '3-4'), code('new', '1-2')], edit: { turnId: 'q1', attachments: [code('e1', '5-6')] } });
  });
});
