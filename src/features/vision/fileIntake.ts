/**
 * Reads a file the user gave the chat (picked, dropped from the Explorer, "Add File to Chat",
 * Describe Image) and decides what it becomes: an image for the webview to scale, a PDF
 * attachment, or a text attachment. Every check happens before anything is decoded: secret
 * files, folders, sizes, formats, animated images, binary content.
 */
import * as vscode from 'vscode';
import { imageProblem, IMAGE_MIME_TYPES, MAX_IMAGE_BYTES, sniffImage } from '../../core/vision/imageFormat';
import { inspectPdf, MAX_DOCUMENT_BYTES } from '../../core/vision/pdfInfo';
import { documentAttachment } from '../../core/vision/visionAttachments';
import type { Attachment } from '../../core/chat/chatTypes';
import { attachFile, type AttachmentLimits } from '../chat/chatContext';
import { newAttachmentId } from '../../core/chat/pendingAttachments';

export type Intake = { attachment: Attachment } | { image: { name: string; dataUrl: string } } | { problem: string };

export async function readForChat(uri: vscode.Uri, limits: AttachmentLimits): Promise<Intake> {
  const name = uri.path.split('/').pop() || uri.path;
  if (limits.isExcluded(uri.fsPath || uri.path)) return { problem: `${name} matches Kestrel's secret-file patterns or kestrel.exclude, so it is never sent to the model.` };
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch (error) {
    return { problem: `Could not read ${name}: ${(error as Error).message}` };
  }
  if (stat.type & vscode.FileType.Directory) return { problem: `${name} is a folder; attach files one at a time.` };
  const looksVisual = /\.(png|jpe?g|webp|gif|pdf)$/i.test(name);
  if (!looksVisual) return attachFile(uri, limits);
  if (stat.size > Math.max(MAX_IMAGE_BYTES, MAX_DOCUMENT_BYTES)) return { problem: `${name} is ${(stat.size / 1024 / 1024).toFixed(1)} MB; images and PDFs up to 20 MB can be attached.` };
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (/\.pdf$/i.test(name)) {
    const info = inspectPdf(name, bytes);
    if ('problem' in info) return info;
    return { attachment: documentAttachment(newAttachmentId(), name, `data:application/pdf;base64,${Buffer.from(bytes).toString('base64')}`, info) };
  }
  const info = sniffImage(bytes);
  const problem = imageProblem(name, bytes.length, info);
  if (problem || !info) return { problem: problem ?? `${name} cannot be read as an image.` };
  return { image: { name, dataUrl: `data:${IMAGE_MIME_TYPES[info.format]};base64,${Buffer.from(bytes).toString('base64')}` } };
}
