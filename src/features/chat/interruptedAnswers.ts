/**
 * Answers cut off by VS Code closing show as interrupted, with Retry: one saved while it streamed
 * (the extension host died, or the window reloaded) would otherwise look as if it were still being
 * written, and one stopped because the window closed as if the user had stopped it.
 */
import type { ChatTurn, Conversation } from '../../core/chat/chatTypes';

const CLOSED_WHILE_ANSWERING = 'The answer was interrupted when VS Code closed.';

/** Marks the answers of a chat read from disk that were still streaming. */
export function settleInterrupted(conversation: Conversation): Conversation {
  for (const turn of conversation.turns) if (turn.status === 'streaming') markClosed(turn);
  return conversation;
}

/** Marks an answer that was stopped because VS Code is closing (not one cut at the output limit). */
export function settleStoppedByClosing(turn: ChatTurn): void {
  if (turn.status === 'cancelled') markClosed(turn);
}

function markClosed(turn: ChatTurn): void {
  turn.status = 'interrupted';
  turn.error = CLOSED_WHILE_ANSWERING;
}
