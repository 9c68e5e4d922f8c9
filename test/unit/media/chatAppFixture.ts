/**
 * Mounts the chat webview app into a fresh jsdom page with a fake VS Code API (it records what
 * the app posts and keeps its state) and a manual scheduler, so a test decides when streaming
 * frames run. Helpers type into the composer and press keys the way a user would.
 */
import * as assert from 'node:assert/strict';
import { mountChatApp, type ChatApp, type ChatAppOptions } from '../../../media/chat/chatApp';
import type { UpdateScheduler } from '../../../media/chat/markdown/updatePacer';
import type { DraftState, VsCodeApi } from '../../../media/chat/webviewApi';
import type { ConnectionSummary, HostToWebview, TurnView, WebviewToHost } from '../../../src/shared/protocol';
import { createDomFixture, type DomFixture } from './domFixture';

export const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

export class FakeVsCodeApi implements VsCodeApi {
  readonly posted: WebviewToHost[] = [];
  constructor(public state: unknown = undefined) {}
  postMessage(message: WebviewToHost): void {
    this.posted.push(message);
  }
  getState(): unknown {
    return this.state;
  }
  setState(state: DraftState): void {
    this.state = structuredClone(state);
  }
  /** Posted messages other than the initial `ready`, and forgets them. */
  take(): WebviewToHost[] {
    return this.posted.splice(0).filter((message) => message.type !== 'ready');
  }
}

export interface ManualScheduler extends UpdateScheduler {
  /** Runs the frames requested, including those they request; returns how many. */
  flush(): number;
}

export function manualScheduler(): ManualScheduler {
  const frames: (() => void)[] = [];
  return {
    frame: (callback) => frames.push(callback),
    afterFrame: () => {},
    nextTask: (callback) => frames.push(callback),
    delay: (callback) => callback(),
    idle: (callback) => callback(),
    now: () => 0,
    flush: () => {
      let count = 0;
      for (let callback = frames.shift(); callback; callback = frames.shift(), count++) callback();
      return count;
    },
  };
}

export interface MountedChat {
  dom: DomFixture;
  api: FakeVsCodeApi;
  app: ChatApp;
  root: HTMLElement;
  scheduler: ManualScheduler;
  send(message: HostToWebview): void;
  $<E extends Element = HTMLElement>(selector: string): E;
  $$<E extends Element = HTMLElement>(selector: string): E[];
  textarea(): HTMLTextAreaElement;
  type(text: string): void;
  press(key: string, init?: KeyboardEventInit): KeyboardEvent;
  click(selector: string | Element): MouseEvent;
  turn(id: string): HTMLElement;
}

export const OPENAI: ConnectionSummary = { provider: 'openai', endpoint: 'https://api.openai.com/v1', model: 'gpt-4o-mini', keySource: 'secret-storage' };

/** `extra`: options a test replaces, such as the image decoder (jsdom has no canvas). */
export function mountChat(state?: unknown, dom = createDomFixture(), extra: Pick<ChatAppOptions, 'imageDecoder'> = {}): MountedChat {
  const api = new FakeVsCodeApi(state);
  const scheduler = manualScheduler();
  const root = dom.document.createElement('main');
  root.id = 'app';
  dom.document.body.append(root);
  const app = mountChatApp(root, api, {
    window: dom.window as unknown as Window & typeof globalThis,
    renderer: dom.renderer,
    scheduler,
    idle: () => {},
    now: () => NOW,
    ...extra,
  });
  const $$ = <E extends Element = HTMLElement>(selector: string): E[] => Array.from(root.querySelectorAll<E>(selector));
  const $ = <E extends Element = HTMLElement>(selector: string): E => {
    const found = root.querySelector<E>(selector);
    assert.ok(found, `nothing matches ${selector}`);
    return found;
  };
  const textarea = (): HTMLTextAreaElement => $<HTMLTextAreaElement>('textarea');
  return {
    dom,
    api,
    app,
    root,
    scheduler,
    send: (message) => app.receive(message),
    $,
    $$,
    textarea,
    type(text) {
      const box = textarea();
      box.value = text;
      box.dispatchEvent(new dom.window.Event('input', { bubbles: true }));
    },
    press(key, init = {}) {
      const event = new dom.window.KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
      textarea().dispatchEvent(event);
      return event;
    },
    click(target) {
      const element = typeof target === 'string' ? $(target) : target;
      const event = new dom.window.MouseEvent('click', { bubbles: true, cancelable: true, button: 0 });
      element.dispatchEvent(event);
      return event;
    },
    turn: (id) => $(`[data-turn-id="${id}"]`),
  };
}

export const question = (id: string, text: string, extra: Partial<TurnView> = {}): TurnView => ({ id, role: 'user', text, createdAt: NOW, ...extra });
export const answer = (id: string, text: string, extra: Partial<TurnView> = {}): TurnView => ({
  id,
  role: 'assistant',
  text,
  createdAt: NOW,
  status: 'complete',
  ...extra,
});

/** A button by its accessible name (aria-label, else its text), within `root`. */
export function buttonNamed(root: ParentNode, name: string): HTMLButtonElement | undefined {
  return Array.from(root.querySelectorAll('button')).find(
    (button) => !button.hidden && (button.getAttribute('aria-label') ?? button.textContent?.trim()) === name,
  );
}
