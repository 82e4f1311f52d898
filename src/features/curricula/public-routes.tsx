import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readContentVersion } from '../../platform/db/content-version.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { RenderedPage, sendPage } from '../../platform/http/page.js';
import { splitLanguagePrefix } from '../../platform/http/pages.js';
import { isUiLanguage, type UiLanguage } from '../../platform/i18n/languages.js';
import { htmlToPdf } from '../../platform/pdf/html-to-pdf.js';
import { attachmentHeader } from '../downloads/filename.js';
import type { ProgrammeDeps } from '../programmes/deps.js';
import {
  agendaDocument,
  curriculumTitle,
  printContext,
  PRINT_CSP,
  sessionDocument,
  sessionTitle,
} from './print.js';
import {
  curriculumTree,
  findPublicCurriculum,
  findSessionBySlug,
  listCurricula,
  sessionDetail,
} from './repository.js';
import { CurriculaListPage, CurriculumPage, SessionPage } from './views/public.js';
import { pick, titleOf } from './views/text.js';
import { curriculumJsonLd, sessionJsonLd } from '../discovery/json-ld.js';

const SLUG = { type: 'string', minLength: 1, maxLength: 200 } as const;

const CurriculumParams = {
  type: 'object',
  properties: { lang: { type: 'string' }, slug: SLUG },
  required: ['lang', 'slug'],
} as const;

const SessionParams = {
  type: 'object',
  properties: { lang: { type: 'string' }, slug: SLUG, session: SLUG },
  required: ['lang', 'slug', 'session'],
} as const;

interface Params {
  lang: string;
  slug: string;
  session?: string;
}

/** At most this many WeasyPrint processes at once (a PDF takes a core for a second or two). */
const MAX_RENDERS = 2;
const PDF_CACHE_ENTRIES = 100;

