/// <reference lib="dom" />
/**
 * What the next question will carry, above the text box: one chip per attached item (selection,
 * file, project instructions, image) with its size and a remove button, then the estimated size
 * and cost of the request. Chips come from the host (`context`); the estimate follows the draft
 * locally (costEstimate.ts). `createChip` also renders the read-only chips of sent questions.
 */
import type { ContextChip, CostEstimate } from '../../src/shared/protocol';
import { describeEstimate, estimateNextRequest } from './costEstimate';
import type { Dom } from './dom';
import { formatTokens } from './format';
import type { IconName } from './icons';

const CHIP_ICONS: Record<ContextChip['kind'], IconName> = {
  selection: 'selection',
  file: 'file',
  instructions: 'book',
  image: 'file-media',
};

/** Drafts longer than this are estimated after a pause in typing rather than per keystroke. */
const LARGE_DRAFT = 20_000;

/** A chip; with `onRemove` (and a removable chip) it has a remove button. */
export function createChip(dom: Dom, chip: ContextChip, onRemove?: (chip: ContextChip) => void): HTMLElement {
  const node = dom.el('span', `context-chip kind-${chip.kind}`);
  node.title = chip.detail;
  node.dataset.chipId = chip.id;
  node.append(dom.icon(CHIP_ICONS[chip.kind]), dom.el('span', 'chip-label', chip.label), dom.el('span', 'chip-tokens', `~${formatTokens(chip.tokens)} tokens`));
  if (onRemove && chip.removable) {
    const remove = dom.iconButton('close', `Remove ${chip.label}`, () => onRemove(chip));
    remove.classList.add('chip-remove');
    node.append(remove);
  }
  return node;
}

export interface ContextBar {
  readonly element: HTMLElement;
  setContext(chips: readonly ContextChip[], estimate: CostEstimate): void;
  /** The draft changed: update the estimate (now, or shortly for a very long draft). */
  setDraft(draft: string): void;
}

export function createContextBar(
  dom: Dom,
  onRemove: (chip: ContextChip) => void,
  timers: Pick<Window, 'setTimeout' | 'clearTimeout'>,
): ContextBar {
  const element = dom.el('div', 'context-bar');
  const chipList = dom.el('div', 'context-chips');
  chipList.setAttribute('role', 'list');
  chipList.setAttribute('aria-label', 'Attached context');
  const estimateNode = dom.el('span', 'cost-estimate');
  element.append(chipList, estimateNode);
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
    setContext(chips, next) {
      estimate = next;
      chipList.replaceChildren(
        ...chips.map((chip) => {
          const node = createChip(dom, chip, onRemove);
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
