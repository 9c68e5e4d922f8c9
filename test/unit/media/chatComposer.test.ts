/**
 * The chat composer as a user meets it: what Enter, Shift+Enter, Escape and IME input do, the
 * Send/Stop button, attached context chips and the live cost estimate, the draft surviving a
 * reload, and editing the last question.
 */
import * as assert from 'node:assert/strict';
import type { CostEstimate } from '../../../src/shared/protocol';
import { answer, buttonNamed, mountChat, question, type MountedChat } from './chatAppFixture';

const ESTIMATE: CostEstimate = { promptTokens: 1000, usdPerPromptToken: 0.15e-6, usdPerAnswerToken: 0.6e-6, typicalAnswerTokens: 400 };

describe('chat composer (webview)', () => {
  let chat: MountedChat;
  beforeEach(() => {
    chat = mountChat();
  });
  afterEach(() => chat.app.dispose());

  it('tells the host it is ready when mounted', () => {
    assert.deepEqual(chat.api.posted, [{ type: 'ready' }]);
  });

  it('Enter sends the draft and clears the box', () => {
    chat.type('How do I reverse a list?\n  in Python');
    const event = chat.press('Enter');
    assert.deepEqual(chat.api.take(), [{ type: 'send', text: 'How do I reverse a list?\n  in Python' }]);
    assert.ok(event.defaultPrevented, 'no newline is inserted');
    assert.equal(chat.textarea().value, '');
    assert.deepEqual(chat.api.state, { draft: '' }, 'the saved draft is cleared too');
  });

  it('Shift+Enter does not send (it starts a new line)', () => {
    chat.type('first line');
    const event = chat.press('Enter', { shiftKey: true });
    assert.deepEqual(chat.api.take(), []);
    assert.equal(event.defaultPrevented, false);
    assert.equal(chat.textarea().value, 'first line');
  });

  it('Enter during IME composition does not send', () => {
    chat.type('にほんご');
    chat.press('Enter', { isComposing: true });
    chat.press('Enter', { keyCode: 229 });
    assert.deepEqual(chat.api.take(), []);
    assert.equal(chat.textarea().value, 'にほんご');
  });

  it('does not send an empty or whitespace-only draft', () => {
    chat.press('Enter');
    chat.type('  \n\t ');
    chat.press('Enter');
    chat.click('.send-button');
    assert.deepEqual(chat.api.take(), []);
    assert.equal(chat.$('.send-button').getAttribute('aria-disabled'), 'true');
    chat.type('x');
    assert.equal(chat.$('.send-button').getAttribute('aria-disabled'), 'false');
    chat.click('.send-button');
    assert.deepEqual(chat.api.take(), [{ type: 'send', text: 'x' }]);
  });

  it('Send returns the focus to the text box, so a second Enter does not press Stop', () => {
    chat.type('How do I reverse a list?');
    const button = chat.$<HTMLButtonElement>('.send-button');
    button.focus();
    chat.click(button);
    assert.deepEqual(chat.api.take(), [{ type: 'send', text: 'How do I reverse a list?' }]);
    assert.equal(chat.dom.document.activeElement, chat.textarea());
  });

  it('turns Send into Stop while busy, and Escape then stops the request', () => {
    const button = chat.$('.send-button');
    assert.equal(button.getAttribute('aria-label'), 'Send (Enter)');
    chat.send({ type: 'busy', busy: true });
    assert.equal(button.getAttribute('aria-label'), 'Stop (Esc)');
    assert.ok(button.querySelector('.codicon-debug-stop'));
    chat.click(button);
    assert.deepEqual(chat.api.take(), [{ type: 'stop' }]);
    chat.type('next question');
    chat.press('Enter');
    assert.deepEqual(chat.api.take(), [], 'Enter does not send while an answer is running');
    chat.press('Escape');
    assert.deepEqual(chat.api.take(), [{ type: 'stop' }]);
    chat.send({ type: 'busy', busy: false });
    assert.equal(button.getAttribute('aria-label'), 'Send (Enter)');
    chat.press('Escape');
    assert.deepEqual(chat.api.take(), [], 'Escape stops nothing when nothing runs');
    chat.press('Enter');
    assert.deepEqual(chat.api.take(), [{ type: 'send', text: 'next question' }], 'the draft typed meanwhile was kept');
  });

  it('saves the draft on every input and restores it when the view is mounted again', () => {
    chat.type('half a question');
    assert.deepEqual(chat.api.state, { draft: 'half a question' });
    chat.app.dispose();
    chat = mountChat(chat.api.state);
    assert.equal(chat.textarea().value, 'half a question');
  });

  it('focuses the text box when the host asks', () => {
    chat.send({ type: 'focusComposer' });
    assert.equal(chat.dom.document.activeElement, chat.textarea());
  });

  it('posts attach requests from the toolbar', () => {
    chat.click(buttonNamed(chat.root, 'Attach selection')!);
    chat.click(buttonNamed(chat.root, 'Add file…')!);
    assert.deepEqual(chat.api.take(), [
      { type: 'attach', what: 'selection' },
      { type: 'attach', what: 'file' },
    ]);
  });

  it('shows context chips with their size, and × removes one', () => {
    chat.send({
      type: 'context',
      chips: [
        { id: 'sel-1', kind: 'selection', label: 'main.ts:12-30', detail: 'src/main.ts, lines 12-30', tokens: 1234, removable: true, usd: 0 },
        { id: 'instr', kind: 'instructions', label: 'AGENTS.md', detail: 'Project instructions', tokens: 80, removable: false, usd: 0 },
      ],
      estimate: ESTIMATE,
    });
    const chips = chat.$$('.composer .context-chip');
    assert.deepEqual(chips.map((chip) => chip.textContent), ['main.ts:12-30~1.2k tokens', 'AGENTS.md~80 tokens']);
    assert.equal(chips[0].title, 'src/main.ts, lines 12-30');
    assert.ok(chips[0].querySelector('.codicon-selection') && chips[1].querySelector('.codicon-book'));
    assert.equal(buttonNamed(chips[1], 'Remove AGENTS.md'), undefined, 'instructions cannot be removed from the chip');
    chat.click(buttonNamed(chips[0], 'Remove main.ts:12-30')!);
    assert.deepEqual(chat.api.take(), [{ type: 'removeContext', id: 'sel-1' }]);
  });

  it('updates the cost estimate as the draft grows, without posting anything', () => {
    chat.send({ type: 'context', chips: [], estimate: ESTIMATE });
    const estimate = chat.$('.cost-estimate');
    // 1,000 prompt tokens at $0.15/M + 400 answer tokens at $0.60/M.
    assert.equal(estimate.textContent, '~1k tokens · ≈ $0.00039');
    // About one token per word.
    chat.type('word '.repeat(1000));
    assert.equal(estimate.textContent, '~2k tokens · ≈ $0.00054');
    assert.deepEqual(chat.api.take(), []);
  });

  describe('editing the last question', () => {
    beforeEach(() => {
      chat.send({
        type: 'conversation',
        conversation: { id: 'c1', title: 'Lists', turnsOutOfContext: 0, turns: [question('q1', 'old question'), answer('a1', 'Old answer.'), question('q2', 'last question'), answer('a2', 'Answer.')] },
        busy: false,
      });
    });

    it('offers Edit on the last question only; sending posts send with replacing', () => {
      assert.equal(buttonNamed(chat.turn('q1'), 'Edit your question'), undefined);
      chat.type('my unsent draft');
      chat.click(buttonNamed(chat.turn('q2'), 'Edit your question')!);
      assert.equal(chat.textarea().value, 'last question');
      assert.equal(chat.$('.edit-bar').hidden, false);
      assert.match(chat.$('.edit-bar').textContent ?? '', /Editing your last question — Esc to cancel/);
      chat.type('last question, better');
      chat.press('Enter');
      assert.deepEqual(chat.api.take(), [
        { type: 'editQuestion', turnId: 'q2' },
        { type: 'send', text: 'last question, better', replacing: 'q2' },
      ]);
      assert.equal(chat.$('.edit-bar').hidden, true);
      assert.equal(chat.textarea().value, 'my unsent draft', 'the draft put aside comes back');
    });

    it('asks the host to put the attachments of a question back as chips when editing it', () => {
      const withImage = { ...question('q3', 'what is this?'), context: [{ id: 'img', kind: 'image' as const, label: 'shot.png', detail: 'shot.png', tokens: 2833, removable: true, usd: 0 }] };
      chat.send({ type: 'turnAdded', turn: withImage });
      chat.click(buttonNamed(chat.turn('q3'), 'Edit your question')!);
      assert.deepEqual(chat.api.take(), [{ type: 'editQuestion', turnId: 'q3' }]);
    });

    it("tells the host about an edit of a question without attachments too (the draft's chips are put aside)", () => {
      chat.click(buttonNamed(chat.turn('q2'), 'Edit your question')!);
      assert.deepEqual(chat.api.take(), [{ type: 'editQuestion', turnId: 'q2' }]);
    });

    it('Escape leaves edit mode, tells the host, and gives back the draft', () => {
      chat.type('my unsent draft');
      chat.click(buttonNamed(chat.turn('q2'), 'Edit your question')!);
      chat.press('Escape');
      assert.equal(chat.$('.edit-bar').hidden, true);
      assert.equal(chat.textarea().value, 'my unsent draft');
      chat.press('Enter');
      assert.deepEqual(chat.api.take(), [{ type: 'editQuestion', turnId: 'q2' }, { type: 'cancelEdit' }, { type: 'send', text: 'my unsent draft' }]);
    });

    it('another chat opened while editing gives back the draft put aside, followed by the edited text', () => {
      chat.type('my unsent draft');
      chat.click(buttonNamed(chat.turn('q2'), 'Edit your question')!);
      chat.type('last question, reworded');
      chat.send({ type: 'conversation', conversation: { id: 'c2', title: 'Other', turns: [], turnsOutOfContext: 0 }, busy: false });
      assert.equal(chat.$('.edit-bar').hidden, true);
      assert.equal(chat.textarea().value, 'my unsent draft\n\nlast question, reworded');
      assert.deepEqual(chat.api.state, { draft: 'my unsent draft\n\nlast question, reworded' });
    });

    it('keeps edit mode across a reload, and drops it when that question is gone', () => {
      chat.click(buttonNamed(chat.turn('q2'), 'Edit your question')!);
      chat.type('edited');
      const saved = chat.api.state;
      assert.deepEqual(saved, { draft: 'edited', editing: { turnId: 'q2', stashedDraft: '' } });
      chat.app.dispose();
      chat = mountChat(saved);
      assert.equal(chat.$('.edit-bar').hidden, false);
      chat.send({ type: 'conversation', conversation: { id: 'c2', title: 'Other', turns: [], turnsOutOfContext: 0 }, busy: false });
      assert.equal(chat.$('.edit-bar').hidden, true);
      chat.press('Enter');
      assert.deepEqual(chat.api.take(), [{ type: 'send', text: 'edited' }], 'no replacing for a question of another chat');
    });
  });
});
