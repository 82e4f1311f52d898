/**
 * An event's agenda ready to show: its days (from slots.ts), its items in order, and for each
 * curriculum session its title in the reader's language and where its public page is.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { eventDays } from '../programmes/slots.js';
import { pickText, type Picked } from '../programmes/texts.js';
import type { EventRow } from './access.js';
import {
  agendaItems,
  curriculumSessions,
  sessionsByIds,
  sessionTitles,
  type AgendaItem,
} from './repository.js';

export interface AgendaSessionInfo {
  id: string;
  duration_minutes: number;
  title: Picked<{ language: string; title: string }> | undefined;
  /** /curricula/<curriculum>/sessions/<session>, without the language prefix. */
  path: string;
}

export interface LoadedAgenda {
  days: string[];
  items: AgendaItem[];
  sessions: Map<string, AgendaSessionInfo>;
}

export async function loadAgenda(
  db: Kysely<DB>,
  event: Pick<EventRow, 'id' | 'starts_at' | 'ends_at' | 'time_zone'>,
  lang: string,
): Promise<LoadedAgenda> {
  const items = await agendaItems(db, event.id);
  const ids = [...new Set(items.flatMap((i) => (i.session_id ? [i.session_id] : [])))];
  const sessions = await describeSessions(db, ids, lang);
  return { days: eventDays(event), items, sessions };
}

export async function describeSessions(
  db: Kysely<DB>,
  ids: readonly string[],
  lang: string,
): Promise<Map<string, AgendaSessionInfo>> {
  const [rows, titles] = await Promise.all([sessionsByIds(db, ids), sessionTitles(db, ids)]);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        duration_minutes: r.duration_minutes,
        title: pickText(
          titles.filter((t) => t.session_id === r.id),
          lang,
        ),
        path: `/curricula/${r.curriculum_slug}/sessions/${r.slug}`,
      },
    ]),
  );
}

/** The sessions of a curriculum in order (modules, then sessions), described for the reader. */
export async function curriculumSessionList(
  db: Kysely<DB>,
  curriculumId: string,
  lang: string,
): Promise<AgendaSessionInfo[]> {
  const rows = await curriculumSessions(db, curriculumId);
  const described = await describeSessions(
    db,
    rows.map((r) => r.id),
    lang,
  );
  return rows.flatMap((r) => described.get(r.id) ?? []);
}
