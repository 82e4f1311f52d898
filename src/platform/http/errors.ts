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

export const notFound = (detail?: string) => new AppError('NOT_FOUND', detail);
export const forbidden = (detail?: string) => new AppError('FORBIDDEN', detail);
export const badParameter = (detail?: string) => new AppError('BAD_PARAMETER', detail);
