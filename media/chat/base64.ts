/**
 * Bytes to and from base64 for attachments. Images and PDFs travel to the host as data: URLs
 * (the protocol is JSON), and the host's `scaleImage` brings one the other way. The webview cannot
 * simply `fetch(dataUrl)`: its CSP has `default-src 'none'`, so `connect-src` refuses data: URLs.
 */

/** Encodes in slices: `String.fromCharCode(...bytes)` on 20 MB would overflow the stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  const SLICE = 0x8000;
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += SLICE) binary += String.fromCharCode(...bytes.subarray(offset, offset + SLICE));
  return btoa(binary);
}

export interface ParsedDataUrl {
  mimeType: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/** The bytes of a base64 data: URL, or undefined when it is not one (or not valid base64). */
export function parseBase64DataUrl(dataUrl: string): ParsedDataUrl | undefined {
  const match = /^data:([\w.+-]+\/[\w.+-]+)(?:;[\w-]+=[^;,]*)*;base64,/i.exec(dataUrl);
  if (!match) return undefined;
  let binary: string;
  try {
    binary = atob(dataUrl.slice(match[0].length));
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return { mimeType: match[1].toLowerCase(), bytes };
}
