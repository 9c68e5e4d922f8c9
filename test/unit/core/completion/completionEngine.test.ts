import * as assert from 'node:assert/strict';
import { CompletionEngine, PREFIX_TAIL, type CompletionSnapshot, type SuggestionSource } from '../../../../src/core/completion/completionEngine';
import { SuggestionCache } from '../../../../src/core/completion/suggestionCache';

/** A model whose answers the test hands out by hand. */
class ManualSource implements SuggestionSource<string> {
  readonly calls: { request: string; signal: AbortSignal; answer(text: string | undefined): void; partial(raw: string): void; fail(): void }[] = [];
  fetch(request: string, signal: AbortSignal, onPartial: (raw: string) => void, onFailure?: () => void): Promise<string | undefined> {
    return new Promise((resolve) => {
      signal.addEventListener('abort', () => resolve(undefined), { once: true });
      this.calls.push({ request, signal, answer: resolve, partial: onPartial, fail: () => (onFailure?.(), resolve(undefined)) });
    });
  }
}

const at = (prefixTail: string, suffixHead = ''): CompletionSnapshot => ({ documentKey: 'file:///a.ts', prefixTail, suffixHead, mode: 'single' });
const tick = () => new Promise((resolve) => setImmediate(resolve));
const live = () => new AbortController().signal;

