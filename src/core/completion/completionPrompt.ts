/**
 * The fill-in-the-hole prompt for GPT-4o mini, which has no native fill-in-the-middle.
 *
 * Layout follows OpenAI's prompt caching (exact prefix match): the fixed instructions and worked
 * examples first, then snippets from other files, then the file from a stable starting line, the
 * cursor region last. The file's start is aligned to a multiple of 16 lines so it does not shift on
 * every keystroke, which keeps the cached prefix long while the user types.
 */
import { estimateTextTokens } from '../tokenEstimate';
import type { CompletionMode } from './completionMode';
import type { Snippet } from './similarSnippets';

export const CURSOR = '<CURSOR>';

export interface PromptBudget {
  /** Tokens for the file and snippets together (the fixed instructions come on top). */
  contextTokens: number;
  /** Shares of the context budget; unused suffix or snippet budget goes to the prefix. */
  prefixShare: number;
  suffixShare: number;
  snippetShare: number;
}

export const DEFAULT_BUDGET: PromptBudget = { contextTokens: 1500, prefixShare: 0.6, suffixShare: 0.15, snippetShare: 0.25 };

export interface CompletionPromptInput {
  path: string;
  languageId: string;
  /** Text before the cursor (a generous window is enough; the budget trims it). */
  prefix: string;
  /** Line number (0-based) of the first line of `prefix` in the document. */
  prefixStartLine: number;
  suffix: string;
  snippets: readonly Snippet[];
  mode: CompletionMode;
  budget?: PromptBudget;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionPrompt {
  messages: ChatMessage[];
  /** Prompt tokens as estimated while fitting the budget. */
  estimatedTokens: number;
}

const ALIGN_LINES = 16;
const MAX_BLOCK_LINES = 20;

const INSTRUCTIONS = `You are a code completion engine inside a code editor, not a chat assistant.
The user sends a file with the cursor marked ${CURSOR}, sometimes after snippets from other files of the project.
Reply with exactly the text to insert at ${CURSOR} and nothing else:
- Raw code only: no markdown fences, no explanations, no quotes around the reply.
- Continue from the exact cursor position: if the cursor is inside a word or line, start with the rest of it.
- Never repeat the code before ${CURSOR}. The code after ${CURSOR} stays where it is: do not rewrite it, and do not close brackets or quotes that it already closes.
- Match the file's language, style, naming and indentation. Lines after the first carry their full indentation.
- Asked for one line: reply with the rest of the current line only. Asked for a block: reply with the block's body and stop where it ends.
- If nothing sensible fits, reply with nothing.`;

/** Worked examples: they teach the reply format better than rules, and are cached with them. */
const EXAMPLES: ChatMessage[] = [
  {
    role: 'user',
    content: `<file path="src/geometry.ts" language="typescript">
export function clamp(value: number, min: number, max: number): number {
  ${CURSOR}
}
</file>
Complete the block at ${CURSOR}.`,
  },
  { role: 'assistant', content: 'return Math.min(Math.max(value, min), max);' },
  {
    role: 'user',
    content: `<file path="app/greet.py" language="python">
def greet(name):
    print(f"Hello, {${CURSOR}}")
</file>
Complete the current line at ${CURSOR}.`,
  },
  { role: 'assistant', content: 'name.title()' },
  {
    role: 'user',
    content: `<file path="lib/list.js" language="javascript">
// Sum of the squares of an array of numbers.
function sumOfSquares(numbers) {${CURSOR}

module.exports = { sumOfSquares };
</file>
Complete the block at ${CURSOR}.`,
  },
  { role: 'assistant', content: '\n  return numbers.reduce((sum, n) => sum + n * n, 0);\n}' },
];

const FIXED_MESSAGES: ChatMessage[] = [{ role: 'system', content: INSTRUCTIONS }, ...EXAMPLES];
const FIXED_TOKENS = FIXED_MESSAGES.reduce((sum, message) => sum + 4 + estimateTextTokens(message.content), 3);

/** Builds the messages for one completion request within the token budget. */
export function buildCompletionPrompt(input: CompletionPromptInput): CompletionPrompt {
  const budget = input.budget ?? DEFAULT_BUDGET;
  const snippetBlock = fitSnippets(input.snippets, Math.floor(budget.contextTokens * budget.snippetShare));
  const suffix = fitSuffix(input.suffix, Math.floor(budget.contextTokens * budget.suffixShare));
  const prefixBudget = budget.contextTokens - snippetBlock.tokens - suffix.tokens;
  const prefix = fitPrefix(input.prefix, input.prefixStartLine, prefixBudget);

  const task =
    input.mode === 'single'
      ? `Complete the current line at ${CURSOR}.`
      : `Complete the block at ${CURSOR} (at most ${MAX_BLOCK_LINES} lines).`;
  const header = `<file path="${input.path}" language="${input.languageId}">`;
  const user = `${snippetBlock.text}${header}\n${prefix.text}${CURSOR}${suffix.text}\n</file>\n${task}`;
  return {
    messages: [...FIXED_MESSAGES, { role: 'user', content: user }],
    estimatedTokens: FIXED_TOKENS + 4 + snippetBlock.tokens + prefix.tokens + suffix.tokens + estimateTextTokens(header + task) + 6,
  };
}

/** Whole lines from the end of the prefix, starting at an aligned line so the start stays put. */
function fitPrefix(prefix: string, startLine: number, budget: number): { text: string; tokens: number } {
  const lines = prefix.split('\n');
  let tokens = 0;
  let first = lines.length - 1;
  tokens += estimateTextTokens(lines[first]) + 1;
  while (first > 0) {
    const cost = estimateTextTokens(lines[first - 1]) + 1;
    if (tokens + cost > budget) break;
    tokens += cost;
    first--;
  }
  if (first > 0) {
    // Move the start down to the next aligned document line (never past the cursor line).
    const aligned = Math.min(lines.length - 1, first + ((ALIGN_LINES - ((startLine + first) % ALIGN_LINES)) % ALIGN_LINES));
    for (let i = first; i < aligned; i++) tokens -= estimateTextTokens(lines[i]) + 1;
    first = aligned;
  }
  return { text: lines.slice(first).join('\n'), tokens };
}

/** Whole lines from the start of the suffix (the rest of the cursor line always included). */
function fitSuffix(suffix: string, budget: number): { text: string; tokens: number } {
  const lines = suffix.split('\n');
  let tokens = estimateTextTokens(lines[0]);
  let count = 1;
  while (count < lines.length) {
    const cost = estimateTextTokens(lines[count]) + 1;
    if (tokens + cost > budget) break;
    tokens += cost;
    count++;
  }
  return { text: lines.slice(0, count).join('\n'), tokens };
}

function fitSnippets(snippets: readonly Snippet[], budget: number): { text: string; tokens: number } {
  let text = '';
  let tokens = 0;
  for (const snippet of snippets) {
    const block = `<snippet path="${snippet.path}" line="${snippet.startLine + 1}">\n${snippet.text}\n</snippet>\n`;
    const cost = estimateTextTokens(block);
    if (tokens + cost > budget) continue;
    text += block;
    tokens += cost;
  }
  return text ? { text: `Related code from other files:\n${text}`, tokens: tokens + 6 } : { text: '', tokens: 0 };
}

/** Stop sequences and output cap for a mode: single lines stop at the newline, blocks at a gap. */
export function completionLimits(mode: CompletionMode, maxBlockTokens: number): { stop: string[]; maxCompletionTokens: number } {
  return mode === 'single' ? { stop: ['\n'], maxCompletionTokens: Math.min(64, maxBlockTokens) } : { stop: ['\n\n\n'], maxCompletionTokens: maxBlockTokens };
}
