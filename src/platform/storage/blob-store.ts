import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';

export interface StoredBlob {
  sha256: string;
  size: number;
}

/** A blob written and flushed under a temporary name, waiting for its database row to commit. */
export interface StagedBlob extends StoredBlob {
  path: string;
}

/** Thrown while staging when the source is larger than allowed; nothing is left on disk. */
export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${limit} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

const STAGED_SUFFIX = '.staged';

/** A byte range, both ends included (as in HTTP Range). */
export interface ByteRange {
  start: number;
  end: number;
}

/** Thrown when the storage backend cannot be reached or fails; answered with 503 + Retry-After. */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/**
 * Where file contents live, addressed by their SHA-256. Every backend stages a blob on local
 * disk first (to hash and check it), and a row never commits before its blob is durable:
 *   stage() -> [database transaction referring to sha256] -> commitStaged() | discardStaged()
 * Local disk renames into place in commitStaged (recoverStaged finishes it after a crash);
 * object storage uploads under the final key in stage(), so commitStaged only tidies up and an
 * object without a row is collected by sweepOrphans once it is older than the settle time.
 */
export interface BlobStore {
  readonly kind: 'local' | 's3';
  stage(source: Readable, maxBytes?: number): Promise<StagedBlob>;
  commitStaged(staged: StagedBlob): Promise<void>;
  discardStaged(staged: StagedBlob): Promise<void>;
  has(sha256: string): Promise<boolean>;
  /** The blob's bytes (or a range of them); StorageUnavailableError if it cannot be read. */
  read(sha256: string, range?: ByteRange): Promise<Readable>;
  /** A local file with the blob's bytes for tools that need a path (ffmpeg, pdftotext, copies). */
  withLocalFile<T>(sha256: string, use: (file: string) => Promise<T>): Promise<T>;
  /** The file on local disk (X-Accel-Redirect, direct copies); undefined for object storage. */
  localPath(sha256: string): string | undefined;
  /** Every stored blob (backups, orphan sweeps). */
  list(): AsyncIterable<StoredBlob & { modifiedAt: Date }>;
  /** Removes blobs no row refers to, once older than `olderThanMs`. */
  sweepOrphans(
    isReferenced: (sha256: string) => Promise<boolean>,
    olderThanMs: number,
  ): Promise<number>;
  recoverStaged(
    hasRow: (sha256: string) => Promise<boolean>,
    olderThanMs?: number,
  ): Promise<{ committed: number; discarded: number }>;
  /** A fresh local folder under the temporary area, removed by the sweep after a crash. */
  makeTempDir(prefix: string): string;
  sweepTemporaryFiles(olderThanMs?: number): Promise<number>;
  /** Throws with a plain explanation if the store cannot be written and read back (readiness). */
  check(): Promise<void>;
  /** Local disk for files that are read once and dropped (an uploaded ZIP): never uploaded. */
  readonly scratch: BlobStore;
  /** A short-lived address the client fetches the blob from directly (object storage only). */
  presignedUrl?(
    sha256: string,
    options: { contentDisposition: string; contentType: string; expiresIn: number },
  ): Promise<string>;
}

