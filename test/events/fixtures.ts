/** Test data for event tests: a curriculum with sessions, and form fields for a new event. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/platform/db/schema.js';

export interface CurriculumFixture {
  id: string;
  slug: string;
  sessions: { id: string; slug: string; title: string; minutes: number }[];
}

/** A curriculum of the given work: one module, three sessions (English and Persian titles). */
export async function seedCurriculum(
  db: Kysely<DB>,
  workId: string,
  slug = 'tot-manual',
): Promise<CurriculumFixture> {
  const now = new Date().toISOString();
  const id = randomUUID();
  await db
    .insertInto('curricula')
    .values({ id, slug, work_id: workId, created_at: now, updated_at: now })
    .execute();
  await db
    .insertInto('curriculum_texts')
    .values({
      curriculum_id: id,
      language: 'en',
      title: 'Training of trainers manual',
      summary: null,
    })
    .execute();
  const moduleId = randomUUID();
  await db
    .insertInto('curriculum_modules')
    .values({ id: moduleId, curriculum_id: id, position: 0 })
    .execute();
  await db
    .insertInto('curriculum_module_texts')
    .values({ module_id: moduleId, language: 'en', title: 'Basics', summary: null })
    .execute();
  const sessions = [
    {
      slug: `${slug}-safety`,
      title: 'Digital safety basics',
      fa: 'مبانی امنیت دیجیتال',
      minutes: 90,
    },
    { slug: `${slug}-passwords`, title: 'Strong passwords', fa: 'گذرواژه‌های قوی', minutes: 45 },
    { slug: `${slug}-phones`, title: 'Safer phones', fa: 'تلفن امن‌تر', minutes: 60 },
  ];
  const out: CurriculumFixture['sessions'] = [];
  for (const [position, s] of sessions.entries()) {
    const sessionId = randomUUID();
    await db
      .insertInto('curriculum_sessions')
      .values({
        id: sessionId,
        module_id: moduleId,
        slug: s.slug,
        position,
        duration_minutes: s.minutes,
        updated_at: now,
      })
      .execute();
    await db
      .insertInto('curriculum_session_texts')
      .values([
        {
          session_id: sessionId,
          language: 'en',
          title: s.title,
          objectives: '',
          materials: '',
          facilitator_notes: '',
        },
        {
          session_id: sessionId,
          language: 'fa',
          title: s.fa,
          objectives: '',
          materials: '',
          facilitator_notes: '',
        },
      ])
      .execute();
    out.push({ id: sessionId, slug: s.slug, title: s.title, minutes: s.minutes });
  }
  return { id, slug, sessions: out };
}

/** Fields of a valid event form; override any of them. */
export function eventFields(
  organisation: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    organisation,
    kind: 'workshop',
    text_language: 'en',
    title: 'Digital safety workshop',
    description: 'Two days on phones and accounts.\n\nBring your phone.',
    starts: '2026-12-10T09:00',
    ends: '2026-12-11T17:00',
    time_zone: 'Asia/Kabul',
    country: 'AF',
    place: 'Herat women’s centre',
    online_url: '',
    capacity: '20',
    visibility: 'public',
    languages: 'fa-AF, en',
    curriculum: '',
    attendance_by: 'day',
    ...overrides,
  };
}

export const idFrom = (location: string | null) =>
  /\/events\/([0-9a-f-]{36})/.exec(location ?? '')?.[1] ?? '';

export async function eventCount(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
