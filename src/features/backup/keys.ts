/**
 * The backup key pair (age X25519), kept apart from the keys of participants' fields: a server
 * that makes backups holds only the public recipient (BACKUP_RECIPIENT) and cannot read them;
 * restore and verify need the identity (BACKUP_IDENTITY or BACKUP_IDENTITY_FILE), which the
 * operator keeps offline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import type { KeyRing } from '../../platform/crypto/key-ring.js';

export class BackupKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupKeyError';
  }
}

const RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;
const IDENTITY = /^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/;

export function readRecipient(env: NodeJS.ProcessEnv): string {
  const recipient = env.BACKUP_RECIPIENT?.trim();
  if (!recipient) {
    throw new BackupKeyError(
      'BACKUP_RECIPIENT is not set: backups are always encrypted. Create a key pair on another machine with `learning-center backup keygen --out backup-identity.txt` and set BACKUP_RECIPIENT to the age1... line it prints.',
    );
  }
  if (!RECIPIENT.test(recipient)) {
    throw new BackupKeyError(
      'BACKUP_RECIPIENT must be an age X25519 public key (age1 followed by 58 letters and digits), as printed by `learning-center backup keygen`.',
    );
  }
  return recipient;
}

/** The identity from BACKUP_IDENTITY, or the first AGE-SECRET-KEY line of BACKUP_IDENTITY_FILE. */
export function readIdentity(env: NodeJS.ProcessEnv): string {
  let identity = env.BACKUP_IDENTITY?.trim();
  const file = env.BACKUP_IDENTITY_FILE?.trim();
  if (!identity && file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new BackupKeyError(
        `Cannot read BACKUP_IDENTITY_FILE ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    identity = text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.startsWith('AGE-SECRET-KEY-'));
    if (!identity) throw new BackupKeyError(`${file} holds no AGE-SECRET-KEY-1... line`);
  }
  if (!identity) {
    throw new BackupKeyError(
      'Reading a backup needs its secret key: set BACKUP_IDENTITY_FILE to the file made by `learning-center backup keygen` (or BACKUP_IDENTITY to its AGE-SECRET-KEY-1... line).',
    );
  }
  if (!IDENTITY.test(identity)) {
    throw new BackupKeyError(
      'The backup identity must be an age X25519 secret key (AGE-SECRET-KEY-1 followed by 58 letters and digits).',
    );
  }
  return identity;
}

/**
 * Refuses a backup key made from a field key: a backup stolen together with the server's
 * secrets would then be readable, and a leaked backup key would expose the fields as well.
 */
export async function assertSeparateFromFieldKeys(
  backupKey: { recipient?: string; identity?: string },
  ring: KeyRing | undefined,
): Promise<void> {
  if (!ring) return;
  const fieldKeys = [...ring.keys.values(), ring.indexKey];
  for (const key of fieldKeys) {
    const asIdentity = ageIdentityOf(key);
    const asRecipient = await identityToRecipient(asIdentity);
    if (backupKey.identity === asIdentity || backupKey.recipient === asRecipient) {
      throw new BackupKeyError(
        'The backup key is made from one of the field-encryption keys. Use a separate key pair: `learning-center backup keygen --out FILE`.',
      );
    }
  }
}

/** Writes a new identity file readable by its owner only; returns the recipient to publish. */
export async function generateKeyFile(file: string): Promise<string> {
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new BackupKeyError(`${file} already exists: not overwriting a key.`);
    throw error;
  }
  try {
    // The layout of age-keygen's files, so `age -d -i FILE` reads it too.
    fs.writeSync(
      fd,
      `# created: ${new Date().toISOString()}\n# public key: ${recipient}\n${identity}\n`,
    );
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return recipient;
}

/** 32 bytes spelled as an age X25519 identity (AGE-SECRET-KEY-1...). */
export function ageIdentityOf(key: Uint8Array): string {
  return bech32Encode('age-secret-key-', key).toUpperCase();
}

// Bech32 (BIP 173), only to spell field keys the way age spells keys, for the comparison above.
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i]!;
  }
  return chk;
}

function bech32Encode(prefix: string, bytes: Uint8Array): string {
  const words: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      words.push((acc >>> bits) & 31);
    }
  }
  if (bits > 0) words.push((acc << (5 - bits)) & 31);
  const expanded = [
    ...[...prefix].map((c) => c.charCodeAt(0) >> 5),
    0,
    ...[...prefix].map((c) => c.charCodeAt(0) & 31),
  ];
  const mod = polymod([...expanded, ...words, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return prefix + '1' + [...words, ...checksum].map((w) => CHARSET[w]).join('');
}
