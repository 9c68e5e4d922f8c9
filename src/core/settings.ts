/**
 * Kestrel's settings as one typed, validated value.
 *
 * `parseSettings` turns raw values (from VS Code's configuration, or a plain object in tests) into
 * `KestrelSettings`. An invalid value never breaks a feature: it falls back to the default and
 * yields a problem sentence the host shows once. The defaults here must match `package.json`
 * (a unit test keeps the two in step).
 */
import { DEFAULT_PRICES_PER_MILLION, priceTable, type PriceTable, type PricesPerMillion } from './pricing';
import type { BudgetLimits } from './usage/budget';

export type Provider = 'openai' | 'azure' | 'openai-compatible';
export type TokenLimitParameter = 'max_completion_tokens' | 'max_tokens';

/** The model card's sampling parameters, per feature. */
export interface SamplingSettings {
  temperature: number;
  topP: number;
  maxCompletionTokens: number;
  stop: string[];
  seed: number | undefined;
  frequencyPenalty: number;
  presencePenalty: number;
  logitBias: Record<string, number>;
  logprobs: boolean;
  topLogprobs: number;
}

/** Where requests go and how they are authenticated (everything but the key itself). */
export interface ConnectionSettings {
  provider: Provider;
  /** Resolved base URL, never empty. */
  baseUrl: string;
  azureDeployment: string;
  azureApiVersion: string;
  extraHeaders: Record<string, string>;
  caFile: string;
  tokenLimitParameter: TokenLimitParameter;
}

export interface CompletionSettings {
  enabled: boolean;
  /** Language id to on/off; `*` for every other language. */
  languages: Record<string, boolean>;
  model: string;
  timeoutMs: number;
  debounceMs: number;
  contextTokens: number;
  /** Cut suggestions at the first token below this probability; 0 is off. */
  minTokenProbability: number;
  sampling: SamplingSettings;
}

export interface KestrelSettings {
  connection: ConnectionSettings;
  /** Extra glob patterns of files never sent (the secret patterns always apply). */
  exclude: string[];
  /** Spending limits in US dollars (0 is off). */
  budget: BudgetLimits;
  /** Prices per token by model prefix, from `kestrel.prices`. */
  prices: PriceTable;
  completion: CompletionSettings;
  /** How images are scaled before they are sent (see core/vision/imageTokens.ts). */
  image: { detail: 'low' | 'high'; maxSide: number };
  /** Workspace tools for chat and explain (core/tools). */
  tools: { enabled: boolean; maxRounds: number; maxOutputTokens: number };
  chat: {
    model: string;
    timeoutMs: number;
    maxRetries: number;
    /** The most prompt tokens one chat request may carry (older turns are left out beyond it). */
    contextTokens: number;
    /** Saved conversations kept; the least recently used beyond this are deleted. */
    maxConversations: number;
    sampling: SamplingSettings;
  };
}

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_MODEL = 'gpt-4o-mini';

/** The defaults, keyed like the `kestrel.*` settings in package.json. */
export const SETTING_DEFAULTS = {
  provider: 'openai',
  baseUrl: '',
  model: DEFAULT_MODEL,
  'azure.deployment': '',
  'azure.apiVersion': '2024-10-21',
  extraHeaders: {},
  caFile: '',
  tokenLimitParameter: 'auto',
  requestTimeoutSeconds: 120,
  'chat.maxRetries': 2,
  exclude: [],
  'budget.dailyUsd': 0,
  'budget.monthlyUsd': 0,
  prices: DEFAULT_PRICES_PER_MILLION,
  'completion.enabled': true,
  'completion.languages': { '*': true, plaintext: false, markdown: false, scminput: false },
  'completion.model': '',
  'completion.timeoutMilliseconds': 5000,
  'completion.debounceMilliseconds': 50,
  'completion.contextTokens': 1500,
  'completion.minTokenProbability': 0,
  ...samplingDefaults('completion', { temperature: 0.1, maxCompletionTokens: 256 }),
  'chat.model': '',
  'image.detail': 'high',
  'image.maxSide': 1024,
  'chat.contextTokens': 40000,
  'chat.maxConversations': 200,
  'tools.enabled': true,
  'tools.maxRounds': 8,
  'tools.maxOutputTokens': 20000,
  ...samplingDefaults('chat', { temperature: 0.3, maxCompletionTokens: 4096 }),
} as const satisfies Record<string, unknown>;

