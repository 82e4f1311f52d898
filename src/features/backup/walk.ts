/**
 * Reads a backup from start to end and checks every part against its manifest: the order of
 * the parts, the database's checksum and size, each file's checksum (its name) and size, and
 * that nothing is missing or extra. Verify and restore differ only in where the bytes go.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StoredBlob } from '../../platform/storage/blob-store.js';
import { readArchive, readSmallEntry, type ArchiveEntry } from './archive.js';
import {
  BackupFormatError,
  blobOfEntry,
  FIELD_KEYS_ENTRY,
  MANIFEST_ENTRY,
  parseManifest,
  type BackupManifest,
} from './manifest.js';

export interface BackupVisitor {
  /** Called once the manifest is read, before any other part: a last chance to refuse. */
  onManifest?(manifest: BackupManifest): Promise<void> | void;
  onFieldKeys?(json: Buffer): Promise<void> | void;
  /** Receives each file's bytes; returns what it computed from them. */
  onBlob(sha256: string, bytes: Readable): Promise<StoredBlob>;
}

export interface WalkResult {
  manifest: BackupManifest;
  fieldKeys: Buffer | undefined;
  blobsRead: number;
  blobBytes: number;
}

/** Hashes a file's bytes and drops them (verify). */
export async function hashOnly(_sha256: string, bytes: Readable): Promise<StoredBlob> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of bytes) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

async function writeHashed(entry: ArchiveEntry, file: string): Promise<StoredBlob> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    Readable.from(entry),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    },
    fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }),
  );
  return { sha256: hash.digest('hex'), size };
}

/** Walks the archive, writing the database part to `databaseFile`. */
export async function walkBackup(
  file: string,
  identity: string,
  databaseFile: string,
  visitor: BackupVisitor,
): Promise<WalkResult> {
  let manifest: BackupManifest | undefined;
  let fieldKeys: Buffer | undefined;
  let databaseSeen = false;
  const expected = new Map<string, number>();
  const seen = new Set<string>();
  let blobBytes = 0;
  for await (const entry of readArchive(file, identity)) {
    const name = entry.header.name;
    if (!manifest) {
      if (name !== MANIFEST_ENTRY)
        throw new BackupFormatError('This is not a Learning Center backup (no manifest first).');
      manifest = parseManifest((await readSmallEntry(entry, 256 * 1024 * 1024)).toString('utf8'));
      for (const blob of manifest.blobs) expected.set(blob.sha256, blob.size);
      await visitor.onManifest?.(manifest);
      continue;
    }
    if (name === FIELD_KEYS_ENTRY && manifest.fieldKeysIncluded && !fieldKeys) {
      fieldKeys = await readSmallEntry(entry, 1024 * 1024);
      await visitor.onFieldKeys?.(fieldKeys);
      continue;
    }
    if (name === manifest.database.entry && !databaseSeen) {
      databaseSeen = true;
      const got = await writeHashed(entry, databaseFile);
      if (got.size !== manifest.database.size || got.sha256 !== manifest.database.sha256) {
        throw new BackupFormatError(
          'The database in the backup does not match its checksum: the backup is damaged.',
        );
      }
      continue;
    }
    const sha256 = blobOfEntry(name);
    if (sha256 && databaseSeen && manifest.blobsIncluded && !seen.has(sha256)) {
      const size = expected.get(sha256);
      if (size === undefined)
        throw new BackupFormatError(
          `The backup holds a file its manifest does not list (${name}).`,
        );
      const got = await visitor.onBlob(sha256, Readable.from(entry));
      if (got.sha256 !== sha256 || got.size !== size) {
        throw new BackupFormatError(
          `The file ${sha256} in the backup does not match its checksum: the backup is damaged.`,
        );
      }
      seen.add(sha256);
      blobBytes += size;
      continue;
    }
    throw new BackupFormatError(`Unexpected part in the backup: ${name}`);
  }
  if (!manifest) throw new BackupFormatError('The backup is empty.');
  if (!databaseSeen) throw new BackupFormatError('The backup holds no database.');
  if (manifest.fieldKeysIncluded && !fieldKeys)
    throw new BackupFormatError('The backup lacks the field keys its manifest announces.');
  if (manifest.blobsIncluded && seen.size !== expected.size) {
    throw new BackupFormatError(
      `The backup lacks ${expected.size - seen.size} of the ${expected.size} files its manifest lists.`,
    );
  }
  return { manifest, fieldKeys, blobsRead: seen.size, blobBytes };
}
