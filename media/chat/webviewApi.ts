/**
 * The part of VS Code's webview API the chat uses, typed with the message protocol, and the state
 * it keeps across reloads. VS Code throws a hidden webview away (no `retainContextWhenHidden`), so
 * the draft and edit mode live in `setState`, written on every input: it is a cheap in-memory
 * call, and hiding the panel or reloading the window must never lose what the user was typing.
 * The conversation itself is the host's and comes back with `conversation`.
 */
import type { WebviewToHost } from '../../src/shared/protocol';

export interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: DraftState): void;
}

/** Editing the last question again: its id, and the draft that was put aside for it. */
export interface EditingState {
  turnId: string;
  stashedDraft: string;
}

export interface DraftState {
  draft: string;
  editing?: EditingState;
}

/** The saved state, or an empty draft when there is none or it has an unexpected shape. */
export function readDraftState(api: VsCodeApi): DraftState {
  const saved = api.getState();
  if (typeof saved !== 'object' || saved === null) return { draft: '' };
  const { draft, editing } = saved as Record<string, unknown>;
  const state: DraftState = { draft: typeof draft === 'string' ? draft : '' };
  if (typeof editing === 'object' && editing !== null) {
    const { turnId, stashedDraft } = editing as Record<string, unknown>;
    if (typeof turnId === 'string') state.editing = { turnId, stashedDraft: typeof stashedDraft === 'string' ? stashedDraft : '' };
  }
  return state;
}
