import { createHmac, timingSafeEqual } from 'node:crypto';
import { checkValues, OaiError } from './arguments.js';

/**
 * Resumption tokens hold the whole state of a list request, so any instance can answer the next
 * page and nothing is kept in memory or in the database: the query (prefix, from, until, set) and
 * the sort key of the last record sent. A harvest resumes after that key, so records changed
 * during the harvest move to its end instead of shifting pages (nothing is skipped).
 *
 * The MAC is an integrity check, not a secret: a token grants nothing the harvester could not ask
 * for with plain arguments, so the key is a fixed constant shared by every instance and every
 * restart. It turns an edited or truncated token into badResumptionToken instead of a silently
 * different list.
 */
const KEY = 'learning-center/oai-pmh/resumption-token/v1';

export type ListVerb = 'ListIdentifiers' | 'ListRecords';

export interface TokenState {
  verb: ListVerb;
  metadataPrefix: string;
  from?: string | undefined;
  until?: string | undefined;
  set?: string | undefined;
  /** Sort key (datestamp, edition id) of the last record already sent. */
  after: [string, string];
}

const VERB_CODES: Record<ListVerb, string> = { ListIdentifiers: 'I', ListRecords: 'R' };

function mac(payload: string): string {
  return createHmac('sha256', KEY).update(payload).digest('base64url').slice(0, 22);
}

export function encodeToken(state: TokenState): string {
  const body = [
    1,
    VERB_CODES[state.verb],
    state.metadataPrefix,
    state.from ?? null,
    state.until ?? null,
    state.set ?? null,
    state.after[0],
    state.after[1],
  ];
  const payload = Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
  return `${payload}.${mac(payload)}`;
}

const bad = () =>
  new OaiError('badResumptionToken', 'The resumptionToken is invalid or has been altered.');

export function decodeToken(token: string, verb: ListVerb): TokenState {
  const match = /^([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) throw bad();
  const [, payload, signature] = match as unknown as [string, string, string];
  const expected = Buffer.from(mac(payload));
  if (!timingSafeEqual(Buffer.from(signature), expected)) throw bad();
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(body) || body.length !== 8 || body[0] !== 1) throw bad();
  const [, code, metadataPrefix, from, until, set, key, id] = body as unknown[];
  if (code !== VERB_CODES[verb]) {
    throw new OaiError('badResumptionToken', `This resumptionToken does not belong to ${verb}.`);
  }
  const optional = (v: unknown) => v === null || typeof v === 'string';
  if (
    typeof metadataPrefix !== 'string' ||
    !optional(from) ||
    !optional(until) ||
    !optional(set) ||
    typeof key !== 'string' ||
    typeof id !== 'string'
  ) {
    throw bad();
  }
  const state: TokenState = {
    verb,
    metadataPrefix,
    from: (from as string | null) ?? undefined,
    until: (until as string | null) ?? undefined,
    set: (set as string | null) ?? undefined,
    after: [key, id],
  };
  try {
    checkValues(state);
  } catch {
    throw bad();
  }
  return state;
}
