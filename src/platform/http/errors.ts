import { StorageUnavailableError } from '../storage/blob-store.js';

/**
 * The one catalogue of errors a user can meet. Each has a stable code (asserted by tests), an
 * HTTP status, and a message key that the error page shows in the reader's language.
 */
export const ERRORS = {
  NOT_FOUND: { status: 404, messageKey: 'error.notFound.body' },
  BAD_PARAMETER: { status: 400, messageKey: 'error.badParameter.body' },
  BAD_URL: { status: 400, messageKey: 'error.badUrl.body' },
  RANGE_NOT_SATISFIABLE: { status: 416, messageKey: 'error.range.body' },
  METHOD_NOT_ALLOWED: { status: 405, messageKey: 'error.method.body' },
  FORBIDDEN: { status: 403, messageKey: 'error.forbidden.body' },
  BAD_FORM_TOKEN: { status: 403, messageKey: 'error.formToken.body' },
  TOO_MANY_REQUESTS: { status: 429, messageKey: 'error.tooMany.body' },
  SERVICE_UNAVAILABLE: { status: 503, messageKey: 'error.unavailable.body' },
  DISK_FULL: { status: 507, messageKey: 'error.diskFull.body' },
  INTERNAL: { status: 500, messageKey: 'error.internal.body' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly status: number;
  readonly messageKey: string;
  constructor(
    readonly code: ErrorCode,
    detail?: string,
  ) {
    super(detail ?? code);
    this.name = 'AppError';
    this.status = ERRORS[code].status;
    this.messageKey = ERRORS[code].messageKey;
  }
}

/** Seconds a client is asked to wait after a 503 or 507 (Retry-After). */
export const RETRY_AFTER_SECONDS = 30;

// SQLite's primary result codes 5 and 6 and their extended forms (SQLITE_BUSY_SNAPSHOT...).
const SQLITE_BUSY = /^SQLITE_(BUSY|LOCKED)(_|$)/;
const SQLITE_FULL = /^SQLITE_FULL(_|$)/;
// PostgreSQL: connection exceptions (08xxx), admin/crash shutdown (57P01-57P03), too many
// connections (53300), and the socket errors of pg's client when the server cannot be reached.
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Maps what the platform throws when a resource runs out or goes away to the catalogue: storage
 * or database unreachable or busy -> 503 (try again), disk full -> 507. Follows `cause` chains
 * (a driver error wrapped by a library). Undefined for anything else: a bug stays a 500.
 */
export function operationalError(error: unknown): AppError | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { name, code, message } = e as { name?: string; code?: unknown; message?: unknown };
    if (e instanceof StorageUnavailableError) return new AppError('SERVICE_UNAVAILABLE', name);
    if (typeof code === 'string') {
      if (SQLITE_BUSY.test(code) || PG_UNAVAILABLE.test(code) || NETWORK.has(code))
        return new AppError('SERVICE_UNAVAILABLE', code);
      if (SQLITE_FULL.test(code) || NO_SPACE.has(code)) return new AppError('DISK_FULL', code);
    }
    // pg reports a pool that could not get a connection in time without a code.
    if (typeof message === 'string' && /^timeout exceeded when trying to connect/i.test(message))
      return new AppError('SERVICE_UNAVAILABLE', 'database connection timeout');
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export const notFound = (detail?: string) => new AppError('NOT_FOUND', detail);
export const forbidden = (detail?: string) => new AppError('FORBIDDEN', detail);
export const badParameter = (detail?: string) => new AppError('BAD_PARAMETER', detail);
