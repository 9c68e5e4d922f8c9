/// <reference lib="dom" />
/**
 * The tool calls of one answer, as a quiet list above its text: one collapsible line per call
 * (what was looked at, how much it returned, how long it took), expanding to what the tool gave
 * the model. Workspace text is shown with `textContent` only, never as markup.
 */
import type { ToolStepView, WebviewToHost } from '../../src/shared/protocol';
import type { Dom } from './dom';
import { formatTokens } from './format';

const TOOL_LABELS: Record<string, string> = {
  read_file: 'Read',
  list_directory: 'Listed',
  find_files: 'Found files',
  search_text: 'Searched',
  get_diagnostics: 'Problems in',
  get_symbols: 'Outline of',
  find_definition: 'Definition of',
  find_references: 'References to',
  get_open_editors: 'Open editors',
  propose_edit: 'Proposed edit to',
};

export interface ToolStepsView {
  readonly element: HTMLElement;
  /** Adds the step, or updates the one with its id. */
  show(step: ToolStepView): void;
  /** Replaces every step (a turn's final state). */
  setAll(steps: readonly ToolStepView[]): void;
}

export function createToolSteps(dom: Dom, post: (message: WebviewToHost) => void): ToolStepsView {
  const element = dom.el('div', 'tool-steps');
  element.hidden = true;
  const rows = new Map<string, HTMLDetailsElement>();

  const render = (step: ToolStepView): HTMLDetailsElement => {
    const row = dom.el('details', `tool-step is-${step.status}`);
    const line = dom.el('summary', 'tool-step-line');
    const icon =
      step.status === 'running'
        ? dom.icon(step.tool === 'propose_edit' ? 'diff' : 'loading', step.tool === 'propose_edit' ? undefined : 'codicon-modifier-spin')
        : dom.icon(step.status === 'done' ? 'check' : 'error');
    const label = dom.el('span', 'tool-step-label', TOOL_LABELS[step.tool] ?? step.tool);
    const summary = dom.el('span', 'tool-step-summary', step.summary);
    line.append(icon, label, summary, dom.el('span', 'tool-step-meta', meta(step)));
    line.title = `${step.tool}(${step.summary})`;
    row.append(line);
    if (step.preview) row.append(dom.el('pre', 'tool-step-output', step.preview));
    else row.classList.add('is-empty');
    if (step.tool === 'propose_edit' && step.status === 'running') {
      // The same decision as the diff editor's title bar; the host ignores it once the review ended.
      const review = dom.el('div', 'tool-step-review');
      review.append(
        dom.textButton('Accept', () => post({ type: 'reviewEdit', callId: step.id, accept: true }), { icon: 'check', primary: true }),
        dom.textButton('Reject', () => post({ type: 'reviewEdit', callId: step.id, accept: false }), { icon: 'close' }),
      );
      row.append(review);
      row.classList.remove('is-empty');
      row.open = true;
    }
    return row;
  };

  const show = (step: ToolStepView): void => {
    const row = render(step);
    const old = rows.get(step.id);
    // Keep a step the user opened open when its result arrives.
    if (old?.open) row.open = true;
    if (old) old.replaceWith(row);
    else element.append(row);
    rows.set(step.id, row);
    element.hidden = false;
  };

  return {
    element,
    show,
    setAll(steps) {
      const wanted = new Set(steps.map((s) => s.id));
      for (const [id, row] of rows) {
        if (wanted.has(id)) continue;
        row.remove();
        rows.delete(id);
      }
      for (const step of steps) show(step);
      element.hidden = rows.size === 0;
    },
  };
}

function meta(step: ToolStepView): string {
  if (step.status === 'running') return step.tool === 'propose_edit' ? 'review the diff' : '';
  const parts = [step.status === 'failed' ? 'error' : ''];
  if (step.resultTokens !== undefined) parts.push(`${formatTokens(step.resultTokens)} tokens`);
  if (step.durationMs !== undefined) parts.push(step.durationMs >= 1000 ? `${(step.durationMs / 1000).toFixed(1)} s` : `${step.durationMs} ms`);
  return parts.filter(Boolean).join(' · ');
}
