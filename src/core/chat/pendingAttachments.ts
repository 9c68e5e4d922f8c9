/**
 * The context attached to the next question: the chips the user adds and removes before sending.
 * Attaching the same thing again replaces the older copy rather than paying for it twice, and a
 * question carries at most MAX_IMAGES_PER_QUESTION images.
 */
import { randomId } from '../randomId';
import { MAX_IMAGES_PER_QUESTION } from '../vision/visionAttachments';
import type { Attachment } from './chatTypes';

export class PendingAttachments {
  private items: Attachment[] = [];

  get all(): readonly Attachment[] {
    return this.items;
  }

  /**
   * Adds `attachment`; `replaces` is the chip it takes the place of (the same image at another
   * detail level). Returns a problem sentence when it cannot be added.
   */
  add(attachment: Attachment, replaces?: string): string | undefined {
    const images = this.items.filter((a) => a.kind === 'image' && a.id !== replaces).length;
    if (attachment.kind === 'image' && images >= MAX_IMAGES_PER_QUESTION) {
      return `At most ${MAX_IMAGES_PER_QUESTION} images go with one question; remove one first.`;
    }
    const kept = this.items.filter((a) => !sameAttachment(a, attachment) && a.id !== replaces);
    const at = replaces ? this.items.findIndex((a) => a.id === replaces) : -1;
    this.items = at >= 0 ? [...kept.slice(0, at), attachment, ...kept.slice(at)] : [...kept, attachment];
    return undefined;
  }

  /** Adds what an earlier question carried (editing it began), without doubling what is here. */
  addBack(attachments: readonly Attachment[]): void {
    this.items = [...this.items.filter((p) => !attachments.some((a) => sameAttachment(a, p))), ...attachments];
  }

  remove(id: string): void {
    this.items = this.items.filter((attachment) => attachment.id !== id);
  }

  /** Everything attached, for the question being sent; the draft starts empty again. */
  take(): Attachment[] {
    const taken = this.items;
    this.items = [];
    return taken;
  }
}

/** Code is the same when it names the same lines; images and PDFs when their bytes are the same. */
function sameAttachment(a: Attachment, b: Attachment): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind === 'image' || a.kind === 'document' ? a.content === b.content : a.detail === b.detail;
}

export function newAttachmentId(): string {
  return `a${randomId().replace(/-/g, '').slice(0, 16)}`;
}
