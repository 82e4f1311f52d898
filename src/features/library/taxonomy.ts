import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';

/** Topics and collections with their translated labels. */

export interface LabelRow {
  owner_id: string;
  language: string;
  text: string;
}

export async function topicLabels(db: Kysely<DB>, topicIds: string[]): Promise<LabelRow[]> {
  if (topicIds.length === 0) return [];
  return db
    .selectFrom('topic_labels')
    .select(['topic_id as owner_id', 'language', 'label as text'])
    .where('topic_id', 'in', topicIds)
    .execute();
}

export async function workTopics(db: Kysely<DB>, workId: string) {
  return db
    .selectFrom('work_topics as wt')
    .innerJoin('topics as t', 't.id', 'wt.topic_id')
    .select(['t.id', 't.slug'])
    .where('wt.work_id', '=', workId)
    .orderBy('t.slug')
    .execute();
}

export async function findTopic(db: Kysely<DB>, slug: string) {
  return db.selectFrom('topics').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function listTopics(db: Kysely<DB>) {
  return db.selectFrom('topics').selectAll().orderBy('slug').execute();
}

export async function listCollections(db: Kysely<DB>) {
  return db.selectFrom('collections').selectAll().orderBy('slug').execute();
}

export async function findCollection(db: Kysely<DB>, slug: string) {
  return db.selectFrom('collections').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function collectionLabels(db: Kysely<DB>, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('collection_labels')
    .select(['collection_id as owner_id', 'language', 'title as text', 'description'])
    .where('collection_id', 'in', ids)
    .execute();
}
