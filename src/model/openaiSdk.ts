/**
 * Loads the `openai` SDK on first use. It is most of the extension's code, and activation should
 * not pay for it: esbuild ships it as its own file (`dist/openai.js`) that is required lazily.
 */
export type OpenAiSdk = typeof import('openai');

let sdk: OpenAiSdk | undefined;

export function openAiSdk(): OpenAiSdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load
  return (sdk ??= require('openai') as OpenAiSdk);
}
