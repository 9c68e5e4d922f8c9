/// <reference lib="dom" />
/**
 * What a paste or a drop carries that can be attached. A paste attaches its image and PDF files;
 * anything else (text, or a picture an office app adds beside the text it copied) stays a normal
 * paste. A drop from the desktop carries files; one from VS Code's Explorer carries only URIs,
 * which the host reads (`attachUris`).
 */

/** The protocol's limit on URIs in one `attachUris` (protocol.ts, MAX_URIS). */
export const MAX_DROPPED_URIS = 20;
/** The protocol's limit on one URI. */
const MAX_URI_LENGTH = 4096;

const URI_LIST_TYPES = ['application/vnd.code.uri-list', 'text/uri-list'];

export function isAttachable(file: File): boolean {
  return /^image\//i.test(file.type) || file.type === 'application/pdf' || /\.(png|jpe?g|gif|webp|pdf)$/i.test(file.name);
}

/** The files of a paste to attach; none means the paste is left to the text box. */
export function pastedAttachments(data: DataTransfer): File[] {
  let files = Array.from(data.files ?? []);
  // Some platforms list a pasted screenshot among the items only.
  if (files.length === 0 && data.items) {
    files = Array.from(data.items)
      .filter((item) => item.kind === 'file')
      .map((item) => item.getAsFile())
      .filter((file): file is File => file !== null);
  }
  const attachable = files.filter(isAttachable);
  if (attachable.length === 0) return [];
  // Word, Excel and the like put a picture of the copied text beside it, as rich and plain text:
  // the user means the text. A copied image or file comes without both.
  const types = Array.from(data.types ?? []);
  if (types.includes('text/html') && types.includes('text/plain') && data.getData('text/plain').trim() !== '') return [];
  return attachable;
}

/** Whether a drag carries files or URIs (not text dragged about inside the view). */
export function carriesAttachments(data: DataTransfer | null): boolean {
  const types = Array.from(data?.types ?? []);
  return types.includes('Files') || URI_LIST_TYPES.some((type) => types.includes(type));
}

/** The URIs of a drop (`text/uri-list`: one a line, `#` lines are comments), without repeats. */
export function droppedUris(data: DataTransfer): string[] {
  for (const type of URI_LIST_TYPES) {
    const list = data.getData(type);
    if (!list) continue;
    const uris = list
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#') && line.length <= MAX_URI_LENGTH);
    if (uris.length > 0) return [...new Set(uris)];
  }
  return [];
}
