/**
 * Runs one model request into an answer turn: its text grows in batches (deltaBatcher.ts) and is
 * posted to the panel, its tool calls show as steps, and however the request ends (finished, cut
 * at the output limit, filtered, stopped, failed) becomes the turn's status and error. It never
 * throws, so the session can always save and show what arrived.
 */
import type { ChatTurn, ToolStep } from '../../core/chat/chatTypes';
import { KestrelError } from '../../model/errors';
import type { ModelEvent, ModelRequest } from '../../model/types';
import type { HostToWebview } from '../../shared/protocol';
import { finishedStep, summarize, type AnswerTools } from './chatToolSteps';
import { DeltaBatcher } from './deltaBatcher';

export interface ChatModel {
  stream(request: ModelRequest): AsyncIterable<ModelEvent>;
}

export interface AnswerStreamOptions {
  model: ChatModel;
  post: (message: HostToWebview) => void;
  /**
   * The turn is an answer cut at the output limit being continued: if this request fails or is
   * stopped, it stays `truncated` (with the error) so it can be continued again instead of
   * regenerated from scratch.
   */
  continuing: boolean;
  tools?: AnswerTools;
  deltaIntervalMs?: number;
  /** Called each time text was added to the turn. */
  onText?: () => void;
}

export async function streamAnswer(turn: ChatTurn, request: ModelRequest, options: AnswerStreamOptions): Promise<void> {
  const { post, tools } = options;
  const usage = { ...(turn.usage ?? { promptTokens: 0, completionTokens: 0, usd: 0 }) };
  const deltas = new DeltaBatcher(
    (text) => {
      turn.text += text;
      post({ type: 'answerDelta', turnId: turn.id, text });
      options.onText?.();
    },
    turn.text === '',
    options.deltaIntervalMs,
  );
  const showStep = (step: ToolStep): void => {
    const steps = turn.steps ?? [];
    const at = steps.findIndex((s) => s.id === step.id);
    turn.steps = at >= 0 ? steps.map((s, i) => (i === at ? step : s)) : [...steps, step];
    post({ type: 'toolStep', turnId: turn.id, step });
  };
  try {
    for await (const event of options.model.stream(request)) {
      switch (event.type) {
        case 'content':
          deltas.add(event.text);
          break;
        case 'usage':
          usage.promptTokens += event.usage.promptTokens;
          usage.completionTokens += event.usage.completionTokens;
          // Priced by the model service with the price table, as the usage ledger records it.
          usage.usd += event.usage.usd;
          break;
        case 'toolCall':
          deltas.flush();
          showStep({ id: event.id, tool: event.name, summary: summarize(tools, event.name, event.arguments), status: 'running' });
          break;
        case 'toolResult':
          showStep(finishedStep(turn, event));
          break;
        case 'finish':
          if (event.reason === 'content_filter') {
            turn.status = 'interrupted';
            turn.error = "The provider's content filter stopped this answer.";
          } else if (event.reason === 'tool_limit') {
            turn.status = 'interrupted';
            turn.error = `The model kept calling tools after ${tools?.maxRounds ?? 0} rounds (kestrel.tools.maxRounds), so Kestrel stopped it.`;
          } else {
            turn.status = event.reason === 'length' ? 'truncated' : 'complete';
          }
          break;
        default:
          break;
      }
    }
  } catch (error) {
    const kestrelError = error instanceof KestrelError ? error : new KestrelError('interrupted', String(error));
    turn.status = kestrelError.kind === 'cancelled' ? 'cancelled' : 'interrupted';
    if (kestrelError.kind !== 'cancelled') turn.error = kestrelError.message;
  } finally {
    deltas.flush();
    if (turn.status === 'streaming') turn.status = 'interrupted';
    if (options.continuing && (turn.status === 'cancelled' || turn.status === 'interrupted')) {
      turn.status = 'truncated';
      turn.error ??= 'Stopped before the answer was finished.';
    }
    turn.usage = usage;
  }
}
