/** Time-based one-time codes (RFC 6238) for two-factor sign-in, as authenticator apps make them. */
import { generateSecret, generateURI, verify } from 'otplib';

export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// address an authenticator app reads (typed in, or as a QR code). */
export function totpUri(secret: string, username: string): string {
  return generateURI({ issuer: 'Learning Center', label: username, secret });
}

/** Accepts the current code and the one before or after it, for clocks that drift. */
export async function verifyTotp(secret: string, code: string, now = new Date()): Promise<boolean> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  try {
    const result = await verify({
      secret,
      token,
      epoch: Math.floor(now.getTime() / 1000),
      epochTolerance: 30,
    });
    return result.valid;
  } catch {
    return false;
  }
}
