/// <reference lib="dom" />
/**
 * The "not set up" state: where requests go, whether a key is set, the last connection test, and
 * the actions that fix a problem (Set API Key, Test Connection, Settings, Get Started). Shown in
 * place of the welcome while OpenAI or Azure has no key, so the first thing a new user sees is the
 * way to make Kestrel work.
 */
import type { ConnectionSummary, WebviewCommand, WebviewToHost } from '../../src/shared/protocol';
import type { Dom } from './dom';

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

export interface ConnectionTestResult {
  ok: boolean;
  message: string;
}

/** Whether requests cannot work yet: OpenAI and Azure need a key, a local endpoint may not. */
export function needsApiKey(connection: ConnectionSummary): boolean {
  return connection.keySource === 'none' && connection.provider !== 'openai-compatible';
}

export interface ConnectionPanel {
  readonly element: HTMLElement;
  render(connection: ConnectionSummary, testResult: ConnectionTestResult | undefined): void;
}

export function createConnectionPanel(dom: Dom, post: (message: WebviewToHost) => void): ConnectionPanel {
  const element = dom.el('section', 'connection-panel');
  element.setAttribute('aria-label', 'Connection');

  const button = (label: string, command: WebviewCommand, primary: boolean): HTMLButtonElement =>
    dom.textButton(label, () => post({ type: 'runCommand', command }), { primary });

  return {
    element,
    render(connection, testResult) {
      const needsKey = needsApiKey(connection);
      const facts = dom.el('dl', 'facts');
      for (const [term, value] of [
        ['Provider', PROVIDER_NAMES[connection.provider]],
        ['Endpoint', connection.endpoint],
        ['Model', connection.model],
        ['API key', KEY_SOURCES[connection.keySource]],
      ]) {
        facts.append(dom.el('dt', undefined, term), dom.el('dd', undefined, value));
      }
      const children: HTMLElement[] = [dom.el('h2', 'panel-title', 'Kestrel'), facts];
      if (needsKey) children.push(dom.el('p', 'panel-notice', 'Kestrel needs an API key before it can answer.'));
      if (testResult) {
        const result = dom.el('p', testResult.ok ? 'panel-result ok' : 'panel-result error', testResult.message);
        result.setAttribute('role', 'status');
        children.push(result);
      }
      const actions = dom.el('div', 'panel-actions');
      actions.append(
        button('Set API Key', 'kestrel.setApiKey', needsKey),
        button('Test Connection', 'kestrel.testConnection', !needsKey),
        button('Settings', 'kestrel.openSettings', false),
        button('Get Started', 'kestrel.openWalkthrough', false),
      );
      children.push(actions);
      element.replaceChildren(...children);
    },
  };
}
