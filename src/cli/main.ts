import { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { openDatabase } from '../platform/db/database.js';
import { migrateToLatest } from '../platform/db/migrate.js';
import { createBlobStore } from '../platform/storage/create-blob-store.js';
import type { RunningServer } from '../server.js';
import { progressReporter } from './progress.js';
import { registerBackupCommands } from './backup.js';
import { registerExportCommands } from './export.js';
import { registerKeyCommands } from './keys.js';
import { registerMoveCommands } from './move.js';
import { registerUserCommands } from './users.js';

const ENVIRONMENT_HELP = `
Configuration (environment variables):
  PORT                 port to listen on (default 3000)
  HOST                 address to bind (default 127.0.0.1)
  DATA_DIR             database and files (default ./data)
  DATABASE_URL         postgres://user@host:5432/db to use PostgreSQL instead of SQLite
  SEED_DEMO            add the demo library when the library is empty (default true)
  PAGE_CACHE_SECONDS   how long rendered pages are reused in memory (default 10; 0 = off)
  LOG_LEVEL            fatal, error, warn, info, debug or silent (default info)
  SESSION_IDLE_MINUTES signed-in session ends after this long idle (default 90; admins a third)
  SESSION_ABSOLUTE_HOURS signed-in session ends this long after sign-in (default 12)
  TRUST_PROXY          behind a TLS proxy: trust X-Forwarded-Proto for Secure cookies (default false)
  FIELD_KEYS           keys of participants' encrypted fields, "k2:<base64 32 bytes>,k1:<...>" (first is
                       current), with FIELD_INDEX_KEY; or FIELD_KEYS_FILE, a JSON key file; default
                       DATA_DIR/secrets/field-keys.json, created on first start
  PUBLIC_URL           the site's public address for absolute links in feeds, sitemaps, OAI-PMH, OPDS
                       (default: from each request's Host)
  ADMIN_EMAIL          contact address published in OAI-PMH Identify (default webmaster@<host>)
  SHUTDOWN_GRACE_SECONDS on SIGTERM, time for requests and the running job to finish (default 25)
  METRICS_TOKEN        Bearer token for /metrics; unset: /metrics answers this machine only
  BUSY_TIMEOUT_MS      SQLite: wait this long for another process's write lock, then 503 (default 5000)
  JOB_LEASE_SECONDS    a running job not renewed for this long is taken over by another instance (default 600)
  X_ACCEL_REDIRECT     behind nginx, local files: internal location prefix such as /_blobs/ (nginx sends files)
  S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY
                       S3-compatible object storage for files instead of DATA_DIR/blobs (all four together);
                       with S3_REGION (us-east-1), S3_FORCE_PATH_STYLE (true), S3_PREFIX,
                       S3_DOWNLOADS (stream | redirect to presigned URLs), S3_PRESIGN_SECONDS (300)`;

function config(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

async function withDatabase<T>(
  fn: (database: ReturnType<typeof openDatabase>, cfg: Config) => Promise<T>,
) {
  const cfg = config();
  const database = openDatabase(cfg);
  try {
    await migrateToLatest(database);
    return await fn(database, cfg);
  } finally {
    await database.close();
  }
}

const program = new Command('learning-center')
  .description('Learning Center: a multilingual library that works on slow connections')
  .addHelpText('after', ENVIRONMENT_HELP)
  .showHelpAfterError();

program
  .command('serve')
  .description(
    'Start the web server (migrates the database and seeds the demo library on first start)',
  )
  .addHelpText('after', ENVIRONMENT_HELP)
  .action(async () => {
    const cfg = config();
    // Loaded here: the whole web application would otherwise slow every other command's start.
    const { startServer, StartupError } = await import('../server.js');
    let server: RunningServer;
    try {
      server = await startServer(cfg, { log: (m) => console.log(m) });
    } catch (error) {
      // What is wrong, in one line each, and no stack: the reader is an operator, not a debugger.
      const message = error instanceof Error ? error.message : String(error);
      console.error(
        error instanceof StartupError ? message : `Cannot start: ${message.split('\n')[0]}`,
      );
      process.exit(1);
    }
    console.log(`Learning Center is running at ${server.url}/`);
    let stopping = false;
    const stop = async (signal: 'SIGTERM' | 'SIGINT') => {
      if (stopping) {
        // A second signal: the operator wants out now.
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
      stopping = true;
      console.log(
        `${signal} received: finishing requests and jobs (up to ${cfg.shutdownGraceSeconds} s), then closing the database...`,
      );
      // Should closing itself hang (a stuck database), leave anyway, and say so by the exit code.
      const watchdog = setTimeout(() => process.exit(1), cfg.shutdownGraceSeconds * 1000 + 10_000);
      watchdog.unref();
      try {
        await server.close();
      } catch (error) {
        console.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      }
      console.log('Stopped cleanly.');
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  });

program
  .command('migrate')
  .description('Apply pending database migrations, then exit')
  .action(async () => {
    const cfg = config();
    const database = openDatabase(cfg);
    try {
      const applied = await migrateToLatest(database);
      console.log(
        applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.',
      );
    } finally {
      await database.close();
    }
  });

program
  .command('import')
  .description(
    'Import works, editions and files from a folder described by manifest.yaml (see docs/import-format.md)',
  )
  .argument('<dir>', 'folder holding the files (and manifest.yaml unless --manifest is given)')
  .option('--manifest <file>', 'manifest file to use instead of DIR/manifest.yaml')
  .action(async (dir: string, options: { manifest?: string }) => {
    const { importDirectory } = await import('../features/imports/importer.js');
    const { ManifestError } = await import('../features/imports/manifest.js');
    await withDatabase(async (database, cfg) => {
      const progress = progressReporter('Importing');
      try {
        const result = await importDirectory(database, await createBlobStore(cfg), dir, {
          ...(options.manifest ? { manifestPath: options.manifest } : {}),
          onProgress: progress.update,
        });
        progress.stop();
        console.log(
          `Imported ${result.works} works and ${result.editions} editions (${result.created} new, ${result.updated} updated, ${result.unchanged} unchanged), ${result.files} files.`,
        );
      } catch (error) {
        progress.stop();
        if (error instanceof ManifestError) {
          console.error(error.message);
          console.error('Nothing was imported.');
          process.exitCode = 1;
          return;
        }
        throw error;
      }
    });
  });

program
  .command('seed-demo')
  .description(
    'Add (or refresh) the demo library: the UDHR in 500+ languages and a few works with files',
  )
  .action(async () => {
    const { seedDemo } = await import('../features/demo/seed.js');
    const { FieldCipher } = await import('../platform/crypto/field-encryption.js');
    const { loadKeyRing } = await import('../platform/crypto/key-ring.js');
    await withDatabase(async (database, cfg) => {
      const progress = progressReporter('Seeding');
      const result = await seedDemo(database, await createBlobStore(cfg), {
        cipher: new FieldCipher(loadKeyRing(process.env, cfg.dataDir)),
        onProgress: progress.update,
        log: (m: string) => console.log(m),
      });
      progress.stop();
      console.log(
        `Demo library: ${result.works} works, ${result.editions} editions, ${result.files} files.`,
      );
    });
  });

program
  .command('reindex')
  .description('Rebuild the search index of every public edition')
  .action(async () => {
    const { reindexAll } = await import('../features/search/indexer.js');
    await withDatabase(async (database) => {
      const progress = progressReporter('Indexing');
      const count = await database.db
        .transaction()
        .execute((trx) => reindexAll(trx, progress.update));
      progress.stop();
      console.log(`Indexed ${count} editions.`);
    });
  });

registerUserCommands(program, withDatabase);
registerKeyCommands(program, withDatabase);
registerExportCommands(program, withDatabase);
registerMoveCommands(program, withDatabase);
registerBackupCommands(program, config);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
