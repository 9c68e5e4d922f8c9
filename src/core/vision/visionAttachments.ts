/**
 * Chat attachments for images and PDFs: what the chip says, and the tokens they will cost. An
 * image arrives already scaled by the webview (so its size is what the API will bill), a PDF as
 * its bytes.
 */
import type { Attachment } from '../chat/chatTypes';
import { imageTokens, type ImageDetail } from './imageTokens';
import { pdfTokens, type PdfInfo } from './pdfInfo';

/** At most this many images go with one question: each costs up to ~25,000 tokens at high detail. */
export const MAX_IMAGES_PER_QUESTION = 5;

export interface ScaledImageFacts {
  name: string;
  dataUrl: string;
  width: number;
  height: number;
  detail: ImageDetail;
  thumbnail: string;
  sourceWidth: number;
  sourceHeight: number;
}

export function imageAttachment(id: string, image: ScaledImageFacts): Attachment {
  const scaled = image.width !== image.sourceWidth || image.height !== image.sourceHeight;
  return {
    id,
    kind: 'image',
    label: image.name,
    detail: `${image.name}: ${image.width}×${image.height}${scaled ? ` (scaled from ${image.sourceWidth}×${image.sourceHeight})` : ''}, ${image.detail} detail`,
    language: '',
    content: image.dataUrl,
    tokens: imageTokens(image, image.detail),
    imageDetail: image.detail,
    width: image.width,
    height: image.height,
    thumbnail: image.thumbnail,
  };
}

export function documentAttachment(id: string, name: string, dataUrl: string, info: PdfInfo): Attachment {
  const pages = info.pages > 0 ? `${info.pages} page${info.pages === 1 ? '' : 's'}` : 'pages unknown';
  return {
    id,
    kind: 'document',
    label: name,
    detail: `${name}: PDF, ${pages}, ${(info.bytes / 1024 / 1024).toFixed(1)} MB (tokens estimated)`,
    language: '',
    content: dataUrl,
    tokens: pdfTokens(info.pages),
    pages: info.pages,
    bytes: info.bytes,
  };
}
