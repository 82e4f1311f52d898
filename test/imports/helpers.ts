import fs from 'node:fs';
import path from 'node:path';
import type { DialectName } from '../../src/platform/db/database.js';
import { openDatabase, type Database } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import type { DB } from '../../src/platform/db/schema.js';
import { LocalBlobStore } from '../../src/platform/storage/blob-store.js';
import { createTestDatabase } from '../helpers/databases.js';

export interface Library {
  database: Database;
  blobs: LocalBlobStore;
  dataDir: string;
}

/** A migrated, empty database of the given dialect and a blob store, removed afterwards. */
export async function withLibrary<T>(
  dialect: DialectName,
  fn: (library: Library) => Promise<T>,
): Promise<T> {
  const test = await createTestDatabase(dialect);
  const database = openDatabase({ dataDir: test.dataDir, databaseUrl: test.databaseUrl });
  try {
    await migrateToLatest(database);
    return await fn({ database, blobs: new LocalBlobStore(test.dataDir), dataDir: test.dataDir });
  } finally {
    await database.close();
    await test.cleanup();
  }
}

export const CONTENT_TABLES: (keyof DB)[] = [
  'organisations',
  'languages',
  'works',
  'editions',
  'edition_sections',
  'blobs',
  'edition_files',
  'topics',
  'topic_labels',
  'work_topics',
  'collections',
  'collection_labels',
  'collection_works',
  'app_state',
];

/** Row count of every content table. */
export async function rowCounts(database: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of CONTENT_TABLES) {
    const row = await database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

/** Files in the blob store (temporary files included). */
export function blobFiles(blobs: LocalBlobStore): string[] {
  if (!fs.existsSync(blobs.root)) return [];
  return fs
    .readdirSync(blobs.root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

export function repoRoot(): string {
  return path.resolve(import.meta.dirname, '../..');
}

/** The shared corpus, read in place (never copied into this repository). */
export function corpusDir(): string {
  return path.resolve(process.env.CORPUS_DIR ?? path.join(process.cwd(), '../shared/corpus'));
}
