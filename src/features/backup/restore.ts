/**
 * `learning-center restore FILE`: into an empty place only (or --force), staged so a failure
 * leaves nothing half-restored. Every part is read and checked before anything is put in
 * place; then files go into the store first and the database last, so no row ever points to a
 * missing file (a failure in between leaves only files without rows, which the sweep removes).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import { defaultKeyFile } from '../../platform/crypto/key-ring.js';
import { SQLITE_FILE_NAME } from '../../platform/db/database.js';
import type { BlobStore, StagedBlob } from '../../platform/storage/blob-store.js';
import { syncDir } from './archive.js';
import { checkSqliteFile, compareWithManifest } from './checks.js';
import { BackupFormatError, type BackupManifest } from './manifest.js';
import {
  describePostgresDatabase,
  postgresTableCount,
  restorePostgresDump,
} from './postgres-restore.js';
import { runTool } from './postgres-tools.js';
import { walkBackup } from './walk.js';

export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreError';
  }
}

export interface RestoreOptions {
  config: Pick<Config, 'dataDir' | 'databaseUrl'>;
  store: BlobStore;
  file: string;
  identity: string;
  force?: boolean;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
}

export interface RestoreResult {
  manifest: BackupManifest;
  tables: Record<string, number>;
  notes: string[];
}

async function storeHasBlobs(store: BlobStore): Promise<boolean> {
  for await (const blob of store.list()) {
    void blob;
    return true;
  }
  return false;
}

/** What already occupies the target database, in words; empty when it is empty. */
async function databaseOccupants(config: RestoreOptions['config']): Promise<string[]> {
  if (config.databaseUrl) {
    const tables = await postgresTableCount(config.databaseUrl);
    return tables ? [`the database in DATABASE_URL already has ${tables} tables`] : [];
  }
  const file = path.join(config.dataDir, SQLITE_FILE_NAME);
  return fs.existsSync(file) && fs.statSync(file).size > 0 ? [`${file} already exists`] : [];
}

async function checkListedBlobs(store: BlobStore, manifest: BackupManifest): Promise<void> {
  const missing: string[] = [];
  for (const blob of manifest.blobs) if (!(await store.has(blob.sha256))) missing.push(blob.sha256);
  if (missing.length) {
    throw new RestoreError(
      `This backup lists ${manifest.blobs.length} files kept in object storage rather than holding them, and ${missing.length} are not in the store configured here (first: ${missing[0]}). Point S3_* at the bucket the backup was made from, or restore a backup made with --include-blobs.`,
    );
  }
}

