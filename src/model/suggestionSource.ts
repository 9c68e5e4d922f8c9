/**
 * One inline suggestion from the model: builds the fill-in-the-hole prompt, streams the answer
 * through the shared model service, stops reading a single-line answer at its first newline
 * (which aborts the HTTP request), and cleans what came back. The same code serves the editor
 * and the completion benchmark.
 */
import { cleanCompletion } from '../core/completion/cleanCompletion';
import type { CursorText } from '../core/completion/completionMode';
import type { SuggestionSource } from '../core/completion/completionEngine';
import { buildCompletionPrompt, completionLimits, type CompletionPromptInput } from '../core/completion/completionPrompt';
import { KestrelError } from './errors';
import type { ModelEvent, ModelRequest } from './types';

export interface SuggestionRequest {
  prompt: CompletionPromptInput;
  cursor: CursorText;
  maxBlockTokens: number;
  /** Cut at the first token the model gives less than this probability; 0 (or absent) is off. */
  minTokenProbability?: number;
}

/** What the source needs of the model service (the benchmark passes a re-timed one). */
export interface StreamingModel {
  stream(request: ModelRequest): AsyncIterable<ModelEvent>;
}

export class ModelSuggestionSource implements SuggestionSource<SuggestionRequest> {
  constructor(
    private readonly model: StreamingModel,
    private readonly onOutcome: (outcome: { ok: true } | { ok: false; error: KestrelError }) => void = () => {},
  ) {}

  async fetch(request: SuggestionRequest, signal: AbortSignal, onPartial: (raw: string) => void, onFailure?: () => void): Promise<string | undefined> {
    const { mode } = request.prompt;
    const prompt = buildCompletionPrompt(request.prompt);
    const minProbability = request.minTokenProbability ?? 0;
    const limits = { ...completionLimits(mode, request.maxBlockTokens), ...(minProbability > 0 ? { logprobs: true, topLogprobs: 0 } : {}) };
    let raw = '';
    let scored = 0; // characters of `raw` whose tokens' probabilities were seen
    let weakAt: number | undefined;
    try {
      for await (const event of this.model.stream({ feature: 'completion', messages: prompt.messages, overrides: limits, signal })) {
        if (event.type === 'logprobs' && minProbability > 0) {
          for (const token of event.tokens) {
            if (weakAt === undefined && Math.exp(token.logprob) < minProbability) weakAt = scored;
            scored += token.token.length;
          }
          // Everything after an unsure token is discarded, so stop paying for it.
          if (weakAt !== undefined) break;
        }
        if (event.type !== 'content') continue;
        raw += event.text;
        onPartial(raw);
        // Servers that ignore `stop` still cost nothing past the line: leaving the loop aborts the request.
        if (mode === 'single' && raw.includes('\n')) break;
      }
      this.onOutcome({ ok: true });
    } catch (error) {
      if (error instanceof KestrelError && error.kind === 'cancelled') return undefined;
      if (error instanceof KestrelError) this.onOutcome({ ok: false, error });
      onFailure?.();
      return undefined;
    }
    if (weakAt !== undefined) raw = raw.slice(0, weakAt);
    if (signal.aborted) return undefined;
    return cleanCompletion({ raw, mode, ...request.cursor });
  }
}
