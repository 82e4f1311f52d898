import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

export interface StoredBlob {
  sha256: string;
  size: number;
}

/**
 * Content-addressed files on local disk: blobs/ab/cd/<sha256>. A blob is written to a temporary
 * name in the same folder tree, flushed, and renamed into place, so a reader never sees half a
 * file and a crash leaves at most a temporary file that `sweepTemporaryFiles` removes at boot.
 */
export class LocalBlobStore {
  readonly root: string;
  private readonly tmpDir: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'blobs');
    this.tmpDir = path.join(this.root, 'tmp');
    fs.mkdirSync(this.tmpDir, { recursive: true });
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

  async putStream(source: Readable): Promise<StoredBlob> {
    const tmp = path.join(this.tmpDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    try {
      const out = fs.createWriteStream(tmp, { flags: 'wx' });
      source.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
      });
      await pipeline(source, out);
      const handle = await fs.promises.open(tmp, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      const target = this.pathOf(sha256);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      // Same content, same name: an existing blob is already complete, so keep it.
      if (await this.has(sha256)) await fs.promises.rm(tmp, { force: true });
      else await fs.promises.rename(tmp, target);
      return { sha256, size };
    } catch (error) {
      await fs.promises.rm(tmp, { force: true });
      throw error;
    }
  }

  async putFile(sourcePath: string): Promise<StoredBlob> {
    return this.putStream(fs.createReadStream(sourcePath));
  }

  async putBuffer(data: Buffer | string): Promise<StoredBlob> {
    const { Readable } = await import('node:stream');
    return this.putStream(Readable.from([Buffer.from(data)]));
  }

  /** Removes temporary files left by a crash (anything in tmp/ older than `olderThanMs`). */
  async sweepTemporaryFiles(olderThanMs = 0): Promise<number> {
    let removed = 0;
    const now = Date.now();
    for (const name of await fs.promises.readdir(this.tmpDir)) {
      const file = path.join(this.tmpDir, name);
      const stat = await fs.promises.stat(file).catch(() => undefined);
      if (stat && now - stat.mtimeMs >= olderThanMs) {
        await fs.promises.rm(file, { force: true });
        removed += 1;
      }
    }
    return removed;
  }
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
