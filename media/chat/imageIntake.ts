/// <reference lib="dom" />
/**
 * Turns pasted and dropped files, and the host's `scaleImage` requests, into `attachImage` and
 * `attachDocument` messages. Every file is checked from its bytes before anything is decoded (too
 * large, not an image, animated: a notice naming the file, nothing posted, the draft untouched),
 * images are counted against the per-question limit, then scaled (imageScaling.ts). Files are
 * handled one at a time, in order, so the count is right and chips appear in paste order. Pasted
 * screenshots, all called `image.png` by Chromium, are named "Pasted image 1.png", "... 2.png".
 *
 * The source of each image is kept so its chip can switch detail level by scaling again. The
 * host names chips, so a kept source is tied to its chip when the chip shows up in `context`:
 * the chip whose thumbnail is the one posted (the thumbnail is derived from the source, so it
 * identifies it; posts are matched first-in, first-out), or by name where a chip has no
 * thumbnail. A source is let go when its chip goes (removed, or sent with the question); chips
 * without a kept source (after a reload) cannot switch.
 */
import { IMAGE_MIME_TYPES, imageProblem, MAX_IMAGE_BYTES, sniffImage, type ImageFormat } from '../../src/core/vision/imageFormat';
import type { ContextChip, ImageDetail, WebviewToHost } from '../../src/shared/protocol';
import { bytesToBase64, parseBase64DataUrl } from './base64';
import { scaleImage, type ImageDecoder } from './imageScaling';

export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
/** The protocol's limit on a name (protocol.ts, `attachImage` and `attachDocument`). */
const MAX_NAME = 256;
/** Posted images not (yet) seen as chips; a refused one must not be kept forever. */
const MAX_PENDING = 8;
/** Chromium's name for every image pasted from the clipboard. */
const CLIPBOARD_IMAGE_NAME = 'image.png';

export interface ImageSettings {
  detail: ImageDetail;
  maxSide: number;
  maxImages: number;
}

/** Until the host's `imageSettings` arrives. */
export const DEFAULT_IMAGE_SETTINGS: ImageSettings = { detail: 'high', maxSide: 1024, maxImages: 5 };

/** What the composer does with attachments: take files, and switch an image chip's detail. */
export interface AttachmentHandler {
  /** `pasted`: from the clipboard, where a screenshot is always called `image.png`. */
  addFiles(files: readonly File[], origin: 'pasted' | 'dropped'): Promise<void>;
  /** Whether `chip`'s source is kept, so it can be scaled again at the other detail level. */
  canSwitchDetail(chip: ContextChip): boolean;
  /** Scales `chip`'s image again at the other detail level; false when that failed. */
  switchDetail(chip: ContextChip): Promise<boolean>;
  /**
   * Undefined when no file is being attached; otherwise resolves once all are done: true when
   * every one was attached, false when one was refused (a notice says why).
   */
  settled(): Promise<boolean> | undefined;
}

export interface ImageIntake extends AttachmentHandler {
  /** The host's `scaleImage`: like a pasted file, answered with `attachImage` and `requestId`. */
  scaleForHost(requestId: string, name: string, dataUrl: string): Promise<void>;
  setSettings(settings: ImageSettings): void;
  /** The chips of the next question (`context`). Call before they are rendered. */
  setChips(chips: readonly ContextChip[]): void;
}

export interface ImageIntakeOptions {
  post(message: WebviewToHost): void;
  notify(level: 'info' | 'error', message: string): void;
  decode: ImageDecoder;
}

interface KeptSource {
  name: string;
  source: Blob;
  format: ImageFormat;
  thumbnail: string;
}

interface PendingImage {
  kept: KeptSource;
  detail: ImageDetail;
  replaces?: string;
  /** Posted since the last `context`: counts against the limit until the host has answered. */
  inFlight: boolean;
}

