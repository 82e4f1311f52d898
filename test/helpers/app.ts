import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { importDirectory } from '../../src/features/imports/importer.js';
import { openDatabase, type Database, type DialectName } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { Catalogs } from '../../src/platform/i18n/catalog.js';
import { LocalBlobStore } from '../../src/platform/storage/blob-store.js';
import { createPreparedDatabase, createTestDatabase, type TemplateRecipe } from './databases.js';
import { createBlobStore } from '../../src/platform/storage/create-blob-store.js';
import type { BlobStore } from '../../src/platform/storage/blob-store.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The shared multilingual corpus, read in place (never copied into the repository). */
export const CORPUS_DIR = process.env.CORPUS_DIR ?? path.resolve(REPO_ROOT, '../shared/corpus');
export const CORPUS_MANIFEST = path.join(REPO_ROOT, 'test/fixtures/corpus-manifest.yaml');

export interface TestApp {
  app: FastifyInstance;
  baseUrl: string;
  database: Database;
  /** The data folder's files on local disk (what tests inspect). */
  blobs: LocalBlobStore;
  /** The store the app was given: local disk, or object storage when the env says so. */
  store: BlobStore;
  dataDir: string;
  databaseUrl: string | undefined;
  config: Config;
  close(): Promise<void>;
}

/**
 * Starts the real application on 127.0.0.1:0 over a fresh database of the given dialect,
 * optionally loaded with the shared corpus through the importer.
 */
export async function buildTestApp(
  dialect: DialectName,
  options: {
    library?: 'corpus' | 'empty';
    env?: Record<string, string>;
    logStream?: NodeJS.WritableStream;
    /** Reuse another test app's database and files: a second instance of the same site. */
    shareWith?: TestApp;
    /** The time as sessions and rate limits see it. */
    clock?: () => Date;
  } = {},
): Promise<TestApp> {
  const library = options.shareWith ? 'shared' : (options.library ?? 'corpus');
  // Object storage is filled by the import itself; a prepared copy would hold local files.
  const objectStorage = Boolean(options.env?.S3_ENDPOINT);
  const testDb = options.shareWith
    ? {
        dataDir: options.shareWith.dataDir,
        databaseUrl: options.shareWith.databaseUrl,
        cleanup: async () => {},
      }
    : objectStorage
      ? await createTestDatabase(dialect)
      : await createPreparedDatabase(dialect, libraryRecipe(library === 'corpus'));
  const config = loadConfig({
    DATA_DIR: testDb.dataDir,
    ...(testDb.databaseUrl ? { DATABASE_URL: testDb.databaseUrl } : {}),
    LOG_LEVEL: 'silent',
    PORT: '0',
    PAGE_CACHE_SECONDS: '0',
    ...options.env,
  });
  const database = openDatabase(config);
  await migrateToLatest(database);
  const blobs = new LocalBlobStore(config.dataDir);
  const store = await createBlobStore(config);
  if (objectStorage && library === 'corpus') {
    await importDirectory(database, store, CORPUS_DIR, { manifestPath: CORPUS_MANIFEST });
  }
  const app = await buildApp({
    config,
    database,
    blobs: store,
    catalogs: new Catalogs(),
    ...(options.logStream ? { logStream: options.logStream } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    baseUrl: address,
    database,
    blobs,
    store,
    config,
    dataDir: testDb.dataDir,
    databaseUrl: testDb.databaseUrl,
    close: async () => {
      await app.close();
      await database.close();
      await testDb.cleanup();
    },
  };
}

/** fetch without following redirects, so tests see exactly what the server said. */
export function get(baseUrl: string, path: string, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}${path}`, { redirect: 'manual', headers });
}

/** A migrated database, with or without the shared corpus imported (built once per test run). */
function libraryRecipe(withCorpus: boolean): TemplateRecipe {
  return {
    name: withCorpus ? 'corpus' : 'empty',
    prepare: async (t) => {
      const database = openDatabase({ dataDir: t.dataDir, databaseUrl: t.databaseUrl });
      try {
        await migrateToLatest(database);
        if (withCorpus) {
          await importDirectory(database, new LocalBlobStore(t.dataDir), CORPUS_DIR, {
            manifestPath: CORPUS_MANIFEST,
          });
        }
      } finally {
        await database.close();
      }
    },
  };
}
