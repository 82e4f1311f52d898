/**
 * Reading ZIP files someone else made (EPUBs, toolkit bundles) without trusting them: limits on
 * the number of entries, on each entry's and the total uncompressed size (counted while
 * inflating, not taken from the header) and on the compression ratio; unsafe names (absolute,
 * "..", backslashes, drive letters) and symbolic links refused. yauzl checks names and sizes
 * against the headers; the counting here is what stops a zip bomb.
 */
import { Transform, type Readable } from 'node:stream';
import yauzl from 'yauzl';

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Uncompressed / compressed: 1 GiB of zeros packs into 1 MiB, a ratio of 1000. */
  maxRatio: number;
}

export class ZipProblem extends Error {
  constructor(
    /** A stable reason, for messages in the user's language. */
    readonly reason:
      'unreadable' | 'too-many-entries' | 'too-large' | 'bomb' | 'unsafe-name' | 'link',
    detail: string,
  ) {
    super(detail);
    this.name = 'ZipProblem';
  }
}

export interface ZipEntryInfo {
  name: string;
  size: number;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function open(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: true, strictFileNames: true }, (error, zip) =>
      error || !zip ? reject(new ZipProblem('unreadable', String(error))) : resolve(zip),
    ),
  );
}

/**
 * Calls `onEntry` for each file entry (directories skipped) with a stream of its bytes, counted
 * against the limits. `onEntry` must consume or ignore the stream before it resolves.
 */
export async function readZip(
  file: string,
  limits: ZipLimits,
  onEntry: (entry: ZipEntryInfo, open: () => Promise<Readable>) => Promise<void>,
): Promise<void> {
  const zip = await open(file);
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw new ZipProblem('too-many-entries', `${zip.entryCount} entries`);
  }
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      zip.close();
      if (error instanceof ZipProblem) return reject(error);
      // yauzl's own name checks (validateFileName) say why in words only.
      const unsafe = /absolute path|invalid relative path|invalid characters/.test(String(error));
      reject(new ZipProblem(unsafe ? 'unsafe-name' : 'unreadable', String(error)));
    };
    zip.on('error', fail);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      void (async () => {
        const name = entry.fileName;
        if (name.endsWith('/')) return zip.readEntry();
        if (/^[a-zA-Z]:/.test(name) || name.startsWith('/') || name.split('/').includes('..')) {
          throw new ZipProblem('unsafe-name', name);
        }
        if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) {
          throw new ZipProblem('link', name);
        }
        if (entry.uncompressedSize > limits.maxEntryBytes) throw new ZipProblem('too-large', name);
        const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
        if (ratio > limits.maxRatio) throw new ZipProblem('bomb', name);
        await onEntry({ name, size: entry.uncompressedSize }, async () => {
          const stream = await new Promise<Readable>((res, rej) =>
            zip.openReadStream(entry, (error, s) =>
              error || !s ? rej(new ZipProblem('unreadable', String(error))) : res(s),
            ),
          );
          let entryBytes = 0;
          return stream.pipe(
            new Transform({
              transform(chunk: Buffer, _encoding, done) {
                entryBytes += chunk.length;
                total += chunk.length;
                if (entryBytes > limits.maxEntryBytes || total > limits.maxTotalBytes) {
                  return done(new ZipProblem('too-large', name));
                }
                done(null, chunk);
              },
            }),
          );
        });
        zip.readEntry();
      })().catch(fail);
    });
    zip.readEntry();
  });
}

/** Reads a whole (small) stream into a buffer. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
