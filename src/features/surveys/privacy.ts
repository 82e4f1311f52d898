/** Export and erase of a participant's survey responses and answers (free text decrypted). */
import type { PrivacyProvider } from '../privacy/registry.js';

export const surveyPrivacy: PrivacyProvider = {
  name: 'surveys',
  tables: ['survey_responses', 'survey_answers'],

  async export(db, participantId, { cipher, organisations }) {
    const responses = await db
      .selectFrom('survey_responses')
      .innerJoin('registrations', 'registrations.id', 'survey_responses.registration_id')
      .innerJoin('events', 'events.id', 'registrations.event_id')
      .innerJoin('survey_instruments', 'survey_instruments.id', 'survey_responses.instrument_id')
      .select([
        'survey_responses.id',
        'events.slug as event_slug',
        'survey_instruments.slug as instrument_slug',
        'survey_responses.phase',
        'survey_responses.language',
        'survey_responses.submitted_at',
      ])
      .where('registrations.participant_id', '=', participantId)
      .$if(organisations !== undefined, (q) =>
        q.where('events.organisation_id', 'in', [...organisations!, '']),
      )
      .orderBy('survey_responses.submitted_at')
      .execute();
    if (responses.length === 0) return [];
    const answers = await db
      .selectFrom('survey_answers')
      .innerJoin('survey_items', 'survey_items.id', 'survey_answers.item_id')
      .select([
        'survey_answers.response_id',
        'survey_answers.item_id',
        'survey_items.position',
        'survey_items.kind',
        'survey_answers.value',
        'survey_answers.choices',
        'survey_answers.text_enc',
      ])
      .where(
        'survey_answers.response_id',
        'in',
        responses.map((r) => r.id),
      )
      .orderBy('survey_items.position')
      .execute();
    return responses.map((r) => ({
      event: r.event_slug,
      instrument: r.instrument_slug,
      phase: r.phase,
      language: r.language,
      submittedAt: r.submitted_at,
      answers: answers
        .filter((a) => a.response_id === r.id)
        .map((a) => ({
          item: a.position + 1,
          kind: a.kind,
          value: a.value,
          choices: a.choices === null ? null : (JSON.parse(a.choices) as number[]),
          text: cipher.decryptOptional(a.text_enc, {
            table: 'survey_answers',
            column: 'text_enc',
            rowId: `${a.response_id}/${a.item_id}`,
          }),
        })),
    }));
  },

  async erase(trx, participantId) {
    const responses = trx
      .selectFrom('survey_responses')
      .innerJoin('registrations', 'registrations.id', 'survey_responses.registration_id')
      .select('survey_responses.id')
      .where('registrations.participant_id', '=', participantId);
    await trx.deleteFrom('survey_answers').where('response_id', 'in', responses).execute();
    await trx.deleteFrom('survey_responses').where('id', 'in', responses).execute();
  },
};
