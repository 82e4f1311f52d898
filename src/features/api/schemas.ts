/**
 * The JSON API's schemas: the same TypeBox objects validate the query strings and path
 * parameters, serialise the responses (Fastify drops any property a schema does not declare,
 * so nothing private can slip out by accident) and make the OpenAPI document.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { EVENT_KINDS, FILE_ROLES, WORK_TYPES } from '../../platform/db/schema.js';

export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 20;
const MAX_PAGE = 10_000;

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** One of these strings (`anyOf` of constants), typed as their union. */
const oneOf = <T extends string>(values: readonly T[], options: { description?: string } = {}) =>
  Type.Unsafe<T>(
    Type.Union(
      values.map((v) => Type.Literal(v)),
      options,
    ),
  );

// ---- Parameters

const slug = (description: string) =>
  Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,79}$', maxLength: 80, description });
const WorkSlug = slug('A work or collection slug, as in the site addresses.');
/** Event slugs keep the letters of their titles (Arabic, Cyrillic...). */
const EventSlug = Type.String({ minLength: 1, maxLength: 200, description: 'An event slug.' });
const languageTag = (description: string) =>
  Type.String({
    pattern: '^[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8}){0,7}$',
    maxLength: 64,
    description,
  });
const LanguageTag = languageTag('A BCP 47 language tag, e.g. `ar`, `fa`, `pt-BR`.');
const day = (description: string) => Type.String({ format: 'date', description });

const Paging = {
  page: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_PAGE,
      default: 1,
      description: 'Page number, from 1.',
    }),
  ),
  per_page: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_PER_PAGE,
      default: DEFAULT_PER_PAGE,
      description: `Items per page, at most ${MAX_PER_PAGE}.`,
    }),
  ),
};

export const WorksQuery = Type.Object(
  {
    ...Paging,
    type: Type.Optional(oneOf(WORK_TYPES, { description: 'Only works of this type.' })),
    language: Type.Optional(
      languageTag('Only works with a published edition in this language (BCP 47).'),
    ),
    topic: Type.Optional(slug('Only works on this topic (topic slug).')),
    collection: Type.Optional(slug('Only works of this collection (collection slug).')),
  },
  { additionalProperties: false },
);
export type WorksQuery = Static<typeof WorksQuery>;

export const EventsQuery = Type.Object(
  {
    ...Paging,
    country: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z]{2}$',
        description: 'Only events in this country (ISO 3166-1 alpha-2).',
      }),
    ),
    language: Type.Optional(languageTag('Only events held in this language (BCP 47).')),
    kind: Type.Optional(oneOf(EVENT_KINDS, { description: 'Only events of this kind.' })),
    from: Type.Optional(day('Only events still running on or after this day (YYYY-MM-DD, UTC).')),
    to: Type.Optional(day('Only events starting on or before this day (YYYY-MM-DD, UTC).')),
  },
  { additionalProperties: false },
);
export type EventsQuery = Static<typeof EventsQuery>;

export const NoQuery = Type.Object({}, { additionalProperties: false });
export const WorkParams = Type.Object({ slug: WorkSlug });
export const EditionParams = Type.Object({ slug: WorkSlug, language: LanguageTag });
export const CollectionParams = Type.Object({ slug: WorkSlug });
export const EventParams = Type.Object({ slug: EventSlug });
// ---- Responses

const url = (description?: string) =>
  Type.String({ format: 'uri', ...(description ? { description } : {}) });
const Url = url();
const Timestamp = Type.String({ format: 'date-time' });
/** Texts by BCP 47 language tag: `{ "ar": "…", "en": "…" }`. */
const texts = (description = 'The text in every language it exists in, by BCP 47 tag.') =>
  Type.Record(Type.String(), Type.String(), { description });
const Texts = texts();

export const Language = Type.Object({
  tag: Type.String(),
  endonym: Nullable(Type.String({ description: 'The language’s name in itself.' })),
  english_name: Nullable(Type.String()),
  direction: Type.Union([Type.Literal('ltr'), Type.Literal('rtl')]),
});

export const Topic = Type.Object({
  slug: Type.String(),
  labels: Texts,
  html_url: Url,
});

export const WorkSummary = Type.Object({
  slug: Type.String(),
  type: oneOf(WORK_TYPES),
  licence: Nullable(Type.String()),
  year: Nullable(Type.Integer()),
  original_language: Nullable(Type.String()),
  publisher: Nullable(Type.String({ description: 'The publishing organisation’s name.' })),
  updated_at: Timestamp,
  titles: texts('Titles of the published editions, by BCP 47 tag.'),
  languages: Type.Array(Type.String(), {
    description: 'Languages of the published editions.',
  }),
  topics: Type.Array(Topic),
  url: Url,
  html_url: Url,
});

export const EditionSummary = Type.Object({
  language: Language,
  title: Type.String(),
  summary: Nullable(Type.String()),
  published_at: Nullable(Timestamp),
  url: Url,
  html_url: Url,
});

export const Work = Type.Object({
  ...WorkSummary.properties,
  editions: Type.Array(EditionSummary),
  collections: Type.Array(
    Type.Object({ slug: Type.String(), titles: Texts, url: Url, html_url: Url }),
  ),
});

export const Thumbnail = Type.Object({
  url: url('The site’s thumbnail image (`/thumbnails/{file id}.png`), readable from any origin.'),
  media_type: Type.String(),
  size: Type.Integer({ description: 'Bytes.' }),
});

