import * as assert from 'node:assert/strict';
import { createExclusionMatcher } from '../../../src/core/pathExclusions';

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
});
