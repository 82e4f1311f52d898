import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/app.js';
import { createTestDatabase, dialects } from '../helpers/databases.js';

/** Runs the real command-line entry point, as `learning-center ...` does after a build. */
function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('learning-center command line', () => {
  it('has --help for the program and each command', () => {
    const top = cli(['--help']);
    assert.equal(top.status, 0);
    for (const command of ['serve', 'migrate', 'import', 'seed-demo']) {
      assert.match(top.stdout, new RegExp(`\\b${command}\\b`));
      const help = cli([command, '--help']);
      assert.equal(help.status, 0, command);
      assert.match(help.stdout, new RegExp(`Usage: learning-center ${command}`));
    }
    assert.match(top.stdout, /DATABASE_URL/);
  });

  it('refuses bad configuration at start with a clear message', () => {
    const result = cli(['serve'], { PORT: 'eighty', DATABASE_URL: 'mysql://x/y' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /PORT must be a whole number/);
    assert.match(result.stderr, /DATABASE_URL must start with postgres:\/\//);
    assert.doesNotMatch(result.stderr, /at .+\.ts:\d+/);
  });
});

for (const dialect of dialects()) {
  describe(`learning-center import (${dialect})`, () => {
    it('reports every problem of a broken manifest with file and line, and imports nothing', async () => {
      const db = await createTestDatabase(dialect);
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-broken-'));
      try {
        fs.writeFileSync(
          path.join(folder, 'manifest.yaml'),
          [
            'works:',
            '  - slug: a-work',
            '    type: spaceship',
            '    editions:',
            '      - language: not a tag',
            '        title: A title',
            '        files: [{ path: ../../etc/passwd }]',
            '',
          ].join('\n'),
        );
        const env = {
          DATA_DIR: db.dataDir,
          ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
        };
        const result = cli(['import', folder], env);
        assert.equal(result.status, 1);
        assert.match(result.stderr, /manifest\.yaml:3: .*type/);
        assert.match(result.stderr, /manifest\.yaml:5: .*language/);
        assert.match(result.stderr, /manifest\.yaml:7: .*\.\.\/\.\.\/etc\/passwd/);
        assert.match(result.stderr, /Nothing was imported/);
        const migrated = cli(['migrate'], env);
        assert.equal(migrated.status, 0);
        assert.match(migrated.stdout, /up to date/);
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
        await db.cleanup();
      }
    });
  });
}
