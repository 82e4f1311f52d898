/**
 * The gate in front of every signed-in route: loads the session (or sends the person to sign
 * in), refuses form posts without a valid CSRF token, and sends network admins without two-factor
 * sign-in to set it up before anything else.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { AppError } from '../../platform/http/errors.js';
import { splitLanguagePrefix } from '../../platform/http/pages.js';
import { clearSessionCookie, readSessionToken } from './cookies.js';
import { isSameOriginRequest, validFormPost } from './csrf.js';
import { loadSession, type SessionLimits, type Staff } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    staff?: Staff;
  }
}

export interface GuardDeps {
  db: Kysely<DB>;
  limits: SessionLimits;
  clock: () => Date;
}

/** The signed-in person; only for use behind the guard. */
export function staffOf(request: FastifyRequest): Staff {
  if (!request.staff) throw new Error('staffOf() outside the signed-in routes');
  return request.staff;
}

export const TWO_FACTOR_PATH = '/workspace/account/two-factor';

function isNetworkAdmin(staff: Staff): boolean {
  return staff.memberships.some((m) => m.role === 'network_admin');
}

/** Adds the gate to every route registered in `scope` (an encapsulated plugin). */
export function guardSignedInRoutes(scope: FastifyInstance, deps: GuardDeps) {
  scope.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const { lang, rest } = splitLanguagePrefix(request.url);
    const session = await loadSession(
      deps.db,
      readSessionToken(request),
      deps.clock(),
      deps.limits,
    );
    if (!session || session.secondFactorPending) {
      if (!session) clearSessionCookie(request, reply);
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(`/${lang}${rest}`)}` : '';
      return reply.redirect(`/${lang}/login${next}`, 303);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      // A file upload's body is streamed, not parsed here: its route reads the token from the
      // first field itself (routes say so in their config). Any other route checks it now.
      const streamed = (request.routeOptions.config as { streamedForm?: boolean }).streamedForm;
      const ok = streamed
        ? isSameOriginRequest(request) &&
          (request.headers['content-type'] ?? '').startsWith('multipart/form-data')
        : validFormPost(request, session.staff.csrfToken);
      if (!ok) throw new AppError('BAD_FORM_TOKEN');
    }
    request.staff = session.staff;
    const path = rest.split('?')[0]!;
    if (isNetworkAdmin(session.staff) && !session.staff.totpEnabled && path !== TWO_FACTOR_PATH) {
      return reply.redirect(`/${lang}${TWO_FACTOR_PATH}`, 303);
    }
  });
}
