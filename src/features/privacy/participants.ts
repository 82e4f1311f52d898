/** Finding a participant by the code she types, for her own rights requests and for staff's. */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { FieldCipher } from '../../platform/crypto/field-encryption.js';
import { participantCodeIndex } from '../registration/codes.js';

/** The participant's id, or undefined for a malformed, forged or erased code (one answer). */
export async function participantIdByCode(
  db: Kysely<DB>,
  cipher: FieldCipher,
  typed: string,
): Promise<string | undefined> {
  const { hmac, valid } = participantCodeIndex(cipher, typed);
  const row = await db
    .selectFrom('participants')
    .select('id')
    .where('code_hmac', '=', valid ? hmac : '')
    .executeTakeFirst();
  return row?.id;
}

/** The organisations whose events the participant registered for. */
export async function organisationsOfParticipant(
  db: Kysely<DB>,
  participantId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('registrations')
    .innerJoin('events', 'events.id', 'registrations.event_id')
    .select('events.organisation_id')
    .distinct()
    .where('registrations.participant_id', '=', participantId)
    .execute();
  return rows.map((r) => r.organisation_id);
}
