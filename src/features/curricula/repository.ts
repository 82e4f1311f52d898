/**
 * SQL of curricula: a curriculum belongs to a work and holds modules -> sessions -> activities
 * and handouts, every text per language. Reads for the workspace and the public pages; writes
 * run in the caller's transaction with the version check (optimistic locking) and audit entry.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { pickText, type Picked } from '../programmes/texts.js';

export interface CurriculumRow {
  id: string;
  slug: string;
  work_id: string;
  version: number;
  updated_at: string;
  work_slug: string;
  publisher_id: string | null;
  published_at: string | null;
}

export interface TextRow {
  language: string;
  title: string;
  summary: string | null;
}

export interface SessionTextRow {
  language: string;
  title: string;
  objectives: string;
  materials: string;
  facilitator_notes: string;
}

export interface ActivityTextRow {
  language: string;
  title: string;
  steps: string;
}

export interface TreeSession {
  id: string;
  slug: string;
  position: number;
  duration_minutes: number;
  version: number;
  texts: SessionTextRow[];
}

export interface TreeModule {
  id: string;
  position: number;
  texts: TextRow[];
  sessions: TreeSession[];
}

export interface CurriculumTree {
  curriculum: CurriculumRow;
  texts: TextRow[];
  modules: TreeModule[];
}

const CURRICULUM_COLUMNS = [
  'c.id',
  'c.slug',
  'c.work_id',
  'c.version',
  'c.updated_at',
  'w.slug as work_slug',
  'w.publisher_id',
  'w.published_at',
] as const;

function curriculaQuery(db: Kysely<DB>) {
  return db
    .selectFrom('curricula as c')
    .innerJoin('works as w', 'w.id', 'c.work_id')
    .select(CURRICULUM_COLUMNS);
}

export async function findCurriculum(
  db: Kysely<DB>,
  id: string,
): Promise<CurriculumRow | undefined> {
  return curriculaQuery(db).where('c.id', '=', id).executeTakeFirst();
}

/** A curriculum of a published work, for the public pages. */
export async function findPublicCurriculum(
  db: Kysely<DB>,
  slug: string,
): Promise<CurriculumRow | undefined> {
  return curriculaQuery(db)
    .where('c.slug', '=', slug)
    .where('w.published_at', 'is not', null)
    .executeTakeFirst();
}

/**
 * Curricula whose works belong to these organisations (all when undefined) or are published,
 * with their texts.
 */