describe('completion engine', () => {
  let source: ManualSource;
  let engine: CompletionEngine<string>;
  beforeEach(() => {
    source = new ManualSource();
    engine = new CompletionEngine({ source, debounceMs: 0 });
  });

  it('serves typing-through from the cache with no new request', async () => {
    const first = engine.provide(at('const x = '), () => 'r1', live());
    await tick();
    source.calls[0].answer('compute(a, b);');
    assert.equal(await first, 'compute(a, b);');
    assert.equal(await engine.provide(at('const x = comp'), () => 'r2', live()), 'ute(a, b);');
    assert.equal(await engine.provide(at('const x = compute(a,'), () => 'r3', live()), ' b);');
    assert.equal(source.calls.length, 1);
    assert.equal(engine.stats.cacheHits, 2);
  });

  it('finds the answer again after backspacing to an earlier state', async () => {
    const first = engine.provide(at('let y = '), () => 'r1', live());
    await tick();
    source.calls[0].answer('42;');
    await first;
    const other = engine.provide(at('let y = 7'), () => 'r2', live());
    await tick();
    source.calls[1].answer('7;');
    await other;
    assert.equal(await engine.provide(at('let y = '), () => 'r3', live()), '42;');
    assert.equal(source.calls.length, 2);
  });

  it('lets VS Code cancel its call without aborting the request, and joins it on the next keystroke', async () => {
    const vscodeCall = new AbortController();
    const first = engine.provide(at('return '), () => 'r1', vscodeCall.signal);
    await tick();
    vscodeCall.abort();
    assert.equal(await first, undefined);
    assert.equal(source.calls[0].signal.aborted, false, 'the HTTP request goes on');
    const second = engine.provide(at('return a'), () => 'r2', live());
    await tick();
    source.calls[0].partial('a + b');
    source.calls[0].answer('a + b;');
    assert.equal(await second, ' + b;');
    assert.equal(source.calls.length, 1);
    assert.equal(engine.stats.joined, 1);
  });

  it('aborts a request the typed text contradicts, and asks again', async () => {
    void engine.provide(at('return '), () => 'r1', live());
    await tick();
    source.calls[0].partial('a + b');
    const second = engine.provide(at('return x'), () => 'r2', live());
    await tick();
    assert.equal(source.calls[0].signal.aborted, true);
    assert.equal(source.calls.length, 2);
    source.calls[1].answer(' * 2;');
    assert.equal(await second, ' * 2;');
    assert.equal(engine.stats.aborted, 1);
  });

  it('aborts a request when the cursor moves somewhere it cannot serve', async () => {
    void engine.provide(at('function f() {\n  return '), () => 'r1', live());
    await tick();
    engine.observe(at('function g() {\n  '));
    assert.equal(source.calls[0].signal.aborted, true);
  });

  it('keeps a request that has not answered yet while the user types on', async () => {
    void engine.provide(at('x = '), () => 'r1', live());
    await tick();
    engine.observe(at('x = 1'));
    engine.observe(at('x = 12'));
    assert.equal(source.calls[0].signal.aborted, false);
  });

  it('waits for the debounce and sends nothing for a keystroke that is overtaken', async () => {
    engine = new CompletionEngine({ source, debounceMs: 30 });
    const early = new AbortController();
    const first = engine.provide(at('a'), () => 'r1', early.signal);
    early.abort();
    const second = engine.provide(at('ab'), () => 'r2', live());
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(source.calls.map((c) => c.request), ['r2']);
    source.calls[0].answer('c');
    assert.equal(await first, undefined);
    assert.equal(await second, 'c');
  });

  it('prefetches after an accept so the next call joins the request', async () => {
    engine = new CompletionEngine({ source, debounceMs: 1_000 });
    engine.prefetch(at('one();\n'), () => 'prefetch');
    const next = engine.provide(at('one();\n'), () => 'r2', live());
    source.calls[0].answer('two();');
    assert.equal(await next, 'two();');
    assert.deepEqual(source.calls.map((c) => c.request), ['prefetch']);
  });

  it('prefetches the next line after a finished one: shown from the line end, and still serving after Enter', async () => {
    engine = new CompletionEngine({ source, debounceMs: 1_000 });
    const lineEnd: CompletionSnapshot = { ...at('  one();'), mode: 'multi' };
    engine.prefetch(lineEnd, () => 'next line', '\n');
    const here = engine.provide(at('  one();'), () => 'r2', live());
    source.calls[0].partial('  two');
    // Enter and auto-indent: the request made for the next line serves there too, with no new one.
    const afterEnter = engine.provide(at('  one();\n  '), () => 'r3', live());
    source.calls[0].answer('  two();');
    assert.equal(await here, '\n  two();');
    assert.equal(await afterEnter, 'two();');
    assert.deepEqual(source.calls.map((c) => c.request), ['next line']);
  });

  it('in a CRLF document, still serves after Enter and while typing through a line break', async () => {
    engine = new CompletionEngine({ source, debounceMs: 1_000 });
    engine.prefetch({ ...at('{\r\n  one();', '\r\n}'), mode: 'multi' }, () => 'next line', '\n');
    // Enter: VS Code wrote "\r\n" and the indentation; the answer says "\n".
    const afterEnter = engine.provide(at('{\r\n  one();\r\n  ', '\r\n}'), () => 'r2', live());
    assert.equal(source.calls[0].signal.aborted, false, 'Enter made the prefetched request useless');
    source.calls[0].answer('  two();\n  three();');
    assert.equal(await afterEnter, 'two();\n  three();');
    // Typing the suggestion on through its line break.
    assert.equal(await engine.provide(at('{\r\n  one();\r\n  two();\r\n  th', '\r\n}'), () => 'r3', live()), 'ree();');
    assert.deepEqual(source.calls.map((c) => c.request), ['next line']);
  });

  it('offers nothing, not a bare line break, when the next line has no suggestion', async () => {
    engine.prefetch({ ...at('one();'), mode: 'multi' }, () => 'next line', '\n');
    const here = engine.provide(at('one();'), () => 'r2', live());
    source.calls[0].answer(undefined);
    assert.equal(await here, undefined);
    assert.equal(engine.stats.requests, 1, 'the model said there is nothing here: no second request');
  });

  it('aborts a next-line request once the user types on the same line instead', async () => {
    engine.prefetch({ ...at('one()'), mode: 'multi' }, () => 'next line', '\n');
    engine.observe(at('one();'));
    assert.equal(source.calls[0].signal.aborted, true);
  });

  it('sends nothing new while requests are not allowed (paused after a failure)', async () => {
    let allowed = true;
    engine = new CompletionEngine({ source, debounceMs: 0, mayRequest: () => allowed });
    const first = engine.provide(at('x = '), () => 'r1', live());
    await tick();
    const joined = engine.provide(at('x = 1'), () => 'r2', live());
    allowed = false;
    source.calls[0].answer(undefined); // the request failed
    assert.equal(await first, undefined);
    assert.equal(await joined, undefined);
    engine.prefetch(at('x = 12'), () => 'r3');
    assert.equal(source.calls.length, 1);
  });

  it('remembers where the model had nothing, until the user asks explicitly', async () => {
    const first = engine.provide(at('}\n'), () => 'r1', live());
    await tick();
    source.calls[0].answer(undefined);
    assert.equal(await first, undefined);
    assert.equal(await engine.provide(at('}\n'), () => 'r2', live()), undefined);
    engine.prefetch(at('}\n'), () => 'r3');
    assert.equal(source.calls.length, 1, 'no second request for a known-empty state');
    const explicit = engine.provide(at('}\n'), () => 'r4', live(), { explicit: true });
    await tick();
    source.calls[1].answer('next();');
    assert.equal(await explicit, 'next();');
  });

  it('does not remember a failed request as "nothing here": the same state asks again', async () => {
    const first = engine.provide(at('total = '), () => 'r1', live());
    await tick();
    source.calls[0].fail(); // a timeout, a 500, no network
    assert.equal(await first, undefined);
    engine.prefetch(at('total = '), () => 'r2');
    assert.equal(source.calls.length, 2, 'the state was remembered as empty');
    source.calls[1].answer('sum(items);');
    await tick();
    assert.equal(await engine.provide(at('total = '), () => 'r3', live()), 'sum(items);');
  });

  it('does not send a second request for a call whose joined request failed (completions never retry)', async () => {
    engine.prefetch(at('a = '), () => 'r1');
    const call = engine.provide(at('a = '), () => 'r2', live());
    source.calls[0].fail();
    assert.equal(await call, undefined);
    assert.equal(source.calls.length, 1);
  });

  it('does not debounce a call that joined a request which served nothing', async () => {
    engine = new CompletionEngine({ source, debounceMs: 10_000 });
    engine.prefetch(at('a = '), () => 'r1');
    const call = engine.provide(at('a = 1'), () => 'r2', live());
    source.calls[0].answer('2;'); // contradicts the typed "1"
    await tick();
    await tick();
    assert.equal(source.calls.length, 2, 'the new request went out without waiting 10 s');
    source.calls[1].answer('0;');
    assert.equal(await call, '0;');
  });

  it("aborts a closed document's requests and forgets its answers, and only its own", async () => {
    const other = (prefixTail: string): CompletionSnapshot => ({ ...at(prefixTail), documentKey: 'file:///b.ts' });
    const answered = engine.provide(at('x = '), () => 'r1', live());
    await tick();
    source.calls[0].answer('1;');
    await answered;
    const empty = engine.provide(at('y = '), () => 'r2', live());
    await tick();
    source.calls[1].answer(undefined);
    await empty;
    engine.prefetch(at('z = '), () => 'r3');
    engine.prefetch(other('w = '), () => 'r4');
    engine.forgetDocument('file:///a.ts');
    assert.deepEqual(source.calls.map((c) => c.signal.aborted), [false, false, true, false]);
    // Reopened: nothing from before is served or remembered as empty.
    void engine.provide(at('x = '), () => 'r5', live());
    void engine.provide(at('y = '), () => 'r6', live());
    await tick();
    assert.deepEqual(source.calls.slice(4).map((c) => c.request), ['r5', 'r6']);
  });

  it('keeps at most two requests in flight, aborting the oldest', async () => {
    // Three documents, so no request is dropped for being useless, only for the cap.
    engine.prefetch({ ...at('a'), documentKey: 'file:///1.ts' }, () => 'r1');
    engine.prefetch({ ...at('b'), documentKey: 'file:///2.ts' }, () => 'r2');
    engine.prefetch({ ...at('c'), documentKey: 'file:///3.ts' }, () => 'r3');
    assert.deepEqual(source.calls.map((c) => c.signal.aborted), [true, false, false]);
  });
});

describe('suggestion cache: what was typed since', () => {
  const cache = new SuggestionCache(10);
  const long = Array.from({ length: 200 }, (_, i) => `const v${i} = ${i};`).join('\n');

  it('follows the text when the window slides', () => {
    const before = at(long.slice(-PREFIX_TAIL));
    const after = at((long + '\nconst next').slice(-PREFIX_TAIL));
    assert.equal(cache.typedSince(before, after), '\nconst next');
  });

  it('refuses a state that does not continue the earlier one', () => {
    assert.equal(cache.typedSince(at('abc'), at('abd')), undefined);
    assert.equal(cache.typedSince(at('abc', ')'), at('abcd', '')), undefined, 'the text after the cursor changed');
    assert.equal(cache.typedSince(at(long.slice(-PREFIX_TAIL)), at(long.slice(-PREFIX_TAIL - 5, -5))), undefined);
  });
});
