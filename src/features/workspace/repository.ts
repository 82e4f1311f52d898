/**
 * SQL of the workspace: works and editions in every status, with optimistic locking. Every write
 * runs in the caller's transaction together with its audit entry and a content-version bump.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, EditionStatus, WorkType } from '../../platform/db/schema.js';
import { directionOf, endonymOf, englishNameOf, scriptOf } from '../../platform/i18n/languages.js';

export interface WorkspaceWork {
  id: string;
  slug: string;
  type: WorkType;
  publisher_id: string | null;
  publisher_name: string | null;
  licence: string | null;
  year: number | null;
  original_language: string | null;
  published_at: string | null;
  version: number;
  updated_at: string;
}

export interface WorkspaceEdition {
  id: string;
  work_id: string;
  language: string;
  title: string;
  summary: string | null;
  status: EditionStatus;
  version: number;
  translated_from_id: string | null;
  translated_from_version: number | null;
  updated_at: string;
  endonym: string | null;
  direction: 'ltr' | 'rtl';
  /** The edition it was translated from has changed since. */
  stale: boolean;
}

const WORK_COLUMNS = [
  'w.id',
  'w.slug',
  'w.type',
  'w.publisher_id',
  'o.name as publisher_name',
  'w.licence',
  'w.year',
  'w.original_language',
  'w.published_at',
  'w.version',
  'w.updated_at',
] as const;