function samplingDefaults<F extends string>(feature: F, d: { temperature: number; maxCompletionTokens: number }) {
  return {
    [`${feature}.temperature`]: d.temperature,
    [`${feature}.topP`]: 1,
    [`${feature}.maxCompletionTokens`]: d.maxCompletionTokens,
    [`${feature}.stop`]: [],
    [`${feature}.seed`]: null,
    [`${feature}.frequencyPenalty`]: 0,
    [`${feature}.presencePenalty`]: 0,
    [`${feature}.logitBias`]: {},
    [`${feature}.logprobs`]: false,
    [`${feature}.topLogprobs`]: 0,
  } as Record<`${F}.${string}`, unknown>;
}

/** Reads one raw setting value by its key without the `kestrel.` prefix; undefined when unset. */
export type RawSettingReader = (key: string) => unknown;

/** Headers that carry credentials: they belong in SecretStorage, never in settings. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'api-key', 'x-api-key', 'proxy-authorization', 'cookie']);

/** Validates every setting; invalid values fall back to defaults and are reported in `problems`. */
export function parseSettings(read: RawSettingReader): { settings: KestrelSettings; problems: string[] } {
  const problems: string[] = [];
  const v = new Validator(read, problems);

  const provider = v.oneOf('provider', ['openai', 'azure', 'openai-compatible'] as const);
  const model = v.text('model');
  const tokenLimit = v.oneOf('tokenLimitParameter', ['auto', 'max_completion_tokens', 'max_tokens'] as const);
  const connection: ConnectionSettings = {
    provider,
    baseUrl: v.baseUrl(provider),
    azureDeployment: v.text('azure.deployment', true),
    azureApiVersion: v.text('azure.apiVersion'),
    extraHeaders: v.headers('extraHeaders'),
    caFile: v.text('caFile', true),
    tokenLimitParameter:
      tokenLimit !== 'auto' ? tokenLimit : provider === 'openai-compatible' ? 'max_tokens' : 'max_completion_tokens',
  };
  if (provider === 'azure' && !connection.azureDeployment) {
    problems.push('Azure OpenAI needs a deployment name: set "kestrel.azure.deployment".');
  }
  return {
    problems,
    settings: {
      connection,
      exclude: v.stringList('exclude'),
      budget: { dailyUsd: v.number('budget.dailyUsd', 0, 1_000_000), monthlyUsd: v.number('budget.monthlyUsd', 0, 1_000_000) },
      prices: priceTable(v.prices('prices')),
      completion: {
        enabled: v.boolean('completion.enabled'),
        languages: v.switches('completion.languages'),
        model: v.text('completion.model', true) || model,
        timeoutMs: v.integer('completion.timeoutMilliseconds', 500, 60_000),
        debounceMs: v.integer('completion.debounceMilliseconds', 0, 2_000),
        contextTokens: v.integer('completion.contextTokens', 256, 16_000),
        minTokenProbability: v.number('completion.minTokenProbability', 0, 1),
        sampling: v.sampling('completion', 2),
      },
      image: {
        detail: v.oneOf('image.detail', ['high', 'low'] as const),
        maxSide: v.integer('image.maxSide', 512, 2048),
      },
      tools: {
        enabled: v.boolean('tools.enabled'),
        maxRounds: v.integer('tools.maxRounds', 1, 20),
        maxOutputTokens: v.integer('tools.maxOutputTokens', 2000, 60_000),
      },
      chat: {
        model: v.text('chat.model', true) || model,
        timeoutMs: v.integer('requestTimeoutSeconds', 5, 600) * 1000,
        maxRetries: v.integer('chat.maxRetries', 0, 5),
        contextTokens: v.integer('chat.contextTokens', 2000, 120_000),
        maxConversations: v.integer('chat.maxConversations', 1, 10_000),
        sampling: v.sampling('chat', 4),
      },
    },
  };
}

