import * as assert from 'node:assert/strict';
import { isInsideFolder, resolveWorkspacePath, type WorkspaceRoot } from '../../../../src/core/tools/workspacePath';

const posixRoot: WorkspaceRoot[] = [{ name: 'proj', path: '/home/dev/proj' }];
const windowsRoot: WorkspaceRoot[] = [{ name: 'proj', path: 'C:\\work\\proj' }];

function relativeOf(input: string, roots = posixRoot): string {
  const result = resolveWorkspacePath(input, roots);
  assert.ok(result.ok, `expected ${input} to resolve, got ${!result.ok && result.reason}`);
  return result.path.relative;
}

function refusal(input: string, roots = posixRoot): string {
  const result = resolveWorkspacePath(input, roots);
  assert.ok(!result.ok, `expected ${input} to be refused, got ${result.ok && result.path.absolute}`);
  return result.reason;
}

describe('workspace path confinement', () => {
  it('resolves relative paths, dots and the root itself inside the workspace', () => {
    assert.equal(relativeOf('src/a.ts'), 'src/a.ts');
    assert.equal(relativeOf('./src/./a.ts'), 'src/a.ts');
    assert.equal(relativeOf('src/../lib/b.ts'), 'lib/b.ts');
    assert.equal(relativeOf('.'), '');
    assert.equal(relativeOf(''), '');
    assert.equal(relativeOf('/home/dev/proj/src/a.ts'), 'src/a.ts');
    const resolved = resolveWorkspacePath('src/a.ts', posixRoot);
    assert.ok(resolved.ok);
    assert.equal(resolved.path.absolute, '/home/dev/proj/src/a.ts');
  });

  it('refuses traversal out of the workspace however it is spelled', () => {
    for (const input of ['..', '../outside.txt', 'src/../../outside.txt', 'a/b/../../../x', '..\\..\\etc\\passwd', 'src\\..\\..\\x']) {
      assert.match(refusal(input), /outside the workspace/, input);
    }
  });

  it('refuses absolute paths outside, including a sibling folder that shares the prefix', () => {
    assert.match(refusal('/etc/passwd'), /outside the workspace/);
    assert.match(refusal('/home/dev/.ssh/id_rsa'), /outside the workspace/);
    assert.match(refusal('/home/dev/proj-secrets/key.txt'), /outside the workspace/);
    assert.match(refusal('/home/dev/proj/../proj-secrets/x'), /outside the workspace/);
    assert.match(refusal('/../../etc/passwd'), /outside the workspace/);
  });

  it('refuses URIs of every scheme and NUL bytes', () => {
    for (const input of ['file:///etc/passwd', 'file:///home/dev/proj/src/a.ts', 'vscode-remote://host/x', 'https://attacker.example/x', 'untitled:Untitled-1']) {
      assert.match(refusal(input), /is a URI/, input);
    }
    assert.match(refusal('src/a.ts\u0000.png'), /NUL/);
  });

  it('handles Windows paths: backslashes, drive letters in any case, other drives refused', () => {
    assert.equal(relativeOf('src\\a.ts', windowsRoot), 'src/a.ts');
    assert.equal(relativeOf('C:\\work\\proj\\src\\a.ts', windowsRoot), 'src/a.ts');
    assert.equal(relativeOf('c:/WORK/proj/src/a.ts'.replace('WORK', 'work'), windowsRoot), 'src/a.ts');
    assert.match(refusal('C:\\Windows\\System32\\config\\SAM', windowsRoot), /outside the workspace/);
    assert.match(refusal('D:\\work\\proj\\a.ts', windowsRoot), /outside the workspace/);
    assert.match(refusal('C:\\work\\proj\\..\\other\\a.ts', windowsRoot), /outside the workspace/);
    assert.match(refusal('C:\\Windows\\x', posixRoot), /outside the workspace/);
    assert.ok(isInsideFolder('c:/work/proj/a', 'c:/WORK/proj'.toLowerCase()));
  });

  it('refuses names Windows reads as another file (trailing dot or space, streams, short names)', () => {
    for (const input of ['secrets.json.', 'config /secrets.json', 'config/.env::$DATA', 'src/a.ts:stream', 'SECRET~1.JSO', 'src./a.ts']) {
      assert.match(refusal(input), /Windows reads as another file/, input);
    }
    assert.equal(relativeOf('C:\\work\\proj\\src\\a.ts', windowsRoot), 'src/a.ts', 'a drive letter is not a stream');
  });

  it('picks a root by name in a multi-root workspace and refuses when no folder is open', () => {
    const roots: WorkspaceRoot[] = [...posixRoot, { name: 'docs', path: '/home/dev/docs' }];
    const docs = resolveWorkspacePath('docs/guide.md', roots);
    assert.ok(docs.ok);
    assert.equal(docs.path.absolute, '/home/dev/docs/guide.md');
    const first = resolveWorkspacePath('src/a.ts', roots);
    assert.ok(first.ok);
    assert.equal(first.path.root.name, 'proj');
    assert.match(refusal('docs/../../proj-secrets', roots), /outside the workspace/);
    assert.match(refusal('src/a.ts', []), /No folder is open/);
  });
});
