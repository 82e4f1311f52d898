/** `learning-center backup --out FILE`: snapshot, manifest, database and files, encrypted. */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { BlobStore } from '../../platform/storage/blob-store.js';
import { openArchiveWriter } from './archive.js';
import {
  appVersion,
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  blobEntryName,
  FIELD_KEYS_ENTRY,
  MANIFEST_ENTRY,
  type BackupManifest,
  type BlobEntry,
} from './manifest.js';
import { snapshotPostgres, snapshotSqlite } from './snapshot.js';

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupOptions {
  config: Pick<Config, 'dataDir' | 'databaseUrl'>;
  store: BlobStore;
  out: string;
  recipient: string;
  /** Copy objects out of S3 into the archive too (local files are always copied). */
  includeBlobs?: boolean;
  /** The field keys, written into the (encrypted) archive when the operator asks for it. */
  fieldKeys?: KeyRing;
  log?: (message: string) => void;
}

/** A blob whose row has just committed may still be being renamed into place: wait a little. */
async function waitForBlob(store: BlobStore, sha256: string): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (await store.has(sha256)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function missingBlobs(store: BlobStore, blobs: BlobEntry[]): Promise<string[]> {
  const missing: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < blobs.length) {
      const blob = blobs[next++]!;
      if (!(await waitForBlob(store, blob.sha256))) missing.push(blob.sha256);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return missing;
}

export async function createBackup(options: BackupOptions): Promise<BackupManifest> {
  const { config, store, log = () => {} } = options;
  const includeBlobs = store.kind === 'local' || options.includeBlobs === true;
  const out = path.resolve(options.out);
  if (fs.existsSync(out)) throw new BackupError(`${out} already exists: choose a new file name.`);
  if (!fs.existsSync(path.dirname(out)))
    throw new BackupError(`The folder ${path.dirname(out)} does not exist.`);
  // Plain copies of the database wait here, beside the live data and as protected as it.
  fs.mkdirSync(config.dataDir, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(config.dataDir, '.backup-'));
  fs.chmodSync(workDir, 0o700);
  try {
    log('Taking a consistent snapshot of the database...');
    const snapshot = config.databaseUrl
      ? await snapshotPostgres(config.databaseUrl, workDir)
      : await snapshotSqlite(config.dataDir, workDir);

    const missing = await missingBlobs(store, snapshot.blobs);
    if (missing.length) {
      throw new BackupError(
        `${missing.length} file(s) recorded in the database are missing from the ${store.kind === 's3' ? 'bucket' : 'data folder'} (first: ${missing[0]}). No backup was written; check the storage before trusting any backup.`,
      );
    }

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      appVersion: appVersion(),
      dialect: config.databaseUrl ? 'postgres' : 'sqlite',
      createdAt: new Date().toISOString(),
      migrations: snapshot.migrations,
      tables: snapshot.tables,
      database: {
        entry: snapshot.entry,
        format: snapshot.format,
        size: snapshot.size,
        sha256: snapshot.sha256,
      },
      blobStorage: store.kind,
      blobsIncluded: includeBlobs,
      blobs: snapshot.blobs,
      fieldKeysIncluded: options.fieldKeys !== undefined,
    };

    const archive = await openArchiveWriter(out, options.recipient);
    try {
      await archive.addBuffer(MANIFEST_ENTRY, Buffer.from(JSON.stringify(manifest, null, 1)));
      if (options.fieldKeys) {
        const ring = options.fieldKeys;
        const keyFile = {
          current: ring.current,
          keys: Object.fromEntries([...ring.keys].map(([id, key]) => [id, key.toString('base64')])),
          index: ring.indexKey.toString('base64'),
        };
        await archive.addBuffer(FIELD_KEYS_ENTRY, Buffer.from(JSON.stringify(keyFile, null, 2)));
      }
      await archive.addStream(snapshot.entry, snapshot.size, fs.createReadStream(snapshot.file));
      if (includeBlobs) {
        log(`Copying ${snapshot.blobs.length} files...`);
        for (const blob of snapshot.blobs) {
          await archive.addStream(
            blobEntryName(blob.sha256),
            blob.size,
            await store.read(blob.sha256),
          );
        }
      }
      await archive.finish();
    } catch (error) {
      await archive.abort();
      throw error;
    }
    return manifest;
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

export function totalRows(manifest: BackupManifest): number {
  return Object.values(manifest.tables).reduce((a, b) => a + b, 0);
}
