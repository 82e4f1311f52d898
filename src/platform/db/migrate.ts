import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileMigrationProvider, Migrator, type MigrationResultSet } from 'kysely';
import type { Database } from './database.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../db/migrations', import.meta.url));

export function createMigrator(database: Database): Migrator {
  return new Migrator({
    db: database.db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }),
    migrationTableName: 'lc_migrations',
    migrationLockTableName: 'lc_migrations_lock',
  });
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/**
 * Applies every pending migration. Both dialects run the whole batch in one transaction (see
 * sqlite-dialect.ts), so a crash part-way leaves the database as it was and the next run
 * completes it.
 */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const result: MigrationResultSet = await createMigrator(database).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`Migration ${failed} failed: ${String(result.error)}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function pendingMigrations(database: Database): Promise<string[]> {
  const all = await createMigrator(database).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