export function createImageIntake({ post, notify, decode }: ImageIntakeOptions): ImageIntake {
  let settings = DEFAULT_IMAGE_SETTINGS;
  let imageChips = 0;
  const bound = new Map<string, KeptSource>();
  let pending: PendingImage[] = [];
  let queue: Promise<void> = Promise.resolve();
  let pastedImages = 0;
  /** Tasks queued or running, whether one of them was refused, and who waits for them to end. */
  let inProgress = 0;
  let anyRefused = false;
  let settledWaiters: ((allAttached: boolean) => void)[] = [];

  const refuse = (message: string): void => {
    anyRefused = true;
    notify('error', message);
  };

  /** Runs `task` after the ones before it; a failure is reported and does not stop the queue. */
  const enqueue = <T>(name: string, task: () => Promise<T>, fallback: T): Promise<T> => {
    inProgress++;
    const run = queue.then(task);
    queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run
      .catch((error: unknown) => {
        refuse(`${name} could not be attached: ${error instanceof Error ? error.message : String(error)}`);
        return fallback;
      })
      .finally(() => {
        if (--inProgress > 0) return;
        for (const resolve of settledWaiters.splice(0)) resolve(!anyRefused);
        anyRefused = false;
      });
  };

  const imagesAttached = (): number => imageChips + pending.filter((image) => image.inFlight && !image.replaces).length;

  const remember = (image: PendingImage): void => {
    pending.push(image);
    if (pending.length > MAX_PENDING) pending = pending.slice(-MAX_PENDING);
  };

  /** Checks, scales and posts one image; `requestId` when the host asked for it. False when refused. */
  async function attachImageBytes(name: string, bytes: Uint8Array<ArrayBuffer>, requestId?: string): Promise<boolean> {
    const info = sniffImage(bytes);
    const problem = imageProblem(name, bytes.length, info);
    if (problem || !info) {
      refuse(problem ?? `${name} is not an image.`);
      return false;
    }
    // Describe Image (a host request) asks about the image at once; it does not join the draft.
    if (requestId === undefined && imagesAttached() >= settings.maxImages) {
      refuse(`${name} was not attached: a question can carry at most ${settings.maxImages} images. Remove one to add another.`);
      return false;
    }
    const source = new Blob([bytes], { type: IMAGE_MIME_TYPES[info.format] });
    let scaled;
    try {
      scaled = await scaleImage(decode, source, info.format, settings.detail, settings.maxSide);
    } catch (error) {
      refuse(`${name} could not be read as an image${error instanceof Error ? ` (${error.message})` : ''}.`);
      return false;
    }
    post({ type: 'attachImage', image: { name, ...scaled }, ...(requestId !== undefined ? { requestId } : {}) });
    remember({ kept: { name, source, format: info.format, thumbnail: scaled.thumbnail }, detail: scaled.detail, inFlight: true });
    return true;
  }

  /** A PDF is not scaled: the host reads its pages; it only has to be one, and not too large. */
  function attachDocumentBytes(name: string, bytes: Uint8Array): void {
    post({ type: 'attachDocument', name, dataUrl: `data:application/pdf;base64,${bytesToBase64(bytes)}` });
  }

  async function attachFile(file: File, name: string): Promise<void> {
    const declaredPdf = isDeclaredPdf(file);
    // Refused by size before reading: a 40 MB file is never read into memory.
    if (declaredPdf && file.size > MAX_DOCUMENT_BYTES) {
      refuse(`${name} is ${megabytes(file.size)} MB; PDFs up to 20 MB can be attached.`);
      return;
    }
    if (!declaredPdf && file.size > MAX_IMAGE_BYTES) {
      refuse(imageProblem(name, file.size, undefined) ?? `${name} is too large.`);
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (hasPdfHeader(bytes)) attachDocumentBytes(name, bytes);
    else if (declaredPdf) refuse(`${name} is not a PDF (or it is damaged).`);
    else await attachImageBytes(name, bytes);
  }

  return {
    addFiles(files, origin) {
      const named = files.map((file) => {
        // Screenshots pasted one after another get names told apart on their chips.
        if (origin === 'pasted' && (file.name === CLIPBOARD_IMAGE_NAME || (file.name === '' && !isDeclaredPdf(file)))) {
          return { file, name: `Pasted image ${++pastedImages}.png` };
        }
        return { file, name: shortName(file.name || (isDeclaredPdf(file) ? 'Untitled.pdf' : 'Untitled file')) };
      });
      return Promise.all(named.map(({ file, name }) => enqueue(name, () => attachFile(file, name), undefined))).then(() => undefined);
    },
    scaleForHost(requestId, name, dataUrl) {
      return enqueue(name, async () => {
        const label = shortName(name);
        const parsed = parseBase64DataUrl(dataUrl);
        if (!parsed) refuse(`${label} could not be read.`);
        // The host forgets a request it will never hear back about (it would resend it on reload).
        if (!parsed || !(await attachImageBytes(label, parsed.bytes, requestId))) post({ type: 'scaleFailed', requestId });
      }, undefined);
    },
    setSettings(next) {
      settings = {
        detail: next.detail === 'low' ? 'low' : 'high',
        maxSide: positiveInteger(next.maxSide) ? next.maxSide : DEFAULT_IMAGE_SETTINGS.maxSide,
        maxImages: positiveInteger(next.maxImages) || next.maxImages === 0 ? next.maxImages : DEFAULT_IMAGE_SETTINGS.maxImages,
      };
    },
    setChips(chips) {
      const images = chips.filter((chip) => chip.kind === 'image');
      imageChips = images.length;
      const live = new Set(images.map((chip) => chip.id));
      for (const id of [...bound.keys()]) if (!live.has(id)) bound.delete(id);
      for (const chip of images) {
        if (bound.has(chip.id)) continue;
        const index = pending.findIndex((image) => (chip.thumbnail !== undefined ? image.kept.thumbnail === chip.thumbnail : image.kept.name === chip.label));
        if (index < 0) continue;
        bound.set(chip.id, pending[index].kept);
        pending.splice(index, 1);
      }
      // A replacement the host made in place (same chip id, now at the new detail) is done.
      pending = pending.filter((image) => !(image.replaces && images.some((chip) => chip.id === image.replaces && chip.imageDetail === image.detail)));
      for (const image of pending) image.inFlight = false;
    },
    canSwitchDetail: (chip) => chip.kind === 'image' && bound.has(chip.id),
    settled: () => (inProgress === 0 ? undefined : new Promise<boolean>((resolve) => settledWaiters.push(resolve))),
    switchDetail(chip) {
      const kept = bound.get(chip.id);
      if (!kept) return Promise.resolve(false);
      const detail: ImageDetail = (chip.imageDetail ?? settings.detail) === 'high' ? 'low' : 'high';
      return enqueue(kept.name, async () => {
        const scaled = await scaleImage(decode, kept.source, kept.format, detail, settings.maxSide);
        post({ type: 'attachImage', image: { name: kept.name, ...scaled }, replaces: chip.id });
        remember({ kept, detail, replaces: chip.id, inFlight: true });
        return true;
      }, false);
    },
  };
}

function isDeclaredPdf(file: File): boolean {
  return file.type === 'application/pdf' || /\.pdf$/i.test(file.name);
}

function hasPdfHeader(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-';
}

function shortName(name: string): string {
  return name.length <= MAX_NAME ? name : `${name.slice(0, MAX_NAME - 1)}…`;
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function positiveInteger(value: number): boolean {
  return Number.isInteger(value) && value >= 1;
}
