/**
 * Cheap token estimates for when the server does not say (an aborted stream never reaches its
 * usage chunk). About 4 characters per token is OpenAI's rule of thumb for English and code with
 * the o200k tokenizer; the per-message overhead follows OpenAI's chat format.
 */

const CHARS_PER_TOKEN = 4;
const TOKENS_PER_MESSAGE = 4;
/** What GPT-4o mini bills for an image at low detail; used when an image's detail is unknown. */
const IMAGE_TOKENS_LOW = 2833;

export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Estimates the prompt tokens of chat messages, counting text parts and images. */
export function estimatePromptTokens(messages: readonly unknown[]): number {
  let total = 3; // every reply is primed with a few tokens
  for (const message of messages) {
    total += TOKENS_PER_MESSAGE;
    if (typeof message !== 'object' || message === null) continue;
    const { content, tool_calls: toolCalls } = message as { content?: unknown; tool_calls?: unknown };
    if (typeof content === 'string') total += estimateTextTokens(content);
    else if (Array.isArray(content)) {
      for (const part of content as { type?: string; text?: string }[]) {
        total += part.type === 'image_url' ? IMAGE_TOKENS_LOW : estimateTextTokens(part.text ?? '');
      }
    }
    if (toolCalls) total += estimateTextTokens(JSON.stringify(toolCalls));
  }
  return total;
}
