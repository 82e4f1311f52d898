import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { notFound, AppError } from '../../platform/http/errors.js';
import type { Config } from '../../config.js';
import type { VersionedMemo } from '../../platform/cache/content-version.js';
import { StorageUnavailableError, type BlobStore } from '../../platform/storage/blob-store.js';
import { attachmentHeader } from './filename.js';
import { decideRange } from './range.js';
import { countDownload, findPublicFile } from './repository.js';
import { registerThumbnailRoutes } from './thumbnails.js';

const ID = /^[0-9a-f-]{36}$/;

export interface DownloadDeps {
  db: Kysely<DB>;
  blobs: BlobStore;
  config: Pick<Config, 'xAccelRedirect' | 's3'>;
  /**
   * Remembers which files are public until the content version changes (as pages do), so a
   * download costs no query before nginx takes over. Without it every download asks the database.
   */
  memo?: VersionedMemo;
}

/**
 * Public file downloads. Authorisation (the file is published), conditional requests and the
 * daily counter are always ours; the bytes come from one of three places:
 *   - local disk, streamed by the app, or by nginx when X_ACCEL_REDIRECT names its internal
 *     location (nginx applies Range itself; our headers travel with the answer);
 *   - object storage, streamed through the app (GetObject with the decided Range), or
 *     with S3_DOWNLOADS=redirect a 302 to a short-lived presigned URL.
 */
export function registerDownloadRoutes(app: FastifyInstance, deps: DownloadDeps) {
  registerThumbnailRoutes(app, deps);
  const xAccel = deps.blobs.kind === 'local' ? deps.config.xAccelRedirect : undefined;
  const presign = deps.blobs.presignedUrl?.bind(deps.blobs);
  const redirect =
    presign && deps.config.s3?.downloads === 'redirect'
      ? { presign, expiresIn: deps.config.s3.presignSeconds }
      : undefined;
  app.route({
    method: ['GET', 'HEAD'],
    url: '/download/:id/:name',
    handler: async (request, reply) => {
      const { id } = request.params as { id: string; name: string };
      if (!ID.test(id)) throw notFound('malformed file id');
      const file = deps.memo
        ? await deps.memo.get(`download:${id}`, () => findPublicFile(deps.db, id))
        : await findPublicFile(deps.db, id);
      if (!file) throw notFound('no such public file');

      const etag = `"${file.sha256}"`;
      const lastModified = new Date(file.created_at);
      reply.header('etag', etag);
      reply.header('last-modified', lastModified.toUTCString());
      reply.header('accept-ranges', 'bytes');
      reply.header(
        'content-type',
        file.media_type.startsWith('text/') ? `${file.media_type}; charset=utf-8` : file.media_type,
      );
      reply.header('content-disposition', attachmentHeader(file.filename));
      // Files never change under an id (content-addressed), so caches may keep them.
      reply.header('cache-control', 'public, max-age=86400');
      reply.header('content-security-policy', "default-src 'none'; sandbox");

      const inm = request.headers['if-none-match'];
      if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
        return reply.code(304).send();
      }
      const ims = request.headers['if-modified-since'];
      if (
        !inm &&
        ims &&
        !Number.isNaN(Date.parse(ims)) &&
        Math.floor(lastModified.getTime() / 1000) <= Math.floor(Date.parse(ims) / 1000)
      ) {
        return reply.code(304).send();
      }

      const decision = decideRange(
        file.size,
        request.headers.range,
        request.headers['if-range'] as string | undefined,
        etag,
        lastModified,
      );
      if (decision.kind === 'unsatisfiable') {
        reply.header('content-range', `bytes */${file.size}`);
        throw new AppError('RANGE_NOT_SATISFIABLE');
      }
      const start = decision.kind === 'partial' ? decision.start : 0;
      const end = decision.kind === 'partial' ? decision.end : file.size - 1;
      // A download is counted once, by its first byte (resumed ranges are not new downloads).
      const count = async () => {
        if (request.method === 'GET' && start === 0)
          await countDownload(deps.db, file.edition_id, new Date().toISOString().slice(0, 10));
      };

      if (xAccel) {
        if (!(await deps.blobs.has(file.sha256)))
          throw new StorageUnavailableError('blob missing from local storage');
        // nginx serves the file from its internal location, Range included; an empty body here.
        const s = file.sha256;
        reply.header('x-accel-redirect', `${xAccel}${s.slice(0, 2)}/${s.slice(2, 4)}/${s}`);
        await reply.send();
        // Counted once the answer is on its way: the commit's flush to disk is not on the path
        // of the first byte. A counter that fails is logged; the download has already started.
        await count().catch((error: unknown) =>
          request.log.warn({ err: error }, 'could not count a download'),
        );
        return reply;
      }

      if (redirect) {
        const location = await redirect
          .presign(file.sha256, {
            contentDisposition: String(reply.getHeader('content-disposition')),
            contentType: String(reply.getHeader('content-type')),
            expiresIn: redirect.expiresIn,
          })
          .catch((error: unknown) => {
            throw new StorageUnavailableError('cannot sign a download address', { cause: error });
          });
        await count();
        for (const name of ['etag', 'last-modified', 'accept-ranges', 'content-disposition'])
          reply.removeHeader(name);
        // The address expires: neither it nor this answer may be cached.
        reply.header('cache-control', 'no-store');
        return reply.code(302).header('location', location).send();
      }

      // Opened before answering, so a missing or unreachable blob is a clean 503 with
      // Retry-After, never a truncated 200.
      let body: NodeJS.ReadableStream | undefined;
      if (request.method === 'HEAD' || file.size === 0) {
        if (!(await deps.blobs.has(file.sha256)))
          throw new StorageUnavailableError('blob missing from storage');
      } else {
        body = await deps.blobs.read(
          file.sha256,
          decision.kind === 'partial' ? { start, end } : undefined,
        );
      }
      try {
        await count();
      } catch (error) {
        (body as { destroy?: () => void } | undefined)?.destroy?.();
        throw error;
      }
      reply.header('content-length', String(file.size === 0 ? 0 : end - start + 1));
      if (decision.kind === 'partial') {
        reply.code(206).header('content-range', `bytes ${start}-${end}/${file.size}`);
      }
      return reply.send(body);
    },
  });
}
