/**
 * The chat's side of workspace tools: the tool set an answer gets, and how each call becomes a
 * step the transcript shows (what was asked, how much came back, how long it took).
 */
import type { ToolStep, ChatTurn } from '../../core/chat/chatTypes';
import { estimateTextTokens } from '../../core/tokenEstimate';
import type { ToolDefinition, ToolResultEvent } from '../../model/types';

/** The tools one answer may use, fresh per answer (their output budget is per answer). */
export interface AnswerTools {
  tools: (ToolDefinition & { summary(args: Record<string, unknown>): string })[];
  maxRounds: number;
}

const STEP_PREVIEW_CHARS = 1500;

/** The call's arguments as the tool describes them, or the raw text when they are not valid. */
export function summarize(tools: AnswerTools | undefined, name: string, args: string): string {
  try {
    const summary = tools?.tools.find((tool) => tool.name === name)?.summary(JSON.parse(args || '{}') as Record<string, unknown>);
    if (summary !== undefined) return summary;
  } catch {
    // Arguments that are not JSON are shown as written; the tool reports the error to the model.
  }
  return args.length > 80 ? `${args.slice(0, 80)}…` : args;
}

export function finishedStep(turn: ChatTurn, result: ToolResultEvent): ToolStep {
  const started = turn.steps?.find((step) => step.id === result.id);
  // The output reaches the model framed as data (toolRunner.ts); the user sees the data.
  const body = result.content.replace(/^<tool_output[^>]*>\n/, '').replace(/\n<\/tool_output>$/, '');
  return {
    id: result.id,
    tool: result.name,
    summary: started?.summary ?? '',
    status: result.ok ? 'done' : 'failed',
    resultTokens: estimateTextTokens(result.content),
    durationMs: result.durationMs,
    preview: body.length > STEP_PREVIEW_CHARS ? `${body.slice(0, STEP_PREVIEW_CHARS)}…` : body,
  };
}

/** What the tool definitions add to every request's prompt. */
export function toolDefinitionTokens(tools: readonly ToolDefinition[]): number {
  return estimateTextTokens(JSON.stringify(tools.map(({ name, description, parameters }) => ({ name, description, parameters }))));
}
