/**
 * Participant codes and certificate verification codes: random Crockford base32, grouped for
 * reading aloud and copying by hand (XXXX-XXXX-XXXX, 60 bits; ABCD-EFGH-JK, 50 bits).
 *
 * Typed codes are forgiving: any case, spaces or hyphens anywhere, O for 0, I and L for 1, and
 * Arabic-Indic or Persian digits (a phone keyboard in Arabic or Persian types those). A
 * participant code is stored only as a blind index (an HMAC), never as itself.
 */
import { randomInt } from 'node:crypto';
import type { FieldCipher } from '../../platform/crypto/field-encryption.js';

export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PARTICIPANT_LENGTH = 12;
const VERIFICATION_LENGTH = 10;
/** Purpose of the participant code's blind index. */
export const PARTICIPANT_CODE_PURPOSE = 'participant-code';

function randomSymbols(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += CROCKFORD[randomInt(32)];
  return out;
}

function grouped(symbols: string, sizes: readonly number[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(symbols.slice(at, at + size));
    at += size;
  }
  return parts.join('-');
}

/** A new participant code, as shown to her: `XXXX-XXXX-XXXX`. */
export function newParticipantCode(): string {
  return grouped(randomSymbols(PARTICIPANT_LENGTH), [4, 4, 4]);
}

/** A new certificate verification code: `ABCD-EFGH-JK`. */
export function newVerificationCode(): string {
  return grouped(randomSymbols(VERIFICATION_LENGTH), [4, 4, 2]);
}

/** Symbols of a typed code in canonical form, or undefined when it cannot be a code. */
function canonicalSymbols(typed: string, length: number): string | undefined {
  if (typed.length > 100) return undefined;
  const symbols = typed
    .normalize('NFKC')
    // Arabic-Indic (U+0660-0669) and Persian (U+06F0-06F9) digits.
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    // Spaces, hyphens and dashes of every kind, and the invisible marks of right-to-left text.
    .replace(/[\s\p{Pd}\u200B-\u200F\u061C\u2066-\u2069\u202A-\u202E]/gu, '')
    .toUpperCase()
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (symbols.length !== length) return undefined;
  for (const c of symbols) if (!CROCKFORD.includes(c)) return undefined;
  return symbols;
}

/** A typed participant code in canonical form (12 symbols, no hyphens), or undefined. */
export function normaliseParticipantCode(typed: string): string | undefined {
  return canonicalSymbols(typed, PARTICIPANT_LENGTH);
}

/** A typed verification code as stored (`ABCD-EFGH-JK`), or undefined. */
export function normaliseVerificationCode(typed: string): string | undefined {
  const symbols = canonicalSymbols(typed, VERIFICATION_LENGTH);
  return symbols && grouped(symbols, [4, 4, 2]);
}

/**
 * The blind index stored in participants.code_hmac. A malformed code still costs one HMAC (of a
 * value no real code has), so a wrong code and a malformed one take the same path and time;
 * `valid` tells the caller not to look the result up.
 */
export function participantCodeIndex(
  cipher: FieldCipher,
  typed: string,
): { hmac: string; valid: boolean } {
  const normalised = normaliseParticipantCode(typed);
  return {
    hmac: cipher.blindIndex(
      PARTICIPANT_CODE_PURPOSE,
      normalised ?? `invalid\0${typed.slice(0, 100)}`,
    ),
    valid: normalised !== undefined,
  };
}
