/**
 * Entry point of the Kestrel side-bar webview bundle: the styles, and the chat app mounted into
 * the host page's `#app` with VS Code's webview API. Everything else lives in chatApp.ts, which
 * the unit tests mount into jsdom.
 */
import './codicons.css';
import './markdown/markdown.css';
import './chat.css';
import { mountChatApp } from './chatApp';
import type { VsCodeApi } from './webviewApi';

declare function acquireVsCodeApi(): VsCodeApi;

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('main'));
mountChatApp(root, acquireVsCodeApi(), { window });
