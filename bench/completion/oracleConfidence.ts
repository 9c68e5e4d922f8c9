/**
 * How sure the oracle "is" of each token it writes, for requests that ask for `logprobs` (the
 * `kestrel.completion.minTokenProbability` setting). GPT-4o mini's calibration on code cannot be
 * measured offline, so this is a stated assumption, not data; the benchmark README says so.
 *
 * - A token that agrees with the truth is usually a sure one (p in [0.9, 1)); one in five is an
 *   open choice (a name, a literal, where several continuations are plausible): p in [0.02, 0.9).
 * - The token where the answer leaves the truth is less sure on average, but not always:
 *   p in [0.01, 0.6). Models are overconfident, so much of that range lies above common cut-offs.
 * - After leaving the truth the model goes on as surely as before (its own code is consistent).
 * - Prose and fence tokens are sure ones.
 */
import { splitIntoPieces } from '../../test/fakes/tokens';
import { uniform } from './rng';

const OPEN_CHOICE_SHARE = 0.2;

export interface AnswerShape {
  /** Characters of wrapping (prose, fence line) before the code. */
  codeStart: number;
  /** Offset in the answer where the code leaves the truth, if it does. */
  departsAt?: number;
  /** Characters of wrapping after the code (a closing fence). */
  codeEnd: number;
}

/** One natural-log probability per o200k token of `answer`, as the server streams them. */
export function answerLogprobs(answer: string, shape: AnswerShape, rng: () => number): number[] {
  const values: number[] = [];
  let offset = 0;
  for (const piece of splitIntoPieces(answer)) {
    const end = offset + piece.text.length;
    for (let i = 0; i < piece.tokens.length; i++) values.push(Math.log(tokenProbability(offset, end, shape, rng)));
    offset = end;
  }
  return values;
}

function tokenProbability(start: number, end: number, shape: AnswerShape, rng: () => number): number {
  const wrapping = end <= shape.codeStart || start >= shape.codeEnd;
  if (!wrapping && shape.departsAt !== undefined && start <= shape.departsAt && shape.departsAt < end) return uniform(rng, 0.01, 0.6);
  if (wrapping || rng() >= OPEN_CHOICE_SHARE) return uniform(rng, 0.9, 1);
  return uniform(rng, 0.02, 0.9);
}
