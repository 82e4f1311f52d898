/**
 * A search for readers: analysed query -> engine hits -> editions grouped by work, the reader's
 * language first, with facets (language, type, topic), paging, snippets, and results in other
 * languages when there are none in the one asked for.
 */
import type { Kysely } from 'kysely';
import type { DB, WorkType } from '../../platform/db/schema.js';
import { chunks, fold, queryTerms, stem, stemLanguagesFor, words } from './analysis.js';
import { htmlToText } from './documents.js';
import { CANDIDATES, searchEngine } from './engine.js';

export const MAX_QUERY_LENGTH = 200;
export const WORKS_PER_PAGE = 20;

export interface SearchParams {
  q: string;
  readerLanguage: string;
  language?: string | undefined;
  type?: WorkType | undefined;
  topic?: string | undefined;
  page: number;
}

export interface SnippetPart {
  text: string;
  mark: boolean;
}

export interface EditionHit {
  id: string;
  language: string;
  title: string;
  endonym: string | null;
  english_name: string | null;
  direction: 'ltr' | 'rtl';
  snippet: SnippetPart[];
}

export interface WorkHit {
  slug: string;
  type: WorkType;
  editions: EditionHit[];
}

export interface SearchResult {
  query: string;
  works: WorkHit[];
  totalWorks: number;
  page: number;
  pages: number;
  facets: {
    languages: {
      tag: string;
      endonym: string | null;
      english_name: string | null;
      direction: 'ltr' | 'rtl';
      count: number;
    }[];
    types: { type: WorkType; count: number }[];
    topics: { slug: string; count: number }[];
  };
  /** The language filter found nothing: these are results in other languages. */
  otherLanguages: boolean;
  /** Nothing in the reader's own language among the results. */
  noneInReaderLanguage: boolean;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** What a reader typed, made safe: well-formed, no control characters, not endless. */
export function cleanQuery(raw: string): string {
  return raw
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(/\p{Cc}/gu, ' ')
    .trim()
    .slice(0, MAX_QUERY_LENGTH);
}

interface Candidate {
  id: string;
  work_id: string;
  language: string;
  title: string;
  summary: string | null;
  endonym: string | null;
  english_name: string | null;
  direction: 'ltr' | 'rtl';
  slug: string;
  type: WorkType;
  rank: number;
  topics: string[];
}

export async function search(db: Kysely<DB>, params: SearchParams): Promise<SearchResult> {
  const query = cleanQuery(params.q);
  const empty: SearchResult = {
    query,
    works: [],
    totalWorks: 0,
    page: 1,
    pages: 1,
    facets: { languages: [], types: [], topics: [] },
    otherLanguages: false,
    noneInReaderLanguage: false,
  };
  const languages = stemLanguagesFor(query, params.readerLanguage);
  const terms = queryTerms(query, languages);
  if (terms.length === 0) return empty;
  const hits = await searchEngine(db).find(db, terms, CANDIDATES);
  if (hits.length === 0) return empty;
  const rank = new Map(hits.map((h) => [h.editionId, h.rank]));
  const rows = await db
    .selectFrom('editions as e')
    .innerJoin('works as w', 'w.id', 'e.work_id')
    .innerJoin('languages as l', 'l.tag', 'e.language')
    .where('e.id', 'in', [...rank.keys()])
    .where('e.status', '=', 'published')
    .where('w.published_at', 'is not', null)
    .select([
      'e.id',
      'e.work_id',
      'e.language',
      'e.title',
      'e.summary',
      'l.endonym',
      'l.english_name',
      'l.direction',
      'w.slug',
      'w.type',
    ])
    .execute();
  const topicRows = await db
    .selectFrom('work_topics as wt')
    .innerJoin('topics as t', 't.id', 'wt.topic_id')
    .where('wt.work_id', 'in', [...new Set(rows.map((r) => r.work_id))].concat(['']))
    .select(['wt.work_id', 't.slug'])
    .execute();
  const topicsOf = new Map<string, string[]>();
  for (const t of topicRows) topicsOf.set(t.work_id, [...(topicsOf.get(t.work_id) ?? []), t.slug]);
  const candidates: Candidate[] = rows.map((r) => ({
    ...r,
    rank: rank.get(r.id) ?? 0,
    topics: topicsOf.get(r.work_id) ?? [],
  }));

  const matches = (c: Candidate, skip?: 'language' | 'type' | 'topic') =>
    (skip === 'language' || !params.language || c.language === params.language) &&
    (skip === 'type' || !params.type || c.type === params.type) &&
    (skip === 'topic' || !params.topic || c.topics.includes(params.topic));

  let selected = candidates.filter((c) => matches(c));
  let otherLanguages = false;
  if (selected.length === 0 && params.language) {
    selected = candidates.filter((c) => matches(c, 'language'));
    otherLanguages = selected.length > 0;
  }

  // Works by their best edition; in each, the reader's language first, then by rank.
  const byWork = new Map<string, Candidate[]>();
  for (const c of selected) byWork.set(c.work_id, [...(byWork.get(c.work_id) ?? []), c]);
  const reader = params.readerLanguage;
  const groups = [...byWork.values()]
    .map((editions) =>
      editions.sort(
        (a, b) => Number(b.language === reader) - Number(a.language === reader) || b.rank - a.rank,
      ),
    )
    .sort((a, b) => Math.max(...b.map((e) => e.rank)) - Math.max(...a.map((e) => e.rank)));
  const pages = Math.max(1, Math.ceil(groups.length / WORKS_PER_PAGE));
  const page = Math.min(params.page, pages);
  const shown = groups.slice((page - 1) * WORKS_PER_PAGE, page * WORKS_PER_PAGE);
  const snippets = await snippetsFor(
    db,
    shown.flatMap((g) => g.slice(0, 3)),
    terms,
  );

  const count = <K extends string>(items: Candidate[], key: (c: Candidate) => K[]) => {
    const counts = new Map<K, Set<string>>();
    for (const c of items)
      for (const k of key(c)) counts.set(k, (counts.get(k) ?? new Set()).add(c.work_id));
    return [...counts]
      .map(([k, worksWith]) => ({ key: k, count: worksWith.size }))
      .sort((a, b) => b.count - a.count);
  };
  const languageNames = new Map(candidates.map((c) => [c.language, c]));
  return {
    query,
    works: shown.map((editions) => ({
      slug: editions[0]!.slug,
      type: editions[0]!.type,
      editions: editions.slice(0, 3).map((e) => ({
        id: e.id,
        language: e.language,
        title: e.title,
        endonym: e.endonym,
        english_name: e.english_name,
        direction: e.direction,
        snippet: snippets.get(e.id) ?? [],
      })),
    })),
    totalWorks: groups.length,
    page,
    pages,
    facets: {
      languages: count(
        candidates.filter((c) => matches(c, 'language')),
        (c) => [c.language],
      )
        .slice(0, 30)
        .map(({ key, count: n }) => {
          const l = languageNames.get(key)!;
          return {
            tag: key,
            endonym: l.endonym,
            english_name: l.english_name,
            direction: l.direction,
            count: n,
          };
        }),
      types: count(
        candidates.filter((c) => matches(c, 'type')),
        (c) => [c.type],
      ).map(({ key, count: n }) => ({ type: key, count: n })),
      topics: count(
        candidates.filter((c) => matches(c, 'topic')),
        (c) => c.topics,
      ).map(({ key, count: n }) => ({ slug: key, count: n })),
    },
    otherLanguages,
    noneInReaderLanguage: !selected.some((c) => c.language === reader),
  };
}

const SNIPPET_CHARS = 90;

/** A few words around the first match in the edition's summary, pages or file text. */
async function snippetsFor(
  db: Kysely<DB>,
  editions: readonly Candidate[],
  terms: readonly string[][],
): Promise<Map<string, SnippetPart[]>> {
  const out = new Map<string, SnippetPart[]>();
  if (editions.length === 0) return out;
  const ids = editions.map((e) => e.id);
  const sections = await db
    .selectFrom('edition_sections')
    .select(['edition_id', 'html'])
    .where('edition_id', 'in', ids)
    .where('position', '<', 3)
    .execute();
  const texts = await db
    .selectFrom('file_texts as t')
    .innerJoin('edition_files as f', 'f.id', 't.file_id')
    .where('f.edition_id', 'in', ids)
    .where('t.usable', '=', 1)
    .select(['f.edition_id', 't.text'])
    .execute();
  const wanted = new Set(terms.flat());
  for (const e of editions) {
    const sources = [
      e.summary ?? '',
      ...sections.filter((s) => s.edition_id === e.id).map((s) => htmlToText(s.html)),
      ...texts.filter((t) => t.edition_id === e.id).map((t) => t.text.slice(0, 50_000)),
    ];
    for (const source of sources) {
      const snippet = highlight(source, e.language, wanted);
      if (snippet) {
        out.set(e.id, snippet);
        break;
      }
    }
  }
  return out;
}

/** The text around its first matching word, the matching words marked; undefined if none. */
export function highlight(
  text: string,
  lang: string,
  wanted: ReadonlySet<string>,
): SnippetPart[] | undefined {
  const isMatch = (segment: string) =>
    words(segment, lang).some(
      (w) => wanted.has(w) || wanted.has(stem(w, lang)) || wanted.has(fold(w, lang)),
    );
  const segmenter = new Intl.Segmenter(lang, { granularity: 'word' });
  // Piece by piece (see words()): the snippet comes from the first piece with a match.
  for (const piece of chunks(text)) {
    const segments = [...segmenter.segment(piece)];
    const first = segments.findIndex((s) => s.isWordLike && isMatch(s.segment));
    if (first < 0) continue;
    const start = Math.max(0, segments[first]!.index - SNIPPET_CHARS / 2);
    const end = start + SNIPPET_CHARS * 2;
    const parts: SnippetPart[] = start > 0 ? [{ text: '… ', mark: false }] : [];
    for (const s of segments) {
      if (s.index < start || s.index > end) continue;
      const mark = Boolean(s.isWordLike && isMatch(s.segment));
      const last = parts[parts.length - 1];
      if (last && last.mark === mark && !mark) last.text += s.segment;
      else parts.push({ text: s.segment, mark });
    }
    if (end < piece.length || piece !== text) parts.push({ text: ' …', mark: false });
    return parts;
  }
  return undefined;
}
