/**
 * Encryption at rest of personal fields: AES-256-GCM with a random 96-bit nonce, the key id in
 * every ciphertext (so keys can rotate) and, as additional authenticated data, the place the
 * value belongs to (`table:column:rowId`): a ciphertext copied to another row or column does not
 * decrypt.
 *
 * Stored form: `enc1.<keyId>.<nonce base64url>.<ciphertext+tag base64url>`.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { KeyRing } from './key-ring.js';

export interface FieldPlace {
  table: string;
  column: string;
  rowId: string;
}

export class FieldDecryptionError extends Error {
  constructor(place: FieldPlace, reason: string) {
    super(`Cannot decrypt ${place.table}.${place.column} of ${place.rowId}: ${reason}`);
    this.name = 'FieldDecryptionError';
  }
}

const PREFIX = 'enc1';

const aad = (p: FieldPlace) => Buffer.from(`${p.table}:${p.column}:${p.rowId}`, 'utf8');

export class FieldCipher {
  constructor(private readonly ring: KeyRing) {}

  get currentKeyId(): string {
    return this.ring.current;
  }

  encrypt(plain: string, place: FieldPlace): string {
    const key = this.ring.keys.get(this.ring.current)!;
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(aad(place));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [
      PREFIX,
      this.ring.current,
      nonce.toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  /** Encrypts a value that may be absent: null stays null (an unanswered optional field). */
  encryptOptional(plain: string | null | undefined, place: FieldPlace): string | null {
    return plain === null || plain === undefined || plain === ''
      ? null
      : this.encrypt(plain, place);
  }

  decrypt(stored: string, place: FieldPlace): string {
    const parts = stored.split('.');
    if (parts.length !== 4 || parts[0] !== PREFIX) {
      throw new FieldDecryptionError(place, 'not a ciphertext');
    }
    const key = this.ring.keys.get(parts[1]!);
    if (!key) throw new FieldDecryptionError(place, `key "${parts[1]}" is not in the key ring`);
    const body = Buffer.from(parts[3]!, 'base64url');
    if (body.length < 16) throw new FieldDecryptionError(place, 'too short');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[2]!, 'base64url'));
    decipher.setAAD(aad(place));
    decipher.setAuthTag(body.subarray(body.length - 16));
    try {
      return Buffer.concat([
        decipher.update(body.subarray(0, body.length - 16)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new FieldDecryptionError(place, 'authentication failed (wrong row, column or key)');
    }
  }

  decryptOptional(stored: string | null, place: FieldPlace): string | null {
    return stored === null ? null : this.decrypt(stored, place);
  }

  /** The id of the key a stored ciphertext was made with. */
  static keyIdOf(stored: string): string | undefined {
    const parts = stored.split('.');
    return parts.length === 4 && parts[0] === PREFIX ? parts[1] : undefined;
  }

  /**
   * A keyed hash for finding a row by a secret value (a participant code) without storing the
   * value: equal inputs give equal outputs, and nobody without the index key can compute one.
   */
  blindIndex(purpose: string, value: string): string {
    return createHmac('sha256', this.ring.indexKey).update(`${purpose}\0${value}`).digest('hex');
  }
}
