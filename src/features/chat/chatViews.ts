/**
 * How the chat's state looks to the webview: chips for attachments (with their price at the chat
 * model's rate), turns and whole conversations, as the protocol carries them.
 */
import type { Attachment, ChatTurn, Conversation } from '../../core/chat/chatTypes';
import type { ModelPrice } from '../../core/pricing';
import type { ContextChip, ConversationView, TurnView } from '../../shared/protocol';

export function chipOf(attachment: Attachment, price: ModelPrice | undefined): ContextChip {
  return {
    id: attachment.id,
    kind: attachment.kind,
    label: attachment.label,
    detail: attachment.detail,
    tokens: attachment.tokens,
    removable: attachment.kind !== 'instructions',
    usd: attachment.tokens * (price?.input ?? 0),
    ...(attachment.thumbnail ? { thumbnail: attachment.thumbnail } : {}),
    ...(attachment.imageDetail ? { imageDetail: attachment.imageDetail } : {}),
    ...(attachment.pages !== undefined ? { pages: attachment.pages } : {}),
    ...(attachment.bytes !== undefined ? { bytes: attachment.bytes } : {}),
  };
}

export function turnView(turn: ChatTurn, price: ModelPrice | undefined): TurnView {
  return {
    id: turn.id,
    role: turn.role,
    text: turn.text,
    createdAt: turn.createdAt,
    ...(turn.attachments?.length ? { context: turn.attachments.map((a) => chipOf(a, price)) } : {}),
    ...(turn.status ? { status: turn.status } : {}),
    ...(turn.error ? { error: turn.error } : {}),
    ...(turn.usage ? { usage: turn.usage } : {}),
    ...(turn.steps?.length ? { steps: turn.steps } : {}),
  };
}

export function conversationView(conversation: Conversation, price: ModelPrice | undefined): ConversationView {
  // The exact cut is sent with the context estimate; this is the view before it arrives.
  return { id: conversation.id, title: conversation.title, turns: conversation.turns.map((turn) => turnView(turn, price)), turnsOutOfContext: 0 };
}
