import * as assert from 'node:assert/strict';
import { absolutePathMatcher, createExclusionMatcher } from '../../../src/core/pathExclusions';

describe('path exclusions', () => {
  const isExcluded = createExclusionMatcher(['*.secret', 'private/**']);

  it('excludes secrets by default, wherever they are', () => {
    for (const path of ['.env', '.env.local', 'app/.env.production', '/home/u/proj/.envrc', 'certs/server.pem', 'tls.key', 'id_rsa', 'id_rsa.pub', '/home/u/.ssh/config', '.aws/credentials', 'C:\\Users\\u\\.ssh\\known_hosts', '.npmrc']) {
      assert.ok(isExcluded(path), path);
    }
  });

  it('adds the user\'s patterns to the secrets', () => {
    assert.ok(isExcluded('config/db.secret'));
    assert.ok(isExcluded('private/notes.md'));
  });

  it('lets ordinary code through', () => {
    for (const path of ['src/env.ts', 'src/keyboard.ts', 'README.md', 'environment.py', 'src/pem.ts']) {
      assert.ok(!isExcluded(path), path);
    }
  });

  describe('absolute paths (documents in the editor)', () => {
    const anywhere = createExclusionMatcher(['config/private/**', '*.secret']);

    it('matches a pattern with a folder in it relative to the workspace folder holding the file', () => {
      const isExcluded = absolutePathMatcher(anywhere, [{ folderPath: '/home/u/proj', matches: anywhere }]);
      assert.ok(isExcluded('/home/u/proj/config/private/a.ts'));
      assert.ok(!isExcluded('/home/u/proj/src/config/private/a.ts'), 'the pattern is anchored at the folder, as written');
      assert.ok(!isExcluded('/home/u/project/config/public/a.ts'));
      assert.ok(!isExcluded('/home/u/proj-other/config/private/a.ts'), 'a sibling folder with a longer name is not inside');
    });

    it('understands Windows paths, whatever the drive letter case', () => {
      const isExcluded = absolutePathMatcher(anywhere, [{ folderPath: 'c:\\Users\\u\\proj', matches: anywhere }]);
      assert.ok(isExcluded('C:\\Users\\u\\proj\\config\\private\\a.ts'));
      assert.ok(!isExcluded('C:\\Users\\u\\proj\\src\\a.ts'));
    });

    it("applies a folder's own patterns to its files only, in every folder of a multi-root workspace", () => {
      const isExcluded = absolutePathMatcher(anywhere, [
        { folderPath: '/w/api', matches: createExclusionMatcher(['config/private/**', 'fixtures/**']) },
        { folderPath: '/w/web', matches: anywhere },
      ]);
      assert.ok(isExcluded('/w/api/fixtures/users.json'));
      assert.ok(!isExcluded('/w/web/fixtures/users.json'));
      assert.ok(isExcluded('/w/web/config/private/keys.ts'), 'the second folder is checked too');
    });

    it('still catches secrets and bare-name patterns outside every workspace folder', () => {
      const isExcluded = absolutePathMatcher(anywhere, [{ folderPath: '/home/u/proj', matches: anywhere }]);
      for (const path of ['/home/u/.aws/credentials', '/tmp/other/.env', '/home/u/keys/server.pem', '/home/u/.ssh/id_rsa', '/tmp/db.secret', 'D:\\x\\.git\\config']) {
        assert.ok(isExcluded(path), path);
      }
      assert.ok(!isExcluded('/tmp/other/src/a.ts'));
    });
  });
});
