/** Staff accounts: creation, passwords, two-factor secrets, memberships, disabling. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { FieldCipher } from '../../platform/crypto/field-encryption.js';
import type { DB, Role, UserTable } from '../../platform/db/schema.js';
import { recordAudit, type Actor } from '../audit/log.js';
import { hashPassword } from './passwords.js';
import { endUserSessions } from './sessions.js';

const USERNAME = /^[\p{L}\p{N}._-]{2,64}$/u;

/** Usernames compare as typed on any keyboard: NFKC, lower case, trimmed. */
export function normaliseUsername(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

export function isValidUsername(username: string): boolean {
  return USERNAME.test(username);
}

export async function findUserByUsername(
  db: Kysely<DB>,
  username: string,
): Promise<UserTable | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', normaliseUsername(username))
    .executeTakeFirst();
}

export async function findUserById(db: Kysely<DB>, id: string): Promise<UserTable | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export class UserError extends Error {}

export async function createUser(
  db: Kysely<DB>,
  actor: Actor,
  input: {
    username: string;
    displayName: string;
    password: string;
    organisationId: string;
    role: Role;
  },
): Promise<string> {
  const username = normaliseUsername(input.username);
  if (!isValidUsername(username)) {
    throw new UserError('usernames are 2-64 letters, digits, dots, dashes or underscores');
  }
  const passwordHash = await hashPassword(input.password);
  const id = randomUUID();
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    if (await findUserByUsername(trx, username)) {
      throw new UserError(`the username "${username}" is taken`);
    }
    await trx
      .insertInto('users')
      .values({
        id,
        username,
        display_name: input.displayName.trim() || username,
        password_hash: passwordHash,
        totp_secret: null,
        totp_enabled_at: null,
        disabled_at: null,
        password_changed_at: now,
        created_at: now,
      })
      .execute();
    await trx
      .insertInto('memberships')
      .values({
        user_id: id,
        organisation_id: input.organisationId,
        role: input.role,
        created_at: now,
      })
      .execute();
    await recordAudit(trx, actor, {
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      organisationId: input.organisationId,
      detail: { username, role: input.role },
    });
  });
  return id;
}

/** Sets a new password and ends the user's other sessions (all of them when `keepSession` is unset). */
export async function setPassword(
  db: Kysely<DB>,
  actor: Actor,
  userId: string,
  password: string,
  keepSession?: string,
): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, password_changed_at: new Date().toISOString() })
      .where('id', '=', userId)
      .execute();
    await endUserSessions(trx, userId, keepSession);
    await recordAudit(trx, actor, {
      action: 'user.password',
      entityType: 'user',
      entityId: userId,
    });
  });
}

/** Disables (or re-enables) an account; disabling ends all its sessions at once. */
export async function setDisabled(
  db: Kysely<DB>,
  actor: Actor,
  userId: string,
  disabled: boolean,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ disabled_at: disabled ? new Date().toISOString() : null })
      .where('id', '=', userId)
      .execute();
    if (disabled) await endUserSessions(trx, userId);
    await recordAudit(trx, actor, {
      action: disabled ? 'user.disable' : 'user.enable',
      entityType: 'user',
      entityId: userId,
    });
  });
}

const totpPlace = (userId: string) => ({ table: 'users', column: 'totp_secret', rowId: userId });

/**
 * The two-factor secret of a user, decrypted. Secrets are stored encrypted with the field keys
 * (a copy of the database does not give working codes); one written before that is sealed at
 * the next start (sealLegacyTotpSecrets) and read as it is until then.
 */
export function openTotpSecret(
  cipher: FieldCipher,
  user: Pick<UserTable, 'id' | 'totp_secret'>,
): string | null {
  if (user.totp_secret === null) return null;
  return FieldCipher.keyIdOf(user.totp_secret)
    ? cipher.decrypt(user.totp_secret, totpPlace(user.id))
    : user.totp_secret;
}

/** Stores a two-factor secret; it takes effect once `enableTotp` confirms a code made with it. */
export async function setTotpSecret(
  db: Kysely<DB>,
  cipher: FieldCipher | null,
  userId: string,
  secret: string | null,
) {
  if (secret !== null && cipher === null) throw new Error('a two-factor secret needs the cipher');
  await db
    .updateTable('users')
    .set({
      totp_secret: secret === null ? null : cipher!.encrypt(secret, totpPlace(userId)),
      totp_enabled_at: null,
    })
    .where('id', '=', userId)
    .execute();
}

/** Encrypts two-factor secrets stored in clear by earlier versions; returns how many. */
export async function sealLegacyTotpSecrets(db: Kysely<DB>, cipher: FieldCipher): Promise<number> {
  const legacy = await db
    .selectFrom('users')
    .select(['id', 'totp_secret'])
    .where('totp_secret', 'is not', null)
    .where('totp_secret', 'not like', 'enc1.%')
    .execute();
  for (const user of legacy) {
    await db
      .updateTable('users')
      .set({ totp_secret: cipher.encrypt(user.totp_secret!, totpPlace(user.id)) })
      .where('id', '=', user.id)
      .where('totp_secret', '=', user.totp_secret)
      .execute();
  }
  return legacy.length;
}

export async function enableTotp(db: Kysely<DB>, actor: Actor, userId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ totp_enabled_at: new Date().toISOString() })
      .where('id', '=', userId)
      .execute();
    await recordAudit(trx, actor, {
      action: 'user.totp.enable',
      entityType: 'user',
      entityId: userId,
    });
  });
}
