import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../../config.js';
import type { DB } from './schema.js';
import { LearningCenterSqliteDialect } from './sqlite-dialect.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: DialectName;
  close(): Promise<void>;
}

// COUNT(*) and BIGINT columns (file sizes) come back from pg as strings; they all fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export const SQLITE_FILE_NAME = 'learning-center.db';

/** A better-sqlite3 connection to a file, with the addon built for this Node version. */
export function openSqliteFile(file: string, options: SQLite.Options = {}): SQLite.Database {
  // The test script builds the addon a second time for Node 24 and points here to that build.
  const nativeBinding = process.env.BETTER_SQLITE3_BINDING;
  return new SQLite(file, { ...options, ...(nativeBinding ? { nativeBinding } : {}) });
}

export function openDatabase(
  config: Pick<Config, 'dataDir' | 'databaseUrl'> & Partial<Pick<Config, 'busyTimeoutMs'>>,
): Database {
  if (config.databaseUrl) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
    // An idle connection dropped by the server (restart, failover) must not crash the process:
    // the pool discards it and the next query opens a new one.
    pool.on('error', (error) => {
      console.error(
        `PostgreSQL connection lost (${(error as { code?: string }).code ?? error.message}); reconnecting on demand`,
      );
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const sqlite = openSqliteFile(path.join(config.dataDir, SQLITE_FILE_NAME));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // better-sqlite3 waits synchronously: the whole process pauses while another process (a CLI
  // import, a backup) holds the write lock; past this the write fails and the request gets a 503.
  sqlite.pragma(`busy_timeout = ${Math.trunc(config.busyTimeoutMs ?? 5000)}`);
  // Deleted rows (an erased participant) are overwritten, not left in free pages of the file.
  sqlite.pragma('secure_delete = ON');
  const db = new Kysely<DB>({
    dialect: new LearningCenterSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    db,
    dialect: 'sqlite',
    close: async () => {
      await db.destroy();
    },
  };
}

/**
 * Kysely prepares every query afresh; preparing costs as much as running the small queries a
 * page makes. Reuse prepared statements by SQL text (Kysely always produces the same text for
 * the same query shape), unless one is still busy being iterated.
 */
function withStatementCache(sqlite: SQLite.Database, size = 500) {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sqlText: string) => {
      const cached = statements.get(sqlText);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sqlText);
      if (!cached) {
        if (statements.size >= size) statements.delete(statements.keys().next().value!);
        statements.set(sqlText, statement);
      }
      return statement;
    },
  };
}
