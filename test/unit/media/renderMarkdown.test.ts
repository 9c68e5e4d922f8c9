/**
 * The chat's markdown renderer: what model output may and may not become in the webview. Raw HTML,
 * event handlers, script links and remote images must never turn into live markup; code blocks
 * are highlighted and carry their action toolbar.
 */
import * as assert from 'node:assert/strict';
import { readCodeBlock } from '../../../media/chat/markdown/codeBlock';
import { HIGHLIGHTED_LANGUAGES } from '../../../media/chat/markdown/highlightCode';
import type { MarkdownEnv, MarkdownToken } from '../../../media/chat/markdown/renderMarkdown';
import { SLICE_MS, warmUpRenderer } from '../../../media/chat/markdown/warmUp';
import { createSanitizer, isHighlighterMarkup, isWebUrl } from '../../../media/chat/markdown/sanitizeHtml';
import { createDomFixture, type DomFixture } from './domFixture';

describe('renderMarkdown (chat webview)', () => {
  let dom: DomFixture;
  const render = (markdown: string): HTMLElement => dom.parse(dom.renderer.render(markdown));
  /** Every attribute name in the rendered tree, for "no on* / style anywhere" checks. */
  const attributeNames = (root: Element): string[] => Array.from(root.querySelectorAll('*')).flatMap((e) => e.getAttributeNames());

  before(() => {
    dom = createDomFixture();
  });

  describe('sanitising', () => {
    it('shows a <script> tag as text and creates no script element', () => {
      const root = render('Hello <script>alert(1)</script> world\n\n<script src="https://evil.example/x.js"></script>');
      assert.equal(root.querySelector('script'), null);
      assert.match(root.textContent ?? '', /<script>alert\(1\)<\/script>/);
    });

    it('shows <img src=x onerror=…> as text: no img, no event handler attribute', () => {
      const root = render('<img src=x onerror=alert(1)>\n\ninline <img src=x onerror=alert(2)> too');
      assert.equal(root.querySelector('img'), null);
      assert.deepEqual(attributeNames(root).filter((name) => name.startsWith('on')), []);
      assert.match(root.textContent ?? '', /<img src=x onerror=alert\(1\)>/);
    });

    it('does not link [x](javascript:alert(1)) or any other non-web scheme', () => {
      const root = render(
        '[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](data:text/html;base64,PHNjcmlwdD4=) [d](file:///etc/passwd) [e](vscode:extension/x) [f](command:workbench.action.quit) [g](relative.md) <javascript:alert(1)>',
      );
      assert.equal(root.querySelectorAll('a').length, 0, root.innerHTML);
      // The link texts stay readable.
      for (const text of ['d', 'e', 'f', 'g']) assert.ok(root.textContent?.includes(text));
    });

    it('keeps raw <a href="data:…"> as text, not as a link', () => {
      const root = render('<a href="data:text/html,<script>alert(1)</script>">click</a>');
      assert.equal(root.querySelector('a'), null);
      assert.match(root.textContent ?? '', /<a href="data:text\/html/);
    });

    it('keeps http(s) links and marks them with data-href for the host to open', () => {
      const root = render('[docs](https://example.com/a?b=1) and http://example.org and <https://example.net/x>');
      const links = Array.from(root.querySelectorAll('a'));
      assert.deepEqual(links.map((a) => a.getAttribute('data-href')), ['https://example.com/a?b=1', 'http://example.org', 'https://example.net/x']);
      for (const link of links) assert.equal(link.getAttribute('href'), link.getAttribute('data-href'));
    });

    it('renders a remote image as a visible inert link, never as an <img>', () => {
      const root = render('![a](https://evil.example/x.png?q=secret)');
      assert.equal(root.querySelector('img'), null);
      const link = root.querySelector('a');
      assert.ok(link, root.innerHTML);
      assert.equal(link.getAttribute('data-href'), 'https://evil.example/x.png?q=secret');
      assert.equal(link.textContent, '[image: a] https://evil.example/x.png?q=secret');
      assert.ok(!root.innerHTML.includes('src='), 'no src attribute anywhere');
    });

    it('renders an image inside a link as text, without nesting links or loading it', () => {
      const root = render('[![logo](https://evil.example/logo.png)](https://example.com/)');
      assert.equal(root.querySelector('img'), null);
      assert.equal(root.querySelectorAll('a').length, 1);
      assert.equal(root.querySelector('a a'), null);
      assert.equal(root.querySelector('a')?.textContent, '[image: logo] https://evil.example/logo.png');
    });

    it('keeps an inline data:image (raster only), which cannot reach the network', () => {
      const png = 'data:image/png;base64,iVBORw0KGgo=';
      const root = render(`![dot](${png}) ![svg](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)`);
      const images = Array.from(root.querySelectorAll('img'));
      assert.deepEqual(images.map((img) => img.getAttribute('src')), [png]);
      assert.equal(images[0].getAttribute('alt'), 'dot');
    });

    it('puts no style or event attributes anywhere, even for aligned table cells', () => {
      const root = render('| l | c | r |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n\n```js\nx()\n```\n\n> *q* [l](https://e.x)');
      const names = new Set(attributeNames(root));
      assert.ok(!names.has('style'));
      assert.deepEqual([...names].filter((name) => name.startsWith('on')), []);
      assert.deepEqual(Array.from(root.querySelectorAll('td')).map((td) => td.className), ['kestrel-align-left', 'kestrel-align-center', 'kestrel-align-right']);
    });

    it('shows HTML inside a code block literally', () => {
      const root = render('```html\n</code></pre><script>alert(1)</script><img src=x onerror=alert(1)>\n```');
      assert.equal(root.querySelector('script'), null);
      assert.equal(root.querySelector('img'), null);
      assert.equal(readCodeBlock(root, 0)?.code, '</code></pre><script>alert(1)</script><img src=x onerror=alert(1)>\n');
    });

    it('accepts only what highlight.js emits as pre-built code markup', () => {
      assert.ok(isHighlighterMarkup('<span class="hljs-keyword">const</span> a = &lt;b&gt; &amp;&amp; <span class="hljs-title function_">f</span>()'));
      for (const bad of ['<img src=x onerror=alert(1)>', '<span class="x" onclick="alert(1)">a</span>', '<span class="a">x</span><script>1</script>', 'a > b', '<span class="a"">', '<spanclass="a">']) {
        assert.equal(isHighlighterMarkup(bad), false, bad);
      }
    });

    it('sanitises a repeated input once, without a new document, and hands out copies that do not share nodes', () => {
      const parser = dom.window.DOMParser.prototype;
      const parseFromString = parser.parseFromString;
      const innerHtml = Object.getOwnPropertyDescriptor(dom.window.Element.prototype, 'innerHTML')!;
      let documents = 0;
      let parses = 0;
      parser.parseFromString = function (this: DOMParser, ...args: Parameters<DOMParser['parseFromString']>) {
        documents++;
        return parseFromString.apply(this, args);
      };
      Object.defineProperty(dom.window.Element.prototype, 'innerHTML', {
        ...innerHtml,
        set(this: Element, value: string) {
          parses++;
          innerHtml.set!.call(this, value);
        },
      });
      try {
        const sanitize = createSanitizer(dom.window);
        const html = '<p>a <a href="https://e.example/x">b</a> <a href="javascript:x()">c</a></p>\n';
        sanitize(html).querySelector('a')?.remove();
        // Rendering moves the nodes out of the fragment.
        dom.document.createElement('div').append(sanitize(html));
        const third = sanitize(html);
        assert.equal(parses, 1);
        assert.equal(documents, 0);
        assert.equal(third.querySelector('a')?.getAttribute('data-href'), 'https://e.example/x');
        assert.equal(third.querySelectorAll('a').length, 1, 'the script link is still unwrapped');
      } finally {
        parser.parseFromString = parseFromString;
        Object.defineProperty(dom.window.Element.prototype, 'innerHTML', innerHtml);
      }
    });

    it('cleans markup that tries to close the element it is parsed under', () => {
      const sanitize = createSanitizer(dom.window);
      const holder = dom.document.createElement('div');
      holder.append(sanitize('<p>a</p></div></template><img src="https://evil.example/x" onerror="alert(1)"><script>alert(1)</script><p onclick="x()">b</p>'));
      assert.equal(holder.innerHTML, '<p>a</p><p>b</p>');
    });

    it('treats only absolute http(s) URLs with a host as web links', () => {
      assert.ok(isWebUrl('https://example.com/x'));
      for (const url of ['javascript:alert(1)', 'https:/x', 'http://', '//example.com', 'ftp://example.com', 'vscode://x']) assert.equal(isWebUrl(url), false, url);
    });
  });

  describe('code blocks', () => {
    it('highlights known languages with highlight.js classes', () => {
      const root = render('```ts\nconst answer: number = 42; // why\n```');
      const code = root.querySelector('pre code');
      assert.ok(code);
      assert.ok(code.classList.contains('hljs') && code.classList.contains('language-ts'));
      assert.equal(code.querySelector('.hljs-keyword')?.textContent, 'const');
      assert.ok(code.querySelector('.hljs-number'));
      assert.ok(code.querySelector('.hljs-comment'));
    });

    it('shows unknown languages as escaped plain code', () => {
      const root = render('```brainfun\n<b>++</b>\n```');
      const code = root.querySelector('pre code');
      assert.equal(code?.children.length, 0);
      assert.equal(code?.textContent, '<b>++</b>\n');
      assert.equal(root.querySelector('.kestrel-code')?.getAttribute('data-lang'), 'brainfun');
    });

    it('gives every block a toolbar of labelled action buttons, numbered in document order', () => {
      const root = render('```py\nprint(1)\n```\n\n- item\n\n  ```sh\n  ls\n  ```\n\nText\n\n    indented code\n\n```\nplain\n```');
      const blocks = Array.from(root.querySelectorAll('.kestrel-code'));
      assert.deepEqual(blocks.map((b) => b.getAttribute('data-block')), ['0', '1', '2', '3']);
      assert.deepEqual(blocks.map((b) => b.getAttribute('data-lang')), ['py', 'sh', '', '']);
      for (const [index, block] of blocks.entries()) {
        const buttons = Array.from(block.querySelectorAll('button'));
        assert.deepEqual(buttons.map((b) => b.getAttribute('data-action')), ['copy', 'insert', 'replace', 'newFile']);
        for (const button of buttons) {
          assert.equal(button.getAttribute('data-block'), String(index));
          assert.equal(button.getAttribute('type'), 'button');
          assert.ok((button.getAttribute('aria-label') ?? '').length > 3);
        }
      }
      assert.equal(blocks[0].querySelector('[data-action="copy"]')?.getAttribute('aria-label'), 'Copy code');
      assert.equal(blocks[0].querySelector('[data-action="insert"]')?.getAttribute('aria-label'), 'Insert code at cursor');
    });

    it('gives the app the exact code of a block by its index', () => {
      const root = render('Intro\n\n```js\nconst s = "<x>" && 1;\n\n  indented();\n```\n\n```go\nfunc main() {}\n```');
      assert.deepEqual(readCodeBlock(root, 0), { code: 'const s = "<x>" && 1;\n\n  indented();\n', language: 'js' });
      assert.deepEqual(readCodeBlock(root, 1), { code: 'func main() {}\n', language: 'go' });
      assert.equal(readCodeBlock(root, 2), undefined);
    });

    it('ignores a hostile fence info string', () => {
      const root = render('```"><img src=x onerror=alert(1)>\ncode\n```');
      assert.equal(root.querySelector('img'), null);
      assert.equal(root.querySelector('.kestrel-code')?.getAttribute('data-lang'), '');
    });
  });

  it('warms up every language, then streams a sample answer through the real path, leaving nothing behind', async () => {
    const fences: string[] = [];
    let provisional = 0;
    const renderer = {
      ...dom.renderer,
      renderFragment: (source: string, env: MarkdownEnv) => (fences.push(/^```(\w+)/.exec(source)?.[1] ?? ''), dom.renderer.renderFragment(source, env)),
      renderTokens: (tokens: MarkdownToken[], env: MarkdownEnv) => ((provisional += env.provisional ? 1 : 0), dom.renderer.renderTokens(tokens, env)),
    };
    await warmUpRenderer(renderer, setImmediate, dom.document.body);
    assert.deepEqual(fences, HIGHLIGHTED_LANGUAGES);
    assert.ok(provisional > 5, `${provisional} provisional renders`);
    assert.equal(dom.document.querySelector('.kestrel-warm-up'), null);
  });

  it('warms up in slices that stop once half of SLICE_MS is used', async () => {
    const slicesWith = async (step: number): Promise<number> => {
      let slices = 0;
      let now = 0;
      await warmUpRenderer(dom.renderer, (callback) => (slices++, setImmediate(callback)), dom.document.body, () => (now += step));
      return slices;
    };
    assert.equal(await slicesWith(0), 1, 'a clock that stands still: one slice');
    assert.ok((await slicesWith(SLICE_MS / 2)) > HIGHLIGHTED_LANGUAGES.length + 10, 'a step per slice');
  });
});
