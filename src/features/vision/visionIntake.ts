/**
 * Where images and PDFs enter the chat on the host side. Images are scaled in the webview (it has
 * a canvas; the extension host does not), including those that start on the host: they are sent
 * there with a request id and come back as `attachImage`, to be attached or, for Describe Image,
 * asked about at once. Requests not yet answered are sent again when the view (re)loads.
 */
import * as vscode from 'vscode';
import { inspectPdf } from '../../core/vision/pdfInfo';
import { documentAttachment, imageAttachment } from '../../core/vision/visionAttachments';
import type { HostToWebview, ScaledImage } from '../../shared/protocol';
import type { AttachmentLimits } from '../chat/chatContext';
import { newAttachmentId } from '../../core/chat/pendingAttachments';
import type { ChatSession } from '../chat/chatSession';
import { readForChat } from './fileIntake';

export const DESCRIBE_QUESTION = 'Describe this image. If it shows code, an error or a user interface, say what it shows and what stands out.';

type Intent = 'attach' | 'describe';

export class VisionIntake {
  private readonly requests = new Map<string, { intent: Intent; name: string; dataUrl: string }>();

  constructor(
    private readonly session: ChatSession,
    private readonly post: (message: HostToWebview) => void,
    private readonly limits: () => AttachmentLimits,
    private readonly warn: (message: string) => void,
  ) {}

  /** Files from a picker, an Explorer drop or "Add File to Chat": each attached or refused with a reason. */
  async addFiles(uris: readonly vscode.Uri[], intent: Intent = 'attach'): Promise<void> {
    for (const uri of uris) {
      const intake = await readForChat(uri, this.limits());
      if ('problem' in intake) this.warn(intake.problem);
      else if ('image' in intake) this.scale(intake.image.name, intake.image.dataUrl, intent);
      else if (intent === 'describe') this.warn(`${intake.attachment.label} is not an image.`);
      else this.attach(intake.attachment);
    }
  }

  /** An image scaled by the webview: attached, or described when that is what was asked. */
  async imageScaled(image: ScaledImage, requestId?: string, replaces?: string): Promise<void> {
    const request = requestId ? this.requests.get(requestId) : undefined;
    if (requestId) this.requests.delete(requestId);
    const attachment = imageAttachment(newAttachmentId(), image);
    if (request?.intent === 'describe') await this.session.send(DESCRIBE_QUESTION, { attachments: [attachment] });
    else this.attach(attachment, replaces);
  }

  /** The webview could not scale a requested image (it told the user why). */
  scaleFailed(requestId: string): void {
    this.requests.delete(requestId);
  }

  /** A PDF pasted or dropped from the desktop. */
  addDocument(name: string, dataUrl: string): void {
    const info = inspectPdf(name, Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
    if ('problem' in info) this.warn(info.problem);
    else this.attach(documentAttachment(newAttachmentId(), name, dataUrl, info));
  }

  /** The view (re)loaded: requests it may not have seen are sent again. */
  resend(): void {
    for (const [requestId, { name, dataUrl }] of this.requests) this.post({ type: 'scaleImage', requestId, name, dataUrl });
  }

  private scale(name: string, dataUrl: string, intent: Intent): void {
    const requestId = newAttachmentId();
    this.requests.set(requestId, { intent, name, dataUrl });
    this.post({ type: 'scaleImage', requestId, name, dataUrl });
  }

  private attach(attachment: Parameters<ChatSession['attach']>[0], replaces?: string): void {
    const problem = this.session.attach(attachment, replaces);
    if (problem) this.warn(problem);
  }
}
