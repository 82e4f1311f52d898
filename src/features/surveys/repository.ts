/** Reading survey instruments with their texts and items, and the optimistic-locking bump. */
import type { Kysely, Selectable } from 'kysely';
import type {
  DB,
  SurveyInstrumentTable,
  SurveyInstrumentTextTable,
  SurveyItemTable,
  SurveyItemTextTable,
} from '../../platform/db/schema.js';
import { forbidden, notFound } from '../../platform/http/errors.js';
import type { Staff } from '../accounts/sessions.js';
import { canEditInstrument } from '../programmes/policies.js';
import { pickText } from '../programmes/texts.js';
import { roleIn } from '../workspace/policies.js';

export type Instrument = Selectable<SurveyInstrumentTable>;
export type InstrumentText = Selectable<SurveyInstrumentTextTable>;
export type Item = Selectable<SurveyItemTable>;
export type ItemText = Selectable<SurveyItemTextTable>;

export interface InstrumentDetail {
  instrument: Instrument;
  texts: InstrumentText[];
  items: (Item & { texts: ItemText[] })[];
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The labels of a choice item's text row (a JSON array of strings); [] when malformed. */
export function optionsOf(text: Pick<ItemText, 'options'> | undefined): string[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text.options);
    return Array.isArray(parsed) ? parsed.map((o) => String(o)) : [];
  } catch {
    return [];
  }
}

export async function instrumentDetail(
  db: Kysely<DB>,
  id: string,
): Promise<InstrumentDetail | undefined> {
  if (!UUID.test(id)) return undefined;
  const instrument = await db
    .selectFrom('survey_instruments')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!instrument) return undefined;
  const [texts, items, itemTexts] = await Promise.all([
    db.selectFrom('survey_instrument_texts').selectAll().where('instrument_id', '=', id).execute(),
    db
      .selectFrom('survey_items')
      .selectAll()
      .where('instrument_id', '=', id)
      .orderBy('position')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('survey_item_texts')
      .innerJoin('survey_items', 'survey_items.id', 'survey_item_texts.item_id')
      .selectAll('survey_item_texts')
      .where('survey_items.instrument_id', '=', id)
      .execute(),
  ]);
  return {
    instrument,
    texts,
    items: items.map((item) => ({
      ...item,
      texts: itemTexts.filter((t) => t.item_id === item.id),
    })),
  };
}

/** Whether the person sees the instrument at all (network-wide ones: all staff). */
export function canSeeInstrument(staff: Staff, organisationId: string | null): boolean {
  return organisationId === null || roleIn(staff, organisationId) !== undefined;
}

/** An instrument through the policies: 404 if not visible, 403 if visible but not editable. */
export async function loadInstrumentForStaff(
  db: Kysely<DB>,
  staff: Staff,
  id: string,
  need: 'view' | 'edit',
): Promise<InstrumentDetail> {
  const detail = await instrumentDetail(db, id);
  if (!detail || !canSeeInstrument(staff, detail.instrument.organisation_id)) {
    throw notFound('no such instrument');
  }
  if (need === 'edit' && !canEditInstrument(staff, detail.instrument.organisation_id)) {
    throw forbidden('may not edit this instrument');
  }
  return detail;
}

export interface InstrumentSummary {
  id: string;
  organisation_id: string | null;
  organisation_name: string | null;
  title: string;
  titleLanguage: string | undefined;
  titleDir: 'ltr' | 'rtl';
  items: number;
}

/**
 * Instruments usable or visible: network-wide ones plus those of `organisationIds` (undefined:
 * every organisation's, for network admins).
 */
export async function listInstruments(
  db: Kysely<DB>,
  organisationIds: readonly string[] | undefined,
  lang: string,
): Promise<InstrumentSummary[]> {
  const rows = await db
    .selectFrom('survey_instruments')
    .leftJoin('organisations', 'organisations.id', 'survey_instruments.organisation_id')
    .select([
      'survey_instruments.id',
      'survey_instruments.slug',
      'survey_instruments.organisation_id',
      'organisations.name as organisation_name',
    ])
    .$if(organisationIds !== undefined, (q) =>
      q.where((eb) =>
        organisationIds!.length === 0
          ? eb('survey_instruments.organisation_id', 'is', null)
          : eb.or([
              eb('survey_instruments.organisation_id', 'is', null),
              eb('survey_instruments.organisation_id', 'in', organisationIds!),
            ]),
      ),
    )
    .orderBy('survey_instruments.created_at')
    .orderBy('survey_instruments.id')
    .limit(500)
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [texts, counts] = await Promise.all([
    db
      .selectFrom('survey_instrument_texts')
      .select(['instrument_id', 'language', 'title'])
      .where('instrument_id', 'in', ids)
      .execute(),
    db
      .selectFrom('survey_items')
      .select((eb) => ['instrument_id', eb.fn.countAll<number>().as('n')])
      .where('instrument_id', 'in', ids)
      .groupBy('instrument_id')
      .execute(),
  ]);
  return rows.map((r) => {
    const picked = pickText(
      texts.filter((t) => t.instrument_id === r.id),
      lang,
    );
    return {
      id: r.id,
      organisation_id: r.organisation_id,
      organisation_name: r.organisation_name,
      title: picked?.text.title ?? r.slug,
      titleLanguage: picked ? picked.fallbackLanguage : undefined,
      titleDir: picked?.dir ?? 'ltr',
      items: Number(counts.find((c) => c.instrument_id === r.id)?.n ?? 0),
    };
  });
}

/**
 * Moves the instrument to its next version if it is still at `version`: every change to an
 * instrument, its texts or its items goes through here first, inside the change's transaction.
 */
export async function bumpInstrument(
  db: Kysely<DB>,
  id: string,
  version: number,
  now: string,
): Promise<boolean> {
  if (!Number.isInteger(version)) return false;
  const result = await db
    .updateTable('survey_instruments')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