/**
 * Content-addressed files on local disk: blobs/ab/cd/<sha256>. A blob is written to a temporary
 * name in the same folder tree, flushed, and renamed into place only after the database row
 * that refers to it has committed, so a reader never sees half a file, and a crash leaves no blob
 * without a row: only temporary files, which the boot sweep finishes or removes.
 */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;
  readonly root: string;
  private readonly tmpDir: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'blobs');
    this.tmpDir = path.join(this.root, 'tmp');
    fs.mkdirSync(this.tmpDir, { recursive: true });
  }

  get scratch(): LocalBlobStore {
    return this;
  }

  static isDigest(value: string): boolean {
    return /^[0-9a-f]{64}$/.test(value);
  }

  pathOf(sha256: string): string {
    // Keys are digests we computed; checking the shape keeps any other string off the disk path.
    if (!LocalBlobStore.isDigest(sha256)) throw new Error('Invalid blob key');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await fs.promises.access(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  localPath(sha256: string): string {
    return this.pathOf(sha256);
  }

  /** Opened before returning, so a missing or unreadable blob fails here, not mid-response. */
  async read(sha256: string, range?: ByteRange): Promise<Readable> {
    const handle = await fs.promises.open(this.pathOf(sha256), 'r').catch((error: unknown) => {
      throw new StorageUnavailableError(`blob ${sha256} cannot be read from local disk`, {
        cause: error,
      });
    });
    return handle.createReadStream({
      ...(range ? { start: range.start, end: range.end } : {}),
      autoClose: true,
    });
  }

  async withLocalFile<T>(sha256: string, use: (file: string) => Promise<T>): Promise<T> {
    return use(this.pathOf(sha256));
  }

  async *list(): AsyncIterable<StoredBlob & { modifiedAt: Date }> {
    for (const a of await readdirIfAny(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue; // tmp/ and anything else is not a blob folder
      for (const b of await readdirIfAny(path.join(this.root, a))) {
        for (const name of await readdirIfAny(path.join(this.root, a, b))) {
          if (!LocalBlobStore.isDigest(name) || !name.startsWith(a + b)) continue;
          const stat = await fs.promises.stat(path.join(this.root, a, b, name)).catch(() => null);
          if (stat?.isFile()) yield { sha256: name, size: stat.size, modifiedAt: stat.mtime };
        }
      }
    }
  }

  /**
   * Removes blobs without a row, once older than `olderThanMs` (a younger one may belong to a
   * transaction in flight; commitStaged renames keep the staged file's time, which is recent).
   */
  async sweepOrphans(
    isReferenced: (sha256: string) => Promise<boolean>,
    olderThanMs: number,
  ): Promise<number> {
    let removed = 0;
    const now = Date.now();
    for await (const blob of this.list()) {
      // 0 means any age (object stores round LastModified up to the second).
      if (olderThanMs > 0 && now - blob.modifiedAt.getTime() < olderThanMs) continue;
      if (await isReferenced(blob.sha256)) continue;
      await fs.promises.rm(this.pathOf(blob.sha256), { force: true });
      removed += 1;
    }
    return removed;
  }

  /** Writes, reads back and removes a probe file: the data folder is usable (readiness). */
  async check(): Promise<void> {
    const probe = path.join(this.tmpDir, `probe-${randomUUID()}`);
    try {
      await fs.promises.mkdir(this.tmpDir, { recursive: true });
      await fs.promises.writeFile(probe, 'probe', { flag: 'wx' });
      if ((await fs.promises.readFile(probe, 'utf8')) !== 'probe')
        throw new Error('the probe file read back differently');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new StorageUnavailableError(
        `DATA_DIR/blobs (${this.root}) is not writable: ${code ?? (error as Error).message}`,
        { cause: error },
      );
    } finally {
      await fs.promises.rm(probe, { force: true }).catch(() => {});
    }
  }

  /**
   * Writes a stream to tmp/ (hashed, counted, flushed), stopping at `maxBytes`. The blob only
   * becomes visible with `commitStaged`, called after the database transaction that refers to
   * it has committed; `recoverStaged` at boot finishes or discards what a crash interrupted.
   */
  async stage(source: Readable, maxBytes = Number.POSITIVE_INFINITY): Promise<StagedBlob> {
    const part = path.join(this.tmpDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    // Over the limit, the rest is read and dropped rather than the source destroyed: an upload
    // stream cut mid-way leaves the browser with a broken connection instead of our message.
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) return done();
        hash.update(chunk);
        done(null, chunk);
      },
      flush(done) {
        done(size > maxBytes ? new BlobTooLargeError(maxBytes) : null);
      },
    });
    try {
      await pipeline(source, counter, fs.createWriteStream(part, { flags: 'wx' }));
      const handle = await fs.promises.open(part, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      // Named by content: recovery after a crash can tell whether its row was committed.
      const staged = path.join(this.tmpDir, `${sha256}.${randomUUID()}${STAGED_SUFFIX}`);
      await fs.promises.rename(part, staged);
      return { sha256, size, path: staged };
    } catch (error) {
      await fs.promises.rm(part, { force: true });
      throw error;
    }
  }

  /** Moves a staged blob into place (or drops it when the same content is already there). */
  async commitStaged(staged: StagedBlob): Promise<void> {
    const target = this.pathOf(staged.sha256);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    if (await this.has(staged.sha256)) await fs.promises.rm(staged.path, { force: true });
    else {
      try {
        await fs.promises.rename(staged.path, target);
      } catch (error) {
        // Another instance's recovery moved this very file into place first: done all the same.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !(await this.has(staged.sha256)))
          throw error;
      }
    }
  }

  async discardStaged(staged: StagedBlob): Promise<void> {
    await fs.promises.rm(staged.path, { force: true });
  }

  /**
   * At boot: a staged blob whose row exists was committed before a crash, so it is moved into
   * place at once, whatever its age (a staged file is complete and synced before it gets its
   * name, so moving it early is safe even if another instance was about to). One without a row
   * belonged to a transaction that never committed, so it goes — but only once it is older than
   * `olderThanMs`: a younger one may be another instance's transaction still in flight.
   */
  async recoverStaged(
    hasRow: (sha256: string) => Promise<boolean>,
    olderThanMs = 0,
  ): Promise<{ committed: number; discarded: number }> {
    let committed = 0;
    let discarded = 0;
    const now = Date.now();
    for (const name of await fs.promises.readdir(this.tmpDir)) {
      if (!name.endsWith(STAGED_SUFFIX)) continue;
      const file = path.join(this.tmpDir, name);
      const stat = await fs.promises.stat(file).catch(() => undefined);
      if (!stat) continue;
      const sha256 = name.slice(0, 64);
      if (LocalBlobStore.isDigest(sha256) && (await hasRow(sha256))) {
        await this.commitStaged({ sha256, size: stat.size, path: file });
        committed += 1;
      } else if (now - stat.mtimeMs >= olderThanMs) {
        await fs.promises.rm(file, { force: true });
        discarded += 1;
      }
    }
    return { committed, discarded };
  }

  /** A fresh folder under tmp/ (an import's extraction), removed by the sweep after a crash. */
  makeTempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(this.tmpDir, prefix));
  }

  /** Removes temporary files left by a crash (anything in tmp/ older than `olderThanMs`). */
  async sweepTemporaryFiles(olderThanMs = 0): Promise<number> {
    let removed = 0;
    const now = Date.now();
    for (const name of await fs.promises.readdir(this.tmpDir)) {
      if (name.endsWith(STAGED_SUFFIX)) continue; // recoverStaged decides about those
      const file = path.join(this.tmpDir, name);
      const stat = await fs.promises.stat(file).catch(() => undefined);
      if (stat && now - stat.mtimeMs >= olderThanMs) {
        await fs.promises.rm(file, { force: true, recursive: true });
        removed += 1;
      }
    }
    return removed;
  }
}

async function readdirIfAny(dir: string): Promise<string[]> {
  return fs.promises.readdir(dir).catch(() => []);
}

export async function sha256OfFile(file: string): Promise<StoredBlob> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}
