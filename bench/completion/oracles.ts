/**
 * The oracle models, as reply functions for the OpenAI test server. Each reads the prompt the way
 * GPT-4o mini would (the file window up to `<CURSOR>` and the task line), finds the cursor in the
 * true text of the file being typed, and answers:
 *
 * - exact: the true continuation. One-line task: the rest of the line. Block task: the rest of the
 *   line and up to 8 more lines, stopping before a blank line.
 * - imperfect: the same text, but it often diverges from the truth after a random length (the
 *   rest of that line replaced by plausible code from elsewhere in the file, later lines dropped),
 *   and is sometimes wrapped in a markdown fence or preceded by a sentence of prose, as chat
 *   models do. 65% of answers diverge, at a uniformly random point, whatever their length.
 * - imperfectPerCharacter: the same, but every character has the same chance of being where the
 *   answer leaves the truth, so short answers (`};`) are rarely wrong and long ones usually are.
 *   The chance is set so that, over every cursor position of the corpus, 65% of answers diverge,
 *   as with `imperfect`: a check that `imperfect`'s length-blind mistakes are not what the
 *   comparison between policies hinges on. Its draws are seeded by the seed and the cursor position only, not the task, so
 *   policies that ask at the same place get the same mistake (common random numbers: the
 *   difference between policies is then theirs, not the luck of the draw).
 *
 * The server then applies the request's stop sequences and token limit as OpenAI would. When a
 * request asks for `logprobs`, each token comes with a probability (see oracleConfidence.ts).
 * The instant oracle is the exact one replayed with no delay (see retimedModel.ts).
 */
import type { ChatRequest, Reply } from '../../test/fakes/openaiTestServer';
import { lastUserText } from '../../test/fakes/openaiTestServer';
import { CURSOR } from '../../src/core/completion/completionPrompt';
import { answerLogprobs, type AnswerShape } from './oracleConfidence';
import { rngFor, uniform } from './rng';

export type OracleKind = 'exact' | 'imperfect' | 'imperfectPerCharacter';

const BLOCK_LINES = 8;
const EXACT_SHARE = 0.35;
const FENCE_SHARE = 0.15;
const PROSE_SHARE = 0.12;
/** Chance per character of leaving the truth there (imperfectPerCharacter; see the file comment). */
const PER_CHARACTER_HAZARD = 0.047;

/** What the oracle knows about the file being typed right now. */
export interface OracleTarget {
  truth: string;
  languageId: string;
  /** Cursor offsets requests were built at (to pick the right one if the window repeats). */
  builtAt: Set<number>;
}

export class Oracle {
  target: OracleTarget | undefined;
  /** Requests the oracle could not place in the truth (should stay 0). */
  unplaced = 0;

  constructor(
    private readonly kind: OracleKind,
    private readonly seed: number,
  ) {}

  readonly reply = (request: ChatRequest): Reply => {
    const target = this.target;
    const text = lastUserText(request.body);
    const parsed = parsePrompt(text);
    if (!target || !parsed) return (this.unplaced++, { content: '' });
    const cursor = locate(target, parsed.window);
    if (cursor === undefined) return (this.unplaced++, { content: '' });
    const exact = trueContinuation(target.truth, cursor, parsed.mode);
    const { answer, shape } = this.kind === 'exact' ? { answer: exact, shape: { codeStart: 0, codeEnd: exact.length } } : imperfect(exact, target, cursor, this.seed, this.kind === 'imperfectPerCharacter');
    if (request.body.logprobs !== true) return { content: answer };
    return { content: answer, logprobs: answerLogprobs(answer, shape, rngFor(this.seed, 'confidence', target.truth.length, cursor, parsed.mode)) };
  };
}

export function parsePrompt(user: string): { window: string; mode: 'single' | 'multi' } | undefined {
  const header = /<file path="[^"]*" language="[^"]*">\n/.exec(user);
  if (!header) return undefined;
  const start = header.index + header[0].length;
  const end = user.indexOf(CURSOR, start);
  if (end < 0) return undefined;
  const mode = user.includes(`Complete the block at ${CURSOR}`) ? 'multi' : 'single';
  return { window: user.slice(start, end), mode };
}

