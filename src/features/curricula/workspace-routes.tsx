/**
 * Building curricula in the workspace: the list with the creation form, a curriculum's texts and
 * modules, and a session's texts, activities and handouts. Every route loads what it acts on
 * through the policies first (404 unseen, 403 not allowed); every change runs in one
 * transaction with the version check (a stale form gets 409) and its audit entry.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { bumpContentVersion } from '../../platform/db/content-version.js';
import type { DB } from '../../platform/db/schema.js';
import { notFound } from '../../platform/http/errors.js';
import { canonicalTag } from '../../platform/i18n/languages.js';
import { recordAudit, type AuditEntry } from '../audit/log.js';
import { formField } from '../accounts/csrf.js';
import { staffOf } from '../accounts/guard.js';
import type { Staff } from '../accounts/sessions.js';
import type { ProgrammeDeps } from '../programmes/deps.js';
import { canEditCurriculum } from '../programmes/policies.js';
import { pickText, slugFrom } from '../programmes/texts.js';
import { ID_PATTERN } from '../workspace/access.js';
import { formVersion } from '../workspace/forms.js';
import { visibleOrganisations } from '../workspace/policies.js';
import { actorOf, signedInOf } from '../workspace/work-routes.js';
import { canSeeCurriculum, loadCurriculumForStaff, loadSessionForStaff } from './access.js';
import {
  checkLanguage,
  checkMinutes,
  checkTitle,
  LIST_MAX,
  normaliseLines,
  NOTES_MAX,
  readFields,
  SUMMARY_MAX,
  TITLE_MAX,
  type FieldErrors,
} from './forms.js';
import {
  bumpCurriculum,
  bumpSession,
  curriculumTree,
  insertActivity,
  insertCurriculum,
  insertHandout,
  insertModule,
  insertSession,
  listCurricula,
  moveAmong,
  sessionDetail,
  upsertActivityText,
  upsertCurriculumText,
  upsertModuleText,
  upsertSessionText,
  type CurriculumRow,
  type SessionRow,
} from './repository.js';
import {
  ConflictPage,
  CurriculaWorkspaceList,
  CurriculumEditPage,
  SessionEditPage,
  type Failed,
} from './views/workspace.js';

const id = { type: 'string', pattern: ID_PATTERN } as const;
const params = (...names: string[]) =>
  ({
    type: 'object',
    properties: { lang: { type: 'string' }, ...Object.fromEntries(names.map((n) => [n, id])) },
    required: ['lang', ...names],
  }) as const;

interface P {
  lang: string;
  id: string;
  moduleId?: string;
  sessionId?: string;
  activityId?: string;
  workId?: string;
}

const hasErrors = (errors: FieldErrors) => Object.keys(errors).length > 0;

/** The language a page edits: `?in=` when well formed, else the reader's best existing text. */
function editLanguage(request: FastifyRequest, texts: readonly { language: string }[]): string {
  const asked = (request.query as { in?: unknown }).in;
  const tag = typeof asked === 'string' ? canonicalTag(asked.trim()) : undefined;
  if (tag) return tag;
  const lang = (request.params as P).lang;
  return pickText(texts, lang)?.text.language ?? lang;
}

