/**
 * The read-only JSON API (`/api/v1`) for partners' own sites and apps: works, editions,
 * collections and public events, described by an OpenAPI 3.1 document made from the same
 * schemas. Only published content; nothing about participants; no cookies; JSON errors.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { Static } from 'typebox';
import { publicBaseUrl } from '../../platform/http/public-url.js';
import { AppError, operationalError } from '../../platform/http/errors.js';
import { canonicalTag } from '../../platform/i18n/languages.js';
import { downloadHref } from '../downloads/links.js';
import { thumbnailsOf } from '../downloads/thumbnails.js';
import { agendaItems, eventLanguages, eventTexts } from '../events/repository.js';
import type { WorkRow } from '../library/repository.js';
import { thumbnailHref } from '../library/saving.js';
import type { ReachDeps } from '../reach-deps.js';
import { API_PREFIX, ApiProblem, badRequest, notFound, sendApiError } from './errors.js';
import { openApiDocument, type ApiOperation } from './openapi.js';
import { language, pageLinks, parseLanguage, textsOf, uiFor, zoned } from './present.js';
import * as apiRepo from './repository.js';
import {
  Collection,
  CollectionParams,
  CollectionsList,
  DEFAULT_PER_PAGE,
  Edition,
  EditionParams,
  Event,
  EventParams,
  EventsPage,
  EventsQuery,
  Index,
  Language,
  NoQuery,
  Work,
  WorkParams,
  WorksPage,
  WorksQuery,
  type EventSummary,
  type WorkSummary,
} from './schemas.js';

interface Route extends ApiOperation {
  /** False: no response schema for Fastify to serialise with (the OpenAPI document itself). */
  serialize?: boolean;
  handler: (request: FastifyRequest, reply: FastifyReply, base: string) => Promise<unknown>;
}

