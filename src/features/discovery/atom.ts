/**
 * Atom (RFC 4287) feeds of new editions, one per content language: /feeds/ar.atom lists the
 * newest published Arabic editions (ar and ar-*) of published works, newest first.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { isUiLanguage, type UiLanguage } from '../../platform/i18n/languages.js';
import type { PageContext } from '../../platform/views/context.js';
import type { LibraryData } from '../library/cached-repository.js';
import type { EditionSummary, WorkRow } from '../library/repository.js';
import { XML_DECLARATION, xmlEscape } from './xml.js';

/** Entries per feed. */
export const FEED_ENTRIES = 50;

/** The interface language a feed of editions in `tag` speaks: the tag's own when it can. */
export function feedUiLanguage(tag: string): UiLanguage {
  const primary = tag.split('-')[0]!.toLowerCase();
  return isUiLanguage(primary) ? primary : 'en';
}

export interface FeedEntry {
  edition: EditionSummary;
  work: WorkRow;
}

/** The newest published editions in a language (and its subtags) whose work is published. */
export async function newEditions(
  db: Kysely<DB>,
  data: LibraryData,
  tag: string,
): Promise<FeedEntry[]> {
  // A few more than needed: editions of unpublished works are dropped below.
  const editions = await data.latestEditionsInLanguage(db, tag, FEED_ENTRIES * 2);
  const works = new Map(
    (await data.findWorksByIds(db, [...new Set(editions.map((e) => e.work_id))])).map((w) => [
      w.id,
      w,
    ]),
  );
  const out: FeedEntry[] = [];
  for (const edition of editions) {
    const work = works.get(edition.work_id);
    if (work && out.length < FEED_ENTRIES) out.push({ edition, work });
  }
  return out;
}

/** An RFC 3339 timestamp. */
function stamp(iso: string | null | undefined, fallback: string): string {
  return (iso ?? fallback).replace(/\.\d+(?=Z$)/, '');
}

export function renderFeed(p: {
  base: string;
  tag: string;
  /** The language's own name, for the title. */
  languageName: string;
  ctx: PageContext;
  entries: readonly FeedEntry[];
}): string {
  const { base, tag, ctx, entries } = p;
  const self = `${base}/feeds/${tag}.atom`;
  const now = new Date().toISOString();
  const updated = stamp(
    entries.reduce<string | undefined>(
      (a, e) =>
        e.edition.published_at && (!a || e.edition.published_at > a) ? e.edition.published_at : a,
      undefined,
    ),
    now,
  );
  const site = ctx.t('site.name');
  const x = xmlEscape;
  const out: string[] = [
    XML_DECLARATION,
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(ctx.lang)}">\n`,
    `<id>${x(self)}</id>\n`,
    `<title type="text">${x(ctx.t('discovery.feed.title', { language: p.languageName }))}</title>\n`,
    `<subtitle type="text">${x(site)}</subtitle>\n`,
    `<updated>${updated}</updated>\n`,
    `<link rel="self" type="application/atom+xml" href="${x(self)}"/>\n`,
    `<link rel="alternate" type="text/html" href="${x(
      `${base}/${ctx.lang}/library?language=${encodeURIComponent(tag)}`,
    )}"/>\n`,
    `<author><name>${x(site)}</name><uri>${x(`${base}/${ctx.lang}/`)}</uri></author>\n`,
  ];
  for (const { edition, work } of entries) {
    const link = `${base}/${ctx.lang}/works/${encodeURIComponent(work.slug)}/${encodeURIComponent(edition.language)}`;
    const published = stamp(edition.published_at, now);
    const summary =
      edition.summary ??
      ctx.t('discovery.feed.entrySummary', {
        type: ctx.t(`workType.${work.type}`),
        language: edition.endonym ?? edition.english_name ?? edition.language,
      });
    out.push(
      '<entry>\n',
      `<id>urn:uuid:${x(edition.id)}</id>\n`,
      `<title type="text" xml:lang="${x(edition.language)}">${x(edition.title)}</title>\n`,
      `<updated>${published}</updated>\n`,
      `<published>${published}</published>\n`,
      `<author><name>${x(work.publisher_name ?? site)}</name></author>\n`,
      `<link rel="alternate" type="text/html" hreflang="${x(edition.language)}" href="${x(link)}"/>\n`,
      `<category term="${x(work.type)}" label="${x(ctx.t(`workType.${work.type}`))}"/>\n`,
      `<summary type="text"${edition.summary ? ` xml:lang="${x(edition.language)}"` : ''}>${x(summary)}</summary>\n`,
      work.licence ? `<rights type="text">${x(work.licence)}</rights>\n` : '',
      '</entry>\n',
    );
  }
  out.push('</feed>\n');
  return out.join('');
}
