/**
 * What Kestrel asks for right after the user accepts a whole suggestion (VS Code runs the item's
 * command only then), so the next one is ready sooner. The provider and the completion benchmark
 * both call this.
 */
import type { CompletionEngine, CompletionSnapshot } from '../core/completion/completionEngine';
import type { SuggestionRequest } from './suggestionSource';

/**
 * A suggestion accepted to the end of its line finished that line: the next suggestion is asked
 * for the start of the next line, as if Enter had been pressed, and shows from the end of this
 * one with the line break in front. Elsewhere it is asked for where the cursor is.
 */
export function prefetchAfterAccept(engine: CompletionEngine<SuggestionRequest>, here: CompletionSnapshot, build: () => SuggestionRequest, lineSuffix: string): void {
  if (lineSuffix.trim() !== '') engine.prefetch(here, build);
  else engine.prefetch({ ...here, mode: 'multi' }, () => atNextLine(build()), '\n');
}

/**
 * `request` (made at the end of a line) made instead for the start of the next line, as if the
 * user had pressed Enter: a block is asked for, and the model writes the new line's indentation
 * itself, whatever the editor's auto-indent would have put there.
 */
export function atNextLine(request: SuggestionRequest): SuggestionRequest {
  const { prompt, cursor } = request;
  return {
    ...request,
    prompt: { ...prompt, prefix: `${prompt.prefix}\n`, mode: 'multi' },
    cursor: { ...cursor, linesAbove: [...cursor.linesAbove, cursor.linePrefix + cursor.lineSuffix], linePrefix: '', lineSuffix: '' },
  };
}
