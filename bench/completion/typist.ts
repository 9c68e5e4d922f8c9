/**
 * The simulated typist: how long each keystroke takes and how a suggestion is judged.
 *
 * Timing is seeded and keyed by the position in the file, so every policy replays the same
 * trace: about 140 ms between letters of one word and 190 ms otherwise (log-normal), a 300-800 ms
 * pause after each line break, and now and then a short thinking pause.
 *
 * Judging: a suggestion the typist has seen (after the reaction time) is accepted as far as it
 * matches the truth: whole (one keypress, Tab) when it all matches, otherwise word by word (one
 * keypress each, Ctrl+Right). A word is what VS Code's accept-word takes: the next run of word
 * characters with the non-word characters before it, or a line break with its indentation.
 */
import { logNormal, rngFor, uniform } from './rng';

export const REACTION_MS = 150;

export interface TypingModel {
  /** Milliseconds between the previous action and typing the character at `pos`. */
  keyDelay(pos: number): number;
  /** Milliseconds between two word accepts (Ctrl+Right presses) at `pos`. */
  acceptDelay(pos: number): number;
  reactionMs: number;
}

const LETTER = /[A-Za-z]/;

export function typingModel(truth: string, seed: number, fileIndex: number): TypingModel {
  return {
    reactionMs: REACTION_MS,
    keyDelay(pos) {
      const rng = rngFor(seed, 'key', fileIndex, pos);
      const inWord = pos > 0 && LETTER.test(truth[pos - 1]) && LETTER.test(truth[pos]);
      let delay = clamp(logNormal(rng, inWord ? 140 : 190, 0.35), 60, 700);
      if (startsLine(truth, pos)) delay += uniform(rng, 300, 800);
      if (rng() < 0.03) delay += uniform(rng, 300, 1000);
      return Math.round(delay);
    },
    acceptDelay(pos) {
      return Math.round(uniform(rngFor(seed, 'accept', fileIndex, pos), 110, 170));
    },
  };
}

/**
 * True when `pos` is the first non-indentation character of a line (after the line break). The
 * indentation itself (typed by hand when an accepted word brought only part of it) gets no pause.
 */
function startsLine(truth: string, pos: number): boolean {
  if (truth[pos] === ' ' || truth[pos] === '\t') return false;
  let i = pos - 1;
  while (i >= 0 && (truth[i] === ' ' || truth[i] === '\t')) i--;
  return i >= 0 && truth[i] === '\n';
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** The first word VS Code's accept-word would take from `text`. */
export function nextWord(text: string): string {
  return /^(\n[ \t]*|[^\w\n]*\w+|[^\w\n]+)/.exec(text)?.[0] ?? text;
}

export type Judgement = { kind: 'whole' } | { kind: 'word'; length: number } | { kind: 'none' };

/**
 * What the typist does with `suggestion` when the document is `truth.slice(0, pos)`. A line break
 * whose indentation falls short of the truth's is not taken: Enter gives the whole indentation
 * (auto-indent), where accepting it would leave the rest to type by hand.
 */
export function judge(suggestion: string, truth: string, pos: number): Judgement {
  if (truth.startsWith(suggestion, pos)) return { kind: 'whole' };
  const word = nextWord(suggestion);
  if (!truth.startsWith(word, pos)) return { kind: 'none' };
  if (word.startsWith('\n') && word !== nextWord(truth.slice(pos))) return { kind: 'none' };
  return { kind: 'word', length: word.length };
}

/** Leading whitespace of the line that starts at `lineStart`: what auto-indent inserts on Enter. */
export function indentationAt(truth: string, lineStart: number): number {
  let i = lineStart;
  while (i < truth.length && (truth[i] === ' ' || truth[i] === '\t')) i++;
  return i - lineStart;
}
