/**
 * The budget check every request passes through (the model service asks before each HTTP request).
 *
 * A request is let through while what is spent plus what is reserved stays under the limit; it
 * then reserves its projected cost (estimated prompt at the input price plus the most it may write
 * at the output price) until its usage is recorded. So a budget is overshot by at most the one
 * request that crossed it, even when several requests start at once. Reservations are per window;
 * other windows' spending is read from the shared ledger before each decision.
 *
 * Over a limit, completions are refused; the chat, explain and image requests ask the user first
 * (`confirm`); a connection test always goes (a few tokens, asked for explicitly).
 */
import { budgetStates, describeBudget, reachedBudget, type BudgetLimits, type BudgetState } from '../core/usage/budget';
import { formatUsd } from '../shared/format';
import { KestrelError } from './errors';
import type { Feature } from './types';
import type { UsageLedger } from './usageLedger';

export interface Reservation {
  /** Ends the reservation (after the request's usage was recorded, or when it failed). */
  release(): void;
}

/** What the model service asks before each request; throws `KestrelError('budget')` to refuse. */
export interface BudgetGate {
  /**
   * `overBudget.confirmed`: the user already said "send anyway" for this answer (set here).
   * `unpricedModel`: the request's model when it has no known price (its cost counts as 0).
   */
  admit(request: AdmitRequest): Promise<Reservation>;
}

export interface AdmitRequest {
  feature: Feature;
  projectedUsd: () => number;
  overBudget?: { confirmed: boolean };
  unpricedModel?: string;
}

const NO_RESERVATION: Reservation = { release: () => undefined };

export class BudgetGuard implements BudgetGate {
  private reservedUsd = 0;
  private readonly listeners = new Set<() => void>();
  private readonly unpricedReported = new Set<string>();

  constructor(
    private readonly options: {
      ledger: UsageLedger;
      limits: () => BudgetLimits;
      /** Asks whether to send a request over budget anyway; resolves true to send. */
      confirm: (state: BudgetState, feature: Feature) => Promise<boolean>;
      /** Told once per model that a budget is set but this model's cost cannot be counted. */
      onUnpricedModel?: (model: string) => void;
      now?: () => number;
    },
  ) {}

  /** The active limits' states; with `reserved`, requests on their way count at their projected cost. */
  states(reserved = false): BudgetState[] {
    const { ledger } = this.options;
    const limits = this.options.limits();
    // Called on every keystroke (may completions run?): nothing to sum without limits.
    if (limits.dailyUsd <= 0 && limits.monthlyUsd <= 0) return [];
    const extra = reserved ? this.reservedUsd : 0;
    return budgetStates(limits, { day: ledger.today().total.usd + extra, month: ledger.thisMonth().total.usd + extra }, this.now());
  }

  /** The limit that stops inline completions now, if any. */
  blocking(): BudgetState | undefined {
    return reachedBudget(this.states(true));
  }

  async admit(request: AdmitRequest): Promise<Reservation> {
    const limits = this.options.limits();
    if (limits.dailyUsd <= 0 && limits.monthlyUsd <= 0) return NO_RESERVATION;
    // A budget that silently stops counting is worse than none: say so, once per model.
    const unpriced = request.unpricedModel;
    if (unpriced && !this.unpricedReported.has(unpriced)) {
      this.unpricedReported.add(unpriced);
      this.options.onUnpricedModel?.(unpriced);
    }
    // What other windows spent counts too.
    await this.options.ledger.sync().catch(() => undefined);
    const reached = this.blocking();
    if (reached && request.feature !== 'connection-test') {
      const message = describeBudget(reached, formatUsd);
      if (request.feature === 'completion') throw new KestrelError('budget', `${message}: inline completions are paused.`);
      if (!request.overBudget?.confirmed) {
        if (!(await this.options.confirm(reached, request.feature))) throw new KestrelError('budget', `${message}. The question was not sent.`);
        if (request.overBudget) request.overBudget.confirmed = true;
      }
    }
    // Checked and reserved with no wait in between, so concurrent requests cannot all slip through.
    const projected = Math.max(0, request.projectedUsd());
    this.reservedUsd += projected;
    this.changed();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.reservedUsd = Math.max(0, this.reservedUsd - projected);
        this.changed();
      },
    };
  }

  /** Told when reservations change (the ledger and settings have their own events). */
  onChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
