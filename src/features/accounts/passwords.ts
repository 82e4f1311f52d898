/**
 * Password hashing with argon2id (OWASP's first choice), and the rules a new password must meet.
 * Rules are length-based (NIST SP 800-63B): no composition rules, no expiry.
 */
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** argon2id, 19 MiB, 2 passes, 1 lane: OWASP's minimum, ~30 ms on this class of machine. */
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/** A hash made once, so that an unknown username costs as much time as a wrong password. */
let dummyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(
  stored: string | undefined,
  password: string,
): Promise<boolean> {
  if (password.length > PASSWORD_MAX_LENGTH) return false;
  if (!stored) {
    dummyHash ??= hashPassword('no such user: spend the same time');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** The message key of what is wrong with a new password, or undefined when it is acceptable. */
export function passwordProblem(password: string, username: string): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'account.password.tooShort';
  if (length > PASSWORD_MAX_LENGTH) return 'account.password.tooLong';
  if (password.toLowerCase().includes(username.toLowerCase()))
    return 'account.password.hasUsername';
  return undefined;
}

/** A new random password (128 bits, base64url): given once to a person, who then changes it. */
export function generatePassword(): string {
  return randomBytes(16).toString('base64url');
}
