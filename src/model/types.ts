/**
 * The vocabulary of the shared model service: what a feature asks for and what it hears back.
 * Every feature (completion, chat, explain, vision) speaks to the model in these terms only.
 */
import type { ChatCompletionMessageParam, ChatCompletionTokenLogprob } from 'openai/resources/chat/completions';
import type { JsonSchema } from '../core/jsonSchemaCheck';
import type { UsageRecord } from '../core/usage/usageRecord';

export type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';

/** Which user-facing feature a request serves; decides model, sampling and retry policy. */
export type Feature = 'completion' | 'chat' | 'explain' | 'vision' | 'connection-test';

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call' | 'cancelled' | 'tool_limit';

/** Where log lines go (the host passes VS Code's LogOutputChannel, tests a recorder). */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A tool the model may call. Declared once; arguments are validated before `run` sees them. */
export interface ToolDefinition {
  name: string;
  description: string;
  /** Strict JSON schema: an object, every property required, `additionalProperties: false`. */
  parameters: JsonSchema;
  /**
   * `callId` is the model's id of this call (the chat's step for it uses the same id). Stop ends
   * a call at once, unless the tool called `commit()`: from then on it finishes (a write the user
   * accepted is reported as done, not as cancelled).
   */
  run(args: Record<string, unknown>, context: { signal: AbortSignal; callId: string; commit(): void }): Promise<string>;
}

/** Per-request adjustments a feature makes on top of the user's sampling settings. */
export interface SamplingOverrides {
  stop?: string[];
  maxCompletionTokens?: number;
  temperature?: number;
  logprobs?: boolean;
  topLogprobs?: number;
  /** Overrides the feature's model (for example the connection test of a chosen model). */
  model?: string;
}

export interface ModelRequest {
  feature: Feature;
  messages: ChatCompletionMessageParam[];
  tools?: readonly ToolDefinition[];
  /** Most model round trips when tools are used (default 8); the last one forbids further calls. */
  maxToolIterations?: number;
  overrides?: SamplingOverrides;
  signal?: AbortSignal;
}

export interface ToolCallEvent {
  type: 'toolCall';
  id: string;
  name: string;
  /** The raw argument text as the model wrote it. */
  arguments: string;
}

export interface ToolResultEvent {
  type: 'toolResult';
  id: string;
  name: string;
  ok: boolean;
  content: string;
  durationMs: number;
}

/**
 * Token counts, cost and timing of one HTTP request to the model, as the ledger records it (the
 * ledger adds the id). `firstTokenMs` is undefined when no token arrived.
 */
export type RequestUsage = Omit<UsageRecord, 'id' | 'firstTokenMs' | 'feature'> & { feature: Feature; firstTokenMs: number | undefined };

export type ModelEvent =
  | { type: 'content'; text: string }
  | { type: 'logprobs'; tokens: ChatCompletionTokenLogprob[] }
  | ToolCallEvent
  | ToolResultEvent
  | { type: 'usage'; usage: RequestUsage }
  | { type: 'finish'; reason: FinishReason; model: string };
