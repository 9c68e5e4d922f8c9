/**
 * The tool set one chat answer gets: every workspace tool, declared once, with one path guard and
 * one output budget shared by all the calls of that answer. Output passes through the budget
 * here, so no tool can forget it.
 */
import type { FolderMatcher } from '../pathExclusions';
import { editTool } from './editTool';
import { fileTools } from './fileTools';
import { languageTools } from './languageTools';
import { PathGuard } from './pathGuard';
import { ToolOutputBudget } from './toolOutputBudget';
import type { WorkspacePort } from './workspacePort';
import type { WorkspaceTool } from './workspaceTool';

export interface WorkspaceToolOptions {
  port: WorkspacePort;
  /** Secrets and `kestrel.exclude`, for paths relative to a root. */
  excludedIn: FolderMatcher;
  /** Tool output one answer may take in, in tokens. */
  outputTokensPerAnswer: number;
  now?: () => number;
}

/** What one call may return at most: enough for a 600-line file, a fraction of the answer's budget. */
export const OUTPUT_TOKENS_PER_CALL = 8000;

export function createWorkspaceTools({ port, excludedIn, outputTokensPerAnswer, now }: WorkspaceToolOptions): WorkspaceTool[] {
  const guard = new PathGuard(port, excludedIn);
  const budget = new ToolOutputBudget(outputTokensPerAnswer, Math.min(OUTPUT_TOKENS_PER_CALL, outputTokensPerAnswer));
  const tools = [...fileTools({ port, guard, now }), ...languageTools(port, guard), editTool(port, guard)];
  return tools.map((tool) => ({
    ...tool,
    run: async (args, context) => {
      // A proposed edit's answer is one sentence and must reach the model whatever the budget:
      // the user may have just accepted it.
      if (tool.name === 'propose_edit') return tool.run(args, context);
      // Checked before running, so a spent budget does not pay for a search it would throw away.
      budget.ensureRoom();
      return budget.take(await tool.run(args, context), tool.cutHint);
    },
  }));
}

