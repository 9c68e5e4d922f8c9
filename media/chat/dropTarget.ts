/// <reference lib="dom" />
/**
 * Files dropped onto the chat view. VS Code lets a drag reach a webview only while Shift is held,
 * so a hint says so while something droppable is over the view; it is decoration only (hidden
 * from screen readers: the attach button is the accessible way in). Files from the desktop
 * arrive with their bytes; files from VS Code's Explorer as URIs the host reads.
 */
import type { Dom } from './dom';
import { carriesAttachments, droppedUris } from './transferData';

export interface DropHandlers {
  files(files: File[]): void;
  uris(uris: string[]): void;
}

export interface DropTarget {
  /** The hint, to be placed over the view. */
  readonly overlay: HTMLElement;
}

export function createDropTarget(dom: Dom, area: HTMLElement, handlers: DropHandlers): DropTarget {
  const overlay = dom.el('div', 'drop-overlay');
  overlay.setAttribute('aria-hidden', 'true');
  const hint = dom.el('div', 'drop-overlay-hint');
  hint.append(dom.icon('file-media'), dom.el('span', undefined, 'Drop images or PDFs to attach (hold Shift)'));
  overlay.append(hint);
  overlay.hidden = true;
  /** Enter and leave fire for every child crossed: the hint goes when the count is back at 0. */
  let depth = 0;
  /** Text or a link dragged about inside the view is not an attachment. */
  let internalDrag = false;

  const wanted = (event: DragEvent): boolean => !internalDrag && carriesAttachments(event.dataTransfer);
  const hide = (): void => {
    depth = 0;
    overlay.hidden = true;
  };

  area.addEventListener('dragstart', () => (internalDrag = true));
  area.addEventListener('dragend', () => {
    internalDrag = false;
    hide();
  });
  area.addEventListener('dragenter', (event) => {
    if (!wanted(event)) return;
    event.preventDefault();
    depth++;
    overlay.hidden = false;
  });
  area.addEventListener('dragover', (event) => {
    if (!wanted(event)) return;
    // Without this the drop is refused.
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    overlay.hidden = false;
  });
  area.addEventListener('dragleave', (event) => {
    if (!wanted(event)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  area.addEventListener('drop', (event) => {
    if (!wanted(event) || !event.dataTransfer) {
      hide();
      return;
    }
    event.preventDefault();
    hide();
    const files = Array.from(event.dataTransfer.files ?? []);
    if (files.length > 0) {
      handlers.files(files);
      return;
    }
    const uris = droppedUris(event.dataTransfer);
    if (uris.length > 0) handlers.uris(uris);
  });

  return { overlay };
}
