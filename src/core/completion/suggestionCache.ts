/**
 * Remembers suggestions by the cursor state they were made for, and finds the one that still
 * serves after the user typed (or accepted) some of it: if the text typed since a suggestion's
 * state is the start of that suggestion, the rest of it is still right.
 *
 * A state is the tail of the text before the cursor plus the head of the text after it; a later
 * state continues an earlier one when its tail is the earlier tail plus what was typed.
 */
import type { CompletionSnapshot } from './completionEngine';

const MAX_TYPED = 500;
const MAX_EMPTY = 200;
const SENTINEL = 32;
const PER_DOCUMENT = 50;

interface Entry {
  snapshot: CompletionSnapshot;
  suggestion: string;
}

export class SuggestionCache {
  /** Per document, most recent first; the map's order is the documents' recency. */
  private readonly byDocument = new Map<string, Entry[]>();
  private size = 0;
  /** Exact states where the model had nothing to suggest, oldest first. */
  private readonly empty = new Set<string>();

  constructor(private readonly capacity: number) {}

  store(snapshot: CompletionSnapshot, suggestion: string): void {
    const entries = this.byDocument.get(snapshot.documentKey) ?? [];
    const same = entries.findIndex((e) => e.snapshot.prefixTail === snapshot.prefixTail && e.snapshot.suffixHead === snapshot.suffixHead);
    if (same >= 0) {
      entries.splice(same, 1);
      this.size--;
    }
    entries.unshift({ snapshot, suggestion });
    this.size++;
    if (entries.length > PER_DOCUMENT) {
      entries.pop();
      this.size--;
    }
    this.byDocument.delete(snapshot.documentKey);
    this.byDocument.set(snapshot.documentKey, entries);
    while (this.size > this.capacity) this.evictOldest();
  }

  /** Remembers that the model had nothing to suggest at exactly this state. */
  storeEmpty(snapshot: CompletionSnapshot): void {
    const key = emptyKey(snapshot);
    this.empty.delete(key);
    this.empty.add(key);
    if (this.empty.size > MAX_EMPTY) this.empty.delete(this.empty.values().next().value as string);
  }

  isKnownEmpty(snapshot: CompletionSnapshot): boolean {
    return this.empty.has(emptyKey(snapshot));
  }

  /** The rest of a remembered suggestion that still fits `snapshot`, or undefined. */
  lookup(snapshot: CompletionSnapshot): string | undefined {
    for (const entry of this.byDocument.get(snapshot.documentKey) ?? []) {
      const typed = this.typedSince(entry.snapshot, snapshot);
      if (typed !== undefined && entry.suggestion.length > typed.length && entry.suggestion.startsWith(typed)) {
        return entry.suggestion.slice(typed.length);
      }
    }
    return undefined;
  }

  /**
   * The text typed between `earlier` and `later`, when `later` continues `earlier` in the same
   * document with the same text after the cursor; undefined otherwise.
   */
  typedSince(earlier: CompletionSnapshot, later: CompletionSnapshot): string | undefined {
    if (earlier.documentKey !== later.documentKey || earlier.suffixHead !== later.suffixHead) return undefined;
    const before = earlier.prefixTail;
    const now = later.prefixTail;
    if (now === before) return '';
    if (now.startsWith(before)) return now.length - before.length <= MAX_TYPED ? now.slice(before.length) : undefined;
    if (before.length < SENTINEL) return undefined;
    // The window slid: find where the earlier tail ends inside the later one.
    const sentinel = before.slice(-SENTINEL);
    for (let at = now.lastIndexOf(sentinel); at >= 0 && now.length - (at + SENTINEL) <= MAX_TYPED; at = now.lastIndexOf(sentinel, at - 1)) {
      const kept = at + SENTINEL;
      if (before.endsWith(now.slice(0, kept))) return now.slice(kept);
      if (at === 0) break;
    }
    return undefined;
  }

  forgetDocument(documentKey: string): void {
    this.size -= this.byDocument.get(documentKey)?.length ?? 0;
    this.byDocument.delete(documentKey);
    for (const key of [...this.empty]) if (key.startsWith(`${documentKey}\u0000`)) this.empty.delete(key);
  }

  clear(): void {
    this.byDocument.clear();
    this.empty.clear();
    this.size = 0;
  }

  private evictOldest(): void {
    const [key, entries] = this.byDocument.entries().next().value as [string, Entry[]];
    entries.pop();
    this.size--;
    if (entries.length === 0) this.byDocument.delete(key);
  }
}

function emptyKey(snapshot: CompletionSnapshot): string {
  return `${snapshot.documentKey}\u0000${snapshot.prefixTail}\u0000${snapshot.suffixHead}`;
}
