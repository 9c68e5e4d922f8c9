/**
 * The Kestrel side-bar webview app. For now it is the connection panel: where requests go,
 * whether a key is set, and the actions that fix a problem. The chat builds on this shell.
 */
import type { ConnectionSummary, HostToWebview, WebviewCommand, WebviewToHost } from '../../src/shared/protocol';
import './chat.css';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
let testResult: { ok: boolean; message: string } | undefined;
let connection: ConnectionSummary | undefined;

const PROVIDER_NAMES: Record<ConnectionSummary['provider'], string> = {
  openai: 'OpenAI',
  azure: 'Azure OpenAI',
  'openai-compatible': 'OpenAI-compatible endpoint',
};
const KEY_SOURCES: Record<ConnectionSummary['keySource'], string> = {
  'secret-storage': 'stored in secret storage',
  environment: 'from OPENAI_API_KEY',
  none: 'not set',
};

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'connection':
      connection = message.connection;
      break;
    case 'connectionTest':
      testResult = { ok: message.ok, message: message.message };
      break;
  }
  render();
});

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label: string, command: WebviewCommand, primary = false): HTMLButtonElement {
  const node = element('button', primary ? 'button primary' : 'button secondary', label);
  node.addEventListener('click', () => vscode.postMessage({ type: 'runCommand', command }));
  return node;
}

function render(): void {
  app.replaceChildren();
  app.append(element('h2', 'title', 'Kestrel'));
  if (!connection) {
    app.append(element('p', 'muted', 'Loading…'));
    return;
  }
  const needsKey = connection.keySource === 'none' && connection.provider !== 'openai-compatible';
  const facts = element('dl', 'facts');
  for (const [term, value] of [
    ['Provider', PROVIDER_NAMES[connection.provider]],
    ['Endpoint', connection.endpoint],
    ['Model', connection.model],
    ['API key', KEY_SOURCES[connection.keySource]],
  ]) {
    facts.append(element('dt', undefined, term), element('dd', undefined, value));
  }
  app.append(facts);
  if (needsKey) app.append(element('p', 'notice', 'Kestrel needs an API key before it can answer.'));
  if (testResult) app.append(element('p', testResult.ok ? 'result ok' : 'result error', testResult.message));
  const actions = element('div', 'actions');
  actions.append(
    button('Set API Key', 'kestrel.setApiKey', needsKey),
    button('Test Connection', 'kestrel.testConnection', !needsKey),
    button('Settings', 'kestrel.openSettings'),
    button('Get Started', 'kestrel.openWalkthrough'),
  );
  app.append(actions);
}

render();
vscode.postMessage({ type: 'ready' });
