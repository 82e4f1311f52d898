import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { notFound, AppError } from '../../platform/http/errors.js';
import type { LocalBlobStore } from '../../platform/storage/blob-store.js';
import { attachmentHeader } from './filename.js';
import { decideRange } from './range.js';
import { countDownload, findPublicFile } from './repository.js';
import { registerThumbnailRoutes } from './thumbnails.js';

const ID = /^[0-9a-f-]{36}$/;

export function registerDownloadRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<DB>; blobs: LocalBlobStore },
) {
  registerThumbnailRoutes(app, deps);
  app.route({
    method: ['GET', 'HEAD'],
    url: '/download/:id/:name',
    handler: async (request, reply) => {
      const { id } = request.params as { id: string; name: string };
      if (!ID.test(id)) throw notFound('malformed file id');
      const file = await findPublicFile(deps.db, id);
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
      const path = deps.blobs.pathOf(file.sha256);
      // Open before answering so that a missing blob is a clean error, not a truncated 200.
      const handle = await fs.promises.open(path, 'r').catch(() => undefined);
      if (!handle) throw new AppError('SERVICE_UNAVAILABLE', 'blob missing from storage');

      if (request.method === 'GET' && start === 0) {
        await countDownload(deps.db, file.edition_id, new Date().toISOString().slice(0, 10));
      }
      reply.header('content-length', String(file.size === 0 ? 0 : end - start + 1));
      if (decision.kind === 'partial') {
        reply.code(206).header('content-range', `bytes ${start}-${end}/${file.size}`);
      }
      if (request.method === 'HEAD' || file.size === 0) {
        await handle.close();
        return reply.send();
      }
      return reply.send(handle.createReadStream({ start, end, autoClose: true }));
    },
  });
}
