/**
 * A chat conversation as Kestrel keeps it: the turns, what was attached to each question and what
 * each answer cost. Stored on disk as-is (chatHistoryStore.ts) and turned into model messages by
 * chatPrompt.ts, so an answer can be regenerated or continued after a restart.
 */

export interface Attachment {
  id: string;
  kind: 'selection' | 'file' | 'instructions' | 'image' | 'document';
  /** Short, for the chip: `main.ts:12-30`. */
  label: string;
  /** Longer, for the tooltip and the model: the workspace-relative path and what was taken. */
  detail: string;
  /** The language id of code, '' otherwise. */
  language: string;
  /** The content sent to the model (for an image or a PDF, a data: URL). */
  content: string;
  tokens: number;
  /** Images: the detail level they are sent at, their size and a small preview (data: URL). */
  imageDetail?: 'low' | 'high';
  width?: number;
  height?: number;
  thumbnail?: string;
  /** Documents: pages and bytes. */
  pages?: number;
  bytes?: number;
  /**
   * On disk only: the file beside the chat that holds an image's or a PDF's bytes (the chat's
   * JSON stays small). `content` is empty while this is set.
   */
  stored?: string;
}

export type AnswerStatus = 'streaming' | 'complete' | 'truncated' | 'interrupted' | 'cancelled';

export interface AnswerUsage {
  promptTokens: number;
  completionTokens: number;
  usd: number;
}

/** One tool call made while answering (read a file, search...), as the chat shows it. */
export interface ToolStep {
  /** The model's call id. */
  id: string;
  tool: string;
  /** The call's arguments in a few words: `src/a.ts:10-40`. */
  summary: string;
  status: 'running' | 'done' | 'failed';
  /** Estimated tokens of what the tool returned to the model. */
  resultTokens?: number;
  durationMs?: number;
  /** The start of what the tool returned, or its error. */
  preview?: string;
}

export interface ChatTurn {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  createdAt: number;
  /** User turns: what was attached to the question. */
  attachments?: Attachment[];
  /** User turns asked through Explain Selection (their answers are accounted as `explain`). */
  explain?: boolean;
  /** Assistant turns: how the answer ended. */
  status?: AnswerStatus;
  error?: string;
  usage?: AnswerUsage;
  /** Assistant turns: the tool calls made while answering, in order. */
  steps?: ToolStep[];
}

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  turns: ChatTurn[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  turnCount: number;
}

/** A title from the first question: its first line, shortened at a word boundary. */
export function titleFromQuestion(question: string, maxLength = 60): string {
  const line = question.trim().split('\n', 1)[0].replace(/\s+/g, ' ');
  if (line.length <= maxLength) return line || 'New chat';
  const cut = line.slice(0, maxLength);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxLength / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
