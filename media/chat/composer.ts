/// <reference lib="dom" />
/**
 * The message box pinned under the transcript: attached context and estimate (contextBar.ts), a
 * text area that grows up to about ten lines, and a toolbar with attach buttons and Send, which
 * becomes Stop while a request runs. Enter sends (never mid-IME-composition), Shift+Enter breaks
 * the line, Escape stops a request or leaves edit mode.
 *
 * The draft is saved with `setState` on every input and restored on load, edit mode included
 * (editing the last question again puts the current draft aside and brings it back afterwards).
 *
 * Pasting an image or a PDF attaches it (imageIntake.ts) instead of inserting anything; a paste of
 * text stays an ordinary paste, and the draft is never touched by an attachment, failed or not.
 * A question sent while an image is still being scaled waits for it (saying so), so the image goes
 * with this question and not the next; if the image is refused, nothing is sent and the composer
 * says so (Enter then sends the question without it).
 */
import type { ContextChip, CostEstimate, WebviewToHost } from '../../src/shared/protocol';
import { createContextBar } from './contextBar';
import { setIconButton, type Dom } from './dom';
import type { AttachmentHandler } from './imageIntake';
import { pastedAttachments } from './transferData';
import type { DraftState, EditingState, VsCodeApi } from './webviewApi';

/** The host refuses longer messages (protocol.ts, MAX_TEXT). */
const MAX_MESSAGE_LENGTH = 1_000_000;

export interface Composer {
  readonly element: HTMLElement;
  focus(): void;
  setBusy(busy: boolean): void;
  setContext(chips: readonly ContextChip[], estimate: CostEstimate, toolsOff?: string): void;
  /** Puts the last question (`turnId`, `text`) into the box to be edited and sent again. */
  startEdit(turnId: string, text: string): void;
  /** Leaves edit mode unless `lastQuestionId` is still the question being edited. */
  checkEdit(lastQuestionId: string | undefined): void;
}

export interface ComposerOptions {
  dom: Dom;
  api: VsCodeApi;
  initial: DraftState;
  timers: Pick<Window, 'setTimeout' | 'clearTimeout'>;
  notify(level: 'info' | 'error', message: string): void;
  /** Pasted images and PDFs, and the image chips' detail switch. */
  attachments: AttachmentHandler;
  /** Called after a question was posted. */
  onSent(): void;
}

