/**
 * Image and PDF bytes of attachments kept as files in a folder, so the JSON that lists the
 * attachments stays small: each inline data: URL is written once, under the attachment's id, and
 * the attachment saved in the JSON names its file (`stored`) instead. Used by the chat history and
 * by the draft's attachments.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Attachment } from '../../core/chat/chatTypes';

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif', 'application/pdf': 'pdf' };
/** A stored name is only ever one we wrote: `<id>.<ext>`, never a path. */
const STORED_NAME = /^[A-Za-z0-9-]+\.[a-z]+$/;

const isInlineBinary = (attachment: Attachment): boolean =>
  (attachment.kind === 'image' || attachment.kind === 'document') && attachment.content.startsWith('data:');

export function hasInlineBinary(attachments: readonly Attachment[] | undefined): boolean {
  return attachments?.some(isInlineBinary) ?? false;
}

/** Copies of `attachments` whose image and PDF bytes are files in `folder` (each written once). */
export async function storeAttachmentFiles(folder: string, attachments: readonly Attachment[]): Promise<Attachment[]> {
  return Promise.all(
    attachments.map(async (attachment) => {
      if (!isInlineBinary(attachment)) return attachment;
      const comma = attachment.content.indexOf(',');
      const mime = attachment.content.slice(5, attachment.content.indexOf(';'));
      const name = `${attachment.id}.${EXTENSIONS[mime] ?? 'bin'}`;
      const file = path.join(folder, name);
      // The bytes of an attachment never change, so a file already there is the same file: a chat
      // saved every 2 s while it streams does not decode its images again each time.
      const exists = await fs.stat(file).then(
        () => true,
        () => false,
      );
      if (!exists) {
        await fs.mkdir(folder, { recursive: true });
        await fs.writeFile(file, Buffer.from(attachment.content.slice(comma + 1), 'base64'), { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        });
      }
      return { ...attachment, content: '', stored: name };
    }),
  );
}

/** Reads the stored files of `attachments` back into them, in place (missing ones stay empty). */
export async function loadAttachmentFiles(folder: string, attachments: readonly Attachment[]): Promise<void> {
  for (const attachment of attachments) {
    if (!attachment.stored || !STORED_NAME.test(attachment.stored)) continue;
    const mime = Object.entries(EXTENSIONS).find(([, ext]) => attachment.stored!.endsWith(`.${ext}`))?.[0] ?? 'application/octet-stream';
    const bytes = await fs.readFile(path.join(folder, attachment.stored)).catch(() => undefined);
    attachment.content = bytes ? `data:${mime};base64,${bytes.toString('base64')}` : '';
    delete attachment.stored;
  }
}
