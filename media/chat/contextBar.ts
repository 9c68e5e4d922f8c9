/// <reference lib="dom" />
/**
 * What the next question will carry, above the text box: one chip per attached item (selection,
 * file, project instructions, image, PDF) with its size and a remove button, then the estimated
 * size and cost of the request. Chips come from the host (`context`); the estimate follows the
 * draft locally (costEstimate.ts). `createChip` also renders the read-only chips of sent questions.
 *
 * Images and PDFs are the costly attachments, so their chips also show the price; an image chip
 * shows its thumbnail and, while its source is still in the webview, a High/Low switch that sends
 * it again at the other detail level (a low-detail image costs a fraction of a high-detail one).
 */
import type { ContextChip, CostEstimate } from '../../src/shared/protocol';
import { describeEstimate, estimateNextRequest } from './costEstimate';
import type { Dom } from './dom';
import { formatTokens, formatUsd } from './format';
import type { IconName } from './icons';

const CHIP_ICONS: Record<ContextChip['kind'], IconName> = {
  selection: 'selection',
  file: 'file',
  instructions: 'book',
  image: 'file-media',
  document: 'file-pdf',
};

/** Drafts longer than this are estimated after a pause in typing rather than per keystroke. */
const LARGE_DRAFT = 20_000;

/** What a chip in the composer can do; the chips of sent questions do nothing. */
export interface ChipActions {
  /** Adds a remove button to removable chips. */
  onRemove?(chip: ContextChip): void;
  /** Whether the High/Low switch is offered for an image chip. */
  canSwitchDetail?(chip: ContextChip): boolean;
  /** Sends the image again at the other detail level; false when that failed. */
  onSwitchDetail?(chip: ContextChip): Promise<boolean>;
}

export function createChip(dom: Dom, chip: ContextChip, actions: ChipActions = {}): HTMLElement {
  const node = dom.el('span', `context-chip kind-${chip.kind}`);
  node.title = chip.detail;
  node.dataset.chipId = chip.id;
  if (chip.kind === 'image' && chip.thumbnail) {
    const thumbnail = dom.el('img', 'chip-thumbnail');
    thumbnail.src = chip.thumbnail;
    thumbnail.alt = chip.label;
    node.append(thumbnail);
  } else {
    node.append(dom.icon(CHIP_ICONS[chip.kind]));
  }
  node.append(dom.el('span', 'chip-label', chip.label));
  if (chip.kind === 'document') {
    const facts = documentFacts(chip);
    if (facts) node.append(dom.el('span', 'chip-facts', facts));
  }
  node.append(dom.el('span', 'chip-tokens', `~${formatTokens(chip.tokens)} tokens`));
  if ((chip.kind === 'image' || chip.kind === 'document') && chip.usd > 0) node.append(dom.el('span', 'chip-usd', formatUsd(chip.usd)));
  if (chip.kind === 'image' && chip.imageDetail) {
    const onSwitch = actions.onSwitchDetail;
    if (onSwitch && actions.canSwitchDetail?.(chip)) node.append(detailSwitch(dom, chip, chip.imageDetail, onSwitch));
    else {
      const level = dom.el('span', 'chip-detail', chip.imageDetail === 'high' ? 'High' : 'Low');
      level.title = `Sent at ${chip.imageDetail} detail`;
      node.append(level);
    }
  }
  const onRemove = actions.onRemove;
  if (onRemove && chip.removable) {
    const remove = dom.iconButton('close', `Remove ${chip.label}`, () => onRemove(chip));
    remove.classList.add('chip-remove');
    node.append(remove);
  }
  return node;
}

/** Shows the detail the image is sent at; pressing it sends the image at the other one. */
function detailSwitch(dom: Dom, chip: ContextChip, detail: 'low' | 'high', onSwitch: (chip: ContextChip) => Promise<boolean>): HTMLButtonElement {
  const other = detail === 'high' ? 'low' : 'high';
  const button = dom.el('button', 'chip-detail chip-detail-switch', detail === 'high' ? 'High' : 'Low');
  button.type = 'button';
  // The visible word starts the accessible name (WCAG 2.5.3), then what pressing it does.
  button.setAttribute('aria-label', `${detail === 'high' ? 'High' : 'Low'} detail: send at ${other} detail`);
  button.title = `Sent at ${detail} detail; click to send at ${other} detail`;
  button.addEventListener('click', () => {
    if (button.getAttribute('aria-disabled') === 'true') return;
    // Until the host answers with the new chip, one switch at a time.
    button.setAttribute('aria-disabled', 'true');
    void onSwitch(chip).then((done) => {
      if (!done) button.removeAttribute('aria-disabled');
    });
  });
  return button;
}

/** `12 pages · 1.4 MB` (the page count is left out when the host could not count them). */
function documentFacts(chip: ContextChip): string {
  const parts: string[] = [];
  if (chip.pages) parts.push(`${chip.pages} ${chip.pages === 1 ? 'page' : 'pages'}`);
  if (chip.bytes !== undefined) parts.push(formatBytes(chip.bytes));
  return parts.join(' · ');
}

/** `512 B`, `48 KB`, `1.4 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export interface ContextBar {
  readonly element: HTMLElement;
  /** `toolsOff`: why the answer cannot look at the workspace, shown under the chips. */
  setContext(chips: readonly ContextChip[], estimate: CostEstimate, toolsOff?: string): void;
  /** The draft changed: update the estimate (now, or shortly for a very long draft). */
  setDraft(draft: string): void;
}

export function createContextBar(dom: Dom, actions: ChipActions, timers: Pick<Window, 'setTimeout' | 'clearTimeout'>): ContextBar {
  const element = dom.el('div', 'context-bar');
  const chipList = dom.el('div', 'context-chips');
  chipList.setAttribute('role', 'list');
  chipList.setAttribute('aria-label', 'Attached context');
  const estimateNode = dom.el('span', 'cost-estimate');
  const toolsNote = dom.el('div', 'tools-off');
  toolsNote.setAttribute('role', 'note');
  toolsNote.hidden = true;
  element.append(chipList, estimateNode, toolsNote);
  element.hidden = true;
  let estimate: CostEstimate | undefined;
  let draft = '';
  let pending: number | undefined;

  const showEstimate = (): void => {
    pending = undefined;
    if (!estimate) {
      estimateNode.textContent = '';
      return;
    }
    const { text, title } = describeEstimate(estimate, estimateNextRequest(estimate, draft));
    estimateNode.textContent = text;
    estimateNode.title = title;
  };

  return {
    element,
    setContext(chips, next, toolsOff) {
      estimate = next;
      toolsNote.hidden = !toolsOff;
      if (toolsOff && toolsNote.textContent !== toolsOff) toolsNote.replaceChildren(dom.icon('tools'), dom.el('span', undefined, toolsOff));
      chipList.replaceChildren(
        ...chips.map((chip) => {
          const node = createChip(dom, chip, actions);
          node.setAttribute('role', 'listitem');
          return node;
        }),
      );
      element.hidden = false;
      showEstimate();
    },
    setDraft(next) {
      draft = next;
      if (pending !== undefined) timers.clearTimeout(pending);
      if (draft.length < LARGE_DRAFT) showEstimate();
      else pending = timers.setTimeout(showEstimate, 200);
    },
  };
}
