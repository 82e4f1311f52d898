/**
 * Checking a participant's answers against the instrument's items, and storing them. Every
 * problem is a message key next to its item; a form with any problem stores nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { FieldCipher } from '../../platform/crypto/field-encryption.js';
import type { DB, SurveyPhase } from '../../platform/db/schema.js';
import type { Item } from './repository.js';

export const TEXT_MAX = 2000;
export const LIKERT_POINTS = 5;
/** Form field of an item's answer: `a_<item id>`. */
export const ANSWER_PREFIX = 'a_';

export interface CheckedAnswer {
  itemId: string;
  value: number | null;
  choices: number[] | null;
  text: string | null;
}

export interface AnswerCheck {
  /** Item id -> message key. */
  errors: Record<string, string>;
  /** A problem of the whole form (answers to questions that are not in the survey). */
  formError: string | undefined;
  answers: CheckedAnswer[];
  /** What was sent, by item id, to fill the form in again. */
  sent: Record<string, string[]>;
}

/** The submitted answer fields of a form body, by item id. */
export function answerFields(body: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    if (!key.startsWith(ANSWER_PREFIX)) continue;
    const values = (Array.isArray(raw) ? raw : [raw]).filter(
      (v): v is string => typeof v === 'string',
    );
    out[key.slice(ANSWER_PREFIX.length)] = values;
  }
  return out;
}

const INDEX = /^\d{1,3}$/;

/** Free text as typed: NFC, no control characters but newlines, trimmed. */
function cleanAnswerText(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\p{Cc}/gu, (c) => (c === '\n' ? c : ''))
    .trim();
}

export function checkAnswers(
  items: readonly Pick<Item, 'id' | 'kind' | 'option_count' | 'required'>[],
  sent: Record<string, string[]>,
): AnswerCheck {
  const errors: Record<string, string> = {};
  const answers: CheckedAnswer[] = [];
  const known = new Set(items.map((i) => i.id));
  const formError = Object.keys(sent).some((id) => !known.has(id))
    ? 'survey.error.unknownItem'
    : undefined;
  for (const item of items) {
    const values = (sent[item.id] ?? []).map((v) => v.trim());
    const given = values.filter((v) => v !== '');
    const empty = given.length === 0;
    if (empty) {
      if (item.required) errors[item.id] = 'survey.error.required';
      continue;
    }
    const none = { itemId: item.id, value: null, choices: null, text: null };
    switch (item.kind) {
      case 'likert': {
        const v = Number(given[0]);
        if (given.length !== 1 || !INDEX.test(given[0]!) || v < 1 || v > LIKERT_POINTS) {
          errors[item.id] = 'survey.error.likert';
        } else answers.push({ ...none, value: v });
        break;
      }
      case 'single': {
        const v = Number(given[0]);
        if (given.length !== 1 || !INDEX.test(given[0]!) || v >= item.option_count) {
          errors[item.id] = 'survey.error.choice';
        } else answers.push({ ...none, value: v });
        break;
      }
      case 'multiple': {
        const indexes = given.map(Number);
        if (given.some((g, i) => !INDEX.test(g) || indexes[i]! >= item.option_count)) {
          errors[item.id] = 'survey.error.choice';
        } else {
          answers.push({ ...none, choices: [...new Set(indexes)].sort((a, b) => a - b) });
        }
        break;
      }
      case 'text': {
        const text = cleanAnswerText(values.join('\n'));
        if (given.length !== 1) errors[item.id] = 'survey.error.unknownItem';
        else if ([...text].length > TEXT_MAX) errors[item.id] = 'survey.error.textLong';
        else if (text === '') {
          if (item.required) errors[item.id] = 'survey.error.required';
        } else answers.push({ ...none, text });
        break;
      }
    }
  }
  return { errors, formError, answers, sent };
}

export type StoreResult = { stored: true; responseId: string } | { stored: false };

/**
 * Stores a response and its answers in one transaction; `{ stored: false }` when the phase was
 * already answered (checked inside the transaction, and by the unique constraint for races).
 */
export async function storeResponse(
  db: Kysely<DB>,
  cipher: FieldCipher,
  response: {
    registrationId: string;
    phase: SurveyPhase;
    instrumentId: string;
    language: string;
    answers: readonly CheckedAnswer[];
  },
  now: Date,
): Promise<StoreResult> {
  const responseId = randomUUID();
  try {
    return await db.transaction().execute(async (trx): Promise<StoreResult> => {
      const existing = await trx
        .selectFrom('survey_responses')
        .select('id')
        .where('registration_id', '=', response.registrationId)
        .where('phase', '=', response.phase)
        .executeTakeFirst();
      if (existing) return { stored: false };
      await trx
        .insertInto('survey_responses')
        .values({
          id: responseId,
          registration_id: response.registrationId,
          phase: response.phase,
          instrument_id: response.instrumentId,
          language: response.language,
          submitted_at: now.toISOString(),
        })
        .execute();
      if (response.answers.length > 0) {
        await trx
          .insertInto('survey_answers')
          .values(
            response.answers.map((a) => ({
              response_id: responseId,
              item_id: a.itemId,
              value: a.value,
              choices: a.choices === null ? null : JSON.stringify(a.choices),
              text_enc:
                a.text === null
                  ? null
                  : cipher.encrypt(a.text, {
                      table: 'survey_answers',
                      column: 'text_enc',
                      rowId: `${responseId}/${a.itemId}`,
                    }),
            })),
          )
          .execute();
      }
      return { stored: true, responseId };
    });
  } catch (error) {
    // A second submit racing the first: the unique (registration, phase) refused it.
    const raced = await db
      .selectFrom('survey_responses')
      .select('id')
      .where('registration_id', '=', response.registrationId)
      .where('phase', '=', response.phase)
      .executeTakeFirst();
    if (raced) return { stored: false };
    throw error;
  }
}
