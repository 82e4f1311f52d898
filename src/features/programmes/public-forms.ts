/**
 * CSRF defence for the forms people fill in without an account (registration, surveys, the
 * participant's own page): a double-submit token in a cookie and a hidden field, plus the same
 * origin and body-type checks as signed-in forms. Pages carrying these forms are rendered with
 * `renderPrivate` (no-store): never cached, and never left on a shared phone.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieOptions } from '../accounts/cookies.js';
import { validFormPost } from '../accounts/csrf.js';

const COOKIE = 'lc_form_csrf';
const TOKEN = /^[A-Za-z0-9_-]{32}$/;

/** The visitor's form token (kept if she has one, so several open tabs all work). */
export function publicFormToken(request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[COOKIE];
  if (existing && TOKEN.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  reply.setCookie(COOKIE, token, cookieOptions(request));
  return token;
}

/** Whether a public form post is genuine: our origin, a form body, and the matching token. */
export function validPublicFormPost(request: FastifyRequest): boolean {
  return validFormPost(request, request.cookies[COOKIE]);
}
