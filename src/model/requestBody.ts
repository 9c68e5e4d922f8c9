/**
 * Builds the Chat Completions request body from a feature's settings. Parameters left at the API's
 * own defaults are omitted, which keeps requests small and lets strict OpenAI-compatible servers
 * accept them.
 */
import type { ChatCompletionCreateParamsStreaming, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { SamplingSettings, TokenLimitParameter } from '../core/settings';
import type { ChatCompletionMessageParam, SamplingOverrides, ToolDefinition } from './types';

/** OpenAI accepts at most four stop sequences. */
export const MAX_STOP_SEQUENCES = 4;

export interface RequestBodyInput {
  model: string;
  messages: ChatCompletionMessageParam[];
  sampling: SamplingSettings;
  overrides?: SamplingOverrides;
  tools?: readonly ToolDefinition[];
  /** 'none' on the last allowed round of a tool loop. */
  toolChoice?: 'none';
  tokenLimitParameter: TokenLimitParameter;
}

export function buildRequestBody(input: RequestBodyInput): ChatCompletionCreateParamsStreaming {
  const { sampling, overrides = {} } = input;
  const body: ChatCompletionCreateParamsStreaming = {
    model: input.model,
    messages: input.messages,
    stream: true,
    stream_options: { include_usage: true },
    temperature: overrides.temperature ?? sampling.temperature,
  };
  const maxTokens = overrides.maxCompletionTokens ?? sampling.maxCompletionTokens;
  if (input.tokenLimitParameter === 'max_tokens') body.max_tokens = maxTokens;
  else body.max_completion_tokens = maxTokens;
  if (sampling.topP !== 1) body.top_p = sampling.topP;
  // The feature's own stop sequences come first: they are what keeps its output well-formed.
  const stop = [...new Set([...(overrides.stop ?? []), ...sampling.stop])].slice(0, MAX_STOP_SEQUENCES);
  if (stop.length > 0) body.stop = stop;
  if (sampling.seed !== undefined) body.seed = sampling.seed;
  if (sampling.frequencyPenalty !== 0) body.frequency_penalty = sampling.frequencyPenalty;
  if (sampling.presencePenalty !== 0) body.presence_penalty = sampling.presencePenalty;
  if (Object.keys(sampling.logitBias).length > 0) body.logit_bias = sampling.logitBias;
  const logprobs = overrides.logprobs ?? sampling.logprobs;
  if (logprobs) {
    body.logprobs = true;
    const top = overrides.topLogprobs ?? sampling.topLogprobs;
    if (top > 0) body.top_logprobs = top;
  }
  if (input.tools && input.tools.length > 0) {
    body.tools = input.tools.map(toOpenAiTool);
    if (input.toolChoice) body.tool_choice = input.toolChoice;
  }
  return body;
}

function toOpenAiTool(tool: ToolDefinition): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: { ...tool.parameters }, strict: true },
  };
}
