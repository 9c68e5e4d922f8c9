/**
 * The streaming renderer: whatever the chunking, the finished answer must be exactly the answer
 * rendered at once, while settled blocks are rendered once and kept, and updates are batched
 * into frames and paced.
 */
import * as assert from 'node:assert/strict';
import { createStreamingMarkdown, type StreamingMarkdown } from '../../../media/chat/markdown/streamingRenderer';
import { createUpdatePacer, windowScheduler, type UpdateScheduler } from '../../../media/chat/markdown/updatePacer';
import { createDomFixture, type DomFixture } from './domFixture';

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A scheduler the test drives: frames and idle work run only when flushed. */
function manualScheduler(): UpdateScheduler & { flush(): number; clock: { now: number } } {
  const frames: (() => void)[] = [];
  const clock = { now: 0 };
  return {
    clock,
    frame: (callback) => frames.push(callback),
    afterFrame: () => {},
    nextTask: () => assert.fail('the renderer splits no task'),
    delay: () => assert.fail('no delay expected with updateBudget Infinity'),
    idle: (callback) => callback(),
    now: () => clock.now,
    flush: () => frames.splice(0).reduce((count, callback) => (callback(), count + 1), 0),
  };
}

/** Markdown whose structure spans blank lines or reaches back: where naive splitting goes wrong. */
const TRICKY: Record<string, string> = {
  'loose list with blank lines between items': 'Steps:\n\n1. one\n\n2. two\n\n   still two\n\n3. three\n\nAfter the list.\n',
  'nested lists and lazy continuation': '- a\n  - b\nlazy line\n\n  - c\n\n- d\n\nend\n',
  'fenced code with blank lines inside': 'Code:\n\n```python\ndef f():\n\n    return 1\n\n\nprint(f())\n```\n\nDone.\n',
  'fence inside a list item with blank lines': '- item\n\n  ```js\n  a()\n\n  b()\n  ```\n\n- next\n\ntext\n',
  'tilde and longer fences': '~~~\n```\nnot closed by backticks\n\n~~~\n\n````md\n```\ninner\n```\n\n````\n\nafter\n',
  'unclosed fence at the end': 'Intro\n\n```ts\nconst x = 1;\n\nconst y = 2;\n',
  'reference link used before its definition': 'See [the docs][docs] and [x].\n\nMore text.\n\n[docs]: https://example.com/docs "Docs"\n[x]: https://example.com/x\n',
  'indented code across blank lines': 'Para\n\n    code 1\n\n    code 2\n\nback\n',
  'blockquotes, setext headings, rules and tables': '> quote\n> more\n\n> second\n\nTitle\n=====\n\n---\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n* * *\n',
  'CRLF line endings': 'Line one\r\n\r\n- a\r\n- b\r\n\r\n```\r\ncode\r\n```\r\n',
  'images, links and raw html': 'A ![img](https://e.example/i.png) and <b>bold?</b>\n\n[l](https://e.example) <https://x.example>\n\n[bad](javascript:alert(1))\n',
  'no trailing newline': '# Title\n\nlast paragraph without newline',
};

const LINES = ['', '', '', 'text', 'more text', '- item', '  - nested', '  continued', '1. one', '2) two', '    code', '```', '```js', '~~~', '> quote', '# head', '---', '| a | b |', '|---|---|', '[r]: https://example.com/r', 'see [r]', '* star', '  ```', '![i](https://e.x/i.png)', '10. ten', '-', '***'];

function randomDocument(random: () => number): string {
  const lines = Array.from({ length: 4 + Math.floor(random() * 30) }, () => LINES[Math.floor(random() * LINES.length)]);
  return lines.join('\n') + (random() < 0.5 ? '\n' : '');
}