export function createComposer({ dom, api, initial, timers, notify, attachments, onSent }: ComposerOptions): Composer {
  const post = (message: WebviewToHost): void => api.postMessage(message);
  let busy = false;
  let editing: EditingState | undefined = initial.editing;
  /** Send was pressed while attachments were still being scaled. */
  let waitingForAttachments = false;

  const element = dom.el('div', 'composer');
  const editBar = dom.el('div', 'edit-bar');
  editBar.append(dom.icon('edit'), dom.el('span', 'edit-bar-text', 'Editing your last question — Esc to cancel'));
  const cancelEditButton = dom.iconButton('close', 'Cancel editing', () => cancelEdit());
  editBar.append(cancelEditButton);

  const contextBar = createContextBar(
    dom,
    {
      onRemove: (chip) => post({ type: 'removeContext', id: chip.id }),
      canSwitchDetail: (chip) => attachments.canSwitchDetail(chip),
      onSwitchDetail: (chip) => attachments.switchDetail(chip),
    },
    timers,
  );
  const textarea = dom.el('textarea', 'composer-input');
  textarea.rows = 1;
  textarea.placeholder = 'Ask Kestrel… (Enter to send, Shift+Enter for a new line)';
  textarea.setAttribute('aria-label', 'Message Kestrel');
  textarea.spellcheck = true;
  textarea.value = initial.draft;

  const toolbar = dom.el('div', 'composer-toolbar');
  const status = dom.el('span', 'toolbar-spacer composer-status');
  status.setAttribute('role', 'status');
  const sendButton = dom.iconButton('send', 'Send (Enter)', () => {
    if (busy) return post({ type: 'stop' });
    send();
    // A keyboard user who pressed Send goes on typing there; left on the button, which turns into
    // Stop, their next Enter would stop the answer.
    textarea.focus();
  });
  sendButton.classList.add('send-button');
  toolbar.append(
    dom.iconButton('selection', 'Attach selection', () => post({ type: 'attach', what: 'selection' })),
    dom.iconButton('file-add', 'Add file…', () => post({ type: 'attach', what: 'file' })),
    dom.iconButton('file-media', 'Attach image or PDF…', () => post({ type: 'attach', what: 'image' })),
    dom.iconButton('add', 'New chat', () => post({ type: 'newChat' })),
    status,
    sendButton,
  );

  const box = dom.el('div', 'composer-box');
  box.append(contextBar.element, textarea, toolbar);
  element.append(editBar, box);

  const save = (): void => api.setState(editing ? { draft: textarea.value, editing } : { draft: textarea.value });

  /** Keeps what depends on the text (send button, estimate, height) in step with it. */
  const textChanged = (): void => {
    sendButton.setAttribute('aria-disabled', String(!busy && (textarea.value.trim() === '' || waitingForAttachments)));
    contextBar.setDraft(textarea.value);
    fitHeight(textarea);
  };

  const showEditMode = (): void => {
    editBar.hidden = editing === undefined;
    element.classList.toggle('is-editing', editing !== undefined);
  };

  const setText = (text: string): void => {
    textarea.value = text;
    textarea.setSelectionRange(text.length, text.length);
    textChanged();
  };

  function send(): void {
    const text = textarea.value.trimEnd();
    if (busy || text.trim() === '') return;
    if (text.length > MAX_MESSAGE_LENGTH) {
      notify('error', `The message is too long to send (${text.length.toLocaleString('en-US')} characters; the limit is ${MAX_MESSAGE_LENGTH.toLocaleString('en-US')}).`);
      return;
    }
    const attaching = attachments.settled();
    if (attaching) {
      if (!waitingForAttachments) waitFor(attaching);
      return;
    }
    status.textContent = '';
    post(editing ? { type: 'send', text, replacing: editing.turnId } : { type: 'send', text });
    // An edit gives back the draft it put aside; a plain send clears the box.
    const next = editing ? editing.stashedDraft : '';
    editing = undefined;
    setText(next);
    showEditMode();
    save();
    onSent();
  }

  /** Sends once the attachments being scaled are attached (the text as it is then). */
  function waitFor(attaching: Promise<boolean>): void {
    waitingForAttachments = true;
    status.textContent = 'Attaching… sending when ready';
    textChanged();
    void attaching.then((allAttached) => {
      waitingForAttachments = false;
      // A refused attachment may be what the question is about: the user decides whether to send without it.
      status.textContent = allAttached ? '' : 'Not sent: an attachment was refused (see above). Press Enter to send without it.';
      textChanged();
      if (allAttached) send();
    });
  }

  function cancelEdit(): void {
    if (!editing) return;
    const stashed = editing.stashedDraft;
    editing = undefined;
    post({ type: 'cancelEdit' });
    setText(stashed);
    showEditMode();
    save();
    textarea.focus();
  }

  textarea.addEventListener('input', () => {
    textChanged();
    save();
  });
  textarea.addEventListener('paste', (event) => {
    const files = event.clipboardData ? pastedAttachments(event.clipboardData) : [];
    if (files.length === 0) return;
    event.preventDefault();
    void attachments.addFiles(files, 'pasted');
  });
  textarea.addEventListener('keydown', (event) => {
    // keyCode 229: the key went to an input method (some browsers report isComposing late).
    if (event.isComposing || event.keyCode === 229) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      send();
    } else if (event.key === 'Escape') {
      if (busy) {
        event.preventDefault();
        post({ type: 'stop' });
      } else if (editing) {
        event.preventDefault();
        cancelEdit();
      }
    }
  });

  showEditMode();
  textChanged();

  return {
    element,
    focus: () => textarea.focus(),
    setBusy(next) {
      busy = next;
      element.classList.toggle('is-busy', busy);
      setIconButton(sendButton, busy ? 'debug-stop' : 'send', busy ? 'Stop (Esc)' : 'Send (Enter)');
      textChanged();
    },
    setContext: (chips, estimate, toolsOff) => contextBar.setContext(chips, estimate, toolsOff),
    startEdit(turnId, text) {
      editing = { turnId, stashedDraft: editing ? editing.stashedDraft : textarea.value };
      setText(text);
      showEditMode();
      save();
      textarea.focus();
    },
    checkEdit(lastQuestionId) {
      if (!editing || editing.turnId === lastQuestionId) return;
      // The question is no longer the last one (another chat, a question asked from the editor),
      // so the host gave the draft's attachments back: the draft's text comes back too, and the
      // edited text stays after it rather than being thrown away.
      const parts = [editing.stashedDraft, textarea.value].filter((part) => part.trim() !== '');
      editing = undefined;
      setText(parts.join('\n\n'));
      showEditMode();
      save();
    },
  };
}

/**
 * Grows the box with its text, up to its CSS max-height, where `field-sizing: content` is not
 * supported (VS Code's Chromium has it; older ones and jsdom do not).
 */
function fitHeight(textarea: HTMLTextAreaElement): void {
  const css = textarea.ownerDocument.defaultView?.CSS;
  if (!css || typeof css.supports !== 'function' || css.supports('field-sizing', 'content')) return;
  textarea.style.height = 'auto';
  textarea.style.height = `${textarea.scrollHeight + 2}px`;
}
