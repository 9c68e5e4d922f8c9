/**
 * One typing session in a simulated VS Code editor: the typist types a corpus file from top to
 * bottom (the document is always a prefix of the true text; nothing after the cursor), and the
 * editor drives the policy through VS Code's inline-completion protocol:
 *
 * - every document change (keystroke or accept) cancels the previous provider call and makes a
 *   new one; a call that resolves with text while not cancelled shows that text, replacing what
 *   was shown; one that resolves with nothing leaves the shown suggestion alone;
 * - typing a character the shown suggestion starts with keeps the rest of it shown (typing
 *   through); any other change hides it; Enter also inserts the next line's indentation, as
 *   VS Code's auto-indent does;
 * - after an accept the policy is told of it (Kestrel's accept command prefetches after a whole one).
 *
 * Requests are built as src/features/completion/inlineCompletionProvider.ts builds them: the last
 * 400 lines before the cursor as prefix, the default token budget and settings, no snippets (no
 * other files are open), and the mode from `decideMode`.
 */
import { decideMode, type CursorText } from '../../src/core/completion/completionMode';
import { DEFAULT_BUDGET } from '../../src/core/completion/completionPrompt';
import { PREFIX_TAIL, type CompletionSnapshot } from '../../src/core/completion/completionEngine';
import type { SuggestionRequest } from '../../src/model/suggestionSource';
import type { CorpusFile } from './corpus';
import type { OverheadMeter } from './overhead';
import type { Policy } from './policies';
import { indentationAt, judge, type TypingModel } from './typist';
import type { VirtualClock } from './virtualClock';

const PREFIX_WINDOW_LINES = 400;
const NEARBY_LINES = 6;
const MAX_BLOCK_TOKENS = 256;

export interface SessionStats {
  chars: number;
  keypresses: number;
  typed: number;
  wholeAccepts: number;
  wordAccepts: number;
  /** Suggestions that appeared (new text), whether or not the typist got to see them. */
  shown: number;
  /** Suggestions still showing when the typist reacted: what the user actually saw. */
  seen: number;
  /** Seen suggestions of which not even the first word was right. */
  bad: number;
  /** Virtual ms from the last document change to each suggestion appearing. */
  latencies: number[];
  virtualMs: number;
}

interface Shown {
  text: string;
  shownAt: number;
  noticed: boolean;
  ignored: boolean;
  acceptedAny: boolean;
}

export class EditorSim {
  private pos = 0;
  private visible: Shown | undefined;
  private call = new AbortController();
  private wake = new AbortController();
  private lastChangeAt = 0;
  private readonly truth: string;
  readonly stats: SessionStats;

  constructor(
    private readonly file: CorpusFile,
    private readonly policy: Policy,
    private readonly clock: VirtualClock,
    private readonly typing: TypingModel,
    private readonly meter: OverheadMeter,
    /** Told the cursor offset of every request built (the oracle uses it to place the cursor). */
    private readonly onBuild: (cursor: number) => void,
    /** The `kestrel.completion.minTokenProbability` setting (the provider passes it on). */
    private readonly minTokenProbability: number,
    /** Debug trace of every event (BENCH_TRACE); off by default. */
    private readonly trace?: (event: string) => void,
  ) {
    this.truth = file.text;
    this.stats = { chars: file.text.length, keypresses: 0, typed: 0, wholeAccepts: 0, wordAccepts: 0, shown: 0, seen: 0, bad: 0, latencies: [], virtualMs: 0 };
  }

  /** Types the whole file; resolves when the last character is in. */
  async run(): Promise<SessionStats> {
    let lastActionAt = this.clock.now();
    while (this.pos < this.truth.length) {
      const keyAt = lastActionAt + this.typing.keyDelay(this.pos);
      const shown = this.visible;
      if (shown && !shown.ignored) {
        const actAt = shown.noticed ? lastActionAt + this.typing.acceptDelay(this.pos) : Math.max(shown.shownAt + this.typing.reactionMs, lastActionAt);
        if (actAt <= keyAt) {
          if (await this.sleepUntil(actAt)) continue;
          if (this.visible === shown) this.actOn(shown);
          lastActionAt = this.clock.now();
          continue;
        }
      }
      if (await this.sleepUntil(keyAt)) continue;
      this.typeKey();
      lastActionAt = this.clock.now();
    }
    this.call.abort();
    this.stats.virtualMs = this.clock.now();
    return this.stats;
  }

  /** Sleeps until `at`; true when woken early because a new suggestion appeared. */
  private async sleepUntil(at: number): Promise<boolean> {
    const wake = (this.wake = new AbortController());
    await this.clock.sleepUntil(at, wake.signal);
    return wake.signal.aborted;
  }

  private typeKey(): void {
    this.stats.keypresses++;
    this.stats.typed++;
    this.trace?.(`${this.clock.now().toFixed(0)} type ${JSON.stringify(this.truth[this.pos])} @${this.pos}`);
    let next = this.pos + 1;
    if (this.truth[this.pos] === '\n') next += indentationAt(this.truth, next);
    this.change(next);
  }