/**
 * What decides where requests go and whether they can succeed: the endpoint with its headers and
 * certificate, and the models. When it changes, earlier failures (a rejected key, a missing model,
 * a rate limit) say nothing about the next request; when anything else changes, they still do.
 */
export function connectionFingerprint(settings: KestrelSettings): string {
  return JSON.stringify([settings.connection, settings.completion.model, settings.chat.model]);
}

/** Validates one raw `kestrel.exclude` value as `parseSettings` would. */
function parseExclude(raw: unknown): { patterns: string[]; problems: string[] } {
  const problems: string[] = [];
  const patterns = new Validator((key) => (key === 'exclude' ? raw : undefined), problems).stringList('exclude');
  return { patterns, problems };
}

/**
 * `kestrel.exclude` from every level that sets it (see `excludeLevels`), patterns together. A
 * level whose value is invalid is reported and left out; the other levels still apply, so a
 * repository's broken value cannot switch off the user's own patterns.
 */
export function parseExcludeLevels(levels: readonly unknown[]): { patterns: string[]; problems: string[] } {
  const patterns = new Set<string>();
  const problems: string[] = [];
  for (const level of levels) {
    const parsed = parseExclude(level);
    problems.push(...parsed.problems);
    if (parsed.problems.length === 0) for (const pattern of parsed.patterns) patterns.add(pattern);
  }
  return { patterns: [...patterns], problems };
}

const DEFAULTS: Record<string, unknown> = SETTING_DEFAULTS;

/** Per-key checks that fall back to the key's default and say why. */
class Validator {
  constructor(
    private readonly read: RawSettingReader,
    private readonly problems: string[],
  ) {}

  private invalid<T>(key: string, why: string, fallback: T): T {
    this.problems.push(`Setting "kestrel.${key}" ${why}; using ${JSON.stringify(fallback)} instead.`);
    return fallback;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const fallback = DEFAULTS[key] as T;
    const value = this.read(key);
    if (value === undefined) return fallback;
    return allowed.includes(value as T) ? (value as T) : this.invalid(key, `must be one of ${allowed.join(', ')}`, fallback);
  }

  text(key: string, emptyAllowed = false): string {
    const fallback = DEFAULTS[key] as string;
    const value = this.read(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string') return this.invalid(key, 'must be text', fallback);
    const trimmed = value.trim();
    if (!trimmed && !emptyAllowed) return this.invalid(key, 'must not be empty', fallback);
    return trimmed;
  }

  number(key: string, min: number, max: number): number {
    const fallback = DEFAULTS[key] as number;
    const value = this.read(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      return this.invalid(key, `must be a number from ${min} to ${max}`, fallback);
    }
    return value;
  }

  integer(key: string, min: number, max: number): number {
    const value = this.number(key, min, max);
    return Number.isInteger(value) ? value : this.invalid(key, 'must be a whole number', DEFAULTS[key] as number);
  }

  baseUrl(provider: Provider): string {
    const raw = this.text('baseUrl', true);
    if (!raw) {
      if (provider === 'openai') return OPENAI_BASE_URL;
      this.problems.push(`Setting "kestrel.baseUrl" is needed for provider "${provider}" (for example http://localhost:11434/v1 for Ollama).`);
      return OPENAI_BASE_URL;
    }
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return this.invalid('baseUrl', 'is not a valid URL', OPENAI_BASE_URL);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return this.invalid('baseUrl', 'must start with http:// or https://', OPENAI_BASE_URL);
    }
    if (url.username || url.password) {
      return this.invalid('baseUrl', 'must not contain a user name or password (use Kestrel: Set API Key)', OPENAI_BASE_URL);
    }
    return raw.replace(/\/+$/, '');
  }

