import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, dialects } from '../helpers/databases.js';

const cli = runCli;

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

for (const dialect of dialects()) {
  describe(`learning-center user and org (${dialect})`, () => {
    it('adds an organisation and its first admin, resets and disables accounts', async () => {
      const db = await createTestDatabase(dialect);
      const env = {
        DATA_DIR: db.dataDir,
        ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
      };
      try {
        assert.equal(
          cli(['org', 'add', 'hub', '--name', 'The hub', '--kind', 'hub'], env).status,
          0,
        );
        const bad = cli(['org', 'add', 'Bad Slug!', '--name', 'x'], env);
        assert.equal(bad.status, 1);
        assert.match(bad.stderr, /slug must be lower-case/);
        const added = cli(['user', 'add', 'amina', '--org', 'hub', '--role', 'network_admin'], env);
        assert.equal(added.status, 0, added.stderr);
        const password = /Password \(shown once[^:]*\): (\S+)/.exec(added.stdout)?.[1];
        assert.ok(password && password.length >= 20, 'a random password is printed once');
        const again = cli(['user', 'add', 'Amina', '--org', 'hub', '--role', 'editor'], env);
        assert.equal(again.status, 1);
        assert.match(again.stderr, /taken/);
        const wrongRole = cli(['user', 'add', 'x1', '--org', 'hub', '--role', 'king'], env);
        assert.equal(wrongRole.status, 1);
        assert.match(wrongRole.stderr, /--role must be one of/);
        const reset = spawnSync(
          process.execPath,
          [
            '--import',
            'tsx',
            path.join(REPO_ROOT, 'src/cli/main.ts'),
            'user',
            'reset',
            'amina',
            '--password-stdin',
            '--two-factor',
          ],
          {
            cwd: REPO_ROOT,
            env: { ...process.env, LOG_LEVEL: 'silent', ...env },
            input: 'a brand new passphrase\n',
            encoding: 'utf8',
          },
        );
        assert.equal(reset.status, 0, reset.stderr);
        assert.doesNotMatch(reset.stdout, /brand new/, 'a password from stdin is not echoed');
        assert.equal(cli(['user', 'disable', 'amina'], env).status, 0);
        assert.equal(cli(['user', 'disable', 'nobody'], env).status, 1);
        const { openDatabase } = await import('../../src/platform/db/database.js');
        const { loadConfig } = await import('../../src/config.js');
        const database = openDatabase(loadConfig(env));
        try {
          const user = await database.db
            .selectFrom('users')
            .selectAll()
            .where('username', '=', 'amina')
            .executeTakeFirstOrThrow();
          assert.ok(user.disabled_at);
          assert.equal(user.totp_secret, null);
          assert.match(user.password_hash, /^\$argon2id\$/);
          const audit = await database.db
            .selectFrom('audit_log')
            .select(['actor', 'action'])
            .execute();
          assert.ok(audit.some((a) => a.actor === 'cli' && a.action === 'user.disable'));
        } finally {
          await database.close();
        }
      } finally {
        await db.cleanup();
      }
    });
  });
}

for (const dialect of dialects()) {
  describe(`learning-center reindex (${dialect})`, () => {
    it('rebuilds the search index of an imported library', async () => {
      const db = await createTestDatabase(dialect);
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-reindex-'));
      const env = {
        DATA_DIR: db.dataDir,
        ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
      };
      try {
        fs.writeFileSync(
          path.join(folder, 'a.html'),
          '<h1>Zanzibar</h1><p>Safeguarding tips for activists.</p>',
        );
        fs.writeFileSync(
          path.join(folder, 'manifest.yaml'),
          'works:\n  - slug: tips\n    type: guide\n    editions:\n      - { language: en, title: Safety tips, html: a.html }\n',
        );
        assert.equal(cli(['import', folder], env).status, 0);
        const result = cli(['reindex'], env);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /Indexed 1 editions/);
        const { openDatabase } = await import('../../src/platform/db/database.js');
        const { loadConfig } = await import('../../src/config.js');
        const { searchEngine } = await import('../../src/features/search/engine.js');
        const database = openDatabase(loadConfig(env));
        try {
          const hits = await searchEngine(database.db).find(database.db, [
            ['safeguard', 'safeguarding'],
          ]);
          assert.equal(hits.length, 1);
        } finally {
          await database.close();
        }
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
        await db.cleanup();
      }
    });
  });
}