  private actOn(shown: Shown): void {
    if (!shown.noticed) {
      shown.noticed = true;
      this.stats.seen++;
    }
    const verdict = judge(shown.text, this.truth, this.pos);
    this.trace?.(`${this.clock.now().toFixed(0)} react ${verdict.kind} @${this.pos} ${JSON.stringify(shown.text.slice(0, 60))}`);
    if (verdict.kind === 'none') {
      shown.ignored = true;
      if (!shown.acceptedAny) this.stats.bad++;
      return;
    }
    shown.acceptedAny = true;
    this.stats.keypresses++;
    if (verdict.kind === 'whole') this.stats.wholeAccepts++;
    else this.stats.wordAccepts++;
    this.change(this.pos + (verdict.kind === 'whole' ? shown.text.length : verdict.length), verdict.kind);
  }

  private change(next: number, accepted?: 'whole' | 'word'): void {
    const inserted = this.truth.slice(this.pos, next);
    this.pos = next;
    this.lastChangeAt = this.clock.now();
    const shown = this.visible;
    if (shown) {
      if (shown.text.length > inserted.length && shown.text.startsWith(inserted)) shown.text = shown.text.slice(inserted.length);
      else this.visible = undefined;
    }
    this.call.abort();
    if (this.pos >= this.truth.length) return;
    const call = (this.call = new AbortController());
    const at = this.pos;
    const snapshot = this.snapshot(at);
    if (accepted && this.policy.accepted) {
      const cost = this.meter.newCall();
      // The document ends at the cursor: nothing follows it on its line.
      this.meter.measure(cost, () => this.policy.accepted!({ whole: accepted === 'whole', snapshot, build: this.builder(at, cost), lineSuffix: '' }));
    }
    const cost = this.meter.newCall();
    const result = this.meter.measure(cost, () => this.policy.provide(snapshot, this.builder(at, cost), call.signal));
    result.then((text) => this.onResult(text, call.signal));
  }

  private onResult(text: string | undefined, signal: AbortSignal): void {
    if (signal.aborted || !text || this.visible?.text === text) return;
    this.visible = { text, shownAt: this.clock.now(), noticed: false, ignored: false, acceptedAny: false };
    this.stats.shown++;
    this.trace?.(`${this.clock.now().toFixed(0)} show @${this.pos} after ${(this.clock.now() - this.lastChangeAt).toFixed(0)} ms ${JSON.stringify(text.slice(0, 60))}`);
    this.stats.latencies.push(this.clock.now() - this.lastChangeAt);
    this.wake.abort();
  }

  private builder(at: number, cost: ReturnType<OverheadMeter['newCall']>): () => SuggestionRequest {
    return () =>
      this.meter.measure(cost, () => {
        const request = this.buildRequest(at);
        this.trace?.(`${this.clock.now().toFixed(0)} request @${at} ${request.prompt.mode}`);
        this.meter.tag(request, cost);
        this.onBuild(at);
        return request;
      });
  }

  private snapshot(at: number): CompletionSnapshot {
    const doc = this.truth.slice(0, at);
    return { documentKey: this.file.key, prefixTail: doc.slice(-PREFIX_TAIL), suffixHead: '', mode: decideMode(this.cursorText(at)) };
  }

  private buildRequest(at: number): SuggestionRequest {
    const cursor = this.cursorText(at);
    const line = countLines(this.truth, at);
    const prefixStartLine = Math.max(0, line - PREFIX_WINDOW_LINES);
    const prefix = this.truth.slice(lineStartOf(this.truth, at, line - prefixStartLine), at);
    return {
      prompt: { path: this.file.promptPath, languageId: this.file.languageId, prefix, prefixStartLine, suffix: '', snippets: [], mode: decideMode(cursor), budget: DEFAULT_BUDGET },
      cursor,
      maxBlockTokens: MAX_BLOCK_TOKENS,
      minTokenProbability: this.minTokenProbability,
    };
  }

  /** The cursor line and the lines around it, as the provider's `cursorText` gives them. */
  private cursorText(at: number): CursorText {
    const lineStart = this.truth.lastIndexOf('\n', at - 1) + 1;
    const aboveStart = lineStartOf(this.truth, at, NEARBY_LINES * 2);
    const linesAbove = lineStart > aboveStart ? this.truth.slice(aboveStart, lineStart - 1).split('\n') : [];
    return { linePrefix: this.truth.slice(lineStart, at), lineSuffix: '', linesAbove, linesBelow: [] };
  }
}

/** 0-based line number of offset `at`. */
function countLines(text: string, at: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** Offset of the start of the line `back` lines above the line of `at` (clamped to 0). */
function lineStartOf(text: string, at: number, back: number): number {
  let start = text.lastIndexOf('\n', at - 1) + 1;
  for (let n = 0; n < back && start > 0; n++) start = start >= 2 ? text.lastIndexOf('\n', start - 2) + 1 : 0;
  return start;
}
