/**
 * The chat's host-side state and its one running request: the current conversation, the context
 * attached to the next question, and the answer being streamed. The webview only renders what
 * this posts; the conversation is saved when a question is asked, every couple of seconds while
 * its answer streams (saveThrottle.ts) and when the answer ends, so a crash loses at most the last
 * seconds of one answer. The request itself runs in answerStream.ts.
 *
 * No `vscode` import: the panel, the editor context and persistence of "which chat was open" are
 * passed in, so this is unit-tested in plain Node against the test server.
 */
import { randomId } from '../../core/randomId';
import { buildChatPrompt } from '../../core/chat/chatPrompt';
import { titleFromQuestion, type Attachment, type ChatTurn, type Conversation } from '../../core/chat/chatTypes';
import { priceOf, type ModelPrice } from '../../core/pricing';
import type { KestrelSettings } from '../../core/settings';
import type { Logger, ModelRequest } from '../../model/types';
import type { HostToWebview } from '../../shared/protocol';
import type { ChatHistoryStore } from './chatHistoryStore';
import type { DraftAttachmentStore } from './draftAttachmentStore';
import { settleInterrupted, settleStoppedByClosing } from './interruptedAnswers';
import { PersistedDraft } from './persistedDraft';
import { SaveThrottle } from './saveThrottle';
import { streamAnswer, type ChatModel } from './answerStream';
import { toolDefinitionTokens, type AnswerTools } from './chatToolSteps';
import { chipOf, conversationView, turnView } from './chatViews';

export type { AnswerTools } from './chatToolSteps';
export type { ChatModel } from './answerStream';

export interface ChatSessionOptions {
  model: ChatModel;
  store: ChatHistoryStore;
  /** Where the unsent question's attachments are kept across reloads. */
  drafts: DraftAttachmentStore;
  settings: () => KestrelSettings;
  /** The project instructions for the system prompt (undefined when none or untrusted). */
  instructions: () => Promise<Attachment | undefined>;
  post: (message: HostToWebview) => void;
  /** Workspace tools for the next answer, or a sentence saying why there are none. */
  tools?: () => AnswerTools | { off: string };
  /** Remembers which chat is open, so a reload reopens it. */
  openChat: { get(): string | undefined; set(id: string | undefined): Thenable<void> | void };
  log: Logger;
  now?: () => number;
  deltaIntervalMs?: number;
  /** How often a streaming answer is saved at most (saveThrottle.ts). */
  saveIntervalMs?: number;
}

const NEW_CHAT_TITLE = 'New chat';
/** A typical answer's length, for the cost estimate shown while typing. */
const TYPICAL_ANSWER_TOKENS = 400;

export class ChatSession {
  private conversation: Conversation;
  private readonly draft: PersistedDraft;
  /** The request being answered; at most one, since operations run one at a time. */
  private running: AbortController | undefined;
  /** Operations (send, regenerate, open, delete...) run in order, each after the previous ends. */
  private queue: Promise<unknown> = Promise.resolve();
  private restored: Promise<void> | undefined;
  private closing = false;
  private closed: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly deltaIntervalMs: number | undefined;

