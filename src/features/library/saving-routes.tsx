import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { formField, isSameOriginRequest } from '../accounts/csrf.js';
import { SAVER_COOKIE } from '../../platform/http/data-saver.js';
import { badParameter, forbidden, notFound } from '../../platform/http/errors.js';
import type { PageRenderer } from '../../platform/http/pages.js';
import { isUiLanguage } from '../../platform/i18n/languages.js';
import { LangParams } from './route-schemas.js';
import { OfflinePage, SaverPage } from './views/saving.js';

const ONE_YEAR = 365 * 24 * 3600;

/** Where to go back to after the switch: a page of this site in this language, nothing else. */
export function safeReturnPath(next: string | undefined, lang: string): string | undefined {
  if (typeof next !== 'string' || next.length > 2000) return undefined;
  if (!next.startsWith(`/${lang}/`) || next.startsWith('//')) return undefined;
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\\\s\u0000-\u001f\u007f]/.test(next)) return undefined;
  return next;
}

/**
 * The data-saver page and switch, and the offline shelf page.
 *
 * The switch is a POST form checked for same origin (Sec-Fetch-Site / Origin and a form body
 * type), not a GET link: a GET that changes a preference could be flipped by another site's link
 * or image, or by a link prefetcher. No CSRF token is needed for a preference that reveals and
 * risks nothing, and the reader has no session to bind one to.
 */
export function registerSavingRoutes(app: FastifyInstance, deps: { pages: PageRenderer }) {
  const { pages } = deps;

  app.get('/:lang/data-saver', { schema: { params: LangParams } }, (request, reply) =>
    pages.render(request, reply, async (ctx) => ({
      title: ctx.t('saving.heading'),
      body: <SaverPage ctx={ctx} />,
      alternates: 'ui',
    })),
  );

  app.post('/:lang/data-saver', { schema: { params: LangParams } }, async (request, reply) => {
    const { lang } = request.params as Static<typeof LangParams>;
    if (!isUiLanguage(lang)) throw notFound('unknown interface language');
    if (!isSameOriginRequest(request)) throw forbidden('data-saver switch from another site');
    const saver = formField(request, 'saver');
    if (saver !== 'on' && saver !== 'off') throw badParameter('saver must be on or off');
    const target = safeReturnPath(formField(request, 'next'), lang) ?? `/${lang}/data-saver`;
    const options = {
      path: '/',
      sameSite: 'lax' as const,
      httpOnly: true,
      secure: request.protocol === 'https',
    };
    if (saver === 'on') reply.setCookie(SAVER_COOKIE, '1', { ...options, maxAge: ONE_YEAR });
    else reply.clearCookie(SAVER_COOKIE, options);
    reply.header('cache-control', 'no-store');
    return reply.redirect(target, 303);
  });

  app.get('/:lang/offline', { schema: { params: LangParams } }, (request, reply) =>
    pages.render(request, reply, async (ctx) => ({
      title: ctx.t('offline.heading'),
      body: <OfflinePage ctx={ctx} />,
      alternates: 'ui',
    })),
  );
}
