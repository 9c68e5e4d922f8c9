/// <reference lib="dom" />
/**
 * The conversation as a log of question and answer views, kept in step with the host's messages
 * turn by turn: a delta touches only its answer, never the rest of the transcript. It also marks
 * where the context window cuts the history off, decides which turn is "last" (Edit, Regenerate,
 * Continue and Retry apply only there), and handles clicks on rendered answers by delegation:
 * code block buttons and links carry only data attributes, so no rendered node holds a handler.
 */
import type { ConversationView, ToolStepView, TurnView } from '../../src/shared/protocol';
import { createAnswerView, flashCopied, type AnswerContext, type AnswerView } from './answerView';
import { readCodeBlock } from './markdown/codeBlock';
import { createQuestionView, type QuestionView } from './questionView';

type Entry = { turn: TurnView; kind: 'user'; view: QuestionView } | { turn: TurnView; kind: 'assistant'; view: AnswerView };

export interface Transcript {
  readonly element: HTMLElement;
  readonly turnCount: number;
  /** The last question, if any (what Edit would change). */
  lastQuestion(): TurnView | undefined;
  setConversation(conversation: ConversationView): void;
  addTurn(turn: TurnView): void;
  appendDelta(turnId: string, text: string): void;
  updateTurn(turn: TurnView): void;
  showToolStep(turnId: string, step: ToolStepView): void;
  removeTurns(turnIds: readonly string[]): void;
  setOutOfContext(count: number): void;
  setBusy(busy: boolean): void;
}

export interface TranscriptOptions extends AnswerContext {
  onEdit(turn: TurnView): void;
}

export function createTranscript(options: TranscriptOptions): Transcript {
  const { dom, post } = options;
  const element = dom.el('div', 'transcript');
  element.setAttribute('role', 'log');
  // Answers are read out once finished, through the app's live region; a live log would read
  // every streamed token.
  element.setAttribute('aria-live', 'off');
  element.setAttribute('aria-label', 'Conversation');
  const divider = dom.el('div', 'context-divider');
  divider.setAttribute('role', 'separator');
  divider.append(dom.icon('fold-up'), dom.el('span', undefined, 'Earlier messages are not sent to the model (context limit)'));

  let entries: Entry[] = [];
  const byId = new Map<string, Entry>();
  let outOfContext = 0;
  let busy = false;

  const createEntry = (turn: TurnView): Entry =>
    turn.role === 'user'
      ? { turn, kind: 'user', view: createQuestionView(dom, turn, options.onEdit) }
      : { turn, kind: 'assistant', view: createAnswerView(options, turn) };

  /** Re-decides which turns count as last and where the context divider goes. */
  const refresh = (): void => {
    const lastAnswer = findLast(entries, (entry) => entry.kind === 'assistant');
    const lastQuestion = findLast(entries, (entry) => entry.kind === 'user');
    for (const entry of entries) {
      if (entry.kind === 'assistant') entry.view.setAvailability(entry === lastAnswer, busy);
      else entry.view.setEditable(entry === lastQuestion && !busy);
    }
    if (outOfContext <= 0 || entries.length === 0) divider.remove();
    else element.insertBefore(divider, entries[outOfContext]?.view.element ?? null);
  };

  const add = (turn: TurnView): void => {
    const existing = byId.get(turn.id);
    if (existing) {
      update(turn);
      return;
    }
    const entry = createEntry(turn);
    entries.push(entry);
    byId.set(turn.id, entry);
    element.append(entry.view.element);
  };

  const update = (turn: TurnView): void => {
    const entry = byId.get(turn.id);
    if (!entry) return;
    entry.turn = turn;
    entry.view.update(turn);
  };

  element.addEventListener('click', (event) => {
    const target = asElement(event.target);
    if (!target) return;
    const codeButton = target.closest<HTMLElement>('button.kestrel-code-action');
    if (codeButton) {
      codeAction(codeButton);
      return;
    }
    const link = target.closest('a');
    if (link && element.contains(link)) {
      // Nothing navigates inside the webview; web links open through the host.
      event.preventDefault();
      const href = link.getAttribute('data-href');
      if (href && /^https?:\/\//i.test(href)) post({ type: 'openLink', href });
    }
  });
  // A middle click would otherwise try to open the link itself.
  element.addEventListener('auxclick', (event) => {
    if (asElement(event.target)?.closest('a')) event.preventDefault();
  });

  function codeAction(button: HTMLElement): void {
    const answer = button.closest('.answer-body');
    const action = button.getAttribute('data-action');
    const block = answer && readCodeBlock(answer, Number(button.getAttribute('data-block')));
    if (!block) return;
    if (action === 'copy') {
      post({ type: 'copy', text: block.code });
      flashCopied(button);
      options.announce('Copied');
    } else if (action === 'insert' || action === 'replace' || action === 'newFile') {
      post({ type: 'codeAction', action, code: block.code, language: block.language });
    }
  }

  return {
    element,
    get turnCount() {
      return entries.length;
    },
    lastQuestion: () => findLast(entries, (entry) => entry.kind === 'user')?.turn,
    setConversation(conversation) {
      entries = [];
      byId.clear();
      outOfContext = conversation.turnsOutOfContext;
      const fresh = conversation.turns.map(createEntry);
      for (const entry of fresh) {
        entries.push(entry);
        byId.set(entry.turn.id, entry);
      }
      element.replaceChildren(...fresh.map((entry) => entry.view.element));
      refresh();
    },
    addTurn(turn) {
      add(turn);
      refresh();
    },
    appendDelta(turnId, text) {
      const entry = byId.get(turnId);
      if (entry?.kind === 'assistant') entry.view.appendDelta(text);
    },
    updateTurn(turn) {
      update(turn);
      refresh();
    },
    showToolStep(turnId, step) {
      const entry = byId.get(turnId);
      if (entry?.kind === 'assistant') entry.view.showStep(step);
    },
    removeTurns(turnIds) {
      const gone = new Set(turnIds);
      for (const entry of entries) {
        if (!gone.has(entry.turn.id)) continue;
        entry.view.element.remove();
        byId.delete(entry.turn.id);
      }
      entries = entries.filter((entry) => !gone.has(entry.turn.id));
      refresh();
    },
    setOutOfContext(count) {
      outOfContext = count;
      refresh();
    },
    setBusy(next) {
      busy = next;
      refresh();
    },
  };
}

/** The element an event happened on (checked by shape: jsdom's Element is another realm's). */
function asElement(target: EventTarget | null): Element | undefined {
  return target && (target as Node).nodeType === 1 ? (target as Element) : undefined;
}

function findLast<T>(items: readonly T[], predicate: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return items[i];
  return undefined;
}
