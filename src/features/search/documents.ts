/**
 * What search indexes of an edition: its title; its summary, topics (in its language), the
 * text of its HTML pages and the usable extracted text of its files. Only public editions (the
 * edition and its work published) are in the index.
 */
import { decodeHTML } from 'entities';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';

export interface SearchDocument {
  editionId: string;
  language: string;
  title: string;
  body: string;
}

/** Markup to text: the sections were sanitised at import, so tags are plain and well formed. */
export function htmlToText(html: string): string {
  return decodeHTML(
    html.replace(/<(?:br|\/p|\/h\d|\/li|\/div|\/tr)\b[^>]*>/gi, '\n').replace(/<[^>]+>/g, ' '),
  );
}

/** The documents of these editions that are public; the others are simply absent. */
export async function searchDocuments(
  db: Kysely<DB>,
  editionIds: readonly string[],
): Promise<SearchDocument[]> {
  if (editionIds.length === 0) return [];
  const editions = await db
    .selectFrom('editions as e')
    .innerJoin('works as w', 'w.id', 'e.work_id')
    .where('e.id', 'in', [...editionIds])
    .where('e.status', '=', 'published')
    .where('w.published_at', 'is not', null)
    .select(['e.id', 'e.work_id', 'e.language', 'e.title', 'e.summary'])
    .execute();
  if (editions.length === 0) return [];
  const ids = editions.map((e) => e.id);
  const [sections, texts, topics] = await Promise.all([
    db
      .selectFrom('edition_sections')
      .select(['edition_id', 'html'])
      .where('edition_id', 'in', ids)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('file_texts as t')
      .innerJoin('edition_files as f', 'f.id', 't.file_id')
      .where('f.edition_id', 'in', ids)
      .where('t.usable', '=', 1)
      .select(['f.edition_id', 't.text'])
      .execute(),
    db
      .selectFrom('work_topics as wt')
      .innerJoin('topic_labels as l', 'l.topic_id', 'wt.topic_id')
      .where(
        'wt.work_id',
        'in',
        editions.map((e) => e.work_id),
      )
      .select(['wt.work_id', 'l.language', 'l.label'])
      .execute(),
  ]);
  const bodies = new Map<string, string[]>();
  const add = (id: string, text: string) => {
    const list = bodies.get(id) ?? [];
    list.push(text);
    bodies.set(id, list);
  };
  for (const s of sections) add(s.edition_id, htmlToText(s.html));
  for (const t of texts) add(t.edition_id, t.text);
  // Topic labels in the edition's own language only: a Russian word should not find the
  // Tamil edition because its work's topic is also named in Russian.
  const topicLabels = new Map<string, string[]>();
  for (const t of topics) {
    const key = `${t.work_id} ${t.language}`;
    topicLabels.set(key, [...(topicLabels.get(key) ?? []), t.label]);
  }
  return editions.map((e) => ({
    editionId: e.id,
    language: e.language,
    title: e.title,
    body: [
      e.summary ?? '',
      ...(topicLabels.get(`${e.work_id} ${e.language}`) ?? []),
      ...(bodies.get(e.id) ?? []),
    ].join('\n'),
  }));
}
