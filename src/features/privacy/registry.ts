/**
 * Participants' rights: everything held about a participant can be exported and erased. Each
 * feature that stores participant data has a `privacy.ts` provider naming its tables and
 * implementing export and erase; the platform runs them all (the Moodle pattern). A test fails
 * when a table with personal-data columns is covered by no provider.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { FieldCipher } from '../../platform/crypto/field-encryption.js';
import { registrationPrivacy } from '../registration/privacy.js';
import { surveyPrivacy } from '../surveys/privacy.js';
import { projectPrivacy } from '../projects/privacy.js';

export interface PrivacyContext {
  cipher: FieldCipher;
  now: Date;
  /**
   * For an export made by an organisation's staff: only what concerns that organisation's
   * events (and her profile, which they hold). Undefined: everything (her own request).
   */
  organisations?: readonly string[] | undefined;
}

export interface PrivacyProvider {
  /** Section name in the export document. */
  name: string;
  /** Tables holding this participant's data that this provider exports and erases. */
  tables: readonly string[];
  export(db: Kysely<DB>, participantId: string, context: PrivacyContext): Promise<unknown>;
  /** Removes the participant's rows; runs inside the erase transaction. */
  erase(trx: Transaction<DB>, participantId: string, context: PrivacyContext): Promise<void>;
}

/** In erase order: dependent data first, the participant herself last. */
export const PRIVACY_PROVIDERS: readonly PrivacyProvider[] = [
  projectPrivacy,
  surveyPrivacy,
  registrationPrivacy,
];

export interface ParticipantExport {
  format: 'learning-center-participant-export';
  version: 1;
  exportedAt: string;
  [section: string]: unknown;
}

export async function exportParticipant(
  db: Kysely<DB>,
  participantId: string,
  context: PrivacyContext,
): Promise<ParticipantExport> {
  const document: ParticipantExport = {
    format: 'learning-center-participant-export',
    version: 1,
    exportedAt: context.now.toISOString(),
  };
  // Registration first in the document: who she is, then what she did.
  for (const provider of [...PRIVACY_PROVIDERS].reverse()) {
    document[provider.name] = await provider.export(db, participantId, context);
  }
  return document;
}

/**
 * Erases everything about a participant in one transaction: either all of it goes, or nothing
 * does. Her seats are released (the waiting list moves up) before the rows go.
 */
export async function eraseParticipant(
  db: Kysely<DB>,
  participantId: string,
  context: PrivacyContext,
  /** More writes of the same transaction (the audit entry of a staff erasure). */
  alongside?: (trx: Transaction<DB>) => Promise<void>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const provider of PRIVACY_PROVIDERS) await provider.erase(trx, participantId, context);
    await alongside?.(trx);
  });
}
