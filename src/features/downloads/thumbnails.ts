import { buffer } from 'node:stream/consumers';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { BlobStore } from '../../platform/storage/blob-store.js';

const NAME = /^([0-9a-f-]{36})\.png$/;

/**
 * Thumbnails of the given files, with their media type and size, for the catalogues that link
 * to them (OPDS, the JSON API). Only images: the route below serves nothing else. Callers list
 * published editions' files; the route checks publication again.
 */
export async function thumbnailsOf(
  db: Kysely<DB>,
  fileIds: readonly string[],
): Promise<{ file_id: string; media_type: string; size: number }[]> {
  if (fileIds.length === 0) return [];
  return db
    .selectFrom('file_thumbnails as t')
    .innerJoin('blobs as b', 'b.sha256', 't.blob_sha256')
    .select(['t.file_id', 'b.media_type', 'b.size'])
    .where('t.file_id', 'in', fileIds)
    .where('b.media_type', 'like', 'image/%')
    .execute();
}

/**
 * Thumbnails of public files (made by the thumbnail job), at /thumbnails/{file id}.png: the one
 * address the site, the OPDS catalogues and the JSON API link to. A thumbnail is public only
 * while its file's edition and work are published, like the file. The media type is the one
 * stored with the blob (the job stores PNG); partners' sites and e-readers may embed or fetch
 * them from other origins.
 */
export function registerThumbnailRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<DB>; blobs: BlobStore },
) {
  app.route({
    method: ['GET', 'HEAD'],
    url: '/thumbnails/:name',
    handler: async (request, reply) => {
      const id = NAME.exec((request.params as { name: string }).name)?.[1];
      if (!id) throw notFound('malformed thumbnail name');
      const thumb = await deps.db
        .selectFrom('file_thumbnails as t')
        .innerJoin('edition_files as f', 'f.id', 't.file_id')
        .innerJoin('editions as e', 'e.id', 'f.edition_id')
        .innerJoin('works as w', 'w.id', 'e.work_id')
        .innerJoin('blobs as b', 'b.sha256', 't.blob_sha256')
        .where('t.file_id', '=', id)
        .where('e.status', '=', 'published')
        .where('w.published_at', 'is not', null)
        .select(['b.sha256', 'b.size', 'b.media_type'])
        .executeTakeFirst();
      if (!thumb || !thumb.media_type.startsWith('image/')) throw notFound('no such thumbnail');
      const etag = `"${thumb.sha256}"`;
      reply.header('etag', etag);
      reply.header('content-type', thumb.media_type);
      reply.header('cache-control', 'public, max-age=86400');
      reply.header('content-security-policy', "default-src 'none'; sandbox");
      reply.header('access-control-allow-origin', '*');
      reply.header('cross-origin-resource-policy', 'cross-origin');
      const inm = request.headers['if-none-match'];
      if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
        return reply.code(304).send();
      }
      // Small images: read whole, so a storage failure is a clean 503 rather than a cut answer.
      const body = await deps.blobs
        .read(thumb.sha256)
        .then((stream) => buffer(stream))
        .catch(() => null);
      if (!body) throw new AppError('SERVICE_UNAVAILABLE', 'thumbnail blob missing from storage');
      reply.header('content-length', String(body.length));
      return reply.send(request.method === 'HEAD' ? '' : body);
    },
  });
}
