/**
 * The arguments of an OAI-PMH request: parsed from the query string (GET) or the form body (POST)
 * without merging repeated keys, then checked against what the verb allows (section 3.1.1 and 4 of
 * the protocol). Anything wrong is an OaiError carrying the protocol's error code.
 */

export const VERBS = [
  'Identify',
  'ListMetadataFormats',
  'ListSets',
  'ListIdentifiers',
  'ListRecords',
  'GetRecord',
] as const;
export type Verb = (typeof VERBS)[number];

export type OaiErrorCode =
  | 'badArgument'
  | 'badResumptionToken'
  | 'badVerb'
  | 'cannotDisseminateFormat'
  | 'idDoesNotExist'
  | 'noRecordsMatch'
  | 'noMetadataFormats'
  | 'noSetHierarchy';

export class OaiError extends Error {
  constructor(
    readonly code: OaiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type ArgumentName = 'identifier' | 'metadataPrefix' | 'from' | 'until' | 'set' | 'resumptionToken';

interface VerbRule {
  required: ArgumentName[];
  optional: ArgumentName[];
  /** Allowed only alone (with the verb). */
  exclusive?: ArgumentName;
}

const RULES: Record<Verb, VerbRule> = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ['identifier'] },
  ListSets: { required: [], optional: [], exclusive: 'resumptionToken' },
  ListIdentifiers: {
    required: ['metadataPrefix'],
    optional: ['from', 'until', 'set'],
    exclusive: 'resumptionToken',
  },
  ListRecords: {
    required: ['metadataPrefix'],
    optional: ['from', 'until', 'set'],
    exclusive: 'resumptionToken',
  },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [] },
};

/** A request whose verb and arguments are well formed. */
export interface OaiRequest {
  verb: Verb;
  args: Partial<Record<ArgumentName, string>>;
}

/**
 * `a=1&b=2&a=3` as ordered pairs, decoded as application/x-www-form-urlencoded. Malformed
 * percent-escapes are a badArgument, not a guess.
 */
export function parsePairs(encoded: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of encoded.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? '' : part.slice(eq + 1);
    try {
      pairs.push([decode(rawKey), decode(rawValue)]);
    } catch {
      throw new OaiError('badArgument', 'The request contains a malformed percent-encoding.');
    }
  }
  return pairs;
}

function decode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** Checks the verb, then the arguments the verb allows, requires and forbids. */
export function checkRequest(pairs: [string, string][]): OaiRequest {
  const verbs = pairs.filter(([key]) => key === 'verb').map(([, value]) => value);
  if (verbs.length === 0) throw new OaiError('badVerb', 'The verb argument is missing.');
  if (verbs.length > 1) throw new OaiError('badVerb', 'The verb argument is repeated.');
  const verb = verbs[0]!;
  if (!(VERBS as readonly string[]).includes(verb)) {
    throw new OaiError('badVerb', 'The value of the verb argument is not a legal OAI-PMH verb.');
  }
  const rule = RULES[verb as Verb];
  const allowed = new Set<string>([...rule.required, ...rule.optional]);
  if (rule.exclusive) allowed.add(rule.exclusive);
  const args: Partial<Record<ArgumentName, string>> = {};
  for (const [key, value] of pairs) {
    if (key === 'verb') continue;
    if (!allowed.has(key)) {
      throw new OaiError(
        'badArgument',
        `${verb} does not accept the argument "${printable(key)}".`,
      );
    }
    if (key in args) throw new OaiError('badArgument', `The argument ${key} is repeated.`);
    if (value === '') throw new OaiError('badArgument', `The argument ${key} is empty.`);
    args[key as ArgumentName] = value;
  }
  if (rule.exclusive && args[rule.exclusive] !== undefined) {
    if (Object.keys(args).length > 1) {
      throw new OaiError(
        'badArgument',
        `${rule.exclusive} is an exclusive argument: it cannot be combined with other arguments.`,
      );
    }
    return { verb: verb as Verb, args };
  }
  for (const name of rule.required) {
    if (args[name] === undefined) {
      throw new OaiError('badArgument', `${verb} requires the argument ${name}.`);
    }
  }
  checkValues(args);
  return { verb: verb as Verb, args };
}

