/**
 * A request's cost as the ledger and budgets see it: what it may cost before it is sent (for the
 * budget reservation) and how it is accounted once its usage is known (feature, image tokens, USD).
 */
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { costOf, priceOf, type PriceTable } from '../core/pricing';
import { estimateImageTokens, estimatePromptTokens, estimateTextTokens } from '../core/tokenEstimate';
import type { Feature, RequestUsage } from './types';

/** The most `body` can cost: its estimated prompt (and tools) at the input price plus its output limit at the output price. */
export function projectedCost(body: ChatCompletionCreateParamsStreaming, prices: PriceTable): number {
  const price = priceOf(body.model, prices);
  if (!price) return 0;
  const maxOutput = body.max_completion_tokens ?? body.max_tokens ?? 0;
  // Tool definitions are prompt tokens too (about 1,000 for the workspace tools).
  const prompt = estimatePromptTokens(body.messages) + (body.tools ? estimateTextTokens(JSON.stringify(body.tools)) : 0);
  return prompt * price.input + maxOutput * price.output;
}

/**
 * The usage record of one request from its token counts: a chat request whose prompt carries
 * images counts as `vision`, with the images' tokens estimated from their sizes.
 */
export function accountUsage(
  feature: Feature,
  body: ChatCompletionCreateParamsStreaming,
  counts: Omit<RequestUsage, 'feature' | 'imageTokens' | 'usd'>,
  prices: PriceTable,
): RequestUsage {
  const imageTokens = Math.min(estimateImageTokens(body.messages), counts.promptTokens);
  return {
    ...counts,
    feature: feature === 'chat' && imageTokens > 0 ? 'vision' : feature,
    imageTokens,
    usd: costOf(counts.model, counts, prices),
  };
}
