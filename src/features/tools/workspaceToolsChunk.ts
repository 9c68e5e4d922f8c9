/**
 * What the workspace tools need only once an answer uses them. esbuild ships this as its own
 * file (`dist/workspaceTools.js`, like the openai SDK) and registerTools.ts requires it on the
 * first answer, so activation does not parse about 30 KB of tool code and the `ignore` package.
 */
export { createWorkspaceTools } from '../../core/tools/workspaceTools';
export { VsCodeWorkspacePort } from '../../host/workspacePort';
