/**
 * The unsent question's attachments (DraftAttachments) kept on disk across reloads
 * (DraftAttachmentStore): loaded once, merged with anything attached before that, and saved after
 * every change.
 */
import { DraftAttachments } from '../../core/chat/draftAttachments';
import type { Logger } from '../../model/types';
import type { DraftAttachmentStore } from './draftAttachmentStore';

export class PersistedDraft extends DraftAttachments {
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly store: DraftAttachmentStore,
    private readonly log: Logger,
  ) {
    super();
  }

  /** Brings back the saved attachments (once), merged with any attached since. */
  load(): Promise<void> {
    this.loaded ??= this.store
      .load()
      .then((saved) => saved && this.restore(saved))
      .catch(() => undefined);
    return this.loaded;
  }

  /**
   * Saves the attachments as they are when written. The write waits for the load: an Add to Chat
   * that comes before the panel is ready (the view was closed) must not overwrite the saved chips
   * with its own. Resolves once they are loaded.
   */
  changed(): Promise<void> {
    const loaded = this.load();
    this.store.save(() => this.state(), loaded).catch((error: Error) => this.log.warn(`Could not save the draft's attachments: ${error.message}`));
    return loaded;
  }

  /** Resolves when nothing is left to write. */
  flushed(): Promise<void> {
    return this.store.flushed();
  }
}
