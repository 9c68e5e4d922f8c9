/**
 * What the workspace tools need only once the chat uses them. esbuild ships this as its own file
 * (`dist/workspaceTools.js`, like the openai SDK) and registerTools.ts requires it when the chat
 * first builds a tool set (its first cost estimate or answer), so activation does not parse about
 * 30 KB of tool code and the `ignore` package.
 */
export { createWorkspaceTools } from '../../core/tools/workspaceTools';
export { VsCodeWorkspacePort } from '../../host/workspacePort';