  constructor(private readonly options: ChatSessionOptions) {
    this.now = options.now ?? Date.now;
    this.deltaIntervalMs = options.deltaIntervalMs;
    this.conversation = options.store.newConversation(NEW_CHAT_TITLE);
    this.draft = new PersistedDraft(options.drafts, options.log);
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  get current(): Conversation {
    return this.conversation;
  }

  /** Reopens the chat that was open before a reload (once), then sends the panel everything. */
  async ready(): Promise<void> {
    this.restored ??= this.restore();
    await this.restored;
    this.postConversation();
    await this.postConversations();
    await this.postContext();
    for (const problem of this.options.store.problems.splice(0)) this.options.post({ type: 'notice', level: 'error', message: problem });
  }

  /**
   * Asks `text` with the attached context, or with `attachments` given by the caller (the code to
   * explain). `replacing` is the last question, edited: it is replaced, carrying what the edit
   * kept of its attachments; if it is no longer the last question, the text is simply asked as a
   * new one.
   */
  send(text: string, options: { replacing?: string; attachments?: Attachment[]; explain?: boolean } = {}): Promise<void> {
    return this.exclusive(async () => {
      const turns = this.conversation.turns;
      const index = options.replacing ? turns.findIndex((turn) => turn.id === options.replacing) : -1;
      const edited = index >= 0 && index === turns.map((turn) => turn.role).lastIndexOf('user') ? turns[index] : undefined;
      const attachments = options.attachments ?? this.draft.take(edited);
      if (edited) this.removeTurnsFrom(index);
      const question: ChatTurn = { id: randomId(), role: 'user', text, createdAt: this.now(), attachments, ...(options.explain ? { explain: true } : {}) };
      // A chat is titled by its first question, unless the user already named it.
      if (!this.conversation.turns.some((turn) => turn.role === 'user') && this.conversation.title === NEW_CHAT_TITLE) {
        this.conversation.title = options.explain && attachments[0] ? `Explain ${attachments[0].label}` : titleFromQuestion(text);
      }
      this.conversation.turns.push(question);
      this.options.post({ type: 'turnAdded', turn: turnView(question, this.price()) });
      // A question asked from the editor (Explain) ends the edit of the one before it.
      this.draft.endEditUnlessOf(question.id);
      // The chips went with the question: the composer must not show them while it is answered.
      void this.draftChanged();
      await this.answer();
    });
  }

  /**
   * Editing the last question began: what was attached to it shows as chips again, so the user can
   * remove an attachment (an image the API refused) before sending the edit; the draft's own
   * chips are put aside until the edit is sent or cancelled.
   */
  editQuestion(turnId: string): void {
    const question = this.conversation.turns.findLast((turn) => turn.role === 'user');
    if (question?.id !== turnId) return;
    this.draft.startEdit(turnId, question.attachments ?? []);
    void this.draftChanged();
  }

  cancelEdit(): void {
    this.draft.endEdit();
    void this.draftChanged();
  }

  /**
   * Answers the last question again (Regenerate, Retry). The answer it replaces stays on disk
   * until the new one brings text, and comes back if it brings none (it failed, or was stopped).
   */
  regenerate(turnId: string): Promise<void> {
    return this.exclusive(async () => {
      const turns = this.conversation.turns;
      const last = turns[turns.length - 1];
      if (last?.id !== turnId || last.role !== 'assistant') return;
      this.removeTurnsFrom(turns.length - 1);
      await this.answer({ previous: last });
    });
  }

  /** Continues an answer that stopped at the output limit, in the same turn. */
  continue(turnId: string): Promise<void> {
    return this.exclusive(async () => {
      const last = this.conversation.turns[this.conversation.turns.length - 1];
      if (last?.id !== turnId || last.role !== 'assistant' || last.status !== 'truncated') return;
      await this.answer({ resumed: last });
    });
  }

  /** Aborts the running request; its partial answer is kept, marked as stopped. */
  stop(): void {
    this.running?.abort();
  }

  newChat(): Promise<void> {
    return this.exclusive(() => this.startNewChat());
  }

  /** Opens a saved chat; false when it no longer exists (or could not be read). */
  open(id: string): Promise<boolean> {
    if (id === this.conversation.id) return Promise.resolve(true);
    return this.exclusive(async () => {
      const conversation = await this.options.store.load(id);
      for (const problem of this.options.store.problems.splice(0)) this.options.post({ type: 'notice', level: 'error', message: problem });
      if (!conversation) return false;
      this.conversation = settleInterrupted(conversation);
      await this.options.openChat.set(id);
      this.postConversation();
      this.draft.endEdit();
      await this.draftChanged();
      return true;
    });
  }

  rename(id: string, title: string): Promise<void> {
    return this.exclusive(async () => {
      if (id === this.conversation.id) {
        this.conversation.title = title.trim() || this.conversation.title;
        if (this.conversation.turns.length > 0) await this.save();
        this.postConversation();
      } else {
        await this.options.store.rename(id, title);
      }
      await this.postConversations();
    }, false);
  }

  delete(id: string): Promise<void> {
    return this.exclusive(async () => {
      await this.options.store.delete(id);
      if (id === this.conversation.id) await this.startNewChat();
      await this.postConversations();
    }, id === this.conversation.id);
  }

  /** The title of a saved chat (for prompts about it), if it exists. */
  async titleOf(id: string): Promise<string | undefined> {
    if (id === this.conversation.id) return this.conversation.title;
    return (await this.options.store.list()).find((summary) => summary.id === id)?.title;
  }

  /**
   * Adds an attachment to the next question; `replaces` is the chip it takes the place of (the same
   * image at another detail level). Returns a problem sentence when it cannot be added.
   */
  attach(attachment: Attachment, replaces?: string): string | undefined {
    const problem = this.draft.add(attachment, replaces);
    if (!problem) void this.draftChanged();
    return problem;
  }

  removeContext(id: string): void {
    this.draft.remove(id);
    void this.draftChanged();
  }

  /** Sends the chips and the cost estimate of the next request (after context or settings change). */
  async postContext(): Promise<void> {
    const instructions = await this.options.instructions();
    const settings = this.options.settings();
    const draft: ChatTurn = { id: 'draft', role: 'user', text: '', createdAt: this.now(), attachments: [...this.draft.shown] };
    const tools = this.answerTools();
    const prompt = buildChatPrompt({ turns: [...this.conversation.turns, draft], instructions, contextTokens: settings.chat.contextTokens, tools: 'tools' in tools });
    const price = this.price();
    const chips = [...(instructions ? [instructions] : []), ...this.draft.shown].map((a) => chipOf(a, price));
    this.options.post({
      type: 'context',
      chips,
      ...('off' in tools && tools.off ? { toolsOff: tools.off } : {}),
      estimate: {
        promptTokens: prompt.promptTokens + ('tools' in tools ? toolDefinitionTokens(tools.tools) : 0),
        usdPerPromptToken: price?.input ?? 0,
        usdPerAnswerToken: price?.output ?? 0,
        typicalAnswerTokens: TYPICAL_ANSWER_TOKENS,
      },
    });
    this.options.post({ type: 'turnsOutOfContext', count: prompt.turnsOutOfContext });
  }

  /**
   * VS Code is closing: the answer being written is stopped and saved as interrupted; resolves
   * once it and the draft's attachments are on disk (deactivation waits for it).
   */
  dispose(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      this.stop();
      await this.queue;
      await this.draft.flushed();
    })();
    return this.closed;
  }

  private answerTools(): AnswerTools | { off: string } {
    return this.options.tools?.() ?? { off: '' };
  }

  private price(): ModelPrice | undefined {
    const settings = this.options.settings();
    return priceOf(settings.chat.model, settings.prices);
  }

  private async restore(): Promise<void> {
    const id = this.options.openChat.get();
    const saved = id ? await this.options.store.load(id).catch(() => undefined) : undefined;
    if (saved && this.conversation.turns.length === 0) this.conversation = settleInterrupted(saved);
    await this.draft.load();
    this.draft.endEditUnlessOf(this.conversation.turns.findLast((turn) => turn.role === 'user')?.id);
  }

  /** The unsent question's attachments changed: they are saved, for a reload, and shown. */
  private async draftChanged(): Promise<void> {
    await this.draft.changed();
    return this.postContext();
  }

  /**
   * Streams an answer to the conversation's last question, continues `resumed`, or answers again
   * in place of `previous`.
   */
  private async answer({ resumed, previous }: { resumed?: ChatTurn; previous?: ChatTurn } = {}): Promise<void> {
    const settings = this.options.settings();
    const conversation = this.conversation;
    const instructions = await this.options.instructions();
    const tools = this.answerTools();
    const toolRequest = 'tools' in tools ? { tools: tools.tools, maxToolIterations: tools.maxRounds } : {};
    const prompt = buildChatPrompt({ turns: conversation.turns, instructions, contextTokens: settings.chat.contextTokens, tools: 'tools' in tools });
    const turn: ChatTurn = resumed ?? { id: randomId(), role: 'assistant', text: '', createdAt: this.now() };
    turn.status = 'streaming';
    turn.error = undefined;
    if (resumed) {
      this.options.post({ type: 'turnUpdated', turn: turnView(turn, this.price()) });
    } else {
      conversation.turns.push(turn);
      this.options.post({ type: 'turnAdded', turn: turnView(turn, this.price()) });
    }
    this.options.post({ type: 'turnsOutOfContext', count: prompt.turnsOutOfContext });
    const controller = new AbortController();
    this.running = controller;
    const question = conversation.turns.findLast((t) => t.role === 'user');
    this.options.post({ type: 'busy', busy: true });
    // Checkpoints only rewrite this chat's file: pruning (which lists and reads the others) is for the final save.
    const checkpoint = new SaveThrottle(() => this.save(conversation, { prune: false }), this.options.saveIntervalMs);
    try {
      // The question is saved before its answer; a regenerated answer waits for text (see finally).
      if (!previous) await this.save();
      const request: ModelRequest = { feature: question?.explain ? 'explain' : 'chat', messages: prompt.messages, signal: controller.signal, ...toolRequest };
      await streamAnswer(turn, request, {
        model: this.options.model,
        post: this.options.post,
        continuing: resumed !== undefined,
        tools: 'tools' in tools ? tools : undefined,
        deltaIntervalMs: this.deltaIntervalMs,
        onText: () => checkpoint.request(),
      });
    } finally {
      this.running = undefined;
      await checkpoint.settle();
      if (this.closing) settleStoppedByClosing(turn);
      conversation.updatedAt = this.now();
      this.options.post({ type: 'busy', busy: false });
      // A new answer that ran tools keeps its place even without text: its steps record what it did (an accepted edit).
      if (previous && turn.text === '' && !turn.steps?.length && previous.text !== '') this.putBack(conversation, turn, previous);
      else this.options.post({ type: 'turnUpdated', turn: turnView(turn, this.price()) });
      await this.save(conversation);
      await this.postConversations();
      await this.postContext();
    }
  }

  /**
   * Runs `operation` after every earlier one has finished, stopping a running answer first unless
   * told not to: a new question, another chat or a deletion never interleaves with an answer that
   * is still being saved.
   */
  private exclusive<T>(operation: () => Promise<T>, stopRunning = true): Promise<T> {
    if (stopRunning) this.stop();
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async startNewChat(): Promise<void> {
    this.conversation = this.options.store.newConversation(NEW_CHAT_TITLE);
    await this.options.openChat.set(undefined);
    this.postConversation();
    this.draft.endEdit();
    await this.draftChanged();
    this.options.post({ type: 'focusComposer' });
  }

  /**
   * A regenerated answer that brought no text gives its place back to the answer it was to
   * replace: losing a good answer to a rate limit or an early Stop is worse than keeping it.
   */
  private putBack(conversation: Conversation, empty: ChatTurn, previous: ChatTurn): void {
    conversation.turns.splice(conversation.turns.indexOf(empty), 1, previous);
    this.options.post({ type: 'turnsRemoved', turnIds: [empty.id] });
    this.options.post({ type: 'turnAdded', turn: turnView(previous, this.price()) });
    if (empty.error) this.options.post({ type: 'notice', level: 'error', message: `The new answer failed, so the previous answer is kept. ${empty.error}` });
  }

  private removeTurnsFrom(index: number): void {
    const removed = this.conversation.turns.splice(index);
    if (removed.length > 0) this.options.post({ type: 'turnsRemoved', turnIds: removed.map((turn) => turn.id) });
  }

  private async save(conversation = this.conversation, options: { prune?: boolean } = {}): Promise<void> {
    try {
      await this.options.store.save(conversation, options);
      if (conversation === this.conversation && options.prune !== false) await this.options.openChat.set(conversation.id);
    } catch (error) {
      this.options.log.error(`Could not save the chat: ${(error as Error).message}`);
      this.options.post({ type: 'notice', level: 'error', message: `Kestrel could not save this chat: ${(error as Error).message}` });
    }
  }

  private postConversation(): void {
    this.options.post({ type: 'conversation', conversation: conversationView(this.conversation, this.price()), busy: this.busy });
  }

  private async postConversations(): Promise<void> {
    try {
      this.options.post({ type: 'conversations', conversations: await this.options.store.list() });
    } catch (error) {
      this.options.log.warn(`Could not list saved chats: ${(error as Error).message}`);
    }
  }
}
