/**
 * What goes with the next question, kept apart for the draft and for an edit of the last
 * question. Editing puts the draft's own attachments aside, as the composer puts the draft's text
 * aside, and shows the edited question's attachments instead; sending or cancelling the edit gives
 * the draft's back. Its state is plain data, so the host can save it and a reload keeps the chips.
 */
import type { Attachment } from './chatTypes';
import { PendingAttachments } from './pendingAttachments';

export interface DraftAttachmentsState {
  draft: Attachment[];
  /** The last question being edited, with what it will carry when sent again. */
  edit?: { turnId: string; attachments: Attachment[] };
}

export class DraftAttachments {
  private readonly draft = new PendingAttachments();
  private edit: { turnId: string; attachments: PendingAttachments } | undefined;

  /** The chips the composer shows: the edit's while editing, else the draft's own. */
  get shown(): readonly Attachment[] {
    return this.current().all;
  }

  /** Returns a problem sentence when it cannot be added (see PendingAttachments.add). */
  add(attachment: Attachment, replaces?: string): string | undefined {
    return this.current().add(attachment, replaces);
  }

  remove(id: string): void {
    this.current().remove(id);
  }

  /**
   * Editing the last question `turnId` began: its `attachments` are shown, to be kept or removed.
   * Editing the same question again keeps what the user already removed.
   */
  startEdit(turnId: string, attachments: readonly Attachment[]): void {
    if (this.edit?.turnId === turnId) return;
    const list = new PendingAttachments();
    list.addBack(attachments);
    this.edit = { turnId, attachments: list };
  }

  /** The edit was cancelled, or its question is gone: the draft's own attachments are shown again. */
  endEdit(): void {
    this.edit = undefined;
  }

  /** Ends an edit whose question is no longer the last one (another chat opened, a question asked). */
  endEditUnlessOf(lastQuestionId: string | undefined): void {
    if (this.edit && this.edit.turnId !== lastQuestionId) this.edit = undefined;
  }

  /**
   * What a question sent now carries, taken away. A new question takes the draft's own. `edited`
   * is the question an edit replaces: it takes the edit's attachments or, when no edit of it is
   * known (the host restarted before it was saved), the question's own, so nothing is lost.
   */
  take(edited?: { id: string; attachments?: readonly Attachment[] }): Attachment[] {
    const edit = this.edit;
    this.edit = undefined;
    if (!edited) return this.draft.take();
    return edit?.turnId === edited.id ? edit.attachments.take() : [...(edited.attachments ?? [])];
  }

  state(): DraftAttachmentsState {
    return {
      draft: [...this.draft.all],
      ...(this.edit ? { edit: { turnId: this.edit.turnId, attachments: [...this.edit.attachments.all] } } : {}),
    };
  }

  /** Brings back a saved state (after a reload), keeping anything attached since. */
  restore(saved: DraftAttachmentsState): void {
    const since = this.draft.take();
    this.draft.addBack(saved.draft);
    this.draft.addBack(since);
    if (saved.edit && !this.edit) this.startEdit(saved.edit.turnId, saved.edit.attachments);
  }

  private current(): PendingAttachments {
    return this.edit?.attachments ?? this.draft;
  }
}
