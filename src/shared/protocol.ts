/**
 * The message protocol between the extension host and the Kestrel side-bar webview: one
 * discriminated union per direction, shared by both bundles. The host checks everything it
 * receives at runtime (`parseWebviewMessage`), since a webview is a less trusted place.
 *
 * The host owns the conversation, the attached context and the request; the webview renders what
 * it is told and asks for actions. Streaming answers arrive as `answerDelta` batches.
 */

/** Commands the webview may ask the host to run; anything else is refused. */
export const WEBVIEW_COMMANDS = [
  'kestrel.setApiKey',
  'kestrel.testConnection',
  'kestrel.openSettings',
  'kestrel.openWalkthrough',
  'kestrel.showLog',
  'kestrel.showChatHistory',
] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];

export interface ConnectionSummary {
  provider: 'openai' | 'azure' | 'openai-compatible';
  endpoint: string;
  model: string;
  /** Where the key comes from; the key itself never reaches the webview. */
  keySource: 'secret-storage' | 'environment' | 'none';
}

export type ImageDetail = 'low' | 'high';

/** Something attached to a question: shown as a chip with its size. */
export interface ContextChip {
  id: string;
  kind: 'selection' | 'file' | 'instructions' | 'image' | 'document';
  /** Short, for the chip: `main.ts:12-30`. */
  label: string;
  /** Longer, for the tooltip: the workspace-relative path and what was taken. */
  detail: string;
  tokens: number;
  /** Project instructions are removed by editing the file, not from the chip. */
  removable: boolean;
  /** What the attachment costs as prompt tokens at the chat model's price (0: price unknown). */
  usd: number;
  /** Images: a small data: URL preview, and the detail level it is sent at (switchable). */
  thumbnail?: string;
  imageDetail?: ImageDetail;
  /** Documents (PDF): pages and bytes. */
  pages?: number;
  bytes?: number;
}

/** One tool call of an answer, shown as a collapsible step above the answer's text. */
export interface ToolStepView {
  id: string;
  tool: string;
  summary: string;
  status: 'running' | 'done' | 'failed';
  resultTokens?: number;
  durationMs?: number;
  /** The start of what the tool returned to the model, or its error. */
  preview?: string;
}

export type TurnStatus = 'streaming' | 'complete' | 'truncated' | 'interrupted' | 'cancelled';

export interface TurnView {
  id: string;
  role: 'user' | 'assistant';
  /** Markdown for answers, plain text for questions. */
  text: string;
  createdAt: number;
  /** User turns: what was attached to the question. */
  context?: ContextChip[];
  /** Assistant turns: how the answer ended (or that it is still streaming). */
  status?: TurnStatus;
  /** Assistant turns that failed: what went wrong, in words for the user. */
  error?: string;
  /** Assistant turns: what the answer cost. */
  usage?: { promptTokens: number; completionTokens: number; usd: number };
  /** Assistant turns: the tool calls made while answering. */
  steps?: ToolStepView[];
}

export interface ConversationView {
  id: string;
  title: string;
  turns: TurnView[];
  /**
   * How many of the oldest turns the next request leaves out to stay within the context budget
   * (`kestrel.chat.contextTokens`); the transcript marks where that cut falls.
   */
  turnsOutOfContext: number;
}

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  turnCount: number;
}

/**
 * What the next request will cost before the draft's own text: the webview adds the draft's
 * tokens as the user types (no message per keystroke).
 */
export interface CostEstimate {
  /** Prompt tokens of the next request without the draft (system prompt, history, context). */
  promptTokens: number;
  usdPerPromptToken: number;
  usdPerAnswerToken: number;
  /** A typical answer length, for the estimate of the answer's cost. */
  typicalAnswerTokens: number;
}

