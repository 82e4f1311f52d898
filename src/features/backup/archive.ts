/**
 * The backup file: a tar stream encrypted with age (https://age-encryption.org), so
 * `age -d -i identity.txt backup.lcbk | tar t` reads it without this program. Both directions
 * stream in 64 KiB chunks: a backup of several gigabytes never sits in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Decrypter, Encrypter } from 'age-encryption';
import tar from 'tar-stream';

/** One file of the archive: its header, and a stream of its bytes to read before the next. */
export type ArchiveEntry = AsyncIterable<Buffer> & {
  header: { name: string; size: number; type: string };
  resume(): unknown;
};
import { BackupFormatError } from './manifest.js';

export class BackupDecryptError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupDecryptError';
  }
}

export interface ArchiveWriter {
  addBuffer(name: string, data: Buffer): Promise<void>;
  addStream(name: string, size: number, source: Readable): Promise<void>;
  /** Ends the archive, waits until every byte is on disk, then gives the file its name. */
  finish(): Promise<void>;
  /** Removes the temporary file; the target is left untouched. */
  abort(): Promise<void>;
}

/**
 * Writes FILE.tmp (mode 0600), flushed and renamed to FILE only when complete: a failed or
 * interrupted backup never leaves a file that looks like a backup.
 */
export async function openArchiveWriter(file: string, recipient: string): Promise<ArchiveWriter> {
  const target = path.resolve(file);
  const temporary = `${target}.tmp`;
  const pack = tar.pack();
  const encrypter = new Encrypter();
  encrypter.addRecipient(recipient);
  const plain = Readable.toWeb(Readable.from(pack)) as WebReadableStream<Uint8Array>;
  const encrypted = await encrypter.encrypt(plain as unknown as ReadableStream<Uint8Array>);
  const out = fs.createWriteStream(temporary, { flags: 'w', mode: 0o600 });
  const written = pipeline(
    Readable.fromWeb(encrypted as unknown as WebReadableStream<Uint8Array>),
    out as Writable,
  );
  // Surfaced by finish(); kept from becoming an unhandled rejection while entries are added.
  written.catch(() => {});
  const mtime = new Date();

  return {
    async addBuffer(name, data) {
      await new Promise<void>((resolve, reject) =>
        pack.entry({ name, size: data.length, mode: 0o600, mtime }, data, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
    },
    async addStream(name, size, source) {
      let settle!: (error?: Error | null) => void;
      const done = new Promise<void>((resolve, reject) => {
        settle = (error) => (error ? reject(error) : resolve());
      });
      // tar-stream's entries are streamx streams: fed by hand, waiting for 'drain'.
      const entry = pack.entry({ name, size, mode: 0o600, mtime, type: 'file' }, settle);
      const failed = written.then(() => {
        throw new Error('the backup file was closed early');
      });
      try {
        for await (const chunk of source) {
          if (!entry.write(chunk as Buffer))
            await Promise.race([new Promise<void>((r) => entry.once('drain', () => r())), failed]);
        }
        entry.end(undefined);
        await Promise.race([done, failed]);
      } catch (error) {
        source.destroy();
        throw error;
      }
    },
    async finish() {
      pack.finalize();
      await written;
      const handle = await fs.promises.open(temporary, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.promises.rename(temporary, target);
      await syncDir(path.dirname(target));
    },
    async abort() {
      pack.destroy();
      out.destroy();
      await written.catch(() => {});
      await fs.promises.rm(temporary, { force: true });
    },
  };
}

export async function syncDir(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Decrypts a backup and yields its tar entries in order. A wrong key fails before any entry;
 * a truncated or altered file fails at the damaged chunk (age authenticates every 64 KiB and
 * marks the last chunk), which surfaces as an error from the iteration.
 */
export async function* readArchive(file: string, identity: string): AsyncGenerator<ArchiveEntry> {
  let source: fs.ReadStream;
  try {
    await fs.promises.access(file, fs.constants.R_OK);
    source = fs.createReadStream(file);
  } catch (error) {
    throw new BackupFormatError(
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  let plain: ReadableStream<Uint8Array>;
  try {
    plain = await decrypter.decrypt(
      Readable.toWeb(source) as unknown as ReadableStream<Uint8Array>,
    );
  } catch (error) {
    source.destroy();
    const message = (error as Error).message;
    if (/no identity matched/.test(message)) {
      throw new BackupDecryptError(
        'This backup was not made for this key: BACKUP_IDENTITY / BACKUP_IDENTITY_FILE does not match the BACKUP_RECIPIENT it was encrypted to.',
        { cause: error },
      );
    }
    throw new BackupDecryptError(`This file is not a readable encrypted backup (${message}).`, {
      cause: error,
    });
  }
  const extract = tar.extract();
  // Fed by hand (streamx, see above); a decryption error ends the iteration below with it.
  const feeding = (async () => {
    try {
      for await (const chunk of Readable.fromWeb(
        plain as unknown as WebReadableStream<Uint8Array>,
      )) {
        if (!extract.write(chunk as Buffer))
          await new Promise<void>((r) => extract.once('drain', () => r()));
      }
      extract.end(undefined);
    } catch (error) {
      extract.destroy(damaged(error));
      throw damaged(error);
    }
  })();
  feeding.catch(() => {});
  try {
    for await (const entry of extract) yield entry as unknown as ArchiveEntry;
    await feeding;
  } catch (error) {
    throw damaged(error);
  } finally {
    source.destroy();
    if (!extract.destroyed) extract.destroy();
  }
}

function damaged(error: unknown): Error {
  if (error instanceof BackupDecryptError || error instanceof BackupFormatError) return error;
  return new BackupDecryptError(
    `The backup is damaged or incomplete (${(error as Error).message}); do not rely on it.`,
    { cause: error },
  );
}

/** Reads a small entry (the manifest, the key file) into memory, refusing anything large. */
export async function readSmallEntry(entry: AsyncIterable<Buffer>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BackupFormatError('An entry of the backup is unexpectedly large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
