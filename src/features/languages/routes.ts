import type { FastifyInstance } from 'fastify';
import type { Catalogs } from '../../platform/i18n/catalog.js';
import { isUiLanguage } from '../../platform/i18n/languages.js';
import {
  LANGUAGE_COOKIE,
  languageFromCookie,
  negotiateUiLanguage,
} from '../../platform/i18n/negotiation.js';

const ONE_YEAR = 365 * 24 * 3600;

/** A tiny neutral icon: nothing on a shared screen says what the site is about. */
const FAVICON = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="2" y="2" width="12" height="12" rx="2" fill="#7a1f5c"/></svg>',
);

/**
 * The reader's language: from the URL prefix on every page; at "/" from her earlier choice (a
 * first-party preference cookie, nothing else) or her browser's Accept-Language.
 */
export function registerLanguageRoutes(app: FastifyInstance, _deps: { catalogs: Catalogs }) {
  app.get('/', async (request, reply) => {
    const lang =
      languageFromCookie(request.cookies[LANGUAGE_COOKIE]) ??
      negotiateUiLanguage(request.headers['accept-language']);
    reply.header('vary', 'Cookie, Accept-Language');
    reply.header('cache-control', 'private, no-cache');
    return reply.redirect(`/${lang}/`, 302);
  });

  app.get('/set-language', async (request, reply) => {
    const { to, next } = request.query as { to?: string; next?: string };
    if (!to || !isUiLanguage(to)) return reply.callNotFound();
    // Only a path on this site in the chosen language: never an open redirect.
    const target =
      typeof next === 'string' &&
      next.startsWith(`/${to}/`) &&
      !next.startsWith('//') &&
      !/[\\\s]/.test(next)
        ? next
        : `/${to}/`;
    reply.setCookie(LANGUAGE_COOKIE, to, {
      path: '/',
      maxAge: ONE_YEAR,
      sameSite: 'lax',
      httpOnly: true,
      secure: request.protocol === 'https',
    });
    reply.header('cache-control', 'no-store');
    return reply.redirect(target, 303);
  });

  app.get('/favicon.svg', async (_request, reply) =>
    reply
      .header('content-type', 'image/svg+xml')
      .header('cache-control', `public, max-age=${ONE_YEAR}, immutable`)
      .send(FAVICON),
  );
  app.get('/favicon.ico', async (_request, reply) =>
    reply.header('cache-control', `public, max-age=${ONE_YEAR}`).code(204).send(),
  );
}