/** Signed-in pages, registered inside the workspace guard. */
export function registerCurriculumWorkspaceRoutes(scope: FastifyInstance, deps: ProgrammeDeps) {
  const { db, pages } = deps;

  /** Works without a curriculum whose curriculum the person may create, with a title each. */
  async function worksForNewCurricula(staff: Staff, lang: string) {
    const organisations = visibleOrganisations(staff);
    if (organisations && organisations.length === 0) return [];
    let query = db
      .selectFrom('works as w')
      .leftJoin('curricula as c', 'c.work_id', 'w.id')
      .select(['w.id', 'w.slug', 'w.publisher_id'])
      .where('c.id', 'is', null);
    if (organisations) query = query.where('w.publisher_id', 'in', organisations);
    const works = (await query.orderBy('w.slug').limit(500).execute()).filter((w) =>
      canEditCurriculum(staff, w.publisher_id),
    );
    if (works.length === 0) return [];
    const editions = await db
      .selectFrom('editions')
      .select(['work_id', 'language', 'title'])
      .where(
        'work_id',
        'in',
        works.map((w) => w.id),
      )
      .execute();
    return works.map((w) => ({
      ...w,
      title:
        pickText(
          editions.filter((e) => e.work_id === w.id),
          lang,
        )?.text.title ?? null,
    }));
  }

  const listPage = async (request: FastifyRequest, reply: FastifyReply, failed?: Failed) => {
    const staff = staffOf(request);
    const { lang } = request.params as P;
    const [curricula, works] = await Promise.all([
      listCurricula(db, visibleOrganisations(staff)),
      worksForNewCurricula(staff, lang),
    ]);
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('curriculum.ws.heading'),
        body: (
          <CurriculaWorkspaceList
            ctx={ctx}
            csrfToken={staff.csrfToken}
            curricula={curricula.filter((c) => canSeeCurriculum(staff, c))}
            works={works}
            failed={failed}
          />
        ),
      }),
      { status: failed ? 400 : 200, signedIn: signedInOf(request) },
    );
  };

  const conflict = (request: FastifyRequest, reply: FastifyReply, reload: string) =>
    pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('workspace.conflict.heading'),
        body: <ConflictPage ctx={ctx} reload={reload} />,
      }),
      { status: 409, signedIn: signedInOf(request) },
    );

  /**
   * One change: in a transaction, the version check of the curriculum or session (false: the
   * form was stale), the change itself, its audit entry and, for public curricula, the content
   * version that empties the page caches.
   */
  async function commit(
    request: FastifyRequest,
    reply: FastifyReply,
    options: {
      curriculum: CurriculumRow;
      lock: { session?: SessionRow | undefined };
      /** Where to go after the change (a function: after the change, e.g. to a new row). */
      redirect: string | (() => string);
      change: (trx: Kysely<DB>, now: string) => Promise<AuditEntry>;
    },
  ) {
    const staff = staffOf(request);
    const version = formVersion(formField(request, 'version') ?? '');
    const now = deps.clock().toISOString();
    const done = await db.transaction().execute(async (trx) => {
      const fresh = options.lock.session
        ? await bumpSession(trx, options.lock.session.id, version, now)
        : await bumpCurriculum(trx, options.curriculum.id, version, now);
      if (!fresh) return false;
      const entry = await options.change(trx, now);
      await recordAudit(trx, actorOf(staff), {
        ...entry,
        organisationId: options.curriculum.publisher_id,
      });
      if (options.curriculum.published_at !== null) await bumpContentVersion(trx);
      return true;
    });
    const redirect = typeof options.redirect === 'string' ? options.redirect : options.redirect();
    if (!done) return conflict(request, reply, redirect.replace(/[?&]saved=1$/, ''));
    return reply.redirect(redirect, 303);
  }

  // ---- The list and creating a curriculum.

  scope.get('/:lang/workspace/curricula', (request, reply) => listPage(request, reply));

  scope.post('/:lang/workspace/curricula', async (request, reply) => {
    const staff = staffOf(request);
    const { lang } = request.params as P;
    const values = readFields(request, {
      work: 64,
      language: 64,
      title: TITLE_MAX,
      summary: SUMMARY_MAX,
    });
    const errors: FieldErrors = {};
    const works = await worksForNewCurricula(staff, lang);
    const work = works.find((w) => w.id === values.work);
    if (!work) errors.work = 'curriculum.error.work';
    const language = checkLanguage(values, errors);
    const title = checkTitle(values, errors);
    if (hasErrors(errors) || !work)
      return listPage(request, reply, { form: 'new', values, errors });
    const now = deps.clock().toISOString();
    const created = await db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('curricula')
        .select('id')
        .where((eb) => eb.or([eb('work_id', '=', work.id), eb('slug', '=', work.slug)]))
        .executeTakeFirst();
      if (taken) return undefined;
      const curriculumId = await insertCurriculum(
        trx,
        work,
        { language, title, summary: values.summary || null },
        now,
      );
      await recordAudit(trx, actorOf(staff), {
        action: 'curriculum.create',
        entityType: 'curriculum',
        entityId: curriculumId,
        organisationId: work.publisher_id,
        detail: { work: work.slug, language, title },
      });
      const published = await trx
        .selectFrom('works')
        .select('published_at')
        .where('id', '=', work.id)
        .executeTakeFirst();
      if (published?.published_at) await bumpContentVersion(trx);
      return curriculumId;
    });
    if (!created)
      return listPage(request, reply, {
        form: 'new',
        values,
        errors: { work: 'curriculum.error.exists' },
      });
    return reply.redirect(
      `/${lang}/workspace/curricula/${created}?in=${encodeURIComponent(language)}`,
      303,
    );
  });

  // ---- A curriculum: texts and modules.

  const curriculumPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    curriculum: CurriculumRow,
    options: { failed?: Failed; editLang?: string } = {},
  ) => {
    const staff = staffOf(request);
    const tree = await curriculumTree(db, curriculum);
    const languages = new Set(tree.texts.map((t) => t.language));
    for (const m of tree.modules) {
      for (const t of m.texts) languages.add(t.language);
      for (const s of m.sessions) for (const t of s.texts) languages.add(t.language);
    }
    const editLang = options.editLang ?? editLanguage(request, tree.texts);
    const saved = (request.query as { saved?: string }).saved === '1';
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: pickText(tree.texts, ctx.lang)?.text.title ?? curriculum.slug,
        body: (
          <CurriculumEditPage
            ctx={ctx}
            csrfToken={staff.csrfToken}
            tree={tree}
            canEdit={canEditCurriculum(staff, curriculum.publisher_id)}
            editLang={editLang}
            languages={[...languages].sort()}
            saved={saved && !options.failed}
            failed={options.failed}
          />
        ),
      }),
      { status: options.failed ? 400 : 200, signedIn: signedInOf(request) },
    );
  };

  const back = (lang: string, curriculumId: string, editLang: string) =>
    `/${lang}/workspace/curricula/${curriculumId}?in=${encodeURIComponent(editLang)}&saved=1`;

  /** Loads the curriculum for a change, reads the form and checks the language. */
  async function curriculumChange(request: FastifyRequest, fields: Record<string, number>) {
    const p = request.params as P;
    const curriculum = await loadCurriculumForStaff(db, staffOf(request), p.id, 'edit');
    const values = readFields(request, { language: 64, ...fields });
    const errors: FieldErrors = {};
    const language = checkLanguage(values, errors);
    return { p, curriculum, values, errors, language };
  }

  /** A module of this curriculum, or 404. */
  async function moduleOf(curriculumId: string, moduleId: string | undefined) {
    const row = await db
      .selectFrom('curriculum_modules')
      .select(['id'])
      .where('id', '=', moduleId ?? '')
      .where('curriculum_id', '=', curriculumId)
      .executeTakeFirst();
    if (!row) throw notFound('no such module');
    return row;
  }

  scope.get(
    '/:lang/workspace/curricula/:id',
    { schema: { params: params('id') } },
    async (request, reply) => {
      const p = request.params as P;
      const curriculum = await loadCurriculumForStaff(db, staffOf(request), p.id, 'view');
      return curriculumPage(request, reply, curriculum);
    },
  );

  scope.post(
    '/:lang/workspace/curricula/:id',
    { schema: { params: params('id') } },
    async (request, reply) => {
      const { p, curriculum, values, errors, language } = await curriculumChange(request, {
        title: TITLE_MAX,
        summary: SUMMARY_MAX,
      });
      const title = checkTitle(values, errors);
      if (hasErrors(errors))
        return curriculumPage(request, reply, curriculum, {
          failed: { form: 'texts', values, errors },
          ...(language ? { editLang: language } : {}),
        });
      const summary = values.summary || null;
      return commit(request, reply, {
        curriculum,
        lock: {},
        redirect: back(p.lang, curriculum.id, language),
        change: async (trx) => {
          await upsertCurriculumText(trx, curriculum.id, { language, title, summary });
          return {
            action: 'curriculum.update',
            entityType: 'curriculum',
            entityId: curriculum.id,
            detail: { language, title, summary },
          };
        },
      });
    },
  );

  scope.post(
    '/:lang/workspace/curricula/:id/modules',
    { schema: { params: params('id') } },
    async (request, reply) => {
      const { p, curriculum, values, errors, language } = await curriculumChange(request, {
        title: TITLE_MAX,
      });
      const title = checkTitle(values, errors);
      if (hasErrors(errors))
        return curriculumPage(request, reply, curriculum, {
          failed: { form: 'newModule', values, errors },
          ...(language ? { editLang: language } : {}),
        });
      return commit(request, reply, {
        curriculum,
        lock: {},
        redirect: back(p.lang, curriculum.id, language),
        change: async (trx) => {
          const moduleId = await insertModule(trx, curriculum.id, {
            language,
            title,
            summary: null,
          });
          return {
            action: 'curriculum.module.add',
            entityType: 'curriculum',
            entityId: curriculum.id,
            detail: { module: moduleId, language, title },
          };
        },
      });
    },
  );

  scope.post(
    '/:lang/workspace/curricula/:id/modules/:moduleId',
    { schema: { params: params('id', 'moduleId') } },
    async (request, reply) => {
      const { p, curriculum, values, errors, language } = await curriculumChange(request, {
        title: TITLE_MAX,
      });
      const module = await moduleOf(curriculum.id, p.moduleId);
      const title = checkTitle(values, errors);
      if (hasErrors(errors))
        return curriculumPage(request, reply, curriculum, {
          failed: { form: `module:${module.id}`, values, errors },
          ...(language ? { editLang: language } : {}),
        });
      return commit(request, reply, {
        curriculum,
        lock: {},
        redirect: back(p.lang, curriculum.id, language),
        change: async (trx) => {
          const existing = await trx
            .selectFrom('curriculum_module_texts')
            .select('summary')
            .where('module_id', '=', module.id)
            .where('language', '=', language)
            .executeTakeFirst();
          await upsertModuleText(trx, module.id, {
            language,
            title,
            summary: existing?.summary ?? null,
          });
          return {
            action: 'curriculum.module.rename',
            entityType: 'curriculum',
            entityId: curriculum.id,
            detail: { module: module.id, language, title },
          };
        },
      });
    },
  );

  const direction = (request: FastifyRequest): 'up' | 'down' =>
    formField(request, 'to') === 'up' ? 'up' : 'down';

  scope.post(
    '/:lang/workspace/curricula/:id/modules/:moduleId/move',
    { schema: { params: params('id', 'moduleId') } },
    async (request, reply) => {
      const { p, curriculum, language } = await curriculumChange(request, {});
      const module = await moduleOf(curriculum.id, p.moduleId);
      const to = direction(request);
      return commit(request, reply, {
        curriculum,
        lock: {},
        redirect: back(p.lang, curriculum.id, language || p.lang),
        change: async (trx) => {
          const siblings = await trx
            .selectFrom('curriculum_modules')
            .select('id')
            .where('curriculum_id', '=', curriculum.id)
            .orderBy('position')
            .orderBy('id')
            .execute();
          await moveAmong(trx, 'curriculum_modules', siblings, module.id, to);
          return {
            action: 'curriculum.module.move',
            entityType: 'curriculum',
            entityId: curriculum.id,
            detail: { module: module.id, to },
          };
        },
      });
    },
  );

  scope.post(
    '/:lang/workspace/curricula/:id/modules/:moduleId/delete',
    { schema: { params: params('id', 'moduleId') } },
    async (request, reply) => {
      const { p, curriculum, language } = await curriculumChange(request, {});
      const module = await moduleOf(curriculum.id, p.moduleId);
      return commit(request, reply, {
        curriculum,
        lock: {},
        redirect: back(p.lang, curriculum.id, language || p.lang),
        change: async (trx) => {
          await trx.deleteFrom('curriculum_modules').where('id', '=', module.id).execute();
          return {
            action: 'curriculum.module.delete',
            entityType: 'curriculum',
            entityId: curriculum.id,
            detail: { module: module.id },
          };
        },
      });
    },
  );

  scope.post(
    '/:lang/workspace/curricula/:id/modules/:moduleId/sessions',
    { schema: { params: params('id', 'moduleId') } },
    async (request, reply) => {
      const { p, curriculum, values, errors, language } = await curriculumChange(request, {
        title: TITLE_MAX,
        duration: 12,
      });
      const module = await moduleOf(curriculum.id, p.moduleId);
      const title = checkTitle(values, errors);
      const minutes = checkMinutes(values, errors, 'duration');
      if (hasErrors(errors))
        return curriculumPage(request, reply, curriculum, {
          failed: { form: `session:${module.id}`, values, errors },
          ...(language ? { editLang: language } : {}),
        });
      let sessionId = '';
      const slug = slugFrom(title);
      return commit(request, reply, {
        curriculum,
        lock: {},
        // Straight on to the new session's page, to write its objectives and activities.
        redirect: () =>
          sessionId
            ? `/${p.lang}/workspace/curricula/sessions/${sessionId}?in=${encodeURIComponent(language)}`
            : back(p.lang, curriculum.id, language),
        change: async (trx, now) => {
          sessionId = await insertSession(
            trx,
            module.id,
            slug,
            minutes,
            { language, title, objectives: '', materials: '', facilitator_notes: '' },
            now,
          );
          return {
            action: 'curriculum.session.add',
            entityType: 'curriculum',
            entityId: curriculum.id,
            detail: { module: module.id, session: sessionId, slug, language, title, minutes },
          };
        },
      });
    },
  );

  /** A session of this curriculum, or 404. */
  async function sessionOf(curriculumId: string, sessionId: string | undefined) {
    const row = await db
      .selectFrom('curriculum_sessions as s')
      .innerJoin('curriculum_modules as m', 'm.id', 's.module_id')
      .select(['s.id', 's.module_id'])
      .where('s.id', '=', sessionId ?? '')
      .where('m.curriculum_id', '=', curriculumId)
      .executeTakeFirst();
    if (!row) throw notFound('no such session');
    return row;
  }

  scope.post(
    '/:lang/workspace/curricula/:id/sessions/:sessionId/move',
    { schema: { params: params('id', 'sessionId') } },
    async (request, reply) => {
      const { p, curriculum, language } = await curriculumChange(request, {});
      const session = await sessionOf(curriculum.id, p.sessionId);
      const to = direction(request);
      return commit(request, reply, {
        curriculum,
        lock: {},
        redirect: back(p.lang, curriculum.id, language || p.lang),
        change: async (trx) => {
          const siblings = await trx
            .selectFrom('curriculum_sessions')
            .select('id')
            .where('module_id', '=', session.module_id)
            .orderBy('position')
            .orderBy('id')
            .execute();
          await moveAmong(trx, 'curriculum_sessions', siblings, session.id, to);
          return {
            action: 'curriculum.session.move',
            entityType: 'curriculum',
            entityId: curriculum.id,
            detail: { session: session.id, to },
          };
        },
      });
    },
  );

  scope.post(
    '/:lang/workspace/curricula/:id/sessions/:sessionId/delete',
    { schema: { params: params('id', 'sessionId') } },
    async (request, reply) => {
      const { p, curriculum, language } = await curriculumChange(request, {});
      const session = await sessionOf(curriculum.id, p.sessionId);
      return commit(request, reply, {
        curriculum,
        lock: {},
        redirect: back(p.lang, curriculum.id, language || p.lang),
        change: async (trx) => {
          await trx.deleteFrom('curriculum_sessions').where('id', '=', session.id).execute();
          return {
            action: 'curriculum.session.delete',
            entityType: 'curriculum',
            entityId: curriculum.id,
            detail: { session: session.id },
          };
        },
      });
    },
  );

  // ---- A session: texts, activities, handouts.

  const sessionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    loaded: { session: SessionRow; curriculum: CurriculumRow },
    options: { failed?: Failed; editLang?: string } = {},
  ) => {
    const staff = staffOf(request);
    const detail = await sessionDetail(db, loaded.session);
    const languages = new Set(detail.texts.map((t) => t.language));
    for (const a of detail.activities) for (const t of a.texts) languages.add(t.language);
    const editLang = options.editLang ?? editLanguage(request, detail.texts);
    const saved = (request.query as { saved?: string }).saved === '1';
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: pickText(detail.texts, ctx.lang)?.text.title ?? loaded.session.slug,
        body: (
          <SessionEditPage
            ctx={ctx}
            csrfToken={staff.csrfToken}
            curriculum={loaded.curriculum}
            detail={detail}
            canEdit={canEditCurriculum(staff, loaded.curriculum.publisher_id)}
            editLang={editLang}
            languages={[...languages].sort()}
            saved={saved && !options.failed}
            failed={options.failed}
          />
        ),
      }),
      { status: options.failed ? 400 : 200, signedIn: signedInOf(request) },
    );
  };

  const sessionBack = (lang: string, sessionId: string, editLang: string) =>
    `/${lang}/workspace/curricula/sessions/${sessionId}?in=${encodeURIComponent(editLang)}&saved=1`;

  async function sessionChange(request: FastifyRequest, fields: Record<string, number>) {
    const p = request.params as P;
    const loaded = await loadSessionForStaff(db, staffOf(request), p.id, 'edit');
    const values = readFields(request, { language: 64, ...fields });
    const errors: FieldErrors = {};
    const language = checkLanguage(values, errors);
    const failedPage = (reply: FastifyReply, form: string) =>
      sessionPage(request, reply, loaded, {
        failed: { form, values, errors },
        ...(language ? { editLang: language } : {}),
      });
    return { p, ...loaded, values, errors, language, failedPage };
  }

  /** An activity of this session, or 404. */
  async function activityOf(sessionId: string, activityId: string | undefined) {
    const row = await db
      .selectFrom('session_activities')
      .select(['id'])
      .where('id', '=', activityId ?? '')
      .where('session_id', '=', sessionId)
      .executeTakeFirst();
    if (!row) throw notFound('no such activity');
    return row;
  }

  scope.get(
    '/:lang/workspace/curricula/sessions/:id',
    { schema: { params: params('id') } },
    async (request, reply) => {
      const p = request.params as P;
      const loaded = await loadSessionForStaff(db, staffOf(request), p.id, 'view');
      return sessionPage(request, reply, loaded);
    },
  );

  scope.post(
    '/:lang/workspace/curricula/sessions/:id',
    { schema: { params: params('id') } },
    async (request, reply) => {
      const c = await sessionChange(request, {
        duration: 12,
        title: TITLE_MAX,
        objectives: LIST_MAX,
        materials: LIST_MAX,
        facilitator_notes: NOTES_MAX,
      });
      const title = checkTitle(c.values, c.errors);
      const minutes = checkMinutes(c.values, c.errors, 'duration');
      if (hasErrors(c.errors)) return c.failedPage(reply, 'session');
      const text = {
        language: c.language,
        title,
        objectives: normaliseLines(c.values.objectives ?? ''),
        materials: normaliseLines(c.values.materials ?? ''),
        facilitator_notes: (c.values.facilitator_notes ?? '').trim(),
      };
      return commit(request, reply, {
        curriculum: c.curriculum,
        lock: { session: c.session },
        redirect: sessionBack(c.p.lang, c.session.id, c.language),
        change: async (trx) => {
          await trx
            .updateTable('curriculum_sessions')
            .set({ duration_minutes: minutes })
            .where('id', '=', c.session.id)
            .execute();
          await upsertSessionText(trx, c.session.id, text);
          return {
            action: 'curriculum.session.update',
            entityType: 'curriculum_session',
            entityId: c.session.id,
            detail: { minutes, language: c.language, title },
          };
        },
      });
    },
  );

  const activityFields = { minutes: 12, title: TITLE_MAX, steps: NOTES_MAX };

  scope.post(
    '/:lang/workspace/curricula/sessions/:id/activities',
    { schema: { params: params('id') } },
    async (request, reply) => {
      const c = await sessionChange(request, activityFields);
      const title = checkTitle(c.values, c.errors);
      const minutes = checkMinutes(c.values, c.errors, 'minutes');
      if (hasErrors(c.errors)) return c.failedPage(reply, 'newActivity');
      const steps = normaliseLines(c.values.steps ?? '');
      return commit(request, reply, {
        curriculum: c.curriculum,
        lock: { session: c.session },
        redirect: sessionBack(c.p.lang, c.session.id, c.language),
        change: async (trx) => {
          const activityId = await insertActivity(trx, c.session.id, minutes, {
            language: c.language,
            title,
            steps,
          });
          return {
            action: 'curriculum.activity.add',
            entityType: 'curriculum_session',
            entityId: c.session.id,
            detail: { activity: activityId, minutes, language: c.language, title },
          };
        },
      });
    },
  );

  scope.post(
    '/:lang/workspace/curricula/sessions/:id/activities/:activityId',
    { schema: { params: params('id', 'activityId') } },
    async (request, reply) => {
      const c = await sessionChange(request, activityFields);
      const activity = await activityOf(c.session.id, c.p.activityId);
      const title = checkTitle(c.values, c.errors);
      const minutes = checkMinutes(c.values, c.errors, 'minutes');
      if (hasErrors(c.errors)) return c.failedPage(reply, `activity:${activity.id}`);
      const steps = normaliseLines(c.values.steps ?? '');
      return commit(request, reply, {
        curriculum: c.curriculum,
        lock: { session: c.session },
        redirect: sessionBack(c.p.lang, c.session.id, c.language),
        change: async (trx) => {
          await trx
            .updateTable('session_activities')
            .set({ minutes })
            .where('id', '=', activity.id)
            .execute();
          await upsertActivityText(trx, activity.id, { language: c.language, title, steps });
          return {
            action: 'curriculum.activity.update',
            entityType: 'curriculum_session',
            entityId: c.session.id,
            detail: { activity: activity.id, minutes, language: c.language, title },
          };
        },
      });
    },
  );

  scope.post(
    '/:lang/workspace/curricula/sessions/:id/activities/:activityId/move',
    { schema: { params: params('id', 'activityId') } },
    async (request, reply) => {
      const c = await sessionChange(request, {});
      const activity = await activityOf(c.session.id, c.p.activityId);
      const to = direction(request);
      return commit(request, reply, {
        curriculum: c.curriculum,
        lock: { session: c.session },
        redirect: sessionBack(c.p.lang, c.session.id, c.language || c.p.lang),
        change: async (trx) => {
          const siblings = await trx
            .selectFrom('session_activities')
            .select('id')
            .where('session_id', '=', c.session.id)
            .orderBy('position')
            .orderBy('id')
            .execute();
          await moveAmong(trx, 'session_activities', siblings, activity.id, to);
          return {
            action: 'curriculum.activity.move',
            entityType: 'curriculum_session',
            entityId: c.session.id,
            detail: { activity: activity.id, to },
          };
        },
      });
    },
  );

  scope.post(
    '/:lang/workspace/curricula/sessions/:id/activities/:activityId/delete',
    { schema: { params: params('id', 'activityId') } },
    async (request, reply) => {
      const c = await sessionChange(request, {});
      const activity = await activityOf(c.session.id, c.p.activityId);
      return commit(request, reply, {
        curriculum: c.curriculum,
        lock: { session: c.session },
        redirect: sessionBack(c.p.lang, c.session.id, c.language || c.p.lang),
        change: async (trx) => {
          await trx.deleteFrom('session_activities').where('id', '=', activity.id).execute();
          return {
            action: 'curriculum.activity.delete',
            entityType: 'curriculum_session',
            entityId: c.session.id,
            detail: { activity: activity.id },
          };
        },
      });
    },
  );

  scope.post(
    '/:lang/workspace/curricula/sessions/:id/handouts',
    { schema: { params: params('id') } },
    async (request, reply) => {
      const c = await sessionChange(request, { slug: 80 });
      const slug = (c.values.slug ?? '').toLowerCase();
      // Only published library works: a handout is for participants to read.
      const work = slug
        ? await db
            .selectFrom('works')
            .select(['id', 'slug'])
            .where('slug', '=', slug)
            .where('published_at', 'is not', null)
            .executeTakeFirst()
        : undefined;
      if (!work) c.errors.slug = 'curriculum.error.handout';
      else {
        const already = await db
          .selectFrom('session_handouts')
          .select('work_id')
          .where('session_id', '=', c.session.id)
          .where('work_id', '=', work.id)
          .executeTakeFirst();
        if (already) c.errors.slug = 'curriculum.error.handoutTwice';
      }
      if (hasErrors(c.errors) || !work) return c.failedPage(reply, 'handout');
      return commit(request, reply, {
        curriculum: c.curriculum,
        lock: { session: c.session },
        redirect: sessionBack(c.p.lang, c.session.id, c.language),
        change: async (trx) => {
          await insertHandout(trx, c.session.id, work.id);
          return {
            action: 'curriculum.handout.add',
            entityType: 'curriculum_session',
            entityId: c.session.id,
            detail: { work: work.slug },
          };
        },
      });
    },
  );

  scope.post(
    '/:lang/workspace/curricula/sessions/:id/handouts/:workId/delete',
    { schema: { params: params('id', 'workId') } },
    async (request, reply) => {
      const c = await sessionChange(request, {});
      const handout = await db
        .selectFrom('session_handouts')
        .select('work_id')
        .where('session_id', '=', c.session.id)
        .where('work_id', '=', c.p.workId ?? '')
        .executeTakeFirst();
      if (!handout) throw notFound('no such handout');
      return commit(request, reply, {
        curriculum: c.curriculum,
        lock: { session: c.session },
        redirect: sessionBack(c.p.lang, c.session.id, c.language || c.p.lang),
        change: async (trx) => {
          await trx
            .deleteFrom('session_handouts')
            .where('session_id', '=', c.session.id)
            .where('work_id', '=', handout.work_id)
            .execute();
          return {
            action: 'curriculum.handout.remove',
            entityType: 'curriculum_session',
            entityId: c.session.id,
            detail: { work: handout.work_id },
          };
        },
      });
    },
  );
}
