/**
 * Invitation links of invite-only events: a random token in the link, only its SHA-256 in the
 * database (a copy of the database opens no event). Compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function inviteHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new invitation token and the hash to store. */
export function newInviteToken(): { token: string; hash: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, hash: inviteHash(token) };
}

/** Whether `token` (from `?invite=`) opens an event whose stored hash is `storedHash`. */
export function inviteMatches(storedHash: string | null, token: string | undefined): boolean {
  if (!token || !storedHash || token.length > 64) return false;
  const a = Buffer.from(inviteHash(token));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}