export const File = Type.Object({
  id: Type.String(),
  filename: Type.String(),
  role: oneOf(
    FILE_ROLES.filter((r) => r !== 'subtitles'),
    {
      description:
        '`original`: the main file; `low`: a lighter version (e.g. low-bitrate video); `audio`: the sound only.',
    },
  ),
  media_type: Type.String(),
  size: Type.Integer({ description: 'Bytes.' }),
  sha256: Type.String(),
  download_url: Url,
  thumbnail: Nullable(Thumbnail),
});

export const Subtitles = Type.Object({
  id: Type.String(),
  filename: Type.String(),
  language: Nullable(Language),
  media_type: Type.String(),
  size: Type.Integer({ description: 'Bytes.' }),
  sha256: Type.String(),
  download_url: Url,
});

export const Edition = Type.Object({
  work: Type.Object({
    slug: Type.String(),
    type: oneOf(WORK_TYPES),
    licence: Nullable(Type.String()),
    year: Nullable(Type.Integer()),
    publisher: Nullable(Type.String()),
    url: Url,
    html_url: Url,
  }),
  language: Language,
  title: Type.String(),
  summary: Nullable(Type.String()),
  published_at: Nullable(Timestamp),
  files: Type.Array(File),
  subtitles: Type.Array(Subtitles),
  pages: Type.Integer({ description: 'Pages of the HTML text readable online (0: none).' }),
  read_url: Nullable(url('Where to read the HTML text online.')),
  url: Url,
  html_url: Url,
});

export const CollectionSummary = Type.Object({
  slug: Type.String(),
  titles: Texts,
  descriptions: Texts,
  work_count: Type.Integer({ description: 'Published works in the collection.' }),
  url: Url,
  html_url: Url,
});

export const Collection = Type.Object({
  ...CollectionSummary.properties,
  works: Type.Array(WorkSummary),
});

export const Seats = Type.Object(
  {
    state: Type.Union([Type.Literal('open'), Type.Literal('full'), Type.Literal('closed')], {
      description:
        '`open`: seats are free; `full`: new registrations join the waiting list; `closed`: the event has started.',
    }),
    capacity: Type.Integer(),
    seats_left: Type.Integer({ minimum: 0 }),
    waiting_list: Type.Boolean({ description: 'Whether a registration now joins a waiting list.' }),
  },
  { description: 'How many seats are free; nothing about who took them.' },
);

const ZonedTime = Type.String({
  format: 'date-time',
  description: 'ISO 8601 with the offset of the event’s time zone.',
});

export const EventSummary = Type.Object({
  slug: Type.String(),
  kind: oneOf(EVENT_KINDS),
  titles: Texts,
  organisation: Type.Object({ slug: Type.String(), name: Type.String() }),
  starts_at: ZonedTime,
  ends_at: ZonedTime,
  time_zone: Type.String({ description: 'IANA time zone of the event, e.g. `Asia/Amman`.' }),
  country: Nullable(Type.String()),
  place: Nullable(Type.String({ description: 'Where it happens; null for online-only events.' })),
  online: Type.Boolean({
    description: 'Held (also) online; the meeting link is sent to registered people only.',
  }),
  languages: Type.Array(Type.String()),
  seats: Seats,
  url: Url,
  html_url: Url,
});

export const AgendaItem = Type.Object({
  day: Type.String({ format: 'date', description: 'The event’s local date.' }),
  start_time: Nullable(Type.String({ description: 'Local time, HH:MM.' })),
  starts_at: Nullable(ZonedTime),
  minutes: Type.Integer(),
  title: Nullable(Type.String({ description: 'A title of its own (breaks, openings...).' })),
  session: Nullable(
    Type.Object({
      slug: Type.String(),
      titles: Texts,
      duration_minutes: Type.Integer(),
      html_url: Url,
    }),
  ),
});

export const Event = Type.Object({
  ...EventSummary.properties,
  descriptions: Texts,
  curriculum: Nullable(Type.Object({ slug: Type.String(), titles: Texts, html_url: Url })),
  agenda: Type.Array(AgendaItem),
  calendar_url: Url,
});

const PageMeta = Type.Object({
  page: Type.Integer(),
  per_page: Type.Integer(),
  total: Type.Integer({ description: 'Items over all pages.' }),
  pages: Type.Integer(),
});
const PageLinks = Type.Object({
  self: Url,
  first: Url,
  last: Url,
  prev: Nullable(Url),
  next: Nullable(Url),
});

const Paged = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), meta: PageMeta, links: PageLinks });

export const WorksPage = Paged(WorkSummary);
export const EventsPage = Paged(EventSummary);
export const CollectionsList = Type.Object({
  data: Type.Array(CollectionSummary),
  links: Type.Object({ self: Url }),
});

export type WorkSummary = Static<typeof WorkSummary>;
export type EventSummary = Static<typeof EventSummary>;

export const Index = Type.Object({
  name: Type.String(),
  version: Type.String(),
  links: Type.Object({
    self: Url,
    works: Url,
    collections: Url,
    events: Url,
    openapi: Url,
  }),
});

export const ApiError = Type.Object({
  error: Type.Object({
    code: Type.Union([
      Type.Literal('not_found'),
      Type.Literal('bad_request'),
      Type.Literal('unavailable'),
      Type.Literal('internal_error'),
    ]),
    message: Type.String(),
  }),
});
export type ApiError = Static<typeof ApiError>;
