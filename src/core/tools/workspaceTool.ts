/**
 * The shape of one workspace tool: what the model sees (name, description, strict schema) and
 * what the chat shows for a call (`summary`). Structurally a model-service `ToolDefinition`, so
 * core needs no import from `model`.
 */
import type { JsonSchema } from '../jsonSchemaCheck';

export interface WorkspaceTool {
  name: string;
  description: string;
  parameters: JsonSchema;
  /** A short label of a call's arguments for the chat's step list: `src/a.ts:10-40`. */
  summary(args: Record<string, unknown>): string;
  /** What to tell the model when this tool's output had to be cut. */
  cutHint?: string;
  /** See ToolDefinition.run (model/types.ts) for `commit`. */
  run(args: Record<string, unknown>, context: { signal: AbortSignal; callId: string; commit(): void }): Promise<string>;
}