/** Works of these organisations (all when undefined), newest change first. */
export async function listWorks(
  db: Kysely<DB>,
  organisationIds: readonly string[] | undefined,
  limit: number,
  offset: number,
): Promise<(WorkspaceWork & { title: string | null })[]> {
  if (organisationIds?.length === 0) return [];
  return db
    .selectFrom('works as w')
    .leftJoin('organisations as o', 'o.id', 'w.publisher_id')
    .$if(organisationIds !== undefined, (q) => q.where('w.publisher_id', 'in', organisationIds!))
    .select(WORK_COLUMNS)
    .select((eb) =>
      eb
        .selectFrom('editions as e')
        .select('e.title')
        .whereRef('e.work_id', '=', 'w.id')
        .orderBy((eb2) =>
          eb2.case().when('e.language', '=', eb2.ref('w.original_language')).then(0).else(1).end(),
        )
        .orderBy('e.language')
        .limit(1)
        .as('title'),
    )
    .orderBy('w.updated_at', 'desc')
    .orderBy('w.id')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function findWork(db: Kysely<DB>, id: string): Promise<WorkspaceWork | undefined> {
  return db
    .selectFrom('works as w')
    .leftJoin('organisations as o', 'o.id', 'w.publisher_id')
    .where('w.id', '=', id)
    .select(WORK_COLUMNS)
    .executeTakeFirst();
}

const EDITION_COLUMNS = [
  'e.id',
  'e.work_id',
  'e.language',
  'e.title',
  'e.summary',
  'e.status',
  'e.version',
  'e.translated_from_id',
  'e.translated_from_version',
  'e.updated_at',
  'l.endonym',
  'l.direction',
  'src.version as source_version',
] as const;

function editionsQuery(db: Kysely<DB>) {
  return db
    .selectFrom('editions as e')
    .innerJoin('languages as l', 'l.tag', 'e.language')
    .leftJoin('editions as src', 'src.id', 'e.translated_from_id')
    .select(EDITION_COLUMNS);
}

type EditionRow = Awaited<ReturnType<ReturnType<typeof editionsQuery>['execute']>>[number];

function withStale(row: EditionRow): WorkspaceEdition {
  const { source_version, ...edition } = row;
  return {
    ...edition,
    stale:
      source_version !== null &&
      edition.translated_from_version !== null &&
      source_version > edition.translated_from_version,
  };
}

export async function workEditionsAll(db: Kysely<DB>, workId: string): Promise<WorkspaceEdition[]> {
  const rows = await editionsQuery(db)
    .where('e.work_id', '=', workId)
    .orderBy('e.language')
    .execute();
  return rows.map(withStale);
}

export async function findEdition(
  db: Kysely<DB>,
  id: string,
): Promise<WorkspaceEdition | undefined> {
  const row = await editionsQuery(db).where('e.id', '=', id).executeTakeFirst();
  return row && withStale(row);
}

/** Adds a language the library has not seen yet, named from Unicode's data. */
export async function ensureLanguage(db: Kysely<DB>, tag: string): Promise<void> {
  await db
    .insertInto('languages')
    .values({
      tag,
      endonym: endonymOf(tag) ?? null,
      english_name: englishNameOf(tag) ?? null,
      script: scriptOf(tag) ?? null,
      direction: directionOf(tag),
    })
    .onConflict((oc) => oc.column('tag').doNothing())
    .execute();
}

export interface WorkFields {
  type: WorkType;
  publisher_id: string;
  licence: string | null;
  year: number | null;
  original_language: string | null;
}

export async function insertWork(db: Kysely<DB>, slug: string, fields: WorkFields, now: string) {
  const id = randomUUID();
  await db
    .insertInto('works')
    .values({
      id,
      slug,
      ...fields,
      published_at: null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** Updates a work if nobody else has saved it since `version`; false on a conflict. */
export async function updateWork(
  db: Kysely<DB>,
  id: string,
  version: number,
  set: Partial<WorkFields> & { published_at?: string | null },
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('works')
    .set((eb) => ({ ...set, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface EditionFields {
  title: string;
  summary: string | null;
}

export async function insertEdition(
  db: Kysely<DB>,
  input: EditionFields & {
    workId: string;
    language: string;
    translatedFrom: { id: string; version: number } | undefined;
  },
  now: string,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('editions')
    .values({
      id,
      work_id: input.workId,
      language: input.language,
      title: input.title,
      summary: input.summary,
      status: 'draft',
      version: 1,
      source_hash: null,
      translated_from_id: input.translatedFrom?.id ?? null,
      translated_from_version: input.translatedFrom?.version ?? null,
      published_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/**
 * Updates an edition if nobody else has saved it since `version`; false on a conflict. Its
 * version goes up, so translations made from it become stale.
 */
export async function updateEdition(
  db: Kysely<DB>,
  id: string,
  version: number,
  set: Partial<EditionFields> & { translated_from_version?: number | null },
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('editions')
    .set((eb) => ({ ...set, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function organisationsByIds(db: Kysely<DB>, ids: readonly string[] | undefined) {
  if (ids?.length === 0) return [];
  return db
    .selectFrom('organisations')
    .select(['id', 'slug', 'name', 'kind', 'country'])
    .$if(ids !== undefined, (q) => q.where('id', 'in', ids!))
    .orderBy('name')
    .execute();
}

/**
 * Moves an edition to another status if it is still at `version` and `from`. The version stays:
 * a status change is not a change of text, so translations made from it do not become stale.
 */
export async function moveEdition(
  db: Kysely<DB>,
  id: string,
  expected: { version: number; status: EditionStatus },
  to: EditionStatus,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('editions')
    .set({ status: to, published_at: to === 'published' ? now : null, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', expected.version)
    .where('status', '=', expected.status)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Background jobs of an edition's files, newest first: what the edition page shows. */
export async function editionJobs(db: Kysely<DB>, editionId: string) {
  return db
    .selectFrom('jobs as j')
    .innerJoin('edition_files as f', 'f.id', 'j.file_id')
    .where('f.edition_id', '=', editionId)
    .select([
      'j.id',
      'j.kind',
      'j.state',
      'j.attempts',
      'j.last_error',
      'j.updated_at',
      'f.filename',
    ])
    .orderBy('j.created_at', 'desc')
    .orderBy('j.id')
    .limit(50)
    .execute();
}

export type EditionJob = Awaited<ReturnType<typeof editionJobs>>[number];

/** Files whose extracted text looked like noise (a scan without a text layer): not searchable. */
export async function unreadableFiles(db: Kysely<DB>, editionId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('file_texts as t')
    .innerJoin('edition_files as f', 'f.id', 't.file_id')
    .where('f.edition_id', '=', editionId)
    .where('t.usable', '=', 0)
    .select('f.filename')
    .execute();
  return rows.map((r) => r.filename);
}
