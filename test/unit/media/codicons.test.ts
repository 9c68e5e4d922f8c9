/**
 * The chat ships a subset of the codicon stylesheet (media/chat/codicons.css). An icon whose rule
 * is missing or has a stale code point shows as an empty box, so the subset must match the icon
 * list the code is typed against (icons.ts) and the installed @vscode/codicons package.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ICON_NAMES } from '../../../media/chat/icons';

/** The repository root: above the compiled test, or the working directory. */
function repositoryRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'media', 'chat', 'codicons.css'))) return dir;
  }
  return process.cwd();
}

const glyphRules = (css: string): Map<string, string> =>
  new Map(Array.from(css.matchAll(/^\.codicon-([a-z0-9-]+):before \{ content: "(\\[0-9a-f]+)" \}/gm), (m) => [m[1], m[2]]));

describe('codicon subset (webview)', () => {
  const root = repositoryRoot();
  const subsetPath = path.join(root, 'media', 'chat', 'codicons.css');
  const subset = fs.readFileSync(subsetPath, 'utf8');
  const packageCss = fs.readFileSync(require.resolve('@vscode/codicons/dist/codicon.css'), 'utf8');

  it('has exactly the icons of icons.ts, with the package\'s code points', () => {
    const ours = glyphRules(subset);
    const theirs = glyphRules(packageCss);
    assert.deepEqual([...ours.keys()].sort(), [...ICON_NAMES].sort());
    for (const name of ICON_NAMES) assert.equal(ours.get(name), theirs.get(name), `code point of ${name}`);
  });

  it('loads the package\'s font file', () => {
    const url = /src: url\("([^"]+)"\)/.exec(subset)?.[1];
    assert.ok(url);
    assert.ok(fs.existsSync(path.resolve(path.dirname(subsetPath), url)), url);
  });

  it('covers every codicon class the chat code names directly', () => {
    const sources = fs.readdirSync(path.join(root, 'media', 'chat')).filter((name) => name.endsWith('.ts'));
    const named = new Set<string>();
    for (const file of sources) {
      const text = fs.readFileSync(path.join(root, 'media', 'chat', file), 'utf8');
      for (const [, name] of text.matchAll(/['"`. ]codicon-([a-z0-9-]+)/g)) if (!name.startsWith('modifier-')) named.add(name);
    }
    assert.ok(named.has('check'), 'the scan finds the Copied check mark');
    assert.deepEqual([...named].filter((name) => !(ICON_NAMES as readonly string[]).includes(name)), []);
  });
});
