/**
 * Checks a PDF before it is attached: the header, the size limit, and a page count for its chip
 * (pages are `/Type /Page` objects; compressed object streams can hide them, so the count is a
 * floor and shown as such when it is 0). GPT-4o mini reads a PDF's text and an image of each page,
 * so its prompt cost grows with pages; the estimate here is rough and labelled as one.
 */

export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
/** A rough prompt cost per page: extracted text plus a page image. */
export const TOKENS_PER_PDF_PAGE = 1500;

export interface PdfInfo {
  pages: number;
  bytes: number;
}

/** The PDF's facts, or a problem sentence naming `name`. */
export function inspectPdf(name: string, bytes: Uint8Array): PdfInfo | { problem: string } {
  if (bytes.length > MAX_DOCUMENT_BYTES) return { problem: `${name} is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; PDFs up to 20 MB can be attached.` };
  if (String.fromCharCode(...bytes.subarray(0, 5)) !== '%PDF-') return { problem: `${name} is not a PDF (or it is damaged).` };
  // Latin-1 keeps one character per byte, so the regular expression sees the raw syntax.
  const text = new TextDecoder('latin1').decode(bytes);
  const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
  return { pages, bytes: bytes.length };
}

export function pdfTokens(pages: number): number {
  return Math.max(1, pages) * TOKENS_PER_PDF_PAGE;
}

export function isPdfName(name: string): boolean {
  return /\.pdf$/i.test(name);
}
