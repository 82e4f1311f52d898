import type { FastifyInstance, FastifyReply } from 'fastify';
import { readContentVersion } from '../../platform/db/content-version.js';
import { notFound } from '../../platform/http/errors.js';
import { publicBaseUrl } from '../../platform/http/public-url.js';
import { canonicalTag } from '../../platform/i18n/languages.js';
import { documentContext } from '../../platform/views/document-context.js';
import type { ReachDeps } from '../reach-deps.js';
import { feedUiLanguage, newEditions, renderFeed } from './atom.js';
import { robotsTxt } from './robots.js';
import {
  newest,
  renderIndex,
  renderUrlset,
  SITEMAP_PAGES_PER_FILE,
  sitemapFile,
  sitemapFileCount,
  sitemapPages,
  type SitemapPage,
} from './sitemap.js';

const XML_MAX_AGE = 3600;
const FEED_MAX_AGE = 600;

const FeedParams = {
  type: 'object',
  properties: { file: { type: 'string', maxLength: 80 } },
  required: ['file'],
} as const;
const SitemapParams = {
  type: 'object',
  properties: { file: { type: 'string', maxLength: 20 } },
  required: ['file'],
} as const;
const NoQuery = { type: 'object', additionalProperties: false } as const;

/**
 * Discovery for crawlers and feed readers: /sitemap.xml (and /sitemaps/N.xml when large),
 * /feeds/{language}.atom, /robots.txt. Absolute links come from PUBLIC_URL or the request.
 */
export function registerDiscoveryRoutes(app: FastifyInstance, deps: ReachDeps) {
  const { db, data } = deps;

  // The list of public pages, rebuilt when public content changes.
  let cached: { version: string; pages: SitemapPage[] } | undefined;
  let building: Promise<SitemapPage[]> | undefined;
  async function pages(): Promise<SitemapPage[]> {
    const version = await readContentVersion(db);
    if (cached?.version === version) return cached.pages;
    building ??= sitemapPages(db).finally(() => {
      building = undefined;
    });
    const list = await building;
    cached = { version, pages: list };
    return list;
  }

  const sendXml = (reply: FastifyReply, type: string, body: string, maxAge: number) =>
    reply
      .header('content-type', `${type}; charset=utf-8`)
      .header('cache-control', `public, max-age=${maxAge}`)
      .send(body);

  app.get('/sitemap.xml', { schema: { querystring: NoQuery } }, async (request, reply) => {
    const base = publicBaseUrl(request, deps.publicUrl);
    const list = await pages();
    const count = sitemapFileCount(list.length);
    if (count === 1)
      return sendXml(reply, 'application/xml', renderUrlset(base, list), XML_MAX_AGE);
    const files = Array.from({ length: count }, (_, i) => ({
      lastmod: newest(sitemapFile(list, i + 1)),
    }));
    return sendXml(reply, 'application/xml', renderIndex(base, files), XML_MAX_AGE);
  });

  app.get(
    '/sitemaps/:file',
    { schema: { params: SitemapParams, querystring: NoQuery } },
    async (request, reply) => {
      const match = /^([1-9]\d{0,5})\.xml$/.exec((request.params as { file: string }).file);
      if (!match) throw notFound('no such sitemap file');
      const n = Number(match[1]);
      const list = await pages();
      if (n > sitemapFileCount(list.length, SITEMAP_PAGES_PER_FILE))
        throw notFound('no such sitemap file');
      const base = publicBaseUrl(request, deps.publicUrl);
      return sendXml(
        reply,
        'application/xml',
        renderUrlset(base, sitemapFile(list, n)),
        XML_MAX_AGE,
      );
    },
  );

  app.get(
    '/feeds/:file',
    { schema: { params: FeedParams, querystring: NoQuery } },
    async (request, reply) => {
      const match = /^([A-Za-z0-9-]{1,64})\.atom$/.exec((request.params as { file: string }).file);
      const tag = match ? canonicalTag(match[1]!) : undefined;
      if (!tag) throw notFound('no such feed');
      // One address per language: /feeds/AR.atom and /feeds/pt-br.atom go to the canonical one.
      if (tag !== match![1]) return reply.redirect(`/feeds/${tag}.atom`, 301);
      const entries = await newEditions(db, data, tag);
      if (entries.length === 0) throw notFound('no published editions in this language');
      const language = await data.findLanguage(db, tag);
      const ctx = documentContext(feedUiLanguage(tag), `/feeds/${tag}.atom`);
      const body = renderFeed({
        base: publicBaseUrl(request, deps.publicUrl),
        tag,
        languageName: language?.endonym ?? language?.english_name ?? tag,
        ctx,
        entries,
      });
      return reply
        .header('content-type', 'application/atom+xml; charset=utf-8')
        .header('cache-control', `public, max-age=${FEED_MAX_AGE}`)
        .send(body);
    },
  );

  app.get('/robots.txt', async (request, reply) =>
    reply
      .header('content-type', 'text/plain; charset=utf-8')
      .header('cache-control', `public, max-age=${XML_MAX_AGE}`)
      .send(robotsTxt(publicBaseUrl(request, deps.publicUrl))),
  );
}
