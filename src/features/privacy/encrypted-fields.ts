/**
 * Every encrypted column, with how its rows are named in the ciphertext's bound place
 * (`table:column:rowId`). Used to re-encrypt everything under the current key after a rotation
 * and to count what each key still protects before it is retired. A test checks that every
 * `*_enc` column of the database is listed here.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { FieldCipher } from '../../platform/crypto/field-encryption.js';

export interface EncryptedColumn {
  table: 'participants' | 'registrations' | 'survey_answers' | 'users';
  column: string;
  /** Columns whose values, joined by "/", name the row. */
  key: readonly string[];
}

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { table: 'participants', column: 'display_name_enc', key: ['id'] },
  { table: 'participants', column: 'contact_enc', key: ['id'] },
  { table: 'participants', column: 'age_band_enc', key: ['id'] },
  { table: 'participants', column: 'gender_enc', key: ['id'] },
  { table: 'registrations', column: 'note_enc', key: ['id'] },
  { table: 'survey_answers', column: 'text_enc', key: ['response_id', 'item_id'] },
  // Staff two-step sign-in secrets (not personal data of participants, but as secret).
  { table: 'users', column: 'totp_secret', key: ['id'] },
];

type Row = Record<string, string | null>;

// The table and column names come from the list above, never from input.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const untyped = (db: Kysely<DB>) => db as unknown as Kysely<any>;

/** How many ciphertexts each key id protects. */
export async function keyUsage(db: Kysely<DB>): Promise<Map<string, number>> {
  const usage = new Map<string, number>();
  for (const { table, column } of ENCRYPTED_COLUMNS) {
    const rows = (await untyped(db)
      .selectFrom(table)
      .select(sql<string>`${sql.ref(column)}`.as('value'))
      .where(column, 'is not', null)
      .execute()) as { value: string }[];
    for (const { value } of rows) {
      const id = FieldCipher.keyIdOf(value) ?? '(not encrypted)';
      usage.set(id, (usage.get(id) ?? 0) + 1);
    }
  }
  return usage;
}

/**
 * Re-encrypts every value not yet under the current key, in batches, each row updated only if
 * it still holds the value read (a concurrent edit wins and is re-encrypted on the next run).
 */
export async function reencryptAll(
  db: Kysely<DB>,
  cipher: FieldCipher,
  onProgress: (done: number) => void = () => {},
): Promise<number> {
  const prefix = `enc1.${cipher.currentKeyId}.`;
  let done = 0;
  for (const { table, column, key } of ENCRYPTED_COLUMNS) {
    for (;;) {
      const rows = (await untyped(db)
        .selectFrom(table)
        .select([...key, column])
        .where(column, 'like', 'enc1.%')
        .where(column, 'not like', `${prefix}%`)
        .limit(500)
        .execute()) as Row[];
      if (rows.length === 0) break;
      await untyped(db)
        .transaction()
        .execute(async (trx) => {
          for (const row of rows) {
            const place = { table, column, rowId: key.map((k) => row[k]).join('/') };
            const value = cipher.encrypt(cipher.decrypt(row[column]!, place), place);
            let update = trx
              .updateTable(table)
              .set({ [column]: value })
              .where(column, '=', row[column]);
            for (const k of key) update = update.where(k, '=', row[k]);
            await update.execute();
          }
        });
      done += rows.length;
      onProgress(done);
    }
  }
  return done;
}
