/**
 * The estimate of the next request shown under the chips. The host sends what it knows without
 * the draft (system prompt, history, context, prices); the draft's own tokens are estimated here
 * as the user types, with the host's own pure estimator, so typing posts no messages.
 */
import { estimateTextTokens } from '../../src/core/tokenEstimate';
import type { CostEstimate } from '../../src/shared/protocol';
import { formatTokens, formatUsd } from './format';

export interface NextRequestEstimate {
  /** Prompt tokens including the draft. */
  promptTokens: number;
  draftTokens: number;
  /** Prompt at the prompt rate plus a typical answer at the answer rate. */
  usd: number;
}

export function estimateNextRequest(estimate: CostEstimate, draft: string): NextRequestEstimate {
  const draftTokens = draft.trim() === '' ? 0 : estimateTextTokens(draft);
  const promptTokens = estimate.promptTokens + draftTokens;
  const usd = promptTokens * estimate.usdPerPromptToken + estimate.typicalAnswerTokens * estimate.usdPerAnswerToken;
  return { promptTokens, draftTokens, usd };
}

/** `~1.3k tokens · ≈ $0.0003` (no price part where the endpoint's prices are unknown, i.e. 0). */
export function describeEstimate(estimate: CostEstimate, next: NextRequestEstimate): { text: string; title: string } {
  const priced = next.usd > 0;
  const text = `~${formatTokens(next.promptTokens)} tokens${priced ? ` · ≈ ${formatUsd(next.usd)}` : ''}`;
  const title =
    `Next request: about ${next.promptTokens.toLocaleString('en-US')} prompt tokens ` +
    `(${next.draftTokens.toLocaleString('en-US')} from your message)` +
    (priced ? `, plus a typical answer of ${estimate.typicalAnswerTokens.toLocaleString('en-US')} tokens: about ${formatUsd(next.usd)}` : '');
  return { text, title };
}
