import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '../../../..');

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
}

describe('layering (architecture.md)', () => {
  const rules: { folder: string; forbidden: RegExp; why: string }[] = [
    { folder: 'src/core', forbidden: /^(vscode|openai|node:|fs$|http|https$|\.\.\/(model|host|features))/, why: 'core is pure: no vscode, no I/O, no SDK' },
    { folder: 'src/model', forbidden: /^vscode$|^\.\.\/(host|features)/, why: 'the model service never imports vscode' },
    { folder: 'src/shared', forbidden: /^(vscode|node:|openai)|^\.\.\//, why: 'the protocol is shared by Node and the browser' },
  ];
  for (const rule of rules) {
    it(`${rule.folder} respects its imports (${rule.why})`, () => {
      const files = sourceFiles(path.join(root, rule.folder));
      assert.ok(files.length > 0, `no sources found in ${rule.folder}`);
      const offenders = files.flatMap((file) =>
        importsOf(file).filter((specifier) => rule.forbidden.test(specifier)).map((specifier) => `${path.relative(root, file)} imports ${specifier}`),
      );
      assert.deepEqual(offenders, []);
    });
  }

  it('detects a forbidden import (the rule can fail)', () => {
    const probe = path.join(fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'layering-')), 'probe.ts');
    fs.writeFileSync(probe, "import * as vscode from 'vscode';\nconst x = require('node:fs');\n");
    assert.deepEqual(importsOf(probe), ['vscode', 'node:fs']);
  });
});