function moveAside(dataDir: string): string | undefined {
  const live = path.join(dataDir, SQLITE_FILE_NAME);
  if (!fs.existsSync(live)) return undefined;
  const aside = path.join(dataDir, `replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.mkdirSync(aside, { mode: 0o700 });
  // The -wal and -shm belong to the old file: left beside the new one, SQLite would apply them.
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(live + suffix))
      fs.renameSync(live + suffix, path.join(aside, SQLITE_FILE_NAME + suffix));
  }
  return aside;
}

function placeFieldKeys(json: Buffer, dataDir: string, env: NodeJS.ProcessEnv): string {
  if (env.FIELD_KEYS?.trim() || env.FIELD_KEYS_FILE?.trim()) {
    return 'The backup holds the field keys, but this server takes them from FIELD_KEYS / FIELD_KEYS_FILE: they were not written. Make sure those are the keys the backup was made with.';
  }
  const file = defaultKeyFile(dataDir);
  if (fs.existsSync(file)) {
    return fs.readFileSync(file).equals(json)
      ? `The field keys in ${file} are those of the backup.`
      : `${file} already exists and differs from the backup's field keys: it was kept. Encrypted personal fields may be unreadable until the right key file is in place.`;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeSync(fd, json);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return `Field keys restored to ${file}.`;
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const { config, store, log = () => {}, env = process.env } = options;
  const target = config.databaseUrl ? 'postgres' : 'sqlite';
  const refuse = (occupied: string[]) =>
    new RestoreError(
      `Restore goes into an empty place, and here ${occupied.join(' and ')}. Use a fresh DATA_DIR${config.databaseUrl ? ' and an empty database' : ''}${store.kind === 's3' ? ' and bucket (or S3_PREFIX)' : ''}, or add --force to replace the database (${config.databaseUrl ? 'its tables are dropped in the same transaction that loads the backup' : `the current one is moved to ${config.dataDir}/replaced-<time>/`}; files already stored are kept).`,
    );
  const occupied = await databaseOccupants(config);
  if (occupied.length && !options.force) throw refuse(occupied);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(config.dataDir, '.restore-'));
  fs.chmodSync(workDir, 0o700);
  const staged: StagedBlob[] = [];
  const notes: string[] = [];
  try {
    const databaseFile = path.join(workDir, 'database');
    log('Reading and checking the backup...');
    const walked = await walkBackup(options.file, options.identity, databaseFile, {
      onManifest: async (manifest) => {
        if (manifest.dialect !== target) {
          throw new RestoreError(
            manifest.dialect === 'sqlite'
              ? 'This backup is of an SQLite database: unset DATABASE_URL to restore it into DATA_DIR.'
              : 'This backup is of a PostgreSQL database: set DATABASE_URL to an empty database to restore it.',
          );
        }
        // Files listed only must be in the store already (the bucket the backup was made
        // from). Files carried by the backup go into an empty store: one shared with another
        // site would have each site's orphan sweep delete the other's files.
        if (!manifest.blobsIncluded) await checkListedBlobs(store, manifest);
        else if (!options.force && (await storeHasBlobs(store)))
          throw refuse([
            ...occupied,
            `the ${store.kind === 's3' ? 'bucket' : 'file store'} already holds files`,
          ]);
      },
      onBlob: async (_sha256, bytes) => {
        const blob = await store.stage(bytes);
        staged.push(blob);
        return blob;
      },
    });
    const { manifest } = walked;

    if (target === 'sqlite') {
      const check = checkSqliteFile(databaseFile, manifest);
      if (check.problems.length)
        throw new BackupFormatError(
          `The database in the backup fails its checks: ${check.problems.join('; ')}`,
        );
    } else {
      await runTool('pg_restore', ['--list', databaseFile], process.env);
    }

    log(`Putting ${staged.length} files in place...`);
    for (const blob of staged.splice(0)) await store.commitStaged(blob);

    log('Putting the database in place...');
    if (target === 'sqlite') {
      const aside = options.force ? moveAside(config.dataDir) : undefined;
      if (aside) notes.push(`The previous database was moved to ${aside}.`);
      const live = path.join(config.dataDir, SQLITE_FILE_NAME);
      fs.renameSync(databaseFile, live);
      await syncDir(config.dataDir);
      const after = checkSqliteFile(live, manifest);
      if (after.problems.length)
        throw new RestoreError(
          `The restored database fails its checks: ${after.problems.join('; ')}`,
        );
    } else {
      await restorePostgresDump(
        config.databaseUrl!,
        databaseFile,
        path.join(workDir, 'restore.sql'),
        {
          replace: occupied.length > 0,
        },
      );
      const differences = compareWithManifest(
        manifest,
        await describePostgresDatabase(config.databaseUrl!),
      );
      if (differences.length)
        throw new RestoreError(
          `The restored database differs from the backup: ${differences.join('; ')}`,
        );
    }

    if (walked.fieldKeys) notes.push(placeFieldKeys(walked.fieldKeys, config.dataDir, env));
    else
      notes.push(
        "The backup does not hold the field keys (by design): give this server the same FIELD_KEYS / FIELD_KEYS_FILE or key file (DATA_DIR/secrets/field-keys.json) as the original before starting it, or participants' personal fields stay unreadable.",
      );
    return { manifest, tables: manifest.tables, notes };
  } finally {
    for (const blob of staged) await store.discardStaged(blob).catch(() => {});
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
