/**
 * schema.org descriptions of public pages, written into the page's <head> as JSON-LD (see
 * PageContent.jsonLd and the layout). Only what the page itself shows publicly: no meeting
 * links, no counts of participants, nothing of drafts.
 *
 * URLs are root-relative ("/ar/works/udhr/fa"): public pages are cached by path alone, so an
 * address taken from the request's Host could be replayed to every reader. schema.org's context
 * types its URL properties as `@id`, so JSON-LD processors resolve them against the page.
 */
import { DateTime } from 'luxon';
import type { WorkType } from '../../platform/db/schema.js';
import { downloadHref } from '../downloads/links.js';
import type {
  EditionFileRow,
  EditionName,
  EditionSummary,
  WorkRow,
} from '../library/repository.js';

const CONTEXT = 'https://schema.org';

/** At most this many other editions are named as translations (the page lists 24 too). */
export const JSON_LD_TRANSLATIONS = 24;

/** The schema.org type of a work of this type. */
export function schemaTypeOf(type: WorkType): string {
  switch (type) {
    case 'video':
    case 'documentary':
      return 'VideoObject';
    case 'audio':
      return 'AudioObject';
    case 'manual':
      return 'Book';
    case 'guide':
    case 'toolkit':
      return 'LearningResource';
    default:
      return 'CreativeWork';
  }
}

/** "2.3 MB", "850 kB": schema.org's contentSize is text "in (mega/kilo)bytes". */
export function contentSize(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${(bytes / 1_000).toFixed(1)} kB`;
  return `${bytes} B`;
}

/** Drops undefined, null, empty strings and empty arrays, so that the JSON stays small. */
function compact<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as T;
}

export function editionPath(lang: string, workSlug: string, editionLanguage: string): string {
  return `/${lang}/works/${workSlug}/${editionLanguage}`;
}

function mediaObject(file: EditionFileRow) {
  return compact({
    '@type': 'MediaObject',
    name: file.filename,
    contentUrl: downloadHref(file),
    encodingFormat: file.media_type,
    contentSize: contentSize(file.size),
    inLanguage: file.language ?? undefined,
  });
}

/**
 * A work's edition: CreativeWork, Book, LearningResource, VideoObject or AudioObject by work
 * type, with its files, its licence and publisher, and its relation to the other editions
 * (translationOfWork to the original, workTranslation from the original).
 */
export function editionJsonLd(p: {
  /** The interface language of the page (the prefix of every URL). */
  lang: string;
  work: WorkRow;
  edition: EditionSummary;
  /** Every published edition of the work. */
  editions: readonly EditionName[];
  files: readonly EditionFileRow[];
  /** Pages of an HTML edition (read online). */
  sections: number;
}): object {
  const { lang, work, edition } = p;
  const type = schemaTypeOf(work.type);
  const url = editionPath(lang, work.slug, edition.language);
  const ref = (e: EditionName) => ({
    '@type': type,
    '@id': editionPath(lang, work.slug, e.language),
    name: e.title,
    inLanguage: e.language,
  });
  const original = work.original_language
    ? p.editions.find((e) => e.language === work.original_language)
    : undefined;
  const isOriginal = !original || original.id === edition.id;
  const downloads = p.files.filter((f) => f.role !== 'subtitles');
  const subtitles = p.files.filter((f) => f.role === 'subtitles');
  const media = type === 'VideoObject' || type === 'AudioObject';
  const main = media
    ? (downloads.find(
        (f) =>
          f.role === 'original' &&
          f.media_type.startsWith(type === 'VideoObject' ? 'video/' : 'audio/'),
      ) ?? downloads[0])
    : undefined;
  return compact({
    '@context': CONTEXT,
    '@type': type,
    '@id': url,
    url,
    name: edition.title,
    description: edition.summary ?? undefined,
    inLanguage: edition.language,
    datePublished: edition.published_at ?? undefined,
    uploadDate: media ? (edition.published_at ?? undefined) : undefined,
    dateModified: work.updated_at,
    copyrightYear: work.year ?? undefined,
    license: work.licence ?? undefined,
    publisher: work.publisher_name
      ? { '@type': 'Organization', name: work.publisher_name }
      : undefined,
    contentUrl: main ? downloadHref(main) : undefined,
    encodingFormat: main?.media_type,
    contentSize: main ? contentSize(main.size) : undefined,
    encoding: downloads.filter((f) => f !== main).map(mediaObject),
    caption: subtitles.map(mediaObject),
    subtitleLanguage:
      type === 'VideoObject'
        ? [...new Set(subtitles.map((f) => f.language).filter(Boolean))]
        : undefined,
    associatedMedia:
      p.sections > 0
        ? [
            {
              '@type': 'WebPage',
              url: `${url}/read`,
              encodingFormat: 'text/html',
              inLanguage: edition.language,
            },
          ]
        : undefined,
    learningResourceType: type === 'LearningResource' ? work.type : undefined,
    translationOfWork: !isOriginal && original ? ref(original) : undefined,
    workTranslation: isOriginal
      ? p.editions
          .filter((e) => e.id !== edition.id)
          .slice(0, JSON_LD_TRANSLATIONS)
          .map(ref)
      : undefined,
  });
}

/** ISO 8601 with the offset of the event's own zone: 2026-12-01T09:30:00+03:30. */
export function withOffset(utc: string, zone: string): string {
  const dt = DateTime.fromISO(utc, { zone: 'utc' }).setZone(zone);
  const local = dt.isValid ? dt : DateTime.fromISO(utc, { zone: 'utc' });
  return local.toISO({ suppressMilliseconds: true }) ?? utc;
}

/** A public event: when (with the zone's offset), where (a place, or online without the link). */
export function eventJsonLd(p: {
  lang: string;
  event: {
    slug: string;
    kind: string;
    starts_at: string;
    ends_at: string;
    time_zone: string;
    country: string | null;
    place: string | null;
    online_url: string | null;
    capacity: number;
    cancelled_at: string | null;
    organisation_name: string;
  };
  title: string;
  description: string | null;
  languages: readonly string[];
  /** The curriculum the event teaches, if any (its public page). */
  curriculum?: { path: string; name: string } | undefined;
}): object {
  const { event } = p;
  const online = !!event.online_url;
  const physical = !!event.place || (!online && !!event.country);
  const place = physical
    ? compact({
        '@type': 'Place',
        name: event.place ?? undefined,
        address: compact({
          '@type': 'PostalAddress',
          addressLocality: event.place ?? undefined,
          addressCountry: event.country ?? undefined,
        }),
      })
    : undefined;
  // The meeting link is given to registered participants only: never in public data.
  const virtual = online ? { '@type': 'VirtualLocation' } : undefined;
  const locations = [place, virtual].filter((l) => l !== undefined);
  const url = `/${p.lang}/events/${event.slug}`;
  return compact({
    '@context': CONTEXT,
    '@type': 'Event',
    '@id': url,
    url,
    name: p.title,
    description: p.description ?? undefined,
    startDate: withOffset(event.starts_at, event.time_zone),
    endDate: withOffset(event.ends_at, event.time_zone),
    eventAttendanceMode: `https://schema.org/${
      online && physical
        ? 'MixedEventAttendanceMode'
        : online
          ? 'OnlineEventAttendanceMode'
          : 'OfflineEventAttendanceMode'
    }`,
    eventStatus: `https://schema.org/${event.cancelled_at ? 'EventCancelled' : 'EventScheduled'}`,
    location: locations.length === 1 ? locations[0] : locations,
    organizer: { '@type': 'Organization', name: event.organisation_name },
    inLanguage: p.languages.length === 1 ? p.languages[0] : [...p.languages],
    maximumAttendeeCapacity: event.capacity > 0 ? event.capacity : undefined,
    about: p.curriculum
      ? { '@type': 'Course', '@id': p.curriculum.path, name: p.curriculum.name }
      : undefined,
  });
}

