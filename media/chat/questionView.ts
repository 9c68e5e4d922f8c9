/// <reference lib="dom" />
/**
 * A question in the transcript: the user's text exactly as typed (plain text with its line
 * breaks, never parsed as HTML or markdown) and the context that went with it as read-only chips.
 * The last question carries an Edit button, which puts it back into the composer.
 */
import type { TurnView } from '../../src/shared/protocol';
import { createChip } from './contextBar';
import type { Dom } from './dom';

export interface QuestionView {
  readonly element: HTMLElement;
  update(turn: TurnView): void;
  /** Only the last question can be edited, and not while an answer is being written. */
  setEditable(editable: boolean): void;
}

export function createQuestionView(dom: Dom, initial: TurnView, onEdit: (turn: TurnView) => void): QuestionView {
  let turn = initial;
  const element = dom.el('article', 'turn turn-user');
  element.dataset.turnId = turn.id;
  element.setAttribute('aria-label', 'Your question');
  const header = dom.el('div', 'turn-header');
  header.append(dom.icon('account'), dom.el('span', 'turn-role', 'You'));
  const editButton = dom.iconButton('edit', 'Edit your question', () => onEdit(turn));
  editButton.classList.add('turn-edit');
  editButton.hidden = true;
  header.append(editButton);
  const text = dom.el('div', 'question-text');
  const chips = dom.el('div', 'question-context');
  element.append(header, text, chips);

  const render = (): void => {
    text.textContent = turn.text;
    chips.replaceChildren(...(turn.context ?? []).map((chip) => createChip(dom, chip)));
    chips.hidden = chips.childElementCount === 0;
  };
  render();

  return {
    element,
    update(next) {
      turn = next;
      render();
    },
    setEditable(editable) {
      editButton.hidden = !editable;
    },
  };
}
