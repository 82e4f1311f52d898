/**
 * The browser scripts built by scripts/build-assets.mjs (dist/public), read once at start and
 * served from memory with an ETag. Pages work without them; missing ones (a build that skipped
 * them) are a 404 and change nothing else.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../platform/http/errors.js';

// src/features/assets or dist/features/assets: the built files are in dist/public either way.
const PUBLIC_DIR = fileURLToPath(new URL('../../../dist/public/', import.meta.url));
const SCRIPTS = ['upload.js', 'offline.js', 'sw.js'];

export function registerAssetRoutes(app: FastifyInstance) {
  const assets = new Map<string, { body: Buffer; etag: string }>();
  for (const name of SCRIPTS) {
    const file = path.join(PUBLIC_DIR, name);
    if (!fs.existsSync(file)) continue;
    const body = fs.readFileSync(file);
    assets.set(name, {
      body,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    });
  }

  app.get('/assets/:name', async (request, reply) => {
    const asset = assets.get((request.params as { name: string }).name);
    if (!asset) throw notFound('no such asset');
    reply.header('etag', asset.etag);
    reply.header('cache-control', 'public, max-age=86400');
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(asset.body);
  });

  // The offline shelf's service worker, from the site root so that its scope is the whole site.
  // Revalidated on every check (no-cache), so a fixed worker reaches readers at once.
  app.get('/sw.js', async (request, reply) => {
    const asset = assets.get('sw.js');
    if (!asset) throw notFound('service worker not built');
    reply.header('etag', asset.etag);
    reply.header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(asset.body);
  });
}