describe('streaming markdown renderer', () => {
  let dom: DomFixture;
  before(() => {
    dom = createDomFixture();
  });

  /** Streams `markdown` in random chunks, running frames at random moments, then finishes. */
  function streamRandomly(markdown: string, random: () => number): { container: HTMLElement; view: StreamingMarkdown } {
    const scheduler = manualScheduler();
    const container = dom.document.createElement('div');
    const view = createStreamingMarkdown(container, dom.renderer, { scheduler, updateBudget: Infinity });
    for (let at = 0; at < markdown.length; ) {
      const size = 1 + Math.floor(random() * 12);
      view.append(markdown.slice(at, at + size));
      at += size;
      if (random() < 0.4) scheduler.flush();
    }
    view.finish();
    return { container, view };
  }

  const wholeHtml = (markdown: string): string => dom.parse(dom.renderer.render(markdown)).innerHTML;

  for (const [name, markdown] of Object.entries(TRICKY)) {
    it(`ends exactly as the whole answer rendered at once: ${name}`, () => {
      const expected = wholeHtml(markdown);
      for (let seed = 1; seed <= 8; seed++) {
        const { container } = streamRandomly(markdown, seeded(seed));
        assert.equal(container.innerHTML, expected, `seed ${seed}`);
      }
    });
  }

  it('ends exactly as the whole answer for 40 random documents (seeded)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seeded(1000 + seed);
      const markdown = randomDocument(random);
      assert.equal(streamRandomly(markdown, random).container.innerHTML, wholeHtml(markdown), `seed ${1000 + seed}: ${JSON.stringify(markdown)}`);
    }
  });

  it('does not settle on a half-arrived line: "1" may yet become "10. item" of the list above', () => {
    for (const pieces of [['1. one\n\n1', '0. ten\n\nafter'], ['- a\n\n', '-', ' b\n'], ['```\ncode\n\n``', '`\n\nafter\n']]) {
      const scheduler = manualScheduler();
      const container = dom.document.createElement('div');
      const view = createStreamingMarkdown(container, dom.renderer, { scheduler, updateBudget: Infinity });
      for (const piece of pieces) {
        view.append(piece);
        scheduler.flush();
      }
      view.finish();
      assert.equal(container.innerHTML, wholeHtml(pieces.join('')), JSON.stringify(pieces));
    }
  });

  it('renders settled blocks once and keeps their nodes, re-parsing only the open tail', () => {
    const scheduler = manualScheduler();
    const container = dom.document.createElement('div');
    const parsed: string[] = [];
    const renderer = { ...dom.renderer, parse: (source: string, env: Parameters<typeof dom.renderer.parse>[1]) => (parsed.push(source), dom.renderer.parse(source, env)) };
    const view = createStreamingMarkdown(container, renderer, { scheduler, updateBudget: Infinity });
    view.append('First paragraph.\n\nSecond');
    scheduler.flush();
    view.append(' paragraph.\n\nThird paragraph.\n\n');
    scheduler.flush();
    const first = container.querySelector('p');
    assert.equal(first?.textContent, 'First paragraph.');
    for (let i = 0; i < 50; i++) {
      view.append(`Paragraph ${i} with some words.\n\n`);
      scheduler.flush();
    }
    view.finish();
    assert.equal(container.querySelector('p'), first, 'the first paragraph is the same node');
    assert.equal(first.parentNode, container);
    // No update parses more than the last couple of blocks, however long the answer grows.
    assert.ok(Math.max(...parsed.map((source) => source.length)) < 80, `longest parse ${Math.max(...parsed.map((s) => s.length))}`);
    assert.equal(container.querySelectorAll('p').length, 53);
  });

  it('batches appends into one update per frame', () => {
    const scheduler = manualScheduler();
    const container = dom.document.createElement('div');
    let parses = 0;
    const renderer = { ...dom.renderer, parse: (source: string, env: Parameters<typeof dom.renderer.parse>[1]) => (parses++, dom.renderer.parse(source, env)) };
    const view = createStreamingMarkdown(container, renderer, { scheduler, updateBudget: Infinity });
    for (const token of ['Hel', 'lo ', '**wor', 'ld**', '!']) view.append(token);
    assert.equal(container.innerHTML, '', 'nothing renders before the frame');
    assert.equal(scheduler.flush(), 1, 'one frame was requested');
    assert.equal(parses, 1);
    assert.equal(container.innerHTML, '<p>Hello <strong>world</strong>!</p>\n');
    assert.equal(scheduler.flush(), 0, 'no frame without new text');
  });

  it('keeps a code block\'s toolbar buttons (and so their focus) while the block grows', () => {
    const scheduler = manualScheduler();
    const container = dom.document.createElement('div');
    dom.document.body.append(container);
    const view = createStreamingMarkdown(container, dom.renderer, { scheduler, updateBudget: Infinity });
    view.append('```ts\nconst a = 1;\n');
    scheduler.flush();
    const copy = container.querySelector<HTMLButtonElement>('[data-action="copy"]');
    assert.ok(copy);
    copy.focus();
    view.append('const b = "two";\n');
    scheduler.flush();
    view.append('```\n\nAfter.\n');
    view.finish();
    assert.equal(container.querySelector('[data-action="copy"]'), copy);
    assert.equal(dom.document.activeElement, copy);
    assert.equal(container.querySelector('code')?.textContent, 'const a = 1;\nconst b = "two";\n');
    container.remove();
  });

  it('settles a block as soon as the next one starts, however long that one\'s first line runs', () => {
    const scheduler = manualScheduler();
    const container = dom.document.createElement('div');
    const parsed: string[] = [];
    const renderer = { ...dom.renderer, parse: (source: string, env: Parameters<typeof dom.renderer.parse>[1]) => (parsed.push(source), dom.renderer.parse(source, env)) };
    const view = createStreamingMarkdown(container, renderer, { scheduler, updateBudget: Infinity });
    view.append('## Step 1\n\nThe first line of a paragraph');
    scheduler.flush();
    const heading = container.querySelector('h2');
    view.append(' that goes on and on');
    scheduler.flush();
    assert.equal(parsed.at(-1), 'The first line of a paragraph that goes on and on', 'only the paragraph is re-parsed');
    assert.equal(container.querySelector('h2'), heading);
    view.finish();
    assert.equal(container.innerHTML, wholeHtml('## Step 1\n\nThe first line of a paragraph that goes on and on'));
  });

  it('builds a growing code block from pieces of whole lines, kept across updates, and ends with the whole block\'s highlighting', () => {
    const scheduler = manualScheduler();
    const container = dom.document.createElement('div');
    const view = createStreamingMarkdown(container, dom.renderer, { scheduler, updateBudget: Infinity });
    view.append('```ts\nconst a = 1;\nconst b');
    scheduler.flush();
    const first = container.querySelector('code .kestrel-code-piece');
    assert.equal(first?.textContent, 'const a = 1;\n');
    view.append(' = 2;\n/* a\nb */\n');
    scheduler.flush();
    const pieces = Array.from(container.querySelectorAll('code > .kestrel-code-piece'), (piece) => piece.textContent);
    assert.deepEqual(pieces, ['const a = 1;\n', 'const b = 2;\n/* a\nb */\n']);
    assert.equal(container.querySelector('code .kestrel-code-piece'), first, 'the first piece is the same node');
    view.append('```\n\nAfter.\n');
    view.finish();
    assert.equal(container.querySelector('.kestrel-code-piece'), null);
    assert.equal(container.innerHTML, wholeHtml('```ts\nconst a = 1;\nconst b = 2;\n/* a\nb */\n```\n\nAfter.\n'));
  });

  it('renders everything at finish() without waiting for a frame, and refuses text after it', () => {
    const scheduler = manualScheduler();
    const container = dom.document.createElement('div');
    const view = createStreamingMarkdown(container, dom.renderer, { scheduler, updateBudget: Infinity });
    view.append('- a\n- b');
    view.finish();
    assert.equal(container.innerHTML, wholeHtml('- a\n- b'));
    assert.equal(scheduler.flush(), 1);
    assert.equal(container.innerHTML, wholeHtml('- a\n- b'), 'a late frame changes nothing');
    assert.throws(() => view.append('more'), /after finish/);
    assert.ok(container.classList.contains('kestrel-markdown'));
  });

  it('joins a CR and LF that arrive in different chunks into one line break', () => {
    const scheduler = manualScheduler();
    const container = dom.document.createElement('div');
    const view = createStreamingMarkdown(container, dom.renderer, { scheduler, updateBudget: Infinity });
    for (const chunk of ['a\r', '\n\r', '\nb\r']) {
      view.append(chunk);
      scheduler.flush();
    }
    view.finish();
    assert.equal(view.text, 'a\n\nb\n');
    assert.equal(container.innerHTML, wholeHtml('a\r\n\r\nb\r'));
  });
});

