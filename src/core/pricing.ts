/**
 * What a request costs, for the cost estimate in the chat and the usage figures. Prices are per
 * token in US dollars, from the model cards; a model not listed (a local Ollama model, a private
 * deployment) has no known price and is shown as tokens only.
 */

export interface ModelPrice {
  input: number;
  /** Prompt tokens served from the provider's prompt cache. */
  cachedInput: number;
  output: number;
}

const PER_MILLION = 1e-6;

/** Longest prefix first, so `gpt-4o-mini-2024-07-18` matches `gpt-4o-mini`, not `gpt-4o`. */
const PRICES: readonly [prefix: string, price: ModelPrice][] = [
  ['gpt-4o-mini', { input: 0.15 * PER_MILLION, cachedInput: 0.075 * PER_MILLION, output: 0.6 * PER_MILLION }],
  ['gpt-4o', { input: 2.5 * PER_MILLION, cachedInput: 1.25 * PER_MILLION, output: 10 * PER_MILLION }],
];

/** The price of `model` (matched by name, ignoring a provider prefix like `openai/`), if known. */
export function priceOf(model: string): ModelPrice | undefined {
  const name = model.toLowerCase().replace(/^.*\//, '');
  return PRICES.find(([prefix]) => name.startsWith(prefix))?.[1];
}

/** The cost of one request in US dollars; 0 for a model without a known price. */
export function costOf(model: string, tokens: { promptTokens: number; cachedPromptTokens?: number; completionTokens: number }): number {
  const price = priceOf(model);
  if (!price) return 0;
  const cached = tokens.cachedPromptTokens ?? 0;
  return (tokens.promptTokens - cached) * price.input + cached * price.cachedInput + tokens.completionTokens * price.output;
}
