import { buildApp } from './app.js';
import { sealLegacyTotpSecrets } from './features/accounts/users.js';
import { seedDefaultInstrument } from './features/surveys/default-instrument.js';
import { FieldCipher } from './platform/crypto/field-encryption.js';
import { loadKeyRing } from './platform/crypto/key-ring.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { Catalogs } from './platform/i18n/catalog.js';
import { JobWorker } from './platform/jobs/queue.js';
import type { BlobStore } from './platform/storage/blob-store.js';
import { createBlobStore } from './platform/storage/create-blob-store.js';
import { drainHttpServer } from './platform/observability/shutdown.js';
import {
  checkDataDirAtStart,
  checkDatabaseAtStart,
  checkStorageAtStart,
  openAtStart,
} from './platform/observability/startup-checks.js';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';

export { StartupError } from './platform/observability/startup-checks.js';

async function libraryIsEmpty(database: Database): Promise<boolean> {
  const row = await database.db.selectFrom('works').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  /**
   * Shuts down gracefully: /readyz turns 503, the server stops accepting, requests in flight and
   * the running job get `graceMs` (default SHUTDOWN_GRACE_SECONDS) to finish, then the SQLite WAL
   * is checkpointed and the database closed.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Boot in a fixed order: open the database (refusing to start, with the reason, when it cannot
 * be reached) -> migrate -> check the file storage -> sweep leftovers of a crash -> seed the
 * demo library on first start -> build the app -> listen. `close` reverses it.
 */
export async function startServer(
  config: Config,
  options: { log?: (message: string) => void } = {},
): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  checkDataDirAtStart(config.dataDir);
  const database = openAtStart(config, () => openDatabase(config));
  try {
    await checkDatabaseAtStart(database, config);
    const applied = await migrateToLatest(database);
    if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
    const blobs = await createBlobStore(config);
    await checkStorageAtStart(blobs);
    // SQLite means one instance: everything in tmp/ is a crash's leftover. On PostgreSQL another
    // instance may be mid-upload, so only what has not been written to for a minute is.
    await sweepBlobStore(database, blobs, database.dialect === 'sqlite' ? 0 : 60_000);
    // Later, what a crashed instance left behind: nothing live goes an hour without a write.
    const sweeper = setInterval(
      () => void sweepBlobStore(database, blobs, 3_600_000, 3_600_000).catch(() => {}),
      600_000,
    );
    sweeper.unref();
    const keyRing = loadKeyRing(process.env, config.dataDir);
    const sealed = await sealLegacyTotpSecrets(database.db, new FieldCipher(keyRing));
    if (sealed) log(`Encrypted ${sealed} two-step sign-in secrets stored by an earlier version.`);
    // The network's default skills-and-confidence survey exists on every install.
    await seedDefaultInstrument(database.db);
    if (config.seedDemo && (await libraryIsEmpty(database))) {
      log('The library is empty: adding the demo library (a few seconds, once)...');
      // Loaded only here: PDF and EPUB generation would otherwise weigh on every server.
      const { seedDemo } = await import('./features/demo/seed.js');
      const result = await seedDemo(database, blobs, { log, cipher: new FieldCipher(keyRing) });
      log(
        `Demo library ready: ${result.works} works, ${result.editions} editions, ${result.files} files.`,
      );
    }
    const app = await buildApp({ config, database, blobs, catalogs: new Catalogs(), keyRing });
    const address = await app.listen({ port: config.port, host: config.host });
    // Loaded here: the conversions are not needed by a process that only serves pages.
    const { derivedJobHandlers } = await import('./features/derived/handlers.js');
    const worker = new JobWorker(database, derivedJobHandlers(database, blobs), {
      log,
      leaseMs: config.jobLeaseSeconds * 1000,
    });
    if (config.runJobs) worker.start();
    return {
      app,
      database,
      url: address,
      close: async ({ graceMs = config.shutdownGraceSeconds * 1000 } = {}) => {
        app.readiness.markShuttingDown();
        clearInterval(sweeper);
        const [{ cutOff }] = await Promise.all([
          drainHttpServer(app, graceMs),
          worker.stop(graceMs),
        ]);
        if (cutOff) log('The grace period ended: requests still running were cut off.');
        if (database.dialect === 'sqlite') {
          await sql`pragma wal_checkpoint(TRUNCATE)`.execute(database.db).catch(() => {});
        }
        await database.close();
      },
    };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

/**
 * Finishes or discards staged blobs and removes temporary files not written to for `settledMs`.
 * With `orphansSettledMs`, also removes stored blobs no row refers to once that old (objects
 * PUT for a transaction that never committed; files of rows deleted since).
 */
export async function sweepBlobStore(
  database: Database,
  blobs: BlobStore,
  settledMs: number,
  orphansSettledMs?: number,
) {
  const hasRow = async (sha256: string) => {
    const row = await database.db
      .selectFrom('blobs')
      .select('sha256')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    return row !== undefined;
  };
  await blobs.recoverStaged(hasRow, settledMs);
  await blobs.sweepTemporaryFiles(settledMs);
  if (orphansSettledMs !== undefined) await blobs.sweepOrphans(hasRow, orphansSettledMs);
}