/** ISO 8601 duration of minutes: PT1H30M. */
export function isoDuration(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (h === 0) return `PT${rest}M`;
  return rest === 0 ? `PT${h}H` : `PT${h}H${rest}M`;
}

/** A curriculum: a Course whose sessions are LearningResources with their duration. */
export function curriculumJsonLd(p: {
  lang: string;
  slug: string;
  workSlug: string;
  title: string;
  summary: string | null | undefined;
  languages: readonly string[];
  sessions: readonly { slug: string; title: string; minutes: number }[];
}): object {
  const url = `/${p.lang}/curricula/${p.slug}`;
  const total = p.sessions.reduce((sum, s) => sum + s.minutes, 0);
  return compact({
    '@context': CONTEXT,
    '@type': 'Course',
    '@id': url,
    url,
    name: p.title,
    description: p.summary ?? undefined,
    inLanguage: p.languages.length === 1 ? p.languages[0] : [...p.languages],
    timeRequired: total > 0 ? isoDuration(total) : undefined,
    isBasedOn: { '@id': `/${p.lang}/works/${p.workSlug}` },
    hasPart: p.sessions.slice(0, 50).map((s) => ({
      '@type': 'LearningResource',
      '@id': `${url}/sessions/${s.slug}`,
      name: s.title,
      timeRequired: isoDuration(s.minutes),
    })),
  });
}

/** One session of a curriculum. */
export function sessionJsonLd(p: {
  lang: string;
  curriculumSlug: string;
  curriculumTitle: string;
  slug: string;
  title: string;
  minutes: number;
  languages: readonly string[];
}): object {
  const course = `/${p.lang}/curricula/${p.curriculumSlug}`;
  const url = `${course}/sessions/${p.slug}`;
  return compact({
    '@context': CONTEXT,
    '@type': 'LearningResource',
    '@id': url,
    url,
    name: p.title,
    learningResourceType: 'lesson plan',
    timeRequired: isoDuration(p.minutes),
    inLanguage: p.languages.length === 1 ? p.languages[0] : [...p.languages],
    isPartOf: { '@type': 'Course', '@id': course, name: p.curriculumTitle },
  });
}
