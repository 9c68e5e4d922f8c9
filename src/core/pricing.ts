/**
 * What a request costs, for the cost estimate in the chat, the usage figures and budgets. Prices
 * come from the `kestrel.prices` setting (US dollars per million tokens, keyed by model name or
 * prefix), whose defaults are the model cards' published prices. A model not listed (a local Ollama
 * model, a private deployment) has no known price and is shown as tokens only.
 */

/** Prices per token in US dollars. */
export interface ModelPrice {
  input: number;
  /** Prompt tokens served from the provider's prompt cache. */
  cachedInput: number;
  output: number;
}

/** Prices as the setting states them: US dollars per million tokens. */
export type PricesPerMillion = Record<string, { input: number; cachedInput: number; output: number }>;

/** Prefixes and prices, longest prefix first, so `gpt-4o-mini-2024-07-18` matches `gpt-4o-mini`, not `gpt-4o`. */
export type PriceTable = readonly (readonly [prefix: string, price: ModelPrice])[];

const MILLION = 1e6;

/** GPT-4o mini's and GPT-4o's published prices, per million tokens (the setting's default). */
export const DEFAULT_PRICES_PER_MILLION: PricesPerMillion = {
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
};

/** Turns the setting's per-million prices into a lookup table of per-token prices. */
export function priceTable(perMillion: PricesPerMillion): PriceTable {
  return Object.entries(perMillion)
    .map(([prefix, p]) => [prefix.toLowerCase(), { input: p.input / MILLION, cachedInput: p.cachedInput / MILLION, output: p.output / MILLION }] as const)
    .sort(([a], [b]) => b.length - a.length);
}

const DEFAULT_TABLE = priceTable(DEFAULT_PRICES_PER_MILLION);

/** The price of `model` (matched by name, ignoring a provider prefix like `openai/`), if known. */
export function priceOf(model: string, table: PriceTable = DEFAULT_TABLE): ModelPrice | undefined {
  const name = model.toLowerCase();
  const bare = name.replace(/^.*\//, '');
  // A full name ("openai/gpt-4o-mini" as a gateway spells it) may be priced on its own.
  return (table.find(([prefix]) => name.startsWith(prefix)) ?? table.find(([prefix]) => bare.startsWith(prefix)))?.[1];
}

export interface TokenCounts {
  promptTokens: number;
  cachedPromptTokens?: number;
  completionTokens: number;
}

/** The cost of one request in US dollars; 0 for a model without a known price. */
export function costOf(model: string, tokens: TokenCounts, table: PriceTable = DEFAULT_TABLE): number {
  const price = priceOf(model, table);
  if (!price) return 0;
  const cached = Math.min(tokens.cachedPromptTokens ?? 0, tokens.promptTokens);
  return (tokens.promptTokens - cached) * price.input + cached * price.cachedInput + tokens.completionTokens * price.output;
}