export type HostToWebview =
  | { type: 'connection'; connection: ConnectionSummary }
  | { type: 'connectionTest'; ok: boolean; message: string }
  /** Replaces the whole view: on load, New chat, opening another chat. */
  | { type: 'conversation'; conversation: ConversationView; busy: boolean }
  | { type: 'conversations'; conversations: ConversationSummary[] }
  /** A new turn at the end of the current conversation (a question, or an answer starting). */
  | { type: 'turnAdded'; turn: TurnView }
  /** Text appended to a streaming answer (batched by the host, about every 50 ms). */
  | { type: 'answerDelta'; turnId: string; text: string }
  /** A turn's final state (status, error, usage); its text is the whole text. */
  | { type: 'turnUpdated'; turn: TurnView }
  /** Turns removed from the end (Regenerate, edit-and-resend). */
  | { type: 'turnsRemoved'; turnIds: string[] }
  | { type: 'turnsOutOfContext'; count: number }
  | { type: 'busy'; busy: boolean }
  /** `toolsOff`: why workspace tools are unavailable (Restricted Mode, turned off), when they are. */
  | { type: 'context'; chips: ContextChip[]; estimate: CostEstimate; toolsOff?: string }
  /** A tool call of a streaming answer started or ended (added, or replaced by id). */
  | { type: 'toolStep'; turnId: string; step: ToolStepView }
  | { type: 'focusComposer' }
  /**
   * An image that starts on the host (picked, dropped from the Explorer, Describe Image): the
   * webview scales it like a pasted one and answers with `attachImage` carrying `requestId`.
   */
  | { type: 'scaleImage'; requestId: string; name: string; dataUrl: string }
  /** How pasted images are scaled: the default detail level and the longest side at `high`. */
  | { type: 'imageSettings'; detail: ImageDetail; maxSide: number; maxImages: number }
  | { type: 'notice'; level: 'info' | 'error'; message: string };

export type CodeAction = 'insert' | 'replace' | 'newFile';

/**
 * The longest side of an image the host takes (`sourceWidth`, `sourceHeight`): anything larger is
 * refused before it is scaled (core/vision/imageFormat.ts), with a message, rather than dropped here.
 */
export const MAX_IMAGE_SIDE = 20_000;

export interface ScaledImage {
  name: string;
  /** `data:image/png;base64,...` or `data:image/jpeg;base64,...`, already scaled. */
  dataUrl: string;
  width: number;
  height: number;
  detail: ImageDetail;
  /** A preview of at most 96 px, also a data: URL. */
  thumbnail: string;
  /** The size of the image before scaling, for the chip's tooltip. */
  sourceWidth: number;
  sourceHeight: number;
}

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'runCommand'; command: WebviewCommand }
  /**
   * Editing the last question starts: its attachments become the chips, the draft's own are put
   * aside until the edit is sent or cancelled (`cancelEdit`).
   */
  | { type: 'editQuestion'; turnId: string }
  | { type: 'cancelEdit' }
  /** Sends a question. `replacing`: the id of the last question, edited and sent again. */
  | { type: 'send'; text: string; replacing?: string }
  | { type: 'stop' }
  /** Answers again (also Retry after an error): `turnId` is the last answer. */
  | { type: 'regenerate'; turnId: string }
  /** Continues an answer cut at the output limit. */
  | { type: 'continue'; turnId: string }
  | { type: 'newChat' }
  | { type: 'openChat'; id: string }
  | { type: 'renameChat'; id: string }
  | { type: 'deleteChat'; id: string }
  | { type: 'attach'; what: 'selection' | 'file' | 'image' }
  /**
   * An image scaled and re-encoded in the webview (see src/core/vision/imageTokens.ts for the
   * sizes): pasted, dropped from the desktop, or asked for with `scaleImage` (`requestId`).
   * `replaces`: the chip of the same image at another detail level.
   */
  | { type: 'attachImage'; image: ScaledImage; requestId?: string; replaces?: string }
  /** A `scaleImage` request the webview refused (it showed the user why). */
  | { type: 'scaleFailed'; requestId: string }
  /** A PDF pasted or dropped from the desktop (`data:application/pdf;base64,...`). */
  | { type: 'attachDocument'; name: string; dataUrl: string }
  /** Files dropped from VS Code's Explorer (they arrive as URIs, not bytes). */
  | { type: 'attachUris'; uris: string[] }
  | { type: 'removeContext'; id: string }
  | { type: 'copy'; text: string }
  | { type: 'codeAction'; action: CodeAction; code: string; language: string }
  | { type: 'openLink'; href: string }
  /** Accept or Reject of the edit that the tool call `callId` proposed (shown in its step). */
  | { type: 'reviewEdit'; callId: string; accept: boolean };

const MAX_TEXT = 1_000_000;
/** A scaled image is at most 2048 px a side; as PNG that stays well under this. */
const MAX_IMAGE_DATA_URL = 16_000_000;
const IMAGE_DATA_URL = /^data:image\/(?:png|jpeg|webp);base64,[A-Za-z0-9+/]+=*$/;
const MAX_URIS = 20;
/** A 20 MB PDF in base64. */
const MAX_DOCUMENT_DATA_URL = 28_000_000;
const PDF_DATA_URL = /^data:application\/pdf;base64,[A-Za-z0-9+/]+=*$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
/**
 * A tool call id is the provider's, only echoed back and compared: OpenAI-compatible servers use
 * dots, colons and more (`functions.read_file:0`). Still no slashes, spaces or control characters.
 */
