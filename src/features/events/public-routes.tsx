/**
 * Public event pages (no account): the list of published public events with filters, an
 * event's page, its iCalendar file and agenda PDF, and an organisation's calendar feed.
 * Invite-only events are never listed, and answer only with the right `?invite=` token (404
 * otherwise, the same as an event that does not exist). Unpublished events answer 404.
 */
import contentDisposition from 'content-disposition';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EVENT_KINDS, type EventKind } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { canonicalTag, isUiLanguage, type UiLanguage } from '../../platform/i18n/languages.js';
import { PdfUnavailableError } from '../../platform/pdf/html-to-pdf.js';
import type { ProgrammeDeps } from '../programmes/deps.js';
import { pickText } from '../programmes/texts.js';
import { loadAgenda } from './agenda.js';
import { agendaPdf } from './agenda-pdf.js';
import { documentContext } from '../../platform/views/document-context.js';
import { eventsCalendar } from './ics.js';
import {
  countPublicEvents,
  eventLanguages,
  eventTexts,
  listPublicEvents,
  organisationPublicEvents,
  publicFacets,
  publishedEventBySlug,
  type PublicEvent,
  type PublicFilter,
} from './repository.js';
import { EventPublicPage, EventsListPage, seatsState, type ListedEvent } from './views/public.js';
import { inviteMatches } from './invite.js';
import { eventJsonLd } from '../discovery/json-ld.js';

const PAGE_SIZE = 20;
const PAST_PAGE_SIZE = 10;

const ListQuery = {
  type: 'object',
  properties: {
    country: { type: 'string', pattern: '^([A-Za-z]{2})?$' },
    language: {
      type: 'string',
      maxLength: 64,
      pattern: '^([A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8}){0,7})?$',
    },
    kind: { type: 'string', enum: ['', ...EVENT_KINDS] },
    page: { type: 'integer', minimum: 1, maximum: 10000 },
    past: { type: 'integer', minimum: 1, maximum: 10000 },
  },
  additionalProperties: false,
} as const;

const SlugParams = {
  type: 'object',
  properties: { lang: { type: 'string', maxLength: 64 }, slug: { type: 'string', maxLength: 120 } },
  required: ['lang', 'slug'],
} as const;
const OrgParams = {
  type: 'object',
  properties: {
    lang: { type: 'string', maxLength: 64 },
    orgSlug: { type: 'string', maxLength: 120 },
  },
  required: ['lang', 'orgSlug'],
} as const;
const InviteQuery = {
  type: 'object',
  properties: { invite: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_-]*$' } },
  additionalProperties: false,
} as const;

function uiLang(raw: string): UiLanguage {
  if (!isUiLanguage(raw)) throw notFound('unknown interface language');
  return raw;
}

