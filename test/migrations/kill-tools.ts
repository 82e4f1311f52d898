/**
 * Tools of the kill -9 migration test: a database grown to thousands of rows, cheap copies of it,
 * the real `learning-center migrate` as a child process, and ways to see from outside that its
 * transaction is open (or, on PostgreSQL, to hold it at a lock) so the kill lands inside it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { SQLITE_FILE_NAME } from '../../src/platform/db/database.js';
import { REPO_ROOT } from '../helpers/app.js';
import { cliEntry } from '../helpers/cli.js';
import { createTestDatabase, POSTGRES_ADMIN_URL, type TestDatabase } from '../helpers/databases.js';
import { open } from './helpers.js';

export const GROWN_ROWS = 5000;
const APPLICATION_NAME = 'lc-kill-during-migration';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Adds GROWN_ROWS works and editions (columns every schema since the first migration has). */
export async function grow(db: TestDatabase): Promise<void> {
  const database = open(db);
  try {
    const numbers =
      db.dialect === 'sqlite'
        ? sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${sql.lit(GROWN_ROWS)})`
        : sql`with n(i) as (select generate_series(1, ${sql.lit(GROWN_ROWS)}))`;
    const at = sql.lit('2026-01-01T00:00:00.000Z');
    await database.db.transaction().execute(async (trx) => {
      await sql`insert into languages (tag, endonym, english_name, script, direction)
                select 'en', 'English', 'English', 'Latn', 'ltr'
                where not exists (select 1 from languages where tag = 'en')`.execute(trx);
      await sql`${numbers} insert into works (id, slug, type, year, original_language, created_at, updated_at)
                select 'grown-w' || i, 'grown-work-' || i, 'manual', 2000, 'en', ${at}, ${at} from n`.execute(
        trx,
      );
      await sql`${numbers} insert into editions (id, work_id, language, title, summary, status, version, published_at, created_at, updated_at)
                select 'grown-e' || i, 'grown-w' || i, 'en', 'Grown work ' || i, 'A summary long enough to take some room, ' || i,
                       'published', 1, ${at}, ${at}, ${at} from n`.execute(trx);
    });
  } finally {
    await database.close();
  }
}

export interface Copyable {
  template: TestDatabase;
  /** A new database holding exactly what the template holds. */
  copy(): Promise<TestDatabase>;
}

function databaseName(db: TestDatabase): string {
  return new URL(db.databaseUrl!).pathname.slice(1);
}

export function copyable(template: TestDatabase): Copyable {
  return {
    template,
    copy: async () => {
      const target = await createTestDatabase(template.dialect);
      if (template.dialect === 'sqlite') {
        fs.copyFileSync(
          path.join(template.dataDir, SQLITE_FILE_NAME),
          path.join(target.dataDir, SQLITE_FILE_NAME),
        );
        return target;
      }
      // PostgreSQL copies a database from a template: replace the empty one just created.
      const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await admin.connect();
      try {
        const name = databaseName(target);
        await admin.query(`drop database ${name}`);
        for (let attempt = 0; ; attempt++) {
          try {
            await admin.query(`create database ${name} template ${databaseName(template)}`);
            break;
          } catch (error) {
            // The template's last connection may still be closing.
            if (attempt > 50 || (error as { code?: string }).code !== '55006') throw error;
            await sleep(100);
          }
        }
      } finally {
        await admin.end();
      }
      return target;
    },
  };
}

/** Tells whether a migration transaction is open in `db` right now, from another connection. */
export interface Watcher {
  inTransaction(): Promise<boolean>;
  /** PostgreSQL: the migration waits for the lock `holdMigrationRecords` holds. */
  blocked(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * PostgreSQL: lets the migration run its first pending migration's statements, then stops it
 * where it records that migration (INSERT INTO lc_migrations waits for this SHARE lock), so that
 * the kill lands inside the batch every time, not only when the timing happens to be right.
 */
export async function holdMigrationRecords(
  db: TestDatabase,
): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: db.databaseUrl });
  await client.connect();
  await client.query('begin');
  await client.query('lock table lc_migrations in share mode');
  return {
    release: async () => {
      await client.query('rollback');
      await client.end();
    },
  };
}

export async function watch(db: TestDatabase): Promise<Watcher> {
  if (db.dialect === 'sqlite') {
    const nativeBinding = process.env.BETTER_SQLITE3_BINDING;
    const probe = new SQLite(path.join(db.dataDir, SQLITE_FILE_NAME), {
      timeout: 0,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
    return {
      // The migrator writes inside BEGIN IMMEDIATE: while it runs, nobody else can begin one.
      inTransaction: async () => {
        try {
          probe.exec('begin immediate');
          probe.exec('rollback');
          return false;
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
          throw error;
        }
      },
      blocked: async () => false,
      close: async () => {
        probe.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: db.databaseUrl });
  await client.connect();
  return {
    // A transaction id is given at the first write: the migration has started changing things.
    inTransaction: async () => {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
         where datname = current_database() and application_name = $1 and backend_xid is not null`,
        [APPLICATION_NAME],
      );
      return rows[0]!.n > 0;
    },
    blocked: async () => {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
         where datname = current_database() and application_name = $1 and wait_event_type = 'Lock'`,
        [APPLICATION_NAME],
      );
      return rows[0]!.n > 0;
    },
    close: () => client.end(),
  };
}

export function migrateCommand(db: TestDatabase): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: db.dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  if (db.databaseUrl) {
    const url = new URL(db.databaseUrl);
    url.searchParams.set('application_name', APPLICATION_NAME);
    env.DATABASE_URL = url.toString();
  }
  return spawn(process.execPath, [...cliEntry(), 'migrate'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function exited(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** After a kill, PostgreSQL ends the dead client's backend; wait for it, then check the lock. */
export async function assertNoMigrationLockLeft(db: TestDatabase): Promise<void> {
  if (db.dialect !== 'postgres') return;
  const client = new pg.Client({ connectionString: db.databaseUrl });
  await client.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
         where datname = current_database() and application_name = $1`,
        [APPLICATION_NAME],
      );
      if (rows[0]!.n === 0) break;
      assert.ok(attempt < 200, 'the killed migration still has a backend after 20 s');
      await sleep(100);
    }
    const locks = await client.query<{ n: number }>(
      `select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database
       where l.locktype = 'advisory' and d.datname = current_database()`,
    );
    assert.equal(locks.rows[0]!.n, 0, 'an advisory migration lock is still held');
    const table = await client.query<{ is_locked: number }>(
      'select is_locked from lc_migrations_lock',
    );
    assert.deepEqual(
      table.rows.map((r) => Number(r.is_locked)),
      [0],
    );
  } finally {
    await client.end();
  }
}
