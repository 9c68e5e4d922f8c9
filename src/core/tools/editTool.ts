/**
 * propose_edit: the only way the model can change a file, and it cannot change one by itself.
 * The change is shown to the user in VS Code's diff view and written only when they accept it
 * (the port's `reviewEdit`). There is no setting that skips the review, so nothing the model
 * writes (a settings file, a task) can switch it off; and editor configuration (`.vscode/`,
 * `*.code-workspace`) cannot be proposed at all, since that is where such a switch would live.
 *
 * A change is a search-and-replace of one exact, unique passage (or a whole new file), which a
 * small model gets right far more often than line numbers or unified diffs.
 */
import type { PathGuard } from './pathGuard';
import { readWorkspaceFileText } from './fileTools';
import { dominantLineEnding, toLf, withLineEnding } from './lineEndings';
import type { WorkspacePort } from './workspacePort';
import type { WorkspaceTool } from './workspaceTool';

const MAX_EDITED_CHARS = 1024 * 1024;
const EDITOR_CONFIGURATION = /(^|\/)\.vscode(\/|$)|\.code-workspace$/i;

export function editTool(port: WorkspacePort, guard: PathGuard): WorkspaceTool {
  return {
    name: 'propose_edit',
    description:
      'Propose a change to one file. The user reviews it in a diff and decides; you are told the outcome. ' +
      'Replaces the exact text `search` (it must occur exactly once; copy it from read_file without line numbers) with `replace`. ' +
      'To create a new file, give an empty `search` and the whole content as `replace`.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'File relative to the workspace folder.' },
        search: { type: 'string', description: 'Exact text to replace, or "" for a new file.' },
        replace: { type: 'string', description: 'The new text.' },
        explanation: { type: 'string', maxLength: 500, description: 'One sentence the user reads: what the change does.' },
      },
      required: ['path', 'search', 'replace', 'explanation'],
      additionalProperties: false,
    },
    summary: (args) => String(args.path),
    async run(args, { signal, callId, commit }) {
      const checked = await guard.check(String(args.path));
      if (!checked.ok) throw new Error(checked.reason);
      const { path } = checked;
      if (EDITOR_CONFIGURATION.test(path.relative) || EDITOR_CONFIGURATION.test(checked.realRelative)) {
        throw new Error(`"${path.relative}" is editor configuration; only the user changes it. Tell them what to change instead.`);
      }
      const search = String(args.search);
      const replace = String(args.replace);
      const exists = (await port.stat(path.absolute)) !== undefined;
      let before: string | undefined;
      let after: string;
      if (search === '') {
        if (exists) throw new Error(`"${path.relative}" already exists; give the exact text to replace as \`search\`.`);
        after = replace;
      } else {
        if (!exists) throw new Error(`"${path.relative}" does not exist; to create it, give an empty \`search\`.`);
        const onDisk = await readWorkspaceFileText(port, path, path.relative);
        const text = toLf(onDisk);
        const wanted = toLf(search);
        const at = text.indexOf(wanted);
        if (at < 0) throw new Error(`the \`search\` text is not in ${path.relative}. Read the file again and copy the passage exactly, without line numbers.`);
        const count = text.split(wanted).length - 1;
        if (count > 1) throw new Error(`the \`search\` text occurs ${count} times in ${path.relative}; include more surrounding lines so it is unique.`);
        // Index arithmetic, not String.replace: `$&` in the model's text must stay literal.
        const ending = dominantLineEnding(onDisk);
        before = onDisk;
        after = withLineEnding(text.slice(0, at) + toLf(replace) + text.slice(at + wanted.length), ending);
      }
      if (after.length > MAX_EDITED_CHARS) throw new Error('the resulting file would be over 1 MB; propose smaller files.');
      if (before !== undefined && toLf(after) === toLf(before)) return `The change to ${path.relative} would not change anything; nothing was proposed.`;
      // Checked again when the user accepts: a symlink could have been swapped in while they read.
      const recheck = async () => {
        const again = await guard.check(path.absolute);
        return again.ok && again.realRelative === checked.realRelative;
      };
      const decision = await port.reviewEdit({ callId, path: path.absolute, relative: path.relative, before, after, explanation: String(args.explanation), recheck, accepted: commit }, signal);
      switch (decision) {
        case 'accepted':
          return `The user accepted the change; ${path.relative} now contains it.`;
        case 'rejected':
          return `The user rejected the change to ${path.relative}; the file is unchanged. Do not propose it again unless they ask.`;
        case 'stale':
          return `${path.relative} changed while the user was reviewing the proposal, so nothing was written. Read it again before proposing a change.`;
      }
    },
  };
}
