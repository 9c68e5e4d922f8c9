/**
 * The unsent question's attachments on disk (the draft's own, and those of a question being
 * edited), so reloading the window, which restarts the extension host, keeps its chips while the
 * webview keeps its text. One `draft.json` in the folder the host passes (the workspace's storage),
 * with the images and PDFs beside it in `draft.files/` (attachmentFiles.ts) rather than in the
 * JSON or in VS Code's state database: an image can be several MB. Writes are atomic and one at a
 * time, the newest state last; files no longer attached are removed, and an empty draft leaves
 * nothing behind.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Attachment } from '../../core/chat/chatTypes';
import type { DraftAttachmentsState } from '../../core/chat/draftAttachments';
import { writeFileAtomically } from './atomicWrite';
import { loadAttachmentFiles, storeAttachmentFiles } from './attachmentFiles';

const FORMAT_VERSION = 1;

export class DraftAttachmentStore {
  private unsaved: (() => DraftAttachmentsState) | undefined;
  private writing: Promise<void> | undefined;

  constructor(private readonly folder: string) {}

  /** The saved state, or undefined when there is none or it cannot be read. */
  async load(): Promise<DraftAttachmentsState | undefined> {
    const text = await fs.readFile(this.file, 'utf8').catch(() => undefined);
    const state = text === undefined ? undefined : parseState(text);
    if (!state) return undefined;
    await loadAttachmentFiles(this.filesFolder, [...state.draft, ...(state.edit?.attachments ?? [])]);
    return state;
  }

  /**
   * Saves the draft after any write in progress, and not before `after` (the session's loading of
   * what is saved, which a first write would otherwise overwrite); `state` is read when it is
   * written, so it is the newest. Resolves once that is on disk.
   */
  save(state: () => DraftAttachmentsState, after: Promise<unknown> = Promise.resolve()): Promise<void> {
    this.unsaved = state;
    this.writing ??= this.writeUnsaved(after);
    return this.writing;
  }

  /** Resolves when nothing is left to write. */
  async flushed(): Promise<void> {
    await this.writing?.catch(() => undefined);
  }

  private get file(): string {
    return path.join(this.folder, 'draft.json');
  }

  private get filesFolder(): string {
    return path.join(this.folder, 'draft.files');
  }

  private async writeUnsaved(after: Promise<unknown>): Promise<void> {
    try {
      await after.catch(() => undefined);
      for (let state = this.unsaved; state; state = this.unsaved) {
        this.unsaved = undefined;
        await this.write(state());
      }
    } finally {
      // In the same step as the last check: a save from now on starts a new round.
      this.writing = undefined;
    }
  }

  private async write(state: DraftAttachmentsState): Promise<void> {
    const all = [...state.draft, ...(state.edit?.attachments ?? [])];
    if (all.length === 0 && !state.edit) {
      await fs.rm(this.file, { force: true });
      await fs.rm(this.filesFolder, { recursive: true, force: true });
      return;
    }
    await fs.mkdir(this.folder, { recursive: true });
    const draft = await storeAttachmentFiles(this.filesFolder, state.draft);
    const edit = state.edit && { turnId: state.edit.turnId, attachments: await storeAttachmentFiles(this.filesFolder, state.edit.attachments) };
    await writeFileAtomically(this.file, JSON.stringify({ version: FORMAT_VERSION, draft, ...(edit ? { edit } : {}) }));
    // Only after the JSON no longer names them: a crash in between leaves a spare file, not a missing one.
    const kept = new Set([...draft, ...(edit?.attachments ?? [])].map((attachment) => attachment.stored));
    for (const name of await fs.readdir(this.filesFolder).catch(() => [])) {
      if (!kept.has(name)) await fs.rm(path.join(this.filesFolder, name), { force: true });
    }
  }
}

function parseState(text: string): DraftAttachmentsState | undefined {
  try {
    const data = JSON.parse(text) as { version?: unknown; draft?: unknown; edit?: { turnId?: unknown; attachments?: unknown } };
    if (data.version !== FORMAT_VERSION || !isAttachmentList(data.draft)) return undefined;
    const edit = data.edit;
    if (edit === undefined) return { draft: data.draft };
    return typeof edit.turnId === 'string' && isAttachmentList(edit.attachments) ? { draft: data.draft, edit: { turnId: edit.turnId, attachments: edit.attachments } } : undefined;
  } catch {
    return undefined;
  }
}

function isAttachmentList(value: unknown): value is Attachment[] {
  return (
    Array.isArray(value) &&
    value.every((a: Partial<Attachment> | null) => typeof a === 'object' && a !== null && typeof a.id === 'string' && typeof a.kind === 'string' && typeof a.label === 'string' && typeof a.content === 'string')
  );
}