/**
 * The cursor offset in the truth: where a copy of the window (which starts at a line start) ends;
 * if the window occurs more than once, the copy ending where a request was built (or one line
 * break later: a request for the next line, see atNextLine, is built at the end of a line).
 */
function locate(target: OracleTarget, window: string): number | undefined {
  const ends: number[] = [];
  for (let at = target.truth.indexOf(window); at >= 0; at = target.truth.indexOf(window, at + 1)) {
    if (at === 0 || target.truth[at - 1] === '\n') ends.push(at + window.length);
  }
  const built = (end: number): boolean => target.builtAt.has(end) || (window.endsWith('\n') && target.builtAt.has(end - 1));
  return ends.length === 1 ? ends[0] : ends.findLast(built);
}

export function trueContinuation(truth: string, cursor: number, mode: 'single' | 'multi'): string {
  const lineEnd = endOfLine(truth, cursor);
  if (mode === 'single') return truth.slice(cursor, lineEnd);
  let end = lineEnd;
  for (let n = 0; n < BLOCK_LINES && end < truth.length; n++) {
    const next = endOfLine(truth, end + 1);
    if (truth.slice(end + 1, next).trim() === '') break;
    end = next;
  }
  return truth.slice(cursor, end);
}

function endOfLine(text: string, from: number): number {
  const at = text.indexOf('\n', from);
  return at < 0 ? text.length : at;
}

function imperfect(exact: string, target: OracleTarget, cursor: number, seed: number, perCharacter: boolean): { answer: string; shape: AnswerShape } {
  const rng = rngFor(seed, 'imperfect', target.truth.length, cursor);
  let code = exact;
  const departsAt = exact.trim() === '' ? undefined : perCharacter ? departurePerCharacter(rng, exact.length) : rng() >= EXACT_SHARE ? Math.floor(rng() * exact.length) : undefined;
  if (departsAt !== undefined) {
    const lineEnd = exact.indexOf('\n', departsAt);
    const trueRest = exact.slice(departsAt, lineEnd < 0 ? exact.length : lineEnd);
    code = exact.slice(0, departsAt) + plausibleWrongCode(rng, target.truth, trueRest);
  }
  const wrap = rng();
  const [before, after] = wrap < FENCE_SHARE ? ['```' + target.languageId + '\n', '\n```'] : wrap < FENCE_SHARE + PROSE_SHARE ? ['Here is the completion:\n', ''] : ['', ''];
  const shape = { codeStart: before.length, codeEnd: before.length + code.length, departsAt: departsAt === undefined ? undefined : before.length + departsAt };
  return { answer: before + code + after, shape };
}

/** Where the answer leaves the truth with PER_CHARACTER_HAZARD per character, or undefined: it does not. */
function departurePerCharacter(rng: () => number, length: number): number | undefined {
  const rightRun = Math.floor(Math.log(1 - rng()) / Math.log(1 - PER_CHARACTER_HAZARD));
  return rightRun < length ? rightRun : undefined;
}

/** Code from another line of the same file: plausible in style, wrong in place. */
function plausibleWrongCode(rng: () => number, truth: string, trueRest: string): string {
  const lines = truth.split('\n').filter((line) => line.trim().length > 3);
  for (let attempt = 0; attempt < 8; attempt++) {
    const line = lines[Math.floor(rng() * lines.length)].trim();
    const words = [...line.matchAll(/\b/g)].map((m) => m.index);
    const from = words.length > 0 ? words[Math.floor(uniform(rng, 0, Math.min(words.length, 6)))] : 0;
    const candidate = line.slice(from);
    if (candidate !== '' && candidate[0] !== trueRest[0]) return candidate;
  }
  return trueRest === '' ? 'undefined;' : `${trueRest[0] === 'x' ? 'y' : 'x'}${trueRest.slice(1)}`;
}
