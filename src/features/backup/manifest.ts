/** What a backup holds, written first in the archive so a reader knows what to expect. */
import fs from 'node:fs';
import type { DialectName } from '../../platform/db/database.js';

export const BACKUP_FORMAT = 'learning-center-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_ENTRY = 'manifest.json';
export const FIELD_KEYS_ENTRY = 'secrets/field-keys.json';
export const BLOB_PREFIX = 'blobs/';

export interface BlobEntry {
  sha256: string;
  size: number;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  appVersion: string;
  dialect: DialectName;
  createdAt: string;
  /** Migrations applied in the copied database, by name. */
  migrations: string[];
  /** Rows per table, counted in the same snapshot as the database part. */
  tables: Record<string, number>;
  database: {
    entry: string;
    format: 'sqlite' | 'pg_dump-custom';
    size: number;
    sha256: string;
  };
  blobStorage: 'local' | 's3';
  /** False when objects stayed in the bucket and the backup lists them only. */
  blobsIncluded: boolean;
  /** Every blob a database row refers to, in the snapshot. */
  blobs: BlobEntry[];
  fieldKeysIncluded: boolean;
}

export class BackupFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupFormatError';
  }
}

export function blobEntryName(sha256: string): string {
  return `${BLOB_PREFIX}${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

/** The digest named by a blob entry, or undefined when the name is not one we write. */
export function blobOfEntry(name: string): string | undefined {
  const match = /^blobs\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/.exec(name);
  if (!match || !match[3]!.startsWith(match[1]! + match[2]!)) return undefined;
  return match[3];
}

const isCount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Checks the shape of a manifest read from an archive; nothing in it is trusted before that. */
export function parseManifest(text: string): BackupManifest {
  let data: Partial<BackupManifest>;
  try {
    data = JSON.parse(text) as Partial<BackupManifest>;
  } catch {
    throw new BackupFormatError('The manifest of the backup is not valid JSON.');
  }
  if (data.format !== BACKUP_FORMAT) {
    throw new BackupFormatError('This is not a Learning Center backup (unknown manifest format).');
  }
  if (data.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new BackupFormatError(
      `This backup has format version ${String(data.formatVersion)}; this version of Learning Center reads version ${BACKUP_FORMAT_VERSION}.`,
    );
  }
  const ok =
    (data.dialect === 'sqlite' || data.dialect === 'postgres') &&
    typeof data.createdAt === 'string' &&
    typeof data.appVersion === 'string' &&
    Array.isArray(data.migrations) &&
    data.migrations.every((m) => typeof m === 'string') &&
    typeof data.tables === 'object' &&
    data.tables !== null &&
    Object.values(data.tables).every(isCount) &&
    typeof data.database?.entry === 'string' &&
    /^database\/[\w.-]+$/.test(data.database.entry) &&
    isCount(data.database.size) &&
    /^[0-9a-f]{64}$/.test(data.database.sha256 ?? '') &&
    (data.blobStorage === 'local' || data.blobStorage === 's3') &&
    typeof data.blobsIncluded === 'boolean' &&
    typeof data.fieldKeysIncluded === 'boolean' &&
    Array.isArray(data.blobs) &&
    data.blobs.every((b) => /^[0-9a-f]{64}$/.test(b?.sha256 ?? '') && isCount(b.size));
  if (!ok) throw new BackupFormatError('The manifest of the backup is incomplete or damaged.');
  return data as BackupManifest;
}

let version: string | undefined;
export function appVersion(): string {
  // src/features/backup and dist/features/backup both sit three folders below package.json.
  version ??= (
    JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;
  return version;
}
