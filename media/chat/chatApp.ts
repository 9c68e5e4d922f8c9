/// <reference lib="dom" />
/**
 * The chat app, mounted into the webview's `#app` (or a jsdom element in tests, with a fake API
 * and a manual scheduler). It builds the layout (notices, a scrolling area with the welcome or
 * connection panel and the transcript, the composer pinned below, one live region) and applies
 * each host message to the part it concerns: one exhaustive switch over `HostToWebview`.
 * Images and PDFs come in by paste (composer), by drop anywhere on the view (dropTarget.ts) and
 * from the host (`scaleImage`); imageIntake.ts checks, scales and posts them.
 */
import type { ConnectionSummary, HostToWebview, WebviewToHost } from '../../src/shared/protocol';
import { createAnnouncer } from './announcer';
import { createAutoScroll } from './autoScroll';
import { createComposer } from './composer';
import { createConnectionPanel, needsApiKey, type ConnectionTestResult } from './connectionPanel';
import { createDom } from './dom';
import { createDropTarget } from './dropTarget';
import { createEmptyState } from './emptyState';
import { createImageIntake } from './imageIntake';
import { canvasDecoder, type ImageDecoder } from './imageScaling';
import { createMarkdownRenderer, type MarkdownRenderer } from './markdown/renderMarkdown';
import type { UpdateScheduler } from './markdown/streamingRenderer';
import { windowScheduler } from './markdown/updatePacer';
import { idleSchedulerFor, warmUpRenderer, type IdleScheduler } from './markdown/warmUp';
import { createNotices } from './notices';
import { createTranscript } from './transcript';
import { MAX_DROPPED_URIS } from './transferData';
import { readDraftState, type VsCodeApi } from './webviewApi';

export interface ChatAppOptions {
  window: Window & typeof globalThis;
  /** Defaults to one bound to `window`. */
  renderer?: MarkdownRenderer;
  /** When streaming updates run; defaults to the window's frames and timers. */
  scheduler?: UpdateScheduler;
  /** For warming the renderer up at load; defaults to requestIdleCallback. */
  idle?: IdleScheduler;
  /** The clock for "5 min ago". */
  now?: () => number;
  /** Decodes and draws images for scaling; defaults to `createImageBitmap` and a canvas. */
  imageDecoder?: ImageDecoder;
}

export interface ChatApp {
  /** Applies one host message (the app also listens for them on the window). */
  receive(message: HostToWebview): void;
  dispose(): void;
}