/** Public pages (no account). */
export function registerCurriculumPublicRoutes(app: FastifyInstance, deps: ProgrammeDeps) {
  const { db, pages } = deps;

  app.get('/:lang/curricula', (request, reply) =>
    pages.render(request, reply, async (ctx) => ({
      title: ctx.t('curriculum.list.heading'),
      body: <CurriculaListPage ctx={ctx} curricula={await listCurricula(db, undefined, true)} />,
      alternates: 'ui',
    })),
  );

  app.get('/:lang/curricula/:slug', { schema: { params: CurriculumParams } }, (request, reply) =>
    pages.render(request, reply, async (ctx) => {
      const { slug } = request.params as Params;
      const curriculum = await findPublicCurriculum(db, slug);
      if (!curriculum) throw notFound('no such curriculum');
      const tree = await curriculumTree(db, curriculum);
      const p = pick(tree.texts, ctx.lang);
      return {
        title: titleOf(p, curriculum.slug),
        description: p?.text.summary ?? undefined,
        body: <CurriculumPage ctx={ctx} tree={tree} />,
        alternates: 'ui',
        jsonLd: curriculumJsonLd({
          lang: ctx.lang,
          slug: curriculum.slug,
          workSlug: curriculum.work_slug,
          title: titleOf(p, curriculum.slug),
          summary: p?.text.summary,
          languages: tree.texts.map((t) => t.language),
          sessions: tree.modules.flatMap((m) =>
            m.sessions.map((s) => ({
              slug: s.slug,
              title: titleOf(pick(s.texts, ctx.lang), s.slug),
              minutes: s.duration_minutes,
            })),
          ),
        }),
      };
    }),
  );

  /** The curriculum (of a published work) and the session the URL names, or 404. */
  async function loadSession(params: Params) {
    const curriculum = await findPublicCurriculum(db, params.slug);
    if (!curriculum) throw notFound('no such curriculum');
    const session = await findSessionBySlug(db, curriculum.id, params.session ?? '');
    if (!session) throw notFound('no such session');
    const [detail, tree] = await Promise.all([
      sessionDetail(db, session),
      db
        .selectFrom('curriculum_texts')
        .select(['language', 'title', 'summary'])
        .where('curriculum_id', '=', curriculum.id)
        .orderBy('language')
        .execute(),
    ]);
    return { curriculum, detail, curriculumTexts: tree };
  }

  app.get(
    '/:lang/curricula/:slug/sessions/:session',
    { schema: { params: SessionParams } },
    (request, reply) =>
      pages.render(request, reply, async (ctx) => {
        const { curriculum, detail, curriculumTexts } = await loadSession(request.params as Params);
        return {
          title: sessionTitle(detail, ctx.lang),
          body: (
            <SessionPage
              ctx={ctx}
              curriculum={curriculum}
              curriculumTexts={curriculumTexts}
              detail={detail}
            />
          ),
          alternates: 'ui',
          jsonLd: sessionJsonLd({
            lang: ctx.lang,
            curriculumSlug: curriculum.slug,
            curriculumTitle: curriculumTitle(curriculumTexts, curriculum.slug, ctx.lang),
            slug: detail.session.slug,
            title: sessionTitle(detail, ctx.lang),
            minutes: detail.session.duration_minutes,
            languages: detail.texts.map((t) => t.language),
          }),
        };
      }),
  );

  const languageOf = (request: FastifyRequest): UiLanguage => {
    const { lang } = request.params as Params;
    if (!isUiLanguage(lang)) throw notFound('unknown interface language');
    return lang;
  };

  /** The session's or the agenda's document in the reader's language, and its file name. */
  async function documentFor(request: FastifyRequest, forBrowser: boolean) {
    const lang = languageOf(request);
    const params = request.params as Params;
    const path = splitLanguagePrefix(request.url).rest;
    const ctx = printContext(lang, path);
    const back = forBrowser ? `/${lang}${path.replace(/\/(print|pdf)$/, '')}` : undefined;
    if (params.session !== undefined) {
      const { curriculum, detail, curriculumTexts } = await loadSession(params);
      return {
        lang,
        html: sessionDocument({
          ctx,
          curriculumSlug: curriculum.slug,
          curriculumTexts,
          detail,
          back,
        }),
        filename: `${curriculumTitle(curriculumTexts, curriculum.slug, lang)} - ${sessionTitle(detail, lang)}.pdf`,
      };
    }
    const curriculum = await findPublicCurriculum(db, params.slug);
    if (!curriculum) throw notFound('no such curriculum');
    const tree = await curriculumTree(db, curriculum);
    return {
      lang,
      html: agendaDocument({ ctx, tree, back }),
      filename: `${curriculumTitle(tree.texts, curriculum.slug, lang)}.pdf`,
    };
  }

  const printView = async (request: FastifyRequest, reply: FastifyReply) => {
    const { lang, html } = await documentFor(request, true);
    reply.header('content-security-policy', PRINT_CSP);
    return sendPage(request, reply, new RenderedPage(200, Buffer.from(html), lang, false), 0);
  };

  // Rendered PDFs by URL, dropped whenever public content changes (the content version).
  const pdfCache = new Map<string, { version: string; pdf: Buffer; filename: string }>();
  let rendering = 0;

  const pdf = async (request: FastifyRequest, reply: FastifyReply) => {
    const version = await readContentVersion(db);
    const key = request.url.split('?')[0]!;
    let entry = pdfCache.get(key);
    if (!entry || entry.version !== version) {
      const { html, filename } = await documentFor(request, false);
      if (rendering >= MAX_RENDERS) throw new AppError('SERVICE_UNAVAILABLE', 'PDF renderer busy');
      rendering += 1;
      let bytes: Buffer;
      try {
        bytes = await htmlToPdf(html);
      } catch (error) {
        request.log.warn({ err: error }, 'curriculum PDF failed');
        throw new AppError('SERVICE_UNAVAILABLE', 'PDF renderer unavailable');
      } finally {
        rendering -= 1;
      }
      entry = { version, pdf: bytes, filename };
      if (pdfCache.size >= PDF_CACHE_ENTRIES) {
        const oldest = pdfCache.keys().next().value;
        if (oldest !== undefined) pdfCache.delete(oldest);
      }
      pdfCache.set(key, entry);
    }
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', attachmentHeader(entry.filename))
      .header('content-language', languageOf(request))
      .header('cache-control', 'no-cache')
      .send(entry.pdf);
  };

  app.get('/:lang/curricula/:slug/print', { schema: { params: CurriculumParams } }, printView);
  app.get('/:lang/curricula/:slug/pdf', { schema: { params: CurriculumParams } }, pdf);
  app.get(
    '/:lang/curricula/:slug/sessions/:session/print',
    { schema: { params: SessionParams } },
    printView,
  );
  app.get(
    '/:lang/curricula/:slug/sessions/:session/pdf',
    { schema: { params: SessionParams } },
    pdf,
  );
}