export function registerEventPublicRoutes(app: FastifyInstance, deps: ProgrammeDeps) {
  const { db, pages } = deps;

  /** The event a visitor may see at this URL, with its texts; 404 for anything else. */
  const visibleEvent = async (request: FastifyRequest) => {
    const { slug } = request.params as { slug: string };
    const invite = (request.query as { invite?: string }).invite || undefined;
    const event = await publishedEventBySlug(db, slug);
    if (!event) throw notFound('no such event');
    if (event.visibility === 'invite' && !inviteMatches(event.invite_token_hash, invite))
      throw notFound('no such event');
    const inviteQuery =
      event.visibility === 'invite' && invite ? `?invite=${encodeURIComponent(invite)}` : '';
    return { event, inviteQuery };
  };

  const titled = async (event: PublicEvent, lang: string) =>
    pickText(await eventTexts(db, [event.id]), lang) ?? {
      text: { event_id: event.id, language: 'en', title: event.slug, description: null },
      fallbackLanguage: 'en',
      dir: 'ltr' as const,
    };

  app.get('/:lang/events', { schema: { querystring: ListQuery } }, (request, reply) =>
    pages.render(request, reply, async (ctx) => {
      const q = request.query as {
        country?: string;
        language?: string;
        kind?: string;
        page?: number;
        past?: number;
      };
      const language = q.language ? canonicalTag(q.language) : undefined;
      const filter: PublicFilter = {
        country: q.country ? q.country.toUpperCase() : undefined,
        language,
        kind: q.kind ? (q.kind as EventKind) : undefined,
      };
      const now = deps.clock().toISOString();
      const page = q.page ?? 1;
      const pastPage = q.past ?? 1;
      const [facets, upcomingTotal, pastTotal] = await Promise.all([
        publicFacets(db),
        countPublicEvents(db, filter, 'upcoming', now),
        countPublicEvents(db, filter, 'past', now),
      ]);
      const pagesTotal = Math.max(1, Math.ceil(upcomingTotal / PAGE_SIZE));
      const pastPages = Math.max(1, Math.ceil(pastTotal / PAST_PAGE_SIZE));
      if (page > pagesTotal || pastPage > pastPages) throw notFound('page out of range');
      const [upcoming, past] = await Promise.all([
        listPublicEvents(db, filter, 'upcoming', now, PAGE_SIZE, (page - 1) * PAGE_SIZE),
        listPublicEvents(db, filter, 'past', now, PAST_PAGE_SIZE, (pastPage - 1) * PAST_PAGE_SIZE),
      ]);
      const texts = await eventTexts(
        db,
        [...upcoming, ...past].map((e) => e.id),
      );
      const listed = (events: PublicEvent[]): ListedEvent[] =>
        events.map((event) => ({
          event,
          title: pickText(
            texts.filter((t) => t.event_id === event.id),
            ctx.lang,
          ),
        }));
      const link = (n: number, p: number) => {
        const params = new URLSearchParams();
        if (filter.country) params.set('country', filter.country);
        if (filter.language) params.set('language', filter.language);
        if (filter.kind) params.set('kind', filter.kind);
        if (n > 1) params.set('page', String(n));
        if (p > 1) params.set('past', String(p));
        const query = params.toString();
        return ctx.href(`/events${query ? `?${query}` : ''}`);
      };
      return {
        title: ctx.t('event.public.heading'),
        body: (
          <EventsListPage
            ctx={ctx}
            filter={filter}
            facets={facets}
            upcoming={listed(upcoming)}
            upcomingTotal={upcomingTotal}
            page={page}
            pages={pagesTotal}
            past={listed(past)}
            pastPage={pastPage}
            pastPages={pastPages}
            link={link}
          />
        ),
        alternates: 'ui',
      };
    }),
  );

  app.get(
    '/:lang/events/:slug',
    { schema: { params: SlugParams, querystring: InviteQuery } },
    (request, reply) =>
      pages.render(request, reply, async (ctx) => {
        const { event, inviteQuery } = await visibleEvent(request);
        const [title, languages, agenda] = await Promise.all([
          titled(event, ctx.lang),
          eventLanguages(db, [event.id]),
          loadAgenda(db, event, ctx.lang),
        ]);
        return {
          title: title.text.title,
          ...(title.text.description ? { description: title.text.description.slice(0, 160) } : {}),
          body: (
            <EventPublicPage
              ctx={ctx}
              event={event}
              title={title}
              languages={languages.map((l) => l.language)}
              agenda={agenda}
              seats={seatsState(event, deps.clock())}
              inviteQuery={inviteQuery}
            />
          ),
          // Invite-only pages are not announced in other languages (the token is in the URL).
          ...(event.visibility === 'public' ? { alternates: 'ui' as const } : {}),
          ...(event.visibility === 'public'
            ? {
                jsonLd: eventJsonLd({
                  lang: ctx.lang,
                  event,
                  title: title.text.title,
                  description: title.text.description,
                  languages: languages.map((l) => l.language),
                }),
              }
            : {}),
        };
      }),
  );

  const sendCalendar = (reply: FastifyReply, body: string, filename: string, isPrivate: boolean) =>
    reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', contentDisposition(filename, { type: 'attachment' }))
      .header('cache-control', isPrivate ? 'private, no-store' : 'public, max-age=300')
      .send(body);

  const origin = (request: FastifyRequest) =>
    `${request.protocol}://${request.headers.host ?? 'localhost'}`;

  app.get(
    '/:lang/events/:slug/calendar.ics',
    { schema: { params: SlugParams, querystring: InviteQuery } },
    async (request, reply) => {
      const lang = uiLang((request.params as { lang: string }).lang);
      const { event, inviteQuery } = await visibleEvent(request);
      const title = await titled(event, lang);
      const ctx = documentContext(lang, `/events/${event.slug}`);
      const body = eventsCalendar(title.text.title, [
        {
          event,
          title: title.text.title,
          description: title.text.description,
          url: `${origin(request)}/${lang}/events/${event.slug}${inviteQuery}`,
          onlineLabel: ctx.t('event.public.online'),
        },
      ]);
      return sendCalendar(reply, body, `${event.slug}.ics`, event.visibility === 'invite');
    },
  );

  app.get(
    '/:lang/organisations/:orgSlug/events.ics',
    { schema: { params: OrgParams, querystring: { type: 'object', additionalProperties: false } } },
    async (request, reply) => {
      const { lang: raw, orgSlug } = request.params as { lang: string; orgSlug: string };
      const lang = uiLang(raw);
      const found = await organisationPublicEvents(db, orgSlug);
      if (!found) throw notFound('no such organisation');
      const texts = await eventTexts(
        db,
        found.events.map((e) => e.id),
      );
      const ctx = documentContext(lang, `/organisations/${orgSlug}/events.ics`);
      const body = eventsCalendar(
        found.org.name,
        found.events.map((event) => {
          const title = pickText(
            texts.filter((t) => t.event_id === event.id),
            lang,
          );
          return {
            event,
            title: title?.text.title ?? event.slug,
            description: title?.text.description ?? null,
            url: `${origin(request)}/${lang}/events/${event.slug}`,
            onlineLabel: ctx.t('event.public.online'),
          };
        }),
      );
      return sendCalendar(reply, body, `${found.org.slug}-events.ics`, false);
    },
  );

  app.get(
    '/:lang/events/:slug/agenda/pdf',
    { schema: { params: SlugParams, querystring: InviteQuery } },
    async (request, reply) => {
      const lang = uiLang((request.params as { lang: string }).lang);
      const { event } = await visibleEvent(request);
      const [title, languages, agenda] = await Promise.all([
        titled(event, lang),
        eventLanguages(db, [event.id]),
        loadAgenda(db, event, lang),
      ]);
      let pdf: Buffer;
      try {
        pdf = await agendaPdf(
          lang,
          event,
          { text: title.text.title, language: title.text.language, dir: title.dir },
          languages.map((l) => l.language),
          agenda,
        );
      } catch (error) {
        if (error instanceof PdfUnavailableError) {
          request.log.error({ err: error }, 'agenda PDF failed');
          throw new AppError('SERVICE_UNAVAILABLE', 'pdf unavailable');
        }
        throw error;
      }
      return reply
        .header('content-type', 'application/pdf')
        .header(
          'content-disposition',
          contentDisposition(`agenda-${event.slug}.pdf`, { type: 'inline' }),
        )
        .header(
          'cache-control',
          event.visibility === 'invite' ? 'private, no-store' : 'public, max-age=300',
        )
        .send(pdf);
    },
  );
}
