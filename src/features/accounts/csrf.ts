/**
 * Cross-site request forgery defence for every form that changes something: a secret token in a
 * hidden field, compared in constant time with the session's (checked in preHandler, once the
 * body is parsed), plus the browser's own signals: a cross-site Origin or Sec-Fetch-Site, or a
 * body type no form of ours sends, is refused before the token is even read.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

export function formField(request: FastifyRequest, name: string): string | undefined {
  const body = request.body as Record<string, unknown> | undefined;
  const value = body?.[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether the browser says the request comes from one of our own pages (or says nothing). */
export function isSameOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  // With Referrer-Policy: no-referrer (ours), browsers send "Origin: null" on their own form
  // posts: it says nothing either way, so Sec-Fetch-Site and the token decide.
  if (origin === undefined || origin === 'null') return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** Same origin, and a body type our forms send (not text/plain, which a cross-site form can). */
export function isSameOriginRequest(request: FastifyRequest): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return isSameOrigin(request) && FORM_TYPES.includes(type);
}

/** Whether a form post carries `expected` as its `_csrf` field and comes from our origin. */
export function validFormPost(request: FastifyRequest, expected: string | undefined): boolean {
  return isSameOriginRequest(request) && sameToken(formField(request, '_csrf'), expected);
}
