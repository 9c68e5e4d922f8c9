// Token helpers for the OpenAI test server: splits scripted replies into o200k tokens (the
// tokenizer of GPT-4o and GPT-4o mini) so streamed deltas and usage look like the real API's, and
// approximates how OpenAI turns a chat request into prompt tokens (for usage and prompt caching).
import { encode } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import ranks from 'gpt-tokenizer/cjs/bpeRanks/o200k_base';
import { sniffImage } from '../../src/core/vision/imageFormat';
import { IMAGE_BASE_TOKENS, imageTokens } from '../../src/core/vision/imageTokens';
import { createHash } from 'node:crypto';

/** One o200k token as OpenAI reports it in `logprobs`. */
export interface TokenInfo {
  readonly id: number;
  /** The token's text; a token that is only part of a UTF-8 character is written `bytes:\xNN...`, as OpenAI does. */
  readonly token: string;
  readonly bytes: readonly number[];
}

/** A run of tokens that decodes to whole characters: what OpenAI puts in one streamed delta. */
export interface TokenPiece {
  readonly text: string;
  readonly tokens: readonly TokenInfo[];
}

// The special tokens of the GPT-4o chat format (tiktoken's o200k chat ids). gpt-tokenizer's own
// o200k special ids differ, but only equality matters here: they frame messages in the prompt.
const IM_START = 200264;
const IM_END = 200265;
const IM_SEP = 200266;
// Placeholder ids for image/audio/file parts live above the real vocabulary so they never
// collide with text tokens, yet identical attachments give identical ids (cache hits).
const ATTACHMENT_ID_BASE = 300_000;

// An empty disallow-list makes "<|endoftext|>" in user text ordinary text instead of an exception.
const NO_SPECIAL = { disallowedSpecial: new Set<string>() };
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

export function encodeText(text: string): number[] {
  return encode(text, NO_SPECIAL);
}

export function countTextTokens(text: string): number {
  return encodeText(text).length;
}

function tokenBytes(id: number): number[] {
  const rank = ranks[id];
  if (rank === undefined) return [];
  return typeof rank === 'string' ? [...Buffer.from(rank, 'utf8')] : [...rank];
}

function tryUtf8(bytes: readonly number[]): string | undefined {
  try {
    return strictUtf8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

/** A token's text and bytes; also used for made-up `top_logprobs` alternatives. */
export function describeToken(id: number): TokenInfo {
  const bytes = tokenBytes(id);
  const text = tryUtf8(bytes);
  const token = text ?? 'bytes:' + bytes.map((b) => '\\x' + b.toString(16).padStart(2, '0')).join('');
  return { id, token, bytes };
}

/**
 * Splits text into streamable pieces: one per token, except that tokens holding parts of one
 * multi-byte character (emoji, CJK) are grouped, because OpenAI never streams half a character.
 */
export function splitIntoPieces(text: string, maxTokens = Infinity): TokenPiece[] {
  const ids = encodeText(text).slice(0, maxTokens);
  const pieces: TokenPiece[] = [];
  let pending: TokenInfo[] = [];
  let pendingBytes: number[] = [];
  for (const id of ids) {
    const info = describeToken(id);
    pending.push(info);
    pendingBytes = pendingBytes.concat(info.bytes);
    const decoded = tryUtf8(pendingBytes);
    if (decoded !== undefined) {
      pieces.push({ text: decoded, tokens: pending });
      pending = [];
      pendingBytes = [];
    }
  }
  // Only a max-token cut can leave half a character; OpenAI then sends a replacement character.
  if (pending.length > 0) pieces.push({ text: lenientUtf8.decode(Uint8Array.from(pendingBytes)), tokens: pending });
  return pieces;
}

export function tokenCount(pieces: readonly TokenPiece[]): number {
  return pieces.reduce((sum, piece) => sum + piece.tokens.length, 0);
}

export interface PromptTokenOptions {
  /** Tokens counted for each image part (OpenAI's real cost depends on size and detail). */
  /** A fixed count per image part; by default an image is billed by its real size and detail. */
  readonly imageTokens?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a PDF part is billed in this server: a flat figure (OpenAI bills its text and page images). */
const FILE_TOKENS = 1500;

/** GPT-4o mini's bill for an image: by its decoded size and detail, as OpenAI documents it. */
function billedImageTokens(imageUrl: unknown): number {
  const { url, detail } = (isRecord(imageUrl) ? imageUrl : {}) as { url?: unknown; detail?: unknown };
  if (typeof url !== 'string' || !url.startsWith('data:')) return IMAGE_BASE_TOKENS;
  const info = sniffImage(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
  if (!info) return IMAGE_BASE_TOKENS;
  // `auto` lets OpenAI choose; for a screenshot-sized image it chooses high.
  return imageTokens(info, detail === 'low' ? 'low' : 'high');
}

function attachmentTokens(identity: string, count: number): number[] {
  const seed = createHash('sha256').update(identity).digest().readUInt32BE(0);
  return Array.from({ length: count }, (_, i) => ATTACHMENT_ID_BASE + ((seed + i) % 100_000));
}

function contentTokens(content: unknown, options: PromptTokenOptions): number[] {
  if (typeof content === 'string') return encodeText(content);
  if (!Array.isArray(content)) return [];
  const out: number[] = [];
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (typeof part.text === 'string') out.push(...encodeText(part.text));
    else if (typeof part.refusal === 'string') out.push(...encodeText(part.refusal));
    else if (part.type === 'image_url') out.push(...attachmentTokens(JSON.stringify(part.image_url), options.imageTokens ?? billedImageTokens(part.image_url)));
    else if (part.type === 'file') out.push(...attachmentTokens(JSON.stringify(part), FILE_TOKENS));
    else out.push(...attachmentTokens(JSON.stringify(part), options.imageTokens ?? IMAGE_BASE_TOKENS));
  }
  return out;
}

/**
 * Approximates the prompt tokens OpenAI bills for a chat request: tool definitions first (OpenAI
 * renders them into the system prompt, so they are part of the cacheable prefix), then each
 * message framed as `<|im_start|>role<|im_sep|>content<|im_end|>`, then the assistant priming.
 * For plain text this matches the cookbook's count (3 per message + 3 for the reply).
 */
export function promptTokens(body: unknown, options: PromptTokenOptions): number[] {
  const tokens: number[] = [];
  if (!isRecord(body)) return tokens;
  if (Array.isArray(body.tools) && body.tools.length > 0) tokens.push(...encodeText(JSON.stringify(body.tools)));
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (const message of messages) {
    if (!isRecord(message)) continue;
    tokens.push(IM_START, ...encodeText(typeof message.role === 'string' ? message.role : ''));
    if (typeof message.name === 'string') tokens.push(...encodeText(':' + message.name));
    tokens.push(IM_SEP, ...contentTokens(message.content, options));
    if (Array.isArray(message.tool_calls)) tokens.push(...encodeText(JSON.stringify(message.tool_calls)));
    tokens.push(IM_END);
  }
  tokens.push(IM_START, ...encodeText('assistant'), IM_SEP);
  return tokens;
}