export async function listCurricula(
  db: Kysely<DB>,
  organisationIds: readonly string[] | undefined,
  publishedOnly = false,
): Promise<(CurriculumRow & { texts: TextRow[] })[]> {
  let query = curriculaQuery(db);
  if (publishedOnly) query = query.where('w.published_at', 'is not', null);
  else if (organisationIds) {
    const ids = organisationIds;
    query = query.where((eb) =>
      ids.length > 0
        ? eb.or([eb('w.published_at', 'is not', null), eb('w.publisher_id', 'in', ids)])
        : eb('w.published_at', 'is not', null),
    );
  }
  const rows = await query.orderBy('c.slug').limit(500).execute();
  if (rows.length === 0) return [];
  const texts = await db
    .selectFrom('curriculum_texts')
    .select(['curriculum_id', 'language', 'title', 'summary'])
    .where(
      'curriculum_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) => ({ ...r, texts: texts.filter((t) => t.curriculum_id === r.id) }));
}

/** Everything but activities and handouts: the curriculum page and the agenda. */
export async function curriculumTree(
  db: Kysely<DB>,
  curriculum: CurriculumRow,
): Promise<CurriculumTree> {
  const [texts, modules] = await Promise.all([
    db
      .selectFrom('curriculum_texts')
      .select(['language', 'title', 'summary'])
      .where('curriculum_id', '=', curriculum.id)
      .orderBy('language')
      .execute(),
    db
      .selectFrom('curriculum_modules')
      .select(['id', 'position'])
      .where('curriculum_id', '=', curriculum.id)
      .orderBy('position')
      .orderBy('id')
      .execute(),
  ]);
  if (modules.length === 0) return { curriculum, texts, modules: [] };
  const moduleIds = modules.map((m) => m.id);
  const [moduleTexts, sessions] = await Promise.all([
    db
      .selectFrom('curriculum_module_texts')
      .select(['module_id', 'language', 'title', 'summary'])
      .where('module_id', 'in', moduleIds)
      .orderBy('language')
      .execute(),
    db
      .selectFrom('curriculum_sessions')
      .select(['id', 'module_id', 'slug', 'position', 'duration_minutes', 'version'])
      .where('module_id', 'in', moduleIds)
      .orderBy('position')
      .orderBy('id')
      .execute(),
  ]);
  const sessionTexts =
    sessions.length === 0
      ? []
      : await db
          .selectFrom('curriculum_session_texts')
          .select([
            'session_id',
            'language',
            'title',
            'objectives',
            'materials',
            'facilitator_notes',
          ])
          .where(
            'session_id',
            'in',
            sessions.map((s) => s.id),
          )
          .orderBy('language')
          .execute();
  return {
    curriculum,
    texts,
    modules: modules.map((m) => ({
      id: m.id,
      position: m.position,
      texts: moduleTexts.filter((t) => t.module_id === m.id),
      sessions: sessions
        .filter((s) => s.module_id === m.id)
        .map((s) => ({
          id: s.id,
          slug: s.slug,
          position: s.position,
          duration_minutes: s.duration_minutes,
          version: s.version,
          texts: sessionTexts.filter((t) => t.session_id === s.id),
        })),
    })),
  };
}

export interface SessionRow {
  id: string;
  module_id: string;
  slug: string;
  position: number;
  duration_minutes: number;
  version: number;
  updated_at: string;
  curriculum_id: string;
}

export async function findSession(db: Kysely<DB>, id: string): Promise<SessionRow | undefined> {
  return db
    .selectFrom('curriculum_sessions as s')
    .innerJoin('curriculum_modules as m', 'm.id', 's.module_id')
    .select([
      's.id',
      's.module_id',
      's.slug',
      's.position',
      's.duration_minutes',
      's.version',
      's.updated_at',
      'm.curriculum_id',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
}

export async function findSessionBySlug(
  db: Kysely<DB>,
  curriculumId: string,
  slug: string,
): Promise<SessionRow | undefined> {
  return db
    .selectFrom('curriculum_sessions as s')
    .innerJoin('curriculum_modules as m', 'm.id', 's.module_id')
    .select([
      's.id',
      's.module_id',
      's.slug',
      's.position',
      's.duration_minutes',
      's.version',
      's.updated_at',
      'm.curriculum_id',
    ])
    .where('s.slug', '=', slug)
    .where('m.curriculum_id', '=', curriculumId)
    .executeTakeFirst();
}

export interface ActivityDetail {
  id: string;
  position: number;
  minutes: number;
  texts: ActivityTextRow[];
}

export interface HandoutEdition {
  id: string;
  language: string;
  title: string;
}

export interface HandoutDetail {
  work_id: string;
  slug: string;
  position: number;
  original_language: string | null;
  /** Null: the work was unpublished since it was added (the public pages leave it out). */
  published_at: string | null;
  /** Published editions only. */
  editions: HandoutEdition[];
}

export interface SessionDetail {
  session: SessionRow;
  texts: SessionTextRow[];
  moduleTexts: TextRow[];
  activities: ActivityDetail[];
  handouts: HandoutDetail[];
}

export async function sessionDetail(db: Kysely<DB>, session: SessionRow): Promise<SessionDetail> {
  const [texts, moduleTexts, activities, handouts] = await Promise.all([
    db
      .selectFrom('curriculum_session_texts')
      .select(['language', 'title', 'objectives', 'materials', 'facilitator_notes'])
      .where('session_id', '=', session.id)
      .orderBy('language')
      .execute(),
    db
      .selectFrom('curriculum_module_texts')
      .select(['language', 'title', 'summary'])
      .where('module_id', '=', session.module_id)
      .orderBy('language')
      .execute(),
    db
      .selectFrom('session_activities')
      .select(['id', 'position', 'minutes'])
      .where('session_id', '=', session.id)
      .orderBy('position')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('session_handouts as h')
      .innerJoin('works as w', 'w.id', 'h.work_id')
      .select(['h.work_id', 'w.slug', 'h.position', 'w.original_language', 'w.published_at'])
      .where('h.session_id', '=', session.id)
      .orderBy('h.position')
      .execute(),
  ]);
  const activityTexts =
    activities.length === 0
      ? []
      : await db
          .selectFrom('session_activity_texts')
          .select(['activity_id', 'language', 'title', 'steps'])
          .where(
            'activity_id',
            'in',
            activities.map((a) => a.id),
          )
          .orderBy('language')
          .execute();
  const editions =
    handouts.length === 0
      ? []
      : await db
          .selectFrom('editions')
          .select(['id', 'work_id', 'language', 'title'])
          .where(
            'work_id',
            'in',
            handouts.map((h) => h.work_id),
          )
          .where('status', '=', 'published')
          .orderBy('language')
          .execute();
  return {
    session,
    texts,
    moduleTexts,
    activities: activities.map((a) => ({
      ...a,
      texts: activityTexts.filter((t) => t.activity_id === a.id),
    })),
    handouts: handouts.map((h) => ({
      ...h,
      editions: editions.filter((e) => e.work_id === h.work_id),
    })),
  };
}

// ---- The outline, for the events' agenda builder.

export interface OutlineSession {
  id: string;
  slug: string;
  title: string;
  /** The title's language when it is not the reader's (mark it with lang and dir). */
  fallbackLanguage: string | undefined;
  language: string;
  dir: 'ltr' | 'rtl';
  durationMinutes: number;
}

export interface OutlineModule {
  id: string;
  title: string;
  fallbackLanguage: string | undefined;
  language: string;
  dir: 'ltr' | 'rtl';
  sessions: OutlineSession[];
}

function picked<T extends { language: string; title: string }>(
  rows: readonly T[],
  lang: string,
  fallbackTitle: string,
) {
  const p: Picked<T> | undefined = pickText(rows, lang);
  return p
    ? {
        title: p.text.title,
        fallbackLanguage: p.fallbackLanguage,
        language: p.text.language,
        dir: p.dir,
      }
    : { title: fallbackTitle, fallbackLanguage: 'en', language: 'en', dir: 'ltr' as const };
}

/**
 * Modules with their sessions (in order), titles picked for `lang` with the fallback chain.
 * Empty when the curriculum does not exist. No access check: callers check the curriculum's
 * work through the policies first.
 */
export async function curriculumOutline(
  db: Kysely<DB>,
  curriculumId: string,
  lang: string,
): Promise<OutlineModule[]> {
  const curriculum = await findCurriculum(db, curriculumId);
  if (!curriculum) return [];
  const tree = await curriculumTree(db, curriculum);
  return tree.modules.map((m, i) => ({
    id: m.id,
    ...picked(m.texts, lang, String(i + 1)),
    sessions: m.sessions.map((s) => ({
      id: s.id,
      slug: s.slug,
      ...picked(s.texts, lang, s.slug),
      durationMinutes: s.duration_minutes,
    })),
  }));
}

// ---- Writes (inside the caller's transaction).

/** Bumps the curriculum's version if it is still `version`; false on a stale form. */
export async function bumpCurriculum(
  db: Kysely<DB>,
  id: string,
  version: number,
  now: string,
): Promise<boolean> {
  if (!Number.isFinite(version)) return false;
  const result = await db
    .updateTable('curricula')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function bumpSession(
  db: Kysely<DB>,
  id: string,
  version: number,
  now: string,
): Promise<boolean> {
  if (!Number.isFinite(version)) return false;
  const result = await db
    .updateTable('curriculum_sessions')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertCurriculum(
  db: Kysely<DB>,
  work: { id: string; slug: string },
  text: TextRow,
  now: string,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('curricula')
    .values({ id, slug: work.slug, work_id: work.id, version: 1, created_at: now, updated_at: now })
    .execute();
  await upsertCurriculumText(db, id, text);
  return id;
}

export async function upsertCurriculumText(db: Kysely<DB>, id: string, text: TextRow) {
  await db
    .insertInto('curriculum_texts')
    .values({ curriculum_id: id, ...text })
    .onConflict((oc) =>
      oc.columns(['curriculum_id', 'language']).doUpdateSet({
        title: text.title,
        summary: text.summary,
      }),
    )
    .execute();
}

export async function upsertModuleText(db: Kysely<DB>, moduleId: string, text: TextRow) {
  await db
    .insertInto('curriculum_module_texts')
    .values({ module_id: moduleId, ...text })
    .onConflict((oc) =>
      oc.columns(['module_id', 'language']).doUpdateSet({
        title: text.title,
        summary: text.summary,
      }),
    )
    .execute();
}

export async function upsertSessionText(db: Kysely<DB>, sessionId: string, text: SessionTextRow) {
  const { title, objectives, materials, facilitator_notes } = text;
  await db
    .insertInto('curriculum_session_texts')
    .values({ session_id: sessionId, ...text })
    .onConflict((oc) =>
      oc
        .columns(['session_id', 'language'])
        .doUpdateSet({ title, objectives, materials, facilitator_notes }),
    )
    .execute();
}

export async function upsertActivityText(
  db: Kysely<DB>,
  activityId: string,
  text: ActivityTextRow,
) {
  await db
    .insertInto('session_activity_texts')
    .values({ activity_id: activityId, ...text })
    .onConflict((oc) =>
      oc.columns(['activity_id', 'language']).doUpdateSet({ title: text.title, steps: text.steps }),
    )
    .execute();
}

async function nextPosition(
  db: Kysely<DB>,
  table: 'curriculum_modules' | 'curriculum_sessions' | 'session_activities' | 'session_handouts',
  ownerColumn: 'curriculum_id' | 'module_id' | 'session_id',
  ownerId: string,
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max<number | null>('position').as('p'))
    // The owner column differs by table; all are text ids.
    .where(ownerColumn as never, '=', ownerId as never)
    .executeTakeFirst();
  return Number(row?.p ?? 0) + 1;
}

export async function insertModule(
  db: Kysely<DB>,
  curriculumId: string,
  text: TextRow,
): Promise<string> {
  const id = randomUUID();
  const position = await nextPosition(db, 'curriculum_modules', 'curriculum_id', curriculumId);
  await db
    .insertInto('curriculum_modules')
    .values({ id, curriculum_id: curriculumId, position })
    .execute();
  await upsertModuleText(db, id, text);
  return id;
}

export async function insertSession(
  db: Kysely<DB>,
  moduleId: string,
  slug: string,
  durationMinutes: number,
  text: SessionTextRow,
  now: string,
): Promise<string> {
  const id = randomUUID();
  const position = await nextPosition(db, 'curriculum_sessions', 'module_id', moduleId);
  await db
    .insertInto('curriculum_sessions')
    .values({
      id,
      module_id: moduleId,
      slug,
      position,
      duration_minutes: durationMinutes,
      version: 1,
      updated_at: now,
    })
    .execute();
  await upsertSessionText(db, id, text);
  return id;
}

export async function insertActivity(
  db: Kysely<DB>,
  sessionId: string,
  minutes: number,
  text: ActivityTextRow,
): Promise<string> {
  const id = randomUUID();
  const position = await nextPosition(db, 'session_activities', 'session_id', sessionId);
  await db
    .insertInto('session_activities')
    .values({ id, session_id: sessionId, position, minutes })
    .execute();
  await upsertActivityText(db, id, text);
  return id;
}

export async function insertHandout(db: Kysely<DB>, sessionId: string, workId: string) {
  const position = await nextPosition(db, 'session_handouts', 'session_id', sessionId);
  await db
    .insertInto('session_handouts')
    .values({ session_id: sessionId, work_id: workId, position })
    .execute();
}

/**
 * Swaps the position of `id` with its neighbour in `direction` among `siblings` (ordered rows
 * of one owner). Positions are renumbered 1..n first, so gaps and ties never block a move.
 */
export async function moveAmong(
  db: Kysely<DB>,
  table: 'curriculum_modules' | 'curriculum_sessions' | 'session_activities',
  siblings: readonly { id: string }[],
  id: string,
  direction: 'up' | 'down',
): Promise<void> {
  const order = siblings.map((s) => s.id);
  const i = order.indexOf(id);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= order.length) return;
  [order[i], order[j]] = [order[j]!, order[i]!];
  for (const [index, rowId] of order.entries()) {
    await db
      .updateTable(table)
      .set({ position: index + 1 })
      .where('id', '=', rowId)
      .execute();
  }
}
