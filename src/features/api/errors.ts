/**
 * The API's JSON errors: `{ "error": { "code", "message" } }`, never an HTML page, readable
 * from partners' sites (CORS) and never cached.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from './schemas.js';

export const API_PREFIX = '/api/v1';

/** An API error with its JSON code; anything else thrown is mapped by the error handler. */
export class ApiProblem extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}
export const notFound = (message: string) => new ApiProblem(404, message);
export const badRequest = (message: string) => new ApiProblem(400, message);

const CODES = {
  400: 'bad_request',
  404: 'not_found',
  503: 'unavailable',
  500: 'internal_error',
} as const satisfies Record<number, ApiError['error']['code']>;

export function sendApiError(reply: FastifyReply, status: keyof typeof CODES, message: string) {
  const body: ApiError = { error: { code: CODES[status], message } };
  // The database or the file storage is out of reach for a moment: a client may try again.
  if (status === 503) reply.header('retry-after', '30');
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('access-control-allow-origin', '*')
    .header('cross-origin-resource-policy', 'cross-origin')
    .send(JSON.stringify(body));
}

/** Whether a request is addressed to the API (by its raw URL: it may not have been routed). */
export function isApiRequest(request: FastifyRequest): boolean {
  const url = request.raw.url ?? '';
  return url === API_PREFIX || /^\/api\/v1[/?]/.test(url);
}

/**
 * For the application's `frameworkErrors` option (errors before routing: malformed
 * percent-encoding, an over-long path segment): answers an API request in JSON and returns
 * true; returns false for any other request, which gets the usual HTML page.
 */
export function apiFrameworkError(
  error: Error & { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
): boolean {
  if (!isApiRequest(request)) return false;
  void sendApiError(reply, 400, `malformed request address (${error.code ?? 'bad URL'})`);
  return true;
}