const CALL_ID = /^[A-Za-z0-9_.:+=@-]{1,128}$/;

const isText = (value: unknown, max = MAX_TEXT): value is string => typeof value === 'string' && value.length <= max;
const isId = (value: unknown): value is string => typeof value === 'string' && ID.test(value);

/** Validates a message from the webview; undefined for anything malformed or not allowed. */
export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'stop':
    case 'newChat':
    case 'cancelEdit':
      return { type: m.type };
    case 'runCommand':
      return WEBVIEW_COMMANDS.includes(m.command as WebviewCommand) ? { type: 'runCommand', command: m.command as WebviewCommand } : undefined;
    case 'send':
      if (!isText(m.text) || m.text.trim() === '') return undefined;
      if (m.replacing !== undefined && !isId(m.replacing)) return undefined;
      return m.replacing === undefined ? { type: 'send', text: m.text } : { type: 'send', text: m.text, replacing: m.replacing };
    case 'scaleFailed':
      return isId(m.requestId) ? { type: 'scaleFailed', requestId: m.requestId } : undefined;
    case 'editQuestion':
      return isId(m.turnId) ? { type: 'editQuestion', turnId: m.turnId } : undefined;
    case 'regenerate':
    case 'continue':
      return isId(m.turnId) ? { type: m.type, turnId: m.turnId } : undefined;
    case 'openChat':
    case 'renameChat':
    case 'deleteChat':
      return isId(m.id) ? { type: m.type, id: m.id } : undefined;
    case 'removeContext':
      return isId(m.id) ? { type: 'removeContext', id: m.id } : undefined;
    case 'attach':
      return m.what === 'selection' || m.what === 'file' || m.what === 'image' ? { type: 'attach', what: m.what } : undefined;
    case 'attachImage': {
      const image = parseScaledImage(m.image);
      if (!image || (m.requestId !== undefined && !isId(m.requestId)) || (m.replaces !== undefined && !isId(m.replaces))) return undefined;
      return { type: 'attachImage', image, ...(m.requestId !== undefined ? { requestId: m.requestId as string } : {}), ...(m.replaces !== undefined ? { replaces: m.replaces as string } : {}) };
    }
    case 'attachDocument':
      return isText(m.name, 256) && isText(m.dataUrl, MAX_DOCUMENT_DATA_URL) && PDF_DATA_URL.test(m.dataUrl)
        ? { type: 'attachDocument', name: m.name, dataUrl: m.dataUrl }
        : undefined;
    case 'attachUris':
      return Array.isArray(m.uris) && m.uris.length > 0 && m.uris.length <= MAX_URIS && m.uris.every((uri) => isText(uri, 4096))
        ? { type: 'attachUris', uris: m.uris as string[] }
        : undefined;
    case 'copy':
      return isText(m.text) ? { type: 'copy', text: m.text } : undefined;
    case 'reviewEdit':
      return typeof m.callId === 'string' && CALL_ID.test(m.callId) && typeof m.accept === 'boolean' ? { type: 'reviewEdit', callId: m.callId, accept: m.accept } : undefined;
    case 'codeAction':
      if (m.action !== 'insert' && m.action !== 'replace' && m.action !== 'newFile') return undefined;
      return isText(m.code) && isText(m.language, 32) ? { type: 'codeAction', action: m.action, code: m.code, language: m.language } : undefined;
    case 'openLink':
      return isText(m.href, 8192) && /^https?:\/\//i.test(m.href) ? { type: 'openLink', href: m.href } : undefined;
    default:
      return undefined;
  }
}

const isSide = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_IMAGE_SIDE;

function parseScaledImage(value: unknown): ScaledImage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const i = value as Record<string, unknown>;
  if (!isText(i.name, 256) || !isText(i.dataUrl, MAX_IMAGE_DATA_URL) || !IMAGE_DATA_URL.test(i.dataUrl)) return undefined;
  if (!isText(i.thumbnail, 200_000) || !IMAGE_DATA_URL.test(i.thumbnail)) return undefined;
  if (!isSide(i.width) || !isSide(i.height) || i.width > 2048 || i.height > 2048 || !isSide(i.sourceWidth) || !isSide(i.sourceHeight)) return undefined;
  if (i.detail !== 'low' && i.detail !== 'high') return undefined;
  return {
    name: i.name,
    dataUrl: i.dataUrl,
    width: i.width,
    height: i.height,
    detail: i.detail,
    thumbnail: i.thumbnail,
    sourceWidth: i.sourceWidth,
    sourceHeight: i.sourceHeight,
  };
}