export function mountChatApp(root: HTMLElement, api: VsCodeApi, options: ChatAppOptions): ChatApp {
  const win = options.window;
  const dom = createDom(root.ownerDocument);
  const post = (message: WebviewToHost): void => api.postMessage(message);
  const renderer = options.renderer ?? createMarkdownRenderer(win);
  let connection: ConnectionSummary | undefined;
  let testResult: ConnectionTestResult | undefined;

  const notices = createNotices(dom);
  const announcer = createAnnouncer(dom);
  const scroller = dom.el('div', 'scroller');
  const loading = dom.el('p', 'loading', 'Loading…');
  const connectionPanel = createConnectionPanel(dom, post);
  const emptyState = createEmptyState(dom, post, options.now ?? (() => Date.now()));

  const base = options.scheduler ?? windowScheduler(win);
  // After each streaming update, follow the answer's end.
  const scheduler: UpdateScheduler = {
    ...base,
    frame: (callback) =>
      base.frame(() => {
        callback();
        autoScroll.contentChanged();
      }),
  };
  const transcript = createTranscript({
    dom,
    renderer,
    scheduler,
    post,
    announce: (text) => announcer.announce(text),
    onEdit: (turn) => {
      composer.startEdit(turn.id, turn.text);
      // Its attachments come back as chips (one the API refused can be removed before resending),
      // and the draft's own are put aside with the draft's text.
      post({ type: 'editQuestion', turnId: turn.id });
    },
  });
  const autoScroll = createAutoScroll(dom, scroller, transcript.element, (callback) => base.nextTask(callback));
  const notify = (level: 'info' | 'error', message: string): void => notices.show(level, message);
  const intake = createImageIntake({ post, notify, decode: options.imageDecoder ?? canvasDecoder(win) });
  const composer = createComposer({
    dom,
    api,
    initial: readDraftState(api),
    timers: win,
    notify,
    attachments: intake,
    onSent: () => autoScroll.jumpToLatest(),
  });

  const lead = dom.el('div', 'lead');
  scroller.append(lead, transcript.element);
  const scrollArea = dom.el('div', 'scroll-area');
  scrollArea.append(scroller, autoScroll.jumpButton);
  const layout = dom.el('div', 'chat');
  const dropTarget = createDropTarget(dom, layout, {
    files: (files) => void intake.addFiles(files, 'dropped'),
    uris(uris) {
      if (uris.length > MAX_DROPPED_URIS) notify('info', `Only the first ${MAX_DROPPED_URIS} of the ${uris.length} dropped files are attached.`);
      post({ type: 'attachUris', uris: uris.slice(0, MAX_DROPPED_URIS) });
    },
  });
  layout.append(notices.element, scrollArea, composer.element, announcer.element, dropTarget.overlay);
  root.replaceChildren(layout);

  /** Loading, the connection panel, the welcome, or nothing above the transcript. */
  const showLead = (): void => {
    let shown: HTMLElement | undefined;
    if (!connection) shown = loading;
    else if (needsApiKey(connection)) shown = connectionPanel.element;
    else if (transcript.turnCount === 0) shown = emptyState.element;
    if (lead.firstElementChild !== (shown ?? null)) lead.replaceChildren(...(shown ? [shown] : []));
    layout.classList.toggle('is-empty', transcript.turnCount === 0);
  };

  const setBusy = (busy: boolean): void => {
    transcript.setBusy(busy);
    composer.setBusy(busy);
  };

  function receive(message: HostToWebview): void {
    switch (message.type) {
      case 'connection':
        connection = message.connection;
        connectionPanel.render(connection, testResult);
        emptyState.setConnection(connection);
        break;
      case 'connectionTest':
        testResult = { ok: message.ok, message: message.message };
        if (connection) connectionPanel.render(connection, testResult);
        if (lead.firstChild !== connectionPanel.element) notices.show(message.ok ? 'info' : 'error', message.message);
        break;
      case 'conversation':
        transcript.setConversation(message.conversation);
        emptyState.setCurrentConversation(message.conversation.id);
        setBusy(message.busy);
        composer.checkEdit(transcript.lastQuestion()?.id);
        autoScroll.jumpToLatest();
        break;
      case 'conversations':
        emptyState.setConversations(message.conversations);
        break;
      case 'turnAdded':
        transcript.addTurn(message.turn);
        // A question asked elsewhere (Explain Selection) ends editing of the one before it.
        if (message.turn.role === 'user') composer.checkEdit(transcript.lastQuestion()?.id);
        if (message.turn.role === 'user') autoScroll.jumpToLatest();
        else autoScroll.contentChanged();
        break;
      case 'answerDelta':
        transcript.appendDelta(message.turnId, message.text);
        break;
      case 'turnUpdated':
        transcript.updateTurn(message.turn);
        autoScroll.contentChanged();
        break;
      case 'toolStep':
        transcript.showToolStep(message.turnId, message.step);
        autoScroll.contentChanged();
        break;
      case 'turnsRemoved':
        transcript.removeTurns(message.turnIds);
        composer.checkEdit(transcript.lastQuestion()?.id);
        break;
      case 'turnsOutOfContext':
        transcript.setOutOfContext(message.count);
        break;
      case 'busy':
        setBusy(message.busy);
        break;
      case 'context':
        // First, so the chips are drawn knowing which images can still switch detail.
        intake.setChips(message.chips);
        composer.setContext(message.chips, message.estimate, message.toolsOff);
        break;
      case 'scaleImage':
        void intake.scaleForHost(message.requestId, message.name, message.dataUrl);
        break;
      case 'imageSettings':
        intake.setSettings(message);
        break;
      case 'focusComposer':
        composer.focus();
        break;
      case 'notice':
        notices.show(message.level, message.message);
        break;
      default: {
        // A newer host's message this app does not know: ignore it.
        const unknown: never = message;
        void unknown;
      }
    }
    showLead();
  }

  const onMessage = (event: MessageEvent<unknown>): void => {
    const data = event.data;
    if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string') receive(data as HostToWebview);
  };
  win.addEventListener('message', onMessage);
  showLead();
  void warmUpRenderer(renderer, options.idle ?? idleSchedulerFor(win), layout);
  post({ type: 'ready' });

  return {
    receive,
    dispose() {
      win.removeEventListener('message', onMessage);
      autoScroll.dispose();
      root.replaceChildren();
    },
  };
}
