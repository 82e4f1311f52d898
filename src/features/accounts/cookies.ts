/**
 * The session cookie. Behind TLS it is `__Host-lc_session` with Secure (the prefix makes the
 * browser refuse it from a sub-domain or without TLS); on a plain-HTTP workshop LAN it is
 * `lc_session`. Always HttpOnly and SameSite=Lax, with no expiry: the server decides that.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const SECURE_NAME = '__Host-lc_session';
const PLAIN_NAME = 'lc_session';
/** Double-submit token of the sign-in form, before there is a session to hold one. */
export const LOGIN_CSRF_COOKIE = 'lc_login_csrf';

function isSecure(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

export function sessionCookieName(request: FastifyRequest): string {
  return isSecure(request) ? SECURE_NAME : PLAIN_NAME;
}

export function readSessionToken(request: FastifyRequest): string | undefined {
  return request.cookies[sessionCookieName(request)];
}

export function cookieOptions(request: FastifyRequest) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: isSecure(request) };
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string) {
  reply.setCookie(sessionCookieName(request), token, cookieOptions(request));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(sessionCookieName(request), cookieOptions(request));
}
