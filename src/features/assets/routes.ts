/**
 * The browser scripts (see manifest.ts), served from memory with an ETag: under their hashed
 * name with a year-long immutable Cache-Control, under their plain name (pages cached before a
 * new build, offline shelves) revalidated daily.
 */
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../platform/http/errors.js';
import { ASSETS, type Asset } from './manifest.js';

export function registerAssetRoutes(app: FastifyInstance) {
  const byUrlName = new Map<string, { asset: Asset; immutable: boolean }>();
  for (const asset of ASSETS.values()) {
    byUrlName.set(asset.name, { asset, immutable: false });
    byUrlName.set(asset.hashedName, { asset, immutable: true });
  }

  app.get('/assets/:name', async (request, reply) => {
    const found = byUrlName.get((request.params as { name: string }).name);
    if (!found) throw notFound('no such asset');
    reply.header('etag', found.asset.etag);
    reply.header(
      'cache-control',
      found.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=86400',
    );
    if (request.headers['if-none-match'] === found.asset.etag) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(found.asset.body);
  });

  // The offline shelf's service worker, from the site root so that its scope is the whole site.
  // Revalidated on every check (no-cache), so a fixed worker reaches readers at once.
  app.get('/sw.js', async (request, reply) => {
    const asset = ASSETS.get('sw.js');
    if (!asset) throw notFound('service worker not built');
    reply.header('etag', asset.etag);
    reply.header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(asset.body);
  });
}
