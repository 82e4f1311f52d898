/**
 * OPDS catalogues of the public library, for e-readers and library aggregators:
 *
 *   /opds, /opds/v2                      root navigation (v2 adds a group of new arrivals)
 *   /opds[/v2]/languages, /types, /topics   navigation, with edition counts
 *   /opds[/v2]/languages/:tag, /types/:type, /topics/:slug, /new, /all   acquisition, paged
 *   /opds[/v2]/search?q=                 acquisition feed of search results
 *   /opds/search.xml                     OpenSearch description
 *
 * OPDS 1.2 is Atom XML, OPDS 2.0 JSON, with the same feeds and entries (catalog.ts). `?lang=`
 * chooses the language of labels and headings; `?page=` pages acquisition feeds (paging.ts says
 * what a bad value gets). Only published editions of published works appear. Image links of
 * entries point to the site's thumbnails (/thumbnails/{file id}.png).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { compress, negotiateEncoding } from '../../platform/http/compression.js';
import { publicBaseUrl } from '../../platform/http/public-url.js';
import { sharedCatalogs } from '../../platform/views/document-context.js';
import type { ReachDeps } from '../reach-deps.js';
import { atomFeed } from './atom.js';
import {
  acquisitionFeed,
  languagesFeed,
  rootFeed,
  searchFeed,
  topicsFeed,
  typesFeed,
  type CatalogueContext,
  type Feed,
} from './catalog.js';
import { ATOM_TYPE, OPDS1_ROOT, OPDS2_ROOT, OPDS2_TYPE, OPENSEARCH_TYPE } from './links.js';
import { openSearchDescription } from './opensearch.js';
import { opds2Feed } from './opds2.js';
import { OpdsRequestError, parseFeedLanguage, parsePage, singleArgument } from './paging.js';

/** Feeds change when content does; five minutes of caching spares e-readers on slow links. */
const CACHE_CONTROL = 'public, max-age=300';

type Build = (ctx: CatalogueContext, request: FastifyRequest, withGroups: boolean) => Promise<Feed>;

const param = (request: FastifyRequest, name: string) =>
  (request.params as Record<string, string>)[name] ?? '';

/** Every feed, by its path under /opds and under /opds/v2. */
const FEEDS: Record<string, Build> = {
  '': (ctx, _request, withGroups) => rootFeed(ctx, withGroups),
  '/languages': (ctx) => languagesFeed(ctx),
  '/types': (ctx) => typesFeed(ctx),
  '/topics': (ctx) => topicsFeed(ctx),
  '/new': (ctx, request) => acquisitionFeed(ctx, { by: 'new' }, parsePage(request.query)),
  '/all': (ctx, request) => acquisitionFeed(ctx, { by: 'all' }, parsePage(request.query)),
  '/languages/:tag': (ctx, request) =>
    acquisitionFeed(ctx, { by: 'language', tag: param(request, 'tag') }, parsePage(request.query)),
  '/types/:type': (ctx, request) =>
    acquisitionFeed(ctx, { by: 'type', type: param(request, 'type') }, parsePage(request.query)),
  '/topics/:slug': (ctx, request) =>
    acquisitionFeed(ctx, { by: 'topic', slug: param(request, 'slug') }, parsePage(request.query)),
  '/search': (ctx, request) => {
    const q = singleArgument(request.query, 'q');
    if (q === undefined) {
      throw new OpdsRequestError(400, 'The "q" argument (the search terms) is required.');
    }
    return searchFeed(ctx, q, parsePage(request.query));
  },
};

export function registerOpdsRoutes(app: FastifyInstance, deps: ReachDeps) {
  const catalogs = sharedCatalogs();

  for (const [path, build] of Object.entries(FEEDS)) {
    for (const format of ['atom', 'json'] as const) {
      const url = `${format === 'atom' ? OPDS1_ROOT : OPDS2_ROOT}${path}`;
      app.get(url, async (request, reply) => {
        try {
          const { lang, explicit } = parseFeedLanguage(request.query);
          const ctx: CatalogueContext = { db: deps.db, data: deps.data, catalogs, lang };
          const feed = await build(ctx, request, format === 'json');
          const options = {
            base: publicBaseUrl(request, deps.publicUrl),
            lang,
            explicitLang: explicit,
            siteName: catalogs.translate(lang, 'site.name').text,
          };
          return format === 'atom'
            ? send(
                request,
                reply,
                `${ATOM_TYPE[feed.kind]}; charset=utf-8`,
                atomFeed(feed, options),
              )
            : send(
                request,
                reply,
                `${OPDS2_TYPE}; charset=utf-8`,
                JSON.stringify(opds2Feed(feed, options)),
              );
        } catch (error) {
          if (error instanceof OpdsRequestError) return plain(reply, error.status, error.message);
          throw error;
        }
      });
    }
  }

  app.get(`${OPDS1_ROOT}/search.xml`, async (request, reply) => {
    try {
      const { lang } = parseFeedLanguage(request.query);
      const body = openSearchDescription({
        base: publicBaseUrl(request, deps.publicUrl),
        siteName: catalogs.translate(lang, 'site.name').text,
        description: catalogs.translate(lang, 'opds.searchDescription').text,
        lang,
      });
      return send(request, reply, `${OPENSEARCH_TYPE}; charset=utf-8`, body);
    } catch (error) {
      if (error instanceof OpdsRequestError) return plain(reply, error.status, error.message);
      throw error;
    }
  });
}

function matches(request: FastifyRequest, etag: string): boolean {
  const inm = request.headers['if-none-match'];
  return Boolean(inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag));
}

/** A feed with validators, caching, compression, and CORS: the catalogue is public data. */
function send(request: FastifyRequest, reply: FastifyReply, type: string, text: string) {
  const body = Buffer.from(text, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  reply.header('etag', etag);
  reply.header('cache-control', CACHE_CONTROL);
  reply.header('vary', 'Accept-Encoding');
  reply.header('access-control-allow-origin', '*');
  if (matches(request, etag)) return reply.code(304).send();
  reply.type(type);
  const encoding = body.length > 1024 ? negotiateEncoding(request.raw) : 'identity';
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  return reply.send(compress(body, encoding));
}

/** A short explanation in plain text, for people and for client developers alike. */
function plain(reply: FastifyReply, status: number, message: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('text/plain; charset=utf-8')
    .send(`${message}\n`);
}
