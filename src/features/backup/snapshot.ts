/**
 * A consistent copy of the database, with its row counts and blob list taken from the SAME
 * snapshot, so the manifest describes exactly what was copied even while the site is in use.
 *  - SQLite: `VACUUM INTO` a new file (one read transaction; never a copy of the live file,
 *    whose WAL may hold committed pages the main file does not), then counted in the copy.
 *  - PostgreSQL: a REPEATABLE READ transaction exports its snapshot; pg_dump runs on that
 *    snapshot (--snapshot) while the counts are read in the transaction itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { openSqliteFile, SQLITE_FILE_NAME } from '../../platform/db/database.js';
import { sha256OfFile } from '../../platform/storage/blob-store.js';
import type { BlobEntry } from './manifest.js';
import { postgresEnv, runTool } from './postgres-tools.js';

export interface DatabaseSnapshot {
  file: string;
  entry: string;
  format: 'sqlite' | 'pg_dump-custom';
  size: number;
  sha256: string;
  migrations: string[];
  tables: Record<string, number>;
  blobs: BlobEntry[];
}

const MIGRATIONS_TABLE = 'lc_migrations';

export const openSqlite = openSqliteFile;

/** Row counts, migrations and blobs of an SQLite file (the copy, never the live database). */
export function describeSqlite(db: SQLite.Database) {
  const names = db
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
    )
    .pluck()
    .all() as string[];
  const tables: Record<string, number> = {};
  for (const name of names) {
    tables[name] = Number(
      db
        .prepare(`select count(*) from "${name.replaceAll('"', '""')}"`)
        .pluck()
        .get(),
    );
  }
  const migrations = names.includes(MIGRATIONS_TABLE)
    ? (db.prepare(`select name from ${MIGRATIONS_TABLE} order by name`).pluck().all() as string[])
    : [];
  const blobs = names.includes('blobs')
    ? (db.prepare('select sha256, size from blobs order by sha256').all() as BlobEntry[]).map(
        (b) => ({ sha256: b.sha256, size: Number(b.size) }),
      )
    : [];
  return { tables, migrations, blobs };
}

export async function snapshotSqlite(dataDir: string, workDir: string): Promise<DatabaseSnapshot> {
  const file = path.join(workDir, SQLITE_FILE_NAME);
  const livePath = path.join(dataDir, SQLITE_FILE_NAME);
  if (!fs.existsSync(livePath))
    throw new Error(`No database at ${livePath}: nothing to back up (is DATA_DIR right?).`);
  const live = openSqlite(livePath, { fileMustExist: true });
  try {
    live.pragma('busy_timeout = 10000');
    live.prepare('VACUUM INTO ?').run(file);
  } finally {
    live.close();
  }
  const copy = openSqlite(file);
  let described: ReturnType<typeof describeSqlite>;
  try {
    // A self-contained file: no -wal beside it to forget when it is restored.
    copy.pragma('journal_mode = DELETE');
    described = describeSqlite(copy);
  } finally {
    copy.close();
  }
  const { sha256, size } = await sha256OfFile(file);
  return {
    file,
    entry: `database/${SQLITE_FILE_NAME}`,
    format: 'sqlite',
    size,
    sha256,
    ...described,
  };
}

export async function describePostgres(client: pg.ClientBase) {
  const names = (
    await client.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1",
    )
  ).rows.map((r) => r.name);
  const tables: Record<string, number> = {};
  for (const name of names) {
    const { rows } = await client.query<{ n: string }>(
      `select count(*) as n from ${client.escapeIdentifier(name)}`,
    );
    tables[name] = Number(rows[0]!.n);
  }
  const migrations = names.includes(MIGRATIONS_TABLE)
    ? (
        await client.query<{ name: string }>(`select name from ${MIGRATIONS_TABLE} order by name`)
      ).rows.map((r) => r.name)
    : [];
  const blobs = names.includes('blobs')
    ? (
        await client.query<{ sha256: string; size: string }>(
          'select sha256, size from blobs order by sha256',
        )
      ).rows.map((b) => ({ sha256: b.sha256, size: Number(b.size) }))
    : [];
  return { tables, migrations, blobs };
}

export async function snapshotPostgres(
  databaseUrl: string,
  workDir: string,
): Promise<DatabaseSnapshot> {
  const file = path.join(workDir, 'postgres.dump');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const { rows } = await client.query<{ id: string }>('select pg_export_snapshot() as id');
    const snapshot = rows[0]!.id;
    // pg_dump imports the snapshot while this transaction stays open, so the dump and the
    // counts below see the same committed data.
    const dumped = runTool(
      'pg_dump',
      ['--format=custom', `--snapshot=${snapshot}`, `--file=${file}`],
      postgresEnv(databaseUrl),
    );
    dumped.catch(() => {});
    const described = await describePostgres(client);
    await dumped;
    await client.query('commit');
    const { sha256, size } = await sha256OfFile(file);
    return {
      file,
      entry: 'database/postgres.dump',
      format: 'pg_dump-custom',
      size,
      sha256,
      ...described,
    };
  } finally {
    await client.end().catch(() => {});
  }
}