/** Keeps an echoed name short and free of characters a message should not carry. */
function printable(value: string): string {
  const cleaned = [...value].filter((c) => c >= ' ' && c !== '\u007f').join('');
  return cleaned.length > 40 ? `${cleaned.slice(0, 40)}…` : cleaned;
}

/** metadataPrefix and setSpec syntax from OAI-PMH.xsd (metadataPrefixType, setSpecType). */
const PREFIX = /^[A-Za-z0-9\-_.!~*'()]+$/;
export const SET_SPEC = /^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$/;
/**
 * A URI reference (RFC 3986 characters, well-formed percent-escapes, one fragment at most), which
 * is what the request element may echo (identifierType is xs:anyURI). Ours are oai:<host>:edition/<id>.
 */
const URI_CHAR = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})";
const IDENTIFIER = new RegExp(`^${URI_CHAR}+(#${URI_CHAR}*)?$`);

export function checkValues(args: OaiRequest['args']): void {
  if (args.metadataPrefix !== undefined && !PREFIX.test(args.metadataPrefix)) {
    throw new OaiError('badArgument', 'The metadataPrefix argument is not a valid prefix.');
  }
  if (args.set !== undefined && !SET_SPEC.test(args.set)) {
    throw new OaiError('badArgument', 'The set argument is not a valid setSpec.');
  }
  if (args.identifier !== undefined && !IDENTIFIER.test(args.identifier)) {
    throw new OaiError('badArgument', 'The identifier argument is not a URI.');
  }
  const from = args.from === undefined ? undefined : parseUtc(args.from, 'from');
  const until = args.until === undefined ? undefined : parseUtc(args.until, 'until');
  if (from && until) {
    if (from.granularity !== until.granularity) {
      throw new OaiError('badArgument', 'from and until must have the same granularity.');
    }
    if (from.start > until.end) {
      throw new OaiError('badArgument', 'from is later than until.');
    }
  }
}

export interface UtcBound {
  granularity: 'day' | 'seconds';
  /** The first and last second the value covers, as `YYYY-MM-DDThh:mm:ssZ` (comparable as text). */
  start: string;
  end: string;
}

/**
 * A `from` or `until` value in either granularity the repository supports. A day covers all
 * of its seconds, so `until=2024-05-01` includes records changed at 23:59:59 that day.
 */
export function parseUtc(value: string, name: string): UtcBound {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const seconds = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(value);
  const match = day ?? seconds;
  if (match) {
    const [y, mo, d, h = '00', mi = '00', s = '00'] = match.slice(1) as string[];
    // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
    const date = new Date(0);
    date.setUTCFullYear(+y!, +mo! - 1, +d!);
    date.setUTCHours(+h, +mi, +s);
    const valid =
      +y! >= 1 &&
      date.getUTCFullYear() === +y! &&
      date.getUTCMonth() === +mo! - 1 &&
      date.getUTCDate() === +d! &&
      date.getUTCHours() === +h &&
      date.getUTCMinutes() === +mi &&
      date.getUTCSeconds() === +s;
    if (valid) {
      return day
        ? { granularity: 'day', start: `${value}T00:00:00Z`, end: `${value}T23:59:59Z` }
        : { granularity: 'seconds', start: value, end: value };
    }
  }
  throw new OaiError(
    'badArgument',
    `The ${name} argument must be a UTC date, YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.`,
  );
}

/** A database timestamp (ISO 8601 UTC text) as an OAI datestamp, `YYYY-MM-DDThh:mm:ssZ`. */
export function datestamp(stored: string): string {
  // Without a zone the stored text is UTC by the schema's convention: Date would read it as local.
  const plain = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?$/.exec(stored);
  if (plain) return `${plain[1]}T${plain[2]}Z`;
  const date = new Date(stored);
  return nowDatestamp(Number.isNaN(date.getTime()) ? new Date(0) : date);
}

/** The current instant at the protocol's granularity. */
export function nowDatestamp(now: Date = new Date()): string {
  return now.toISOString().slice(0, 19) + 'Z';
}
