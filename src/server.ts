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
import { LocalBlobStore } from './platform/storage/blob-store.js';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';

async function libraryIsEmpty(database: Database): Promise<boolean> {
  const row = await database.db.selectFrom('works').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  close(): Promise<void>;
}

/**
 * Boot in a fixed order: open the database -> migrate -> sweep leftovers of a crash -> seed the
 * demo library on first start -> build the app -> listen. `close` reverses it.
 */
export async function startServer(
  config: Config,
  options: { log?: (message: string) => void } = {},
): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  const database = openDatabase(config);
  try {
    const applied = await migrateToLatest(database);
    if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
    const blobs = new LocalBlobStore(config.dataDir);
    // SQLite means one instance: everything in tmp/ is a crash's leftover. On PostgreSQL another
    // instance may be mid-upload, so only what has not been written to for a minute is.
    await sweepBlobStore(database, blobs, database.dialect === 'sqlite' ? 0 : 60_000);
    // Later, what a crashed instance left behind: nothing live goes an hour without a write.
    const sweeper = setInterval(
      () => void sweepBlobStore(database, blobs, 3_600_000).catch(() => {}),
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
    const worker = new JobWorker(database, derivedJobHandlers(database, blobs), { log });
    if (config.runJobs) worker.start();
    return {
      app,
      database,
      url: address,
      close: async () => {
        clearInterval(sweeper);
        await app.close();
        await worker.stop();
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

/** Finishes or discards staged blobs and removes temporary files not written to for `settledMs`. */
export async function sweepBlobStore(database: Database, blobs: LocalBlobStore, settledMs: number) {
  await blobs.recoverStaged(async (sha256) => {
    const row = await database.db
      .selectFrom('blobs')
      .select('sha256')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    return row !== undefined;
  }, settledMs);
  await blobs.sweepTemporaryFiles(settledMs);
}
