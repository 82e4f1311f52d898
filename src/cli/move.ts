/**
 * From one small server to several instances (docs/operations.md): `move-database --to URL`
 * copies the embedded SQLite library into an empty PostgreSQL database (all or nothing), and
 * `move-files` copies the stored files from the data folder to object storage.
 */
import type { Command } from 'commander';
import type { Config } from '../config.js';
import type { Database } from '../platform/db/database.js';
import { progressReporter } from './progress.js';

type WithDatabase = <T>(fn: (database: Database, cfg: Config) => Promise<T>) => Promise<T | void>;

export function registerMoveCommands(program: Command, withDatabase: WithDatabase) {
  registerMoveFilesCommand(program, withDatabase);
  program
    .command('move-database')
    .description(
      'Copy the embedded SQLite database (DATA_DIR) into an empty PostgreSQL database, all or nothing',
    )
    .requiredOption('--to <url>', 'the PostgreSQL database, postgres://user@host:5432/name')
    .option('--force', 'replace what the PostgreSQL database already holds')
    .action(async (options: { to: string; force?: boolean }) => {
      const { loadConfig, ConfigError } = await import('../config.js');
      const { openDatabase } = await import('../platform/db/database.js');
      const { moveSqliteToPostgres, MoveError } = await import('../features/move/move-database.js');
      if (process.env.DATABASE_URL) {
        console.error(
          'Unset DATABASE_URL: move-database reads the SQLite database in DATA_DIR and writes to --to.',
        );
        process.exitCode = 2;
        return;
      }
      let targetConfig: Config;
      try {
        targetConfig = loadConfig({ ...process.env, DATABASE_URL: options.to });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        console.error(error.message.replaceAll('DATABASE_URL', '--to'));
        process.exitCode = 2;
        return;
      }
      await withDatabase(async (source) => {
        const target = openDatabase(targetConfig);
        const progress = progressReporter('Copying rows');
        try {
          const result = await moveSqliteToPostgres(source, target, {
            force: options.force ?? false,
            onProgress: progress.update,
          });
          progress.stop();
          const rows = result.tables.reduce((sum, t) => sum + t.rows, 0);
          console.log(
            `Copied ${rows} rows in ${result.tables.length} tables and indexed ${result.indexed} editions for search.`,
          );
          console.log(
            'Next: set DATABASE_URL to the new database on every instance, keep the same field keys (FIELD_KEYS or the key file), and move the files (see docs/operations.md).',
          );
        } catch (error) {
          progress.stop();
          if (error instanceof MoveError) {
            console.error(error.message);
            console.error('Nothing was written to PostgreSQL.');
            process.exitCode = 1;
            return;
          }
          throw error;
        } finally {
          await target.close();
        }
      });
    });
}

function registerMoveFilesCommand(program: Command, withDatabase: WithDatabase) {
  program
    .command('move-files')
    .description(
      'Copy every stored file from DATA_DIR/blobs to the object storage set by S3_* (skips files already there; safe to run again)',
    )
    .action(async () => {
      const { LocalBlobStore } = await import('../platform/storage/blob-store.js');
      const { createBlobStore } = await import('../platform/storage/create-blob-store.js');
      const { copyBlobs } = await import('../features/move/move-files.js');
      await withDatabase(async (database, cfg) => {
        if (!cfg.s3) {
          console.error(
            'Set S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY to the object storage to copy to.',
          );
          process.exitCode = 2;
          return;
        }
        const target = await createBlobStore(cfg);
        await target.check();
        const progress = progressReporter('Copying files');
        const result = await copyBlobs(
          database.db,
          new LocalBlobStore(cfg.dataDir),
          target,
          progress.update,
        );
        progress.stop();
        console.log(
          `Copied ${result.copied} files (${(result.bytes / 1e6).toFixed(1)} MB); ${result.present} were already there.`,
        );
        for (const problem of result.problems) console.error(problem);
        if (result.problems.length) process.exitCode = 1;
      });
    });
}
