/**
 * Chat history on disk: one JSON file per conversation in the extension's global storage, so it
 * survives closing the panel, reloading the window and restarting VS Code, and two windows never
 * overwrite each other's *different* conversations (the same chat open in two windows is
 * last-save-wins). Writes are atomic (temp file + rename); the number of
 * conversations is bounded (oldest pruned); a corrupt file is set aside and reported, never lost
 * silently and never fatal. Images and PDFs are written as files in a folder beside their chat
 * (`<id>.files/`, attachmentFiles.ts), referenced from the JSON, and removed with the chat. No
 * `vscode` import: the host passes the folder.
 */
import { randomId } from '../../core/randomId';
import { promises as fs } from 'node:fs';
import { writeFileAtomically } from './atomicWrite';
import * as path from 'node:path';
import type { Conversation, ConversationSummary } from '../../core/chat/chatTypes';
import { hasInlineBinary, loadAttachmentFiles, storeAttachmentFiles } from './attachmentFiles';

export type { ChatTurn, Conversation, ConversationSummary } from '../../core/chat/chatTypes';

const FORMAT_VERSION = 1;
const ID = /^[A-Za-z0-9-]{1,64}$/;

export class ChatHistoryStore {
  /** Problems met while reading (corrupt files set aside), for the host to show once. */
  readonly problems: string[] = [];
  /** Summaries by file, valid while the file's size and time are unchanged (another window may write). */
  private readonly summaries = new Map<string, { stamp: string; summary: ConversationSummary }>();

  constructor(
    private readonly folder: string,
    private readonly maxConversations: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  newConversation(title = 'New chat'): Conversation {
    const at = this.now();
    return { id: randomId(), title, createdAt: at, updatedAt: at, turns: [] };
  }

  /** Every readable conversation, most recently updated first. */
  async list(): Promise<ConversationSummary[]> {
    const summaries: ConversationSummary[] = [];
    const files = await this.files();
    for (const file of files) {
      const stats = await fs.stat(file).catch(() => undefined);
      if (!stats) continue;
      const stamp = `${stats.size}:${stats.mtimeMs}`;
      const known = this.summaries.get(file);
      if (known?.stamp === stamp) {
        summaries.push(known.summary);
        continue;
      }
      const conversation = await this.read(file);
      if (!conversation) continue;
      const summary = { id: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt, turnCount: conversation.turns.length };
      this.summaries.set(file, { stamp, summary });
      summaries.push(summary);
    }
    for (const file of this.summaries.keys()) if (!files.includes(file)) this.summaries.delete(file);
    return summaries.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async load(id: string): Promise<Conversation | undefined> {
    if (!ID.test(id)) return undefined;
    const conversation = await this.read(this.fileOf(id));
    return conversation && (await this.withStoredFiles(conversation));
  }

  /**
   * Writes the conversation atomically, then prunes the oldest beyond the limit (unless `prune` is
   * false: a checkpoint of an answer still streaming, saved again when it ends).
   */
  async save(conversation: Conversation, { prune = true }: { prune?: boolean } = {}): Promise<void> {
    if (!ID.test(conversation.id)) throw new Error(`Invalid conversation id: ${conversation.id}`);
    await fs.mkdir(this.folder, { recursive: true });
    const stored = await this.storeFiles(conversation);
    await writeFileAtomically(this.fileOf(conversation.id), JSON.stringify({ version: FORMAT_VERSION, conversation: stored }));
    if (prune) await this.prune(conversation.id);
  }

  async rename(id: string, title: string): Promise<void> {
    const conversation = await this.load(id);
    if (!conversation) return;
    await this.save({ ...conversation, title: title.trim() || conversation.title, updatedAt: this.now() });
  }

  async delete(id: string): Promise<void> {
    if (!ID.test(id)) return;
    await fs.rm(this.fileOf(id), { force: true });
    await fs.rm(this.filesOf(id), { recursive: true, force: true });
  }

  private filesOf(id: string): string {
    return path.join(this.folder, `${id}.files`);
  }

  /** A copy of `conversation` whose image and PDF bytes are files (each written once). */
  private async storeFiles(conversation: Conversation): Promise<Conversation> {
    const folder = this.filesOf(conversation.id);
    const turns = await Promise.all(
      conversation.turns.map(async (turn) => (hasInlineBinary(turn.attachments) ? { ...turn, attachments: await storeAttachmentFiles(folder, turn.attachments!) } : turn)),
    );
    return { ...conversation, turns };
  }

  /** Reads stored image and PDF files back into their attachments (missing ones stay empty). */
  private async withStoredFiles(conversation: Conversation): Promise<Conversation> {
    for (const turn of conversation.turns) await loadAttachmentFiles(this.filesOf(conversation.id), turn.attachments ?? []);
    return conversation;
  }

  private async prune(keep: string): Promise<void> {
    const limit = Math.max(1, this.maxConversations());
    const summaries = await this.list();
    for (const old of summaries.slice(limit)) if (old.id !== keep) await this.delete(old.id);
  }

  private fileOf(id: string): string {
    return path.join(this.folder, `${id}.json`);
  }

  private async files(): Promise<string[]> {
    try {
      return (await fs.readdir(this.folder)).filter((name) => name.endsWith('.json')).map((name) => path.join(this.folder, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private async read(file: string): Promise<Conversation | undefined> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const conversation = parseConversation(text);
    if (conversation) return conversation;
    // Keep the bytes for the user to inspect, out of the way of the history.
    const aside = `${file}.corrupt-${this.now()}`;
    await fs.rename(file, aside).catch(() => undefined);
    this.problems.push(`A saved chat could not be read and was set aside as ${path.basename(aside)}.`);
    return undefined;
  }
}

function parseConversation(text: string): Conversation | undefined {
  try {
    const data = JSON.parse(text) as { version?: unknown; conversation?: Partial<Conversation> };
    const c = data.conversation;
    if (data.version !== FORMAT_VERSION || !c || typeof c.id !== 'string' || !ID.test(c.id) || typeof c.title !== 'string') return undefined;
    if (typeof c.createdAt !== 'number' || typeof c.updatedAt !== 'number' || !Array.isArray(c.turns)) return undefined;
    const turnsValid = c.turns.every(
      (t) => typeof t === 'object' && t !== null && typeof t.id === 'string' && (t.role === 'user' || t.role === 'assistant') && typeof t.text === 'string',
    );
    return turnsValid ? (c as Conversation) : undefined;
  } catch {
    return undefined;
  }
}