export function registerApiRoutes(app: FastifyInstance, deps: ReachDeps) {
  const { db, data } = deps;

  // ---- Presenters

  async function workSummaries(works: readonly WorkRow[], base: string): Promise<WorkSummary[]> {
    const ids = works.map((w) => w.id);
    const [editions, topics] = await Promise.all([
      apiRepo.editionsOfWorks(db, ids),
      apiRepo.topicsOfWorks(db, ids),
    ]);
    const labels = await data.topicLabels(db, [...new Set(topics.map((t) => t.id))]);
    return works.map((work) => {
      const own = editions.filter((e) => e.work_id === work.id);
      return {
        slug: work.slug,
        type: work.type,
        licence: work.licence,
        year: work.year,
        original_language: work.original_language,
        publisher: work.publisher_name,
        updated_at: work.updated_at,
        titles: textsOf(own, (e) => e.title),
        languages: own.map((e) => e.language),
        topics: topics
          .filter((t) => t.work_id === work.id)
          .map((t) => ({
            slug: t.slug,
            labels: textsOf(
              labels.filter((l) => l.owner_id === t.id),
              (l) => l.text,
            ),
            html_url: `${base}/en/topics/${t.slug}`,
          })),
        url: `${base}${API_PREFIX}/works/${work.slug}`,
        html_url: `${base}/en/works/${work.slug}`,
      };
    });
  }

  const editionUrls = (base: string, slug: string, tag: string) => ({
    url: `${base}${API_PREFIX}/works/${slug}/editions/${tag}`,
    html_url: `${base}/${uiFor(tag)}/works/${slug}/${tag}`,
  });

  async function collectionTexts(ids: string[]) {
    const rows = await data.collectionLabels(db, ids);
    return (id: string) => {
      const own = rows.filter((r) => r.owner_id === id);
      return {
        titles: textsOf(own, (r) => r.text),
        descriptions: textsOf(own, (r) => r.description),
      };
    };
  }

  /** Events as listed: titles in every language, seats, place; never who registered. */
  async function eventSummaries(
    rows: readonly apiRepo.ApiEventRow[],
    base: string,
  ): Promise<(EventSummary & { descriptions: Record<string, string> })[]> {
    const ids = rows.map((r) => r.id);
    const [texts, languages] = await Promise.all([eventTexts(db, ids), eventLanguages(db, ids)]);
    const now = Date.now();
    return rows.map((event) => {
      const own = texts.filter((t) => t.event_id === event.id);
      const started = Date.parse(event.starts_at) <= now;
      const left = Math.max(0, event.capacity - event.seats_taken);
      return {
        slug: event.slug,
        kind: event.kind,
        titles: textsOf(own, (t) => t.title),
        descriptions: textsOf(own, (t) => t.description),
        organisation: { slug: event.organisation_slug, name: event.organisation_name },
        starts_at: zoned(event.starts_at, event.time_zone),
        ends_at: zoned(event.ends_at, event.time_zone),
        time_zone: event.time_zone,
        country: event.country,
        place: event.place,
        online: !!event.online_url,
        languages: languages.filter((l) => l.event_id === event.id).map((l) => l.language),
        seats: {
          state: started ? 'closed' : left === 0 ? 'full' : 'open',
          capacity: event.capacity,
          seats_left: started ? 0 : left,
          waiting_list: !started && left === 0,
        },
        url: `${base}${API_PREFIX}/events/${encodeURIComponent(event.slug)}`,
        html_url: `${base}/en/events/${encodeURIComponent(event.slug)}`,
      };
    });
  }

  // ---- Routes

  const routes: Route[] = [
    {
      path: '',
      operationId: 'index',
      summary: 'Where everything is',
      querystring: NoQuery,
      response: Index,
      handler: async (_request, _reply, base): Promise<Static<typeof Index>> => ({
        name: 'Learning Center API',
        version: '1',
        links: {
          self: `${base}${API_PREFIX}`,
          works: `${base}${API_PREFIX}/works`,
          collections: `${base}${API_PREFIX}/collections`,
          events: `${base}${API_PREFIX}/events`,
          openapi: `${base}${API_PREFIX}/openapi.json`,
        },
      }),
    },
    {
      path: '/openapi.json',
      operationId: 'openapi',
      summary: 'This API described in OpenAPI 3.1',
      querystring: NoQuery,
      response: { binary: 'application/json' },
      serialize: false,
      handler: async (_request, _reply, base) => openApiDocument(routes, base),
    },
    {
      path: '/works',
      operationId: 'listWorks',
      summary: 'Published works, most recently updated first',
      querystring: WorksQuery,
      response: WorksPage,
      handler: async (request, _reply, base): Promise<Static<typeof WorksPage>> => {
        const q = request.query as Static<typeof WorksQuery>;
        const page = q.page ?? 1;
        const perPage = q.per_page ?? DEFAULT_PER_PAGE;
        const filter = {
          type: q.type,
          language: parseLanguage(q.language),
          topic: q.topic,
          collection: q.collection,
        };
        const total = await data.countWorks(db, filter);
        const pages = Math.max(1, Math.ceil(total / perPage));
        const works =
          page > pages ? [] : await data.listWorks(db, filter, perPage, (page - 1) * perPage);
        return {
          data: await workSummaries(works, base),
          meta: { page, per_page: perPage, total, pages },
          links: pageLinks(base, '/works', filter, page, perPage, pages),
        };
      },
    },
    {
      path: '/works/:slug',
      operationId: 'getWork',
      summary: 'A work with its published editions',
      params: WorkParams,
      querystring: NoQuery,
      response: Work,
      notFound: true,
      handler: async (request, _reply, base): Promise<Static<typeof Work>> => {
        const { slug } = request.params as Static<typeof WorkParams>;
        const work = await data.findWorkBySlug(db, slug);
        if (!work) throw notFound(`no published work "${slug}"`);
        const [[summary], editions, collections] = await Promise.all([
          workSummaries([work], base),
          apiRepo.editionsOfWorks(db, [work.id]),
          apiRepo.collectionsOfWork(db, work.id),
        ]);
        const texts = await collectionTexts(collections.map((c) => c.id));
        return {
          ...summary!,
          editions: editions.map((e) => ({
            language: language(e),
            title: e.title,
            summary: e.summary,
            published_at: e.published_at,
            ...editionUrls(base, work.slug, e.language),
          })),
          collections: collections.map((c) => ({
            slug: c.slug,
            titles: texts(c.id).titles,
            url: `${base}${API_PREFIX}/collections/${c.slug}`,
            html_url: `${base}/en/collections/${c.slug}`,
          })),
        };
      },
    },
    {
      path: '/works/:slug/editions/:language',
      operationId: 'getEdition',
      summary: 'A published edition: its files, subtitles and online text',
      params: EditionParams,
      querystring: NoQuery,
      response: Edition,
      notFound: true,
      handler: async (request, _reply, base): Promise<Static<typeof Edition>> => {
        const params = request.params as Static<typeof EditionParams>;
        const work = await data.findWorkBySlug(db, params.slug);
        if (!work) throw notFound(`no published work "${params.slug}"`);
        const tag = canonicalTag(params.language);
        const editions = await apiRepo.editionsOfWorks(db, [work.id]);
        const edition = tag && editions.find((e) => e.language === tag);
        if (!edition)
          throw notFound(`work "${work.slug}" has no published ${params.language} edition`);
        const [files, pages] = await Promise.all([
          data.editionFiles(db, [edition.id]),
          data.sectionCount(db, edition.id),
        ]);
        const thumbnails = await thumbnailsOf(
          db,
          files.map((f) => f.id),
        );
        const subtitleLanguages = new Map<string, Static<typeof Language>>();
        for (const t of new Set(
          files.flatMap((f) => (f.role === 'subtitles' && f.language ? [f.language] : [])),
        )) {
          const known = await data.findLanguage(db, t);
          subtitleLanguages.set(
            t,
            language({
              language: t,
              endonym: known?.endonym ?? null,
              english_name: known?.english_name ?? null,
              direction: known?.direction ?? 'ltr',
            }),
          );
        }
        const ui = uiFor(edition.language);
        return {
          work: {
            slug: work.slug,
            type: work.type,
            licence: work.licence,
            year: work.year,
            publisher: work.publisher_name,
            url: `${base}${API_PREFIX}/works/${work.slug}`,
            html_url: `${base}/${ui}/works/${work.slug}`,
          },
          language: language(edition),
          title: edition.title,
          summary: edition.summary,
          published_at: edition.published_at,
          files: files.flatMap((f) => {
            if (f.role === 'subtitles') return [];
            const thumb = thumbnails.find((t) => t.file_id === f.id);
            return [
              {
                id: f.id,
                filename: f.filename,
                role: f.role,
                media_type: f.media_type,
                size: Number(f.size),
                sha256: f.sha256,
                download_url: `${base}${downloadHref(f)}`,
                thumbnail: thumb
                  ? {
                      url: `${base}${thumbnailHref(f.id)}`,
                      media_type: thumb.media_type,
                      size: Number(thumb.size),
                    }
                  : null,
              },
            ];
          }),
          subtitles: files.flatMap((f) =>
            f.role === 'subtitles'
              ? [
                  {
                    id: f.id,
                    filename: f.filename,
                    language: f.language ? (subtitleLanguages.get(f.language) ?? null) : null,
                    media_type: f.media_type,
                    size: Number(f.size),
                    sha256: f.sha256,
                    download_url: `${base}${downloadHref(f)}`,
                  },
                ]
              : [],
          ),
          pages,
          read_url: pages > 0 ? `${base}/${ui}/works/${work.slug}/${edition.language}/read` : null,
          ...editionUrls(base, work.slug, edition.language),
        };
      },
    },
    {
      path: '/collections',
      operationId: 'listCollections',
      summary: 'Collections, by slug',
      querystring: NoQuery,
      response: CollectionsList,
      handler: async (_request, _reply, base): Promise<Static<typeof CollectionsList>> => {
        const collections = await data.listCollections(db);
        const [texts, counts] = await Promise.all([
          collectionTexts(collections.map((c) => c.id)),
          apiRepo.collectionWorkCounts(db),
        ]);
        return {
          data: collections.map((c) => ({
            slug: c.slug,
            ...texts(c.id),
            work_count: counts.get(c.id) ?? 0,
            url: `${base}${API_PREFIX}/collections/${c.slug}`,
            html_url: `${base}/en/collections/${c.slug}`,
          })),
          links: { self: `${base}${API_PREFIX}/collections` },
        };
      },
    },
    {
      path: '/collections/:slug',
      operationId: 'getCollection',
      summary: 'A collection with its published works, in the collection’s order',
      params: CollectionParams,
      querystring: NoQuery,
      response: Collection,
      notFound: true,
      handler: async (request, _reply, base): Promise<Static<typeof Collection>> => {
        const { slug } = request.params as Static<typeof CollectionParams>;
        const collection = await data.findCollection(db, slug);
        if (!collection) throw notFound(`no collection "${slug}"`);
        const [texts, works] = await Promise.all([
          collectionTexts([collection.id]),
          data.listCollectionWorks(db, collection.id),
        ]);
        return {
          slug: collection.slug,
          ...texts(collection.id),
          work_count: works.length,
          url: `${base}${API_PREFIX}/collections/${collection.slug}`,
          html_url: `${base}/en/collections/${collection.slug}`,
          works: await workSummaries(works, base),
        };
      },
    },
    {
      path: '/events',
      operationId: 'listEvents',
      summary: 'Public events: upcoming first (soonest first), then past ones (latest first)',
      description:
        'Published, public, not cancelled events. `from` and `to` are UTC days: an event is ' +
        'included if it runs on any moment between the start of `from` and the end of `to`.',
      querystring: EventsQuery,
      response: EventsPage,
      handler: async (request, _reply, base): Promise<Static<typeof EventsPage>> => {
        const q = request.query as Static<typeof EventsQuery>;
        const page = q.page ?? 1;
        const perPage = q.per_page ?? DEFAULT_PER_PAGE;
        if (q.from && q.to && q.from > q.to) throw badRequest('from: must not be after to');
        const filter: apiRepo.ApiEventFilter = {
          country: q.country?.toUpperCase(),
          language: parseLanguage(q.language),
          kind: q.kind,
          from: q.from ? `${q.from}T00:00:00.000Z` : undefined,
          until: q.to
            ? new Date(Date.parse(`${q.to}T00:00:00.000Z`) + 86_400_000).toISOString()
            : undefined,
        };
        const total = await apiRepo.countApiEvents(db, filter);
        const pages = Math.max(1, Math.ceil(total / perPage));
        const rows =
          page > pages
            ? []
            : await apiRepo.listApiEvents(
                db,
                filter,
                new Date().toISOString(),
                perPage,
                (page - 1) * perPage,
              );
        const filters = {
          country: filter.country,
          language: filter.language,
          kind: q.kind,
          from: q.from,
          to: q.to,
        };
        return {
          data: await eventSummaries(rows, base),
          meta: { page, per_page: perPage, total, pages },
          links: pageLinks(base, '/events', filters, page, perPage, pages),
        };
      },
    },
    {
      path: '/events/:slug',
      operationId: 'getEvent',
      summary: 'A public event with its agenda (no participant data)',
      params: EventParams,
      querystring: NoQuery,
      response: Event,
      notFound: true,
      handler: async (request, _reply, base): Promise<Static<typeof Event>> => {
        const { slug } = request.params as Static<typeof EventParams>;
        const event = await apiRepo.findApiEvent(db, slug);
        if (!event) throw notFound(`no public event "${slug}"`);
        const [[summary], items, curriculum] = await Promise.all([
          eventSummaries([event], base),
          agendaItems(db, event.id),
          event.curriculum_id ? apiRepo.publicCurriculum(db, event.curriculum_id) : undefined,
        ]);
        const sessionIds = [...new Set(items.flatMap((i) => (i.session_id ? [i.session_id] : [])))];
        const [sessions, titles] = await Promise.all([
          apiRepo.publicSessions(db, sessionIds),
          apiRepo.sessionTitles(db, sessionIds),
        ]);
        return {
          ...summary!,
          curriculum: curriculum
            ? {
                slug: curriculum.slug,
                titles: textsOf(curriculum.titles, (t) => t.title),
                html_url: `${base}/en/curricula/${curriculum.slug}`,
              }
            : null,
          agenda: items.map((item) => {
            const session = item.session_id
              ? sessions.find((s) => s.id === item.session_id)
              : undefined;
            const start = item.start_time
              ? DateTime.fromISO(`${item.day}T${item.start_time}`, { zone: event.time_zone })
              : undefined;
            return {
              day: item.day,
              start_time: item.start_time,
              starts_at:
                start?.isValid === true ? start.toISO({ suppressMilliseconds: true }) : null,
              minutes: item.minutes,
              title: item.title,
              session: session
                ? {
                    slug: session.slug,
                    titles: textsOf(
                      titles.filter((t) => t.session_id === session.id),
                      (t) => t.title,
                    ),
                    duration_minutes: session.duration_minutes,
                    html_url: `${base}/en/curricula/${session.curriculum_slug}/sessions/${session.slug}`,
                  }
                : null,
            };
          }),
          calendar_url: `${base}/en/events/${encodeURIComponent(event.slug)}/calendar.ics`,
        };
      },
    },
  ];

  void app.register(
    async (api) => {
      // Every answer, errors included: readable from partners' sites; no cookies are ever set.
      api.addHook('onSend', async (request, reply, payload) => {
        reply.header('access-control-allow-origin', '*');
        reply.header('access-control-expose-headers', 'ETag');
        reply.header('cross-origin-resource-policy', 'cross-origin');
        reply.removeHeader('set-cookie');
        if (reply.statusCode !== 200) return payload;
        reply.header('cache-control', 'public, max-age=60');
        let etag = reply.getHeader('etag') as string | undefined;
        if (!etag && typeof payload === 'string') {
          etag = `W/"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
          reply.header('etag', etag);
        }
        const wanted = request.headers['if-none-match'];
        if (etag && wanted && matches(wanted, etag)) {
          reply.code(304);
          reply.removeHeader('content-length');
          return '';
        }
        return payload;
      });

      api.setNotFoundHandler((request, reply) => {
        if (request.method === 'OPTIONS') {
          // CORS preflight (e.g. a partner's script sending If-None-Match itself).
          return reply
            .code(204)
            .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
            .header('access-control-allow-headers', 'If-None-Match, Accept')
            .header('access-control-max-age', '86400')
            .header('cache-control', 'public, max-age=86400')
            .send();
        }
        return sendApiError(
          reply,
          404,
          `no such API resource: ${request.method} ${pathOf(request)}`,
        );
      });

      api.setErrorHandler(
        (error: Error & { validation?: unknown; statusCode?: number }, request, reply) => {
          if (error instanceof ApiProblem) return sendApiError(reply, error.status, error.message);
          // Ajv's message names the parameter and the rule: "querystring/per_page must be <= 100".
          if (error.validation) return sendApiError(reply, 400, error.message);
          const status = error instanceof AppError ? error.status : error.statusCode;
          if (status && status >= 400 && status < 500)
            return sendApiError(reply, status === 404 ? 404 : 400, error.message);
          if (operationalError(error))
            return sendApiError(reply, 503, 'temporarily unavailable, try again shortly');
          request.log.error({ err: error }, 'API request failed');
          return sendApiError(reply, 500, 'internal error');
        },
      );

      for (const route of routes) {
        const json = !('binary' in route.response) && route.serialize !== false;
        api.get(
          route.path,
          {
            schema: {
              ...(route.params ? { params: route.params } : {}),
              ...(route.querystring ? { querystring: route.querystring } : {}),
              ...(json ? { response: { 200: route.response } } : {}),
            },
          },
          async (request, reply) =>
            route.handler(request, reply, publicBaseUrl(request, deps.publicUrl)),
        );
      }
    },
    { prefix: API_PREFIX },
  );
}

/** Whether an If-None-Match header names this ETag (weak comparison, as for GET). */
function matches(header: string, etag: string): boolean {
  const bare = etag.replace(/^W\//, '');
  return header
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t.replace(/^W\//, '') === bare);
}

/** The request's path without its query string (which may hold anything). */
function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0]!.slice(0, 200);
}