describe('update pacing', () => {
  it('waits cost / budget after an update, counting the rendering reported after the frame', () => {
    let now = 0;
    const frames: (() => void)[] = [];
    const afterFrames: ((renderMs: number) => void)[] = [];
    const delays: number[] = [];
    const scheduler: UpdateScheduler = {
      frame: (callback) => frames.push(callback),
      afterFrame: (callback) => afterFrames.push(callback),
      nextTask: () => assert.fail('the pacer splits no task'),
      delay: (callback, ms) => {
        delays.push(ms);
        now += ms;
        callback();
      },
      idle: (callback) => callback(),
      now: () => now,
    };
    let runs = 0;
    const pacer = createUpdatePacer(() => ((now += 2), runs++, true), scheduler, { updateBudget: 0.04, maxUpdateIntervalMs: 1000 });
    pacer.request();
    pacer.request();
    assert.equal(frames.length, 1, 'one frame for two requests');
    frames.shift()?.();
    assert.equal(runs, 1);
    now += 13; // the frame has been drawn; waiting for it is not charged
    afterFrames.shift()?.(3); // the browser's style, layout and paint
    pacer.request();
    // 5 ms of work at a 4 % budget is 125 ms between update starts; 15 ms have passed.
    assert.deepEqual(delays, [110]);
    assert.equal(frames.length, 1);
    pacer.cancel();
    frames.shift()?.();
    assert.equal(runs, 1, 'a cancelled pacer runs nothing');
  });

  it('updates at the end of the current task (its scroll then shows in the same frame), on a frame when hidden', () => {
    let now = 0;
    let hidden = false;
    const microtasks: (() => void)[] = [];
    const frames: (() => void)[] = [];
    const posted: (() => void)[] = [];
    class Channel {
      port1: { onmessage: (() => void) | null } = { onmessage: null };
      port2 = { postMessage: () => void posted.push(() => this.port1.onmessage?.()) };
    }
    const win = {
      document: { get hidden() { return hidden; } },
      performance: { now: () => now },
      queueMicrotask: (callback: () => void) => void microtasks.push(callback),
      requestAnimationFrame: (callback: () => void) => frames.push(callback),
      MessageChannel: Channel,
    };
    const scheduler = windowScheduler(win as unknown as Window & typeof globalThis);
    const run = (queue: (() => void)[]): void => queue.splice(0).forEach((callback) => callback());
    let updates = 0;
    scheduler.frame(() => updates++);
    assert.deepEqual([microtasks.length, frames.length], [1, 0]);
    run(microtasks);
    assert.equal(updates, 1);
    hidden = true;
    scheduler.frame(() => updates++);
    assert.deepEqual([microtasks.length, frames.length], [0, 1]);
    run(frames);
    assert.equal(updates, 2);

    let renderMs: number | undefined;
    scheduler.afterFrame((ms) => (renderMs = ms));
    now += 2; // the rest of the task: the layout the update forced
    run(microtasks);
    now += 10; // waiting for the frame
    run(frames);
    now += 3; // style, layout, paint and commit
    run(posted);
    assert.equal(renderMs, 5);
  });
});
