/**
 * How much workspace text the tools may put in front of the model in one answer. Without a cap
 * a model that reads file after file pays for each of them again on every later round of the same
 * answer. One call gets at most `perCallTokens`; the answer as a whole `perAnswerTokens`. Output
 * over the limit is cut at a line and ends with a note that says so, so the model can ask for a
 * narrower range instead of believing it saw everything.
 */
import { fitToTokens } from '../chat/attachmentText';
import { estimateTextTokens } from '../tokenEstimate';

/** Less room than this cannot hold a useful answer and the note about cutting it. */
const MIN_USEFUL_TOKENS = 50;

export class ToolOutputBudget {
  private used = 0;

  constructor(
    readonly perAnswerTokens: number,
    readonly perCallTokens: number,
  ) {}

  get remaining(): number {
    return Math.max(0, this.perAnswerTokens - this.used);
  }

  /** Throws once (almost) nothing is left, with a message telling the model to answer. */
  ensureRoom(): void {
    if (Math.min(this.perCallTokens, this.remaining) < MIN_USEFUL_TOKENS) {
      throw new Error(`the tool output budget of this answer (${this.perAnswerTokens} tokens) is used up. Answer with what you have.`);
    }
  }

  /** Takes `text` out of the budget, cut to what is left; throws once nothing is left. */
  take(text: string, cutHint = 'Ask for less (a line range, a narrower glob or fewer results).'): string {
    this.ensureRoom();
    const limit = Math.min(this.perCallTokens, this.remaining);
    const tokens = estimateTextTokens(text);
    if (tokens <= limit) {
      this.used += tokens;
      return text;
    }
    // The note costs about 40 tokens; leave room for it.
    const fitted = fitToTokens(text, limit - 40);
    this.used += limit;
    return `${fitted.text}\n[Output cut: showing ${fitted.keptLines} of ${fitted.totalLines} lines (~${limit} of ~${tokens} tokens). ${cutHint}]`;
  }
}