  headers(key: string): Record<string, string> {
    const value = this.read(key);
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) return this.invalid(key, 'must be an object of header names to text', {});
    const headers: Record<string, string> = {};
    for (const [name, headerValue] of Object.entries(value)) {
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name) || typeof headerValue !== 'string' || /[\r\n]/.test(headerValue)) {
        this.problems.push(`Header "${name}" in "kestrel.${key}" is not a valid HTTP header; it is ignored.`);
      } else if (CREDENTIAL_HEADERS.has(name.toLowerCase())) {
        this.problems.push(`Header "${name}" in "kestrel.${key}" carries credentials, which belong in secret storage (Kestrel: Set API Key); it is ignored.`);
      } else {
        headers[name] = headerValue;
      }
    }
    return headers;
  }

  /** Model prefix to USD per million tokens; a bad entry falls back to that model's default price, if it has one. */
  prices(key: string): PricesPerMillion {
    const value = this.read(key);
    if (value === undefined || value === null) return DEFAULT_PRICES_PER_MILLION;
    if (typeof value !== 'object' || Array.isArray(value)) return this.invalid(key, 'must map model names to prices', DEFAULT_PRICES_PER_MILLION);
    const prices: PricesPerMillion = {};
    const price = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0;
    for (const [model, entry] of Object.entries(value as Record<string, unknown>)) {
      const p = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
      if (!model.trim() || !price(p.input) || !price(p.output) || (p.cachedInput !== undefined && !price(p.cachedInput))) {
        this.problems.push(`Price "${model}" in "kestrel.${key}" needs input, output (and optionally cachedInput) as numbers of US dollars per million tokens; it is ignored.`);
        // VS Code merges this setting with its default, so a bad entry replaced a default one.
        const fallback = DEFAULT_PRICES_PER_MILLION[model.trim()];
        if (fallback) prices[model.trim()] = fallback;
        continue;
      }
      prices[model.trim()] = { input: p.input as number, cachedInput: (p.cachedInput ?? p.input) as number, output: p.output as number };
    }
    return prices;
  }

  stop(key: string, maxItems: number): string[] {
    const value = this.read(key);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((s) => typeof s !== 'string' || s.length === 0) || value.length > maxItems) {
      return this.invalid(key, `must be a list of at most ${maxItems} non-empty texts`, []);
    }
    return value as string[];
  }

  stringList(key: string): string[] {
    const value = this.read(key);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) return this.invalid(key, 'must be a list of texts', []);
    return (value as string[]).filter((item) => item.trim() !== '');
  }

  switches(key: string): Record<string, boolean> {
    const fallback = DEFAULTS[key] as Record<string, boolean>;
    const value = this.read(key);
    if (value === undefined || value === null) return fallback;
    const valid = typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((on) => typeof on === 'boolean');
    return valid ? (value as Record<string, boolean>) : this.invalid(key, 'must map language ids to true or false', fallback);
  }

  seed(key: string): number | undefined {
    const value = this.read(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return this.invalid(key, 'must be a whole number or empty', undefined);
    return value;
  }

  logitBias(key: string): Record<string, number> {
    const value = this.read(key);
    if (value === undefined || value === null) return {};
    const valid =
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.entries(value).every(([token, bias]) => /^\d+$/.test(token) && Number.isInteger(bias) && (bias as number) >= -100 && (bias as number) <= 100);
    return valid ? (value as Record<string, number>) : this.invalid(key, 'must map token ids to whole numbers from -100 to 100', {});
  }

  boolean(key: string): boolean {
    const fallback = DEFAULTS[key] as boolean;
    const value = this.read(key);
    if (value === undefined || value === null) return fallback;
    return typeof value === 'boolean' ? value : this.invalid(key, 'must be true or false', fallback);
  }

  sampling(feature: string, maxStop: number): SamplingSettings {
    const logprobs = this.boolean(`${feature}.logprobs`);
    return {
      temperature: this.number(`${feature}.temperature`, 0, 2),
      topP: this.number(`${feature}.topP`, 0, 1),
      maxCompletionTokens: this.integer(`${feature}.maxCompletionTokens`, 1, 16_384),
      stop: this.stop(`${feature}.stop`, maxStop),
      seed: this.seed(`${feature}.seed`),
      frequencyPenalty: this.number(`${feature}.frequencyPenalty`, -2, 2),
      presencePenalty: this.number(`${feature}.presencePenalty`, -2, 2),
      logitBias: this.logitBias(`${feature}.logitBias`),
      logprobs,
      topLogprobs: logprobs ? this.integer(`${feature}.topLogprobs`, 0, 20) : 0,
    };
  }
}
