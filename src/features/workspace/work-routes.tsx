/** Workspace home, the works list, and creating, editing and (un)publishing works. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { bumpContentVersion } from '../../platform/db/content-version.js';
import type { DB } from '../../platform/db/schema.js';
import { forbidden } from '../../platform/http/errors.js';
import type { PageRenderer } from '../../platform/http/pages.js';
import { recordAudit } from '../audit/log.js';
import { reindexWorks } from '../search/indexer.js';
import { formField } from '../accounts/csrf.js';
import { staffOf } from '../accounts/guard.js';
import type { Staff } from '../accounts/sessions.js';
import { ID_PATTERN, loadWork, scopeOf } from './access.js';
import {
  checkWorkForm,
  formVersion,
  readWorkForm,
  type FieldErrors,
  type WorkForm,
} from './forms.js';
import {
  canCreateWork,
  canEditEditions,
  canEditWork,
  canPublish,
  canViewAudit,
  organisationsForNewWorks,
  visibleOrganisations,
} from './policies.js';
import {
  insertWork,
  listWorks,
  organisationsByIds,
  updateWork,
  workEditionsAll,
  type WorkspaceWork,
} from './repository.js';
import { ConflictPage } from './views/editions.js';
import { WorkspaceHome } from './views/home.js';
import { NewWorkPage, WorkPage, WorksList } from './views/works.js';

export interface WorkspaceDeps {
  db: Kysely<DB>;
  pages: PageRenderer;
}

export const IdParams = {
  type: 'object',
  properties: { lang: { type: 'string' }, id: { type: 'string', pattern: ID_PATTERN } },
  required: ['lang', 'id'],
} as const;

export const actorOf = (staff: Staff) => ({ userId: staff.userId, name: staff.username });

export function signedInOf(request: FastifyRequest) {
  const staff = staffOf(request);
  return { displayName: staff.displayName, csrfToken: staff.csrfToken };
}

function formOf(work: WorkspaceWork): WorkForm {
  return {
    slug: work.slug,
    type: work.type,
    publisher: work.publisher_id ?? '',
    licence: work.licence ?? '',
    year: work.year === null ? '' : String(work.year),
    originalLanguage: work.original_language ?? '',
    version: String(work.version),
  };
}

export function registerWorkRoutes(scope: FastifyInstance, deps: WorkspaceDeps) {
  const { db, pages } = deps;

  /** Organisations in which the person may create works (the publisher choices). */
  const publishersFor = async (staff: Staff) => {
    const all = await organisationsByIds(db, visibleOrganisations(staff));
    const allowed = new Set(organisationsForNewWorks(staff, all));
    return all.filter((o) => allowed.has(o.id));
  };

  scope.get('/:lang/workspace', async (request, reply) => {
    const staff = staffOf(request);
    const canImport = (await publishersFor(staff)).length > 0;
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('workspace.heading'),
        body: (
          <WorkspaceHome
            ctx={ctx}
            memberships={staff.memberships}
            canAudit={staff.memberships.some((m) => canViewAudit(staff, m.organisationId))}
            canImport={canImport}
          />
        ),
      }),
      { signedIn: signedInOf(request) },
    );
  });

  scope.get('/:lang/workspace/works', async (request, reply) => {
    const staff = staffOf(request);
    const works = await listWorks(db, visibleOrganisations(staff), 200, 0);
    const canCreate = (await publishersFor(staff)).length > 0;
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('workspace.works'),
        body: <WorksList ctx={ctx} works={works} canCreate={canCreate} />,
      }),
      { signedIn: signedInOf(request) },
    );
  });

  const newWorkPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: WorkForm,
    errors: FieldErrors,
  ) => {
    const staff = staffOf(request);
    const publishers = await publishersFor(staff);
    if (publishers.length === 0) throw forbidden('may not create works');
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('workspace.work.new'),
        body: (
          <NewWorkPage
            ctx={ctx}
            csrfToken={staff.csrfToken}
            form={form}
            errors={errors}
            publishers={publishers}
          />
        ),
      }),
      { status: Object.keys(errors).length ? 400 : 200, signedIn: signedInOf(request) },
    );
  };

  scope.get('/:lang/workspace/works/new', (request, reply) =>
    newWorkPage(
      request,
      reply,
      {
        slug: '',
        type: 'manual',
        publisher: '',
        licence: '',
        year: '',
        originalLanguage: '',
        version: '',
      },
      {},
    ),
  );

  scope.post('/:lang/workspace/works', async (request, reply) => {
    const staff = staffOf(request);
    const form = readWorkForm(request);
    const publishers = (await publishersFor(staff)).map((o) => o.id);
    if (publishers.length === 0) throw forbidden('may not create works');
    const { errors, fields } = checkWorkForm(form, true, publishers);
    if (Object.keys(errors).length === 0 && !canCreateWork(staff, fields.publisher_id)) {
      throw forbidden('may not create works here');
    }
    if (Object.keys(errors).length) return newWorkPage(request, reply, form, errors);
    const now = new Date().toISOString();
    const id = await db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('works')
        .select('id')
        .where('slug', '=', form.slug)
        .executeTakeFirst();
      if (taken) return undefined;
      const workId = await insertWork(trx, form.slug, fields, now);
      await recordAudit(trx, actorOf(staff), {
        action: 'work.create',
        entityType: 'work',
        entityId: workId,
        organisationId: fields.publisher_id,
        detail: { slug: form.slug, ...fields },
      });
      return workId;
    });
    if (!id) return newWorkPage(request, reply, form, { slug: 'workspace.error.slugTaken' });
    return reply.redirect(
      `/${(request.params as { lang: string }).lang}/workspace/works/${id}/editions/new`,
      303,
    );
  });

  const workPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    work: WorkspaceWork,
    options: { form?: WorkForm; errors?: FieldErrors; saved?: boolean } = {},
  ) => {
    const staff = staffOf(request);
    const scopeOfWork = scopeOf(work);
    const [editions, publishers] = await Promise.all([
      workEditionsAll(db, work.id),
      publishersFor(staff),
    ]);
    const visible = canEditEditions(staff, scopeOfWork)
      ? editions
      : editions.filter((e) => e.status === 'published');
    const errors = options.errors ?? {};
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: work.slug,
        body: (
          <WorkPage
            ctx={ctx}
            csrfToken={staff.csrfToken}
            work={work}
            editions={visible}
            form={options.form ?? formOf(work)}
            errors={errors}
            publishers={publishers}
            canEdit={canEditWork(staff, scopeOfWork)}
            canPublish={canPublish(staff, scopeOfWork)}
            canAddEdition={canEditEditions(staff, scopeOfWork)}
            saved={options.saved ?? false}
          />
        ),
      }),
      { status: Object.keys(errors).length ? 400 : 200, signedIn: signedInOf(request) },
    );
  };

  scope.get(
    '/:lang/workspace/works/:id',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const work = await loadWork(db, staffOf(request), (request.params as { id: string }).id);
      const saved = (request.query as { saved?: string }).saved === '1';
      return workPage(request, reply, work, { saved });
    },
  );

  scope.post(
    '/:lang/workspace/works/:id',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const staff = staffOf(request);
      const { id, lang } = request.params as { id: string; lang: string };
      const work = await loadWork(db, staff, id, canEditWork);
      const form = { ...readWorkForm(request), slug: work.slug };
      const publishers = (await publishersFor(staff)).map((o) => o.id);
      const { errors, fields } = checkWorkForm(form, false, publishers);
      if (Object.keys(errors).length) return workPage(request, reply, work, { form, errors });
      const saved = await db.transaction().execute(async (trx) => {
        if (
          !(await updateWork(trx, id, formVersion(form.version), fields, new Date().toISOString()))
        )
          return false;
        await recordAudit(trx, actorOf(staff), {
          action: 'work.update',
          entityType: 'work',
          entityId: id,
          organisationId: fields.publisher_id,
          detail: fields,
        });
        if (work.published_at) await bumpContentVersion(trx);
        await reindexWorks(trx, [id]);
        return true;
      });
      if (!saved) {
        const current = await loadWork(db, staff, id);
        return pages.renderPrivate(
          request,
          reply,
          (ctx) => ({
            title: ctx.t('workspace.conflict.heading'),
            body: (
              <ConflictPage
                ctx={ctx}
                editHref={ctx.href(`/workspace/works/${id}`)}
                theirs={workFacts(formOf(current))}
                yours={workFacts(form)}
              />
            ),
          }),
          { status: 409, signedIn: signedInOf(request) },
        );
      }
      return reply.redirect(`/${lang}/workspace/works/${id}?saved=1`, 303);
    },
  );

  scope.post(
    '/:lang/workspace/works/:id/publish',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const staff = staffOf(request);
      const { id, lang } = request.params as { id: string; lang: string };
      const work = await loadWork(db, staff, id, canPublish);
      const publish = formField(request, 'to') === 'published';
      const version = formVersion(formField(request, 'version') ?? '');
      const now = new Date().toISOString();
      const saved = await db.transaction().execute(async (trx) => {
        if (
          !(await updateWork(
            trx,
            id,
            version,
            { published_at: publish ? (work.published_at ?? now) : null },
            now,
          ))
        ) {
          return false;
        }
        await recordAudit(trx, actorOf(staff), {
          action: publish ? 'work.publish' : 'work.unpublish',
          entityType: 'work',
          entityId: id,
          organisationId: work.publisher_id,
        });
        await bumpContentVersion(trx);
        await reindexWorks(trx, [id]);
        return true;
      });
      // A stale form (someone changed the work meanwhile): show the work as it is now.
      return reply.redirect(`/${lang}/workspace/works/${id}${saved ? '?saved=1' : ''}`, 303);
    },
  );
}

function workFacts(form: WorkForm) {
  return [
    { label: 'workspace.work.type', value: form.type },
    { label: 'workspace.work.licence', value: form.licence },
    { label: 'workspace.work.year', value: form.year },
    { label: 'workspace.work.originalLanguage', value: form.originalLanguage },
  ];
}
