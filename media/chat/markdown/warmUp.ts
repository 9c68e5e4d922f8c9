/// <reference lib="dom" />
/**
 * Gets the renderer's one-off costs out of the way before the first answer streams: highlight.js
 * compiles a language's grammar the first time it meets it, the first renders run cold
 * JavaScript, and the first code block laid out loads the editor font. During a streamed answer
 * these were its longest tasks. Here they run one language per idle callback, when the view
 * loads and the user has not asked anything yet; a big grammar can still take tens of
 * milliseconds on a slow machine, but then nothing is waiting for the main thread.
 */
import { HIGHLIGHTED_LANGUAGES } from './highlightCode';
import type { MarkdownRenderer } from './renderMarkdown';

/** Runs `callback` when the page is idle (requestIdleCallback, or a timer where there is none). */
export type IdleScheduler = (callback: () => void) => void;

const SAMPLE = [
  '# Heading\n\nSome *emphasis*, **strong**, `code`, a [link](https://example.com) and https://example.com.\n',
  '- one\n- two\n  1. nested\n\n> quoted\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n![image](https://example.com/x.png)\n',
];

/**
 * Resolves once every language and the rest of the pipeline have been through the renderer once.
 * With `host`, the first sample is also laid out once in a hidden element inside it.
 */
export function warmUpRenderer(renderer: MarkdownRenderer, scheduleIdle: IdleScheduler, host?: Element): Promise<void> {
  const slices: (() => void)[] = HIGHLIGHTED_LANGUAGES.map((language) => () => {
    renderer.renderFragment(`\`\`\`${language}\nconst x = "a" + 1; // c\nif (x) { f(x); }\n\`\`\`\n`, { nextCodeBlock: 0 });
  });
  for (const sample of SAMPLE) slices.push(() => renderer.renderFragment(sample, { nextCodeBlock: 0 }));
  if (host) slices.push(() => layOutOnce(renderer.renderFragment(`${SAMPLE[0]}\n\`\`\`ts\nlet a = 1;\n\`\`\`\n`, { nextCodeBlock: 0 }), host));
  return new Promise((resolve) => {
    const next = (): void => {
      const slice = slices.shift();
      if (!slice) return resolve();
      slice();
      scheduleIdle(next);
    };
    scheduleIdle(next);
  });
}

function layOutOnce(content: DocumentFragment, host: Element): void {
  const probe = host.ownerDocument.createElement('div');
  probe.className = 'kestrel-markdown kestrel-warm-up';
  probe.setAttribute('aria-hidden', 'true');
  probe.append(content);
  host.append(probe);
  void probe.getBoundingClientRect().height;
  probe.remove();
}

/** The idle scheduler for a browser window. */
export function idleSchedulerFor(win: Window): IdleScheduler {
  if (typeof win.requestIdleCallback === 'function') return (callback) => win.requestIdleCallback(() => callback(), { timeout: 1000 });
  return (callback) => win.setTimeout(callback, 0);
}
