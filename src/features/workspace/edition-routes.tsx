/** Adding editions to a work, editing them, and moving them through the translation workflow. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bumpContentVersion } from '../../platform/db/content-version.js';
import { EDITION_STATUSES, type EditionStatus } from '../../platform/db/schema.js';
import { forbidden } from '../../platform/http/errors.js';
import { recordAudit } from '../audit/log.js';
import { formField } from '../accounts/csrf.js';
import { staffOf } from '../accounts/guard.js';
import { loadEdition, loadWork, scopeOf } from './access.js';
import {
  checkEditionForm,
  formVersion,
  readEditionForm,
  type EditionForm,
  type FieldErrors,
} from './forms.js';
import { canEditEditions } from './policies.js';
import {
  editionJobs,
  unreadableFiles,
  ensureLanguage,
  findEdition,
  insertEdition,
  moveEdition,
  updateEdition,
  workEditionsAll,
  type WorkspaceEdition,
  type WorkspaceWork,
} from './repository.js';
import { editionFiles } from '../library/repository.js';
import { reindexEditions } from '../search/indexer.js';
import { UPLOAD_MESSAGES } from '../uploads/file-kinds.js';
import { ConflictPage, EditionPage, NewEditionPage } from './views/editions.js';
import { actorOf, IdParams, signedInOf, type WorkspaceDeps } from './work-routes.js';
import { canEditEdition, canMove, editionActions } from './workflow.js';

const EMPTY_FORM: EditionForm = {
  language: '',
  title: '',
  summary: '',
  translatedFrom: '',
  version: '',
};

function formOf(e: WorkspaceEdition): EditionForm {
  return { ...EMPTY_FORM, title: e.title, summary: e.summary ?? '', version: String(e.version) };
}

export function registerEditionRoutes(scope: FastifyInstance, deps: WorkspaceDeps) {
  const { db, pages } = deps;

  const newEditionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    work: WorkspaceWork,
    form: EditionForm,
    errors: FieldErrors,
  ) => {
    const staff = staffOf(request);
    const editions = await workEditionsAll(db, work.id);
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('workspace.edition.new'),
        body: (
          <NewEditionPage
            ctx={ctx}
            csrfToken={staff.csrfToken}
            work={work}
            editions={editions}
            form={form}
            errors={errors}
          />
        ),
      }),
      { status: Object.keys(errors).length ? 400 : 200, signedIn: signedInOf(request) },
    );
  };

  scope.get(
    '/:lang/workspace/works/:id/editions/new',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const work = await loadWork(
        db,
        staffOf(request),
        (request.params as { id: string }).id,
        canEditEditions,
      );
      return newEditionPage(request, reply, work, EMPTY_FORM, {});
    },
  );

  scope.post(
    '/:lang/workspace/works/:id/editions',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const staff = staffOf(request);
      const { id, lang } = request.params as { id: string; lang: string };
      const work = await loadWork(db, staff, id, canEditEditions);
      const form = readEditionForm(request);
      const { errors, language, fields } = checkEditionForm(form, true);
      let translatedFrom: { id: string; version: number } | undefined;
      if (form.translatedFrom) {
        const source = await findEdition(db, form.translatedFrom);
        if (!source || source.work_id !== work.id)
          errors.translated_from = 'workspace.error.translatedFrom';
        else translatedFrom = { id: source.id, version: source.version };
      }
      if (Object.keys(errors).length || !language)
        return newEditionPage(request, reply, work, form, errors);
      const now = new Date().toISOString();
      const editionId = await db.transaction().execute(async (trx) => {
        const taken = await trx
          .selectFrom('editions')
          .select('id')
          .where('work_id', '=', work.id)
          .where('language', '=', language)
          .executeTakeFirst();
        if (taken) return undefined;
        await ensureLanguage(trx, language);
        const newId = await insertEdition(
          trx,
          { workId: work.id, language, translatedFrom, ...fields },
          now,
        );
        await recordAudit(trx, actorOf(staff), {
          action: 'edition.create',
          entityType: 'edition',
          entityId: newId,
          organisationId: work.publisher_id,
          detail: { work: work.slug, language, title: fields.title },
        });
        return newId;
      });
      if (!editionId) {
        return newEditionPage(request, reply, work, form, {
          language: 'workspace.error.languageTaken',
        });
      }
      return reply.redirect(`/${lang}/workspace/editions/${editionId}?saved=1`, 303);
    },
  );

  const editionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    loaded: { edition: WorkspaceEdition; work: WorkspaceWork },
    options: {
      form?: EditionForm;
      errors?: FieldErrors;
      saved?: boolean;
      uploadError?: string;
      status?: number;
    } = {},
  ) => {
    const staff = staffOf(request);
    const { edition, work } = loaded;
    const [source, files, jobs, unreadable] = await Promise.all([
      edition.translated_from_id ? findEdition(db, edition.translated_from_id) : undefined,
      editionFiles(db, [edition.id]),
      editionJobs(db, edition.id),
      unreadableFiles(db, edition.id),
    ]);
    const errors = options.errors ?? {};
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: edition.title,
        body: (
          <EditionPage
            ctx={ctx}
            csrfToken={staff.csrfToken}
            work={work}
            edition={edition}
            source={source}
            form={options.form ?? formOf(edition)}
            errors={errors}
            actions={editionActions(staff, scopeOf(work), edition.status)}
            saved={options.saved ?? false}
            files={files}
            jobs={jobs}
            unreadable={unreadable}
            uploadError={options.uploadError}
          />
        ),
      }),
      {
        status: options.status ?? (Object.keys(errors).length ? 400 : 200),
        signedIn: signedInOf(request),
      },
    );
  };

  const conflictPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    current: WorkspaceEdition,
    yours: EditionForm,
  ) =>
    pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('workspace.conflict.heading'),
        body: (
          <ConflictPage
            ctx={ctx}
            editHref={ctx.href(`/workspace/editions/${current.id}`)}
            theirs={[
              { label: 'workspace.edition.title', value: current.title },
              { label: 'workspace.edition.summary', value: current.summary ?? '' },
              {
                label: 'workspace.edition.status',
                value: ctx.t(`workspace.status.${current.status}`),
              },
            ]}
            yours={[
              { label: 'workspace.edition.title', value: yours.title },
              { label: 'workspace.edition.summary', value: yours.summary },
            ]}
          />
        ),
      }),
      { status: 409, signedIn: signedInOf(request) },
    );

  scope.get(
    '/:lang/workspace/editions/:id',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const loaded = await loadEdition(db, staffOf(request), (request.params as { id: string }).id);
      const query = request.query as { saved?: string; upload_error?: string };
      // Set by the upload script after a refused resumable upload: only known messages show.
      const uploadError = UPLOAD_MESSAGES.has(query.upload_error ?? '')
        ? query.upload_error
        : undefined;
      return editionPage(request, reply, loaded, {
        saved: query.saved === '1',
        ...(uploadError ? { uploadError, status: 400 } : {}),
      });
    },
  );

  scope.post(
    '/:lang/workspace/editions/:id',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const staff = staffOf(request);
      const { id, lang } = request.params as { id: string; lang: string };
      const loaded = await loadEdition(db, staff, id);
      const { edition, work } = loaded;
      if (!canEditEdition(staff, scopeOf(work), edition.status))
        throw forbidden('may not edit this edition');
      const form = readEditionForm(request);
      const { errors, fields } = checkEditionForm(form, false);
      if (Object.keys(errors).length) return editionPage(request, reply, loaded, { form, errors });
      const caughtUp =
        formField(request, 'caught_up') === '1' && edition.translated_from_id !== null;
      const source = caughtUp ? await findEdition(db, edition.translated_from_id!) : undefined;
      const saved = await db.transaction().execute(async (trx) => {
        const ok = await updateEdition(
          trx,
          id,
          formVersion(form.version),
          { ...fields, ...(source ? { translated_from_version: source.version } : {}) },
          new Date().toISOString(),
        );
        if (!ok) return false;
        await recordAudit(trx, actorOf(staff), {
          action: 'edition.update',
          entityType: 'edition',
          entityId: id,
          organisationId: work.publisher_id,
          detail: { ...fields, ...(source ? { caughtUpWith: source.version } : {}) },
        });
        if (edition.status === 'published') await bumpContentVersion(trx);
        await reindexEditions(trx, [id]);
        return true;
      });
      if (!saved) {
        const current = await findEdition(db, id);
        if (current) return conflictPage(request, reply, current, form);
      }
      return reply.redirect(`/${lang}/workspace/editions/${id}?saved=1`, 303);
    },
  );

  scope.post(
    '/:lang/workspace/editions/:id/status',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const staff = staffOf(request);
      const { id, lang } = request.params as { id: string; lang: string };
      const { edition, work } = await loadEdition(db, staff, id);
      const to = formField(request, 'to') as EditionStatus;
      if (
        !(EDITION_STATUSES as readonly string[]).includes(to) ||
        !canMove(staff, scopeOf(work), edition.status, to)
      ) {
        throw forbidden('may not move this edition');
      }
      const now = new Date().toISOString();
      const saved = await db.transaction().execute(async (trx) => {
        const version = formVersion(formField(request, 'version') ?? '');
        const ok = await moveEdition(trx, id, { version, status: edition.status }, to, now);
        if (!ok) return false;
        await recordAudit(trx, actorOf(staff), {
          action: `edition.${to}`,
          entityType: 'edition',
          entityId: id,
          organisationId: work.publisher_id,
          detail: { from: edition.status, to },
        });
        if (to === 'published' || edition.status === 'published') await bumpContentVersion(trx);
        await reindexEditions(trx, [id]);
        return true;
      });
      if (!saved) {
        const current = await findEdition(db, id);
        if (current) return conflictPage(request, reply, current, formOf(edition));
      }
      return reply.redirect(`/${lang}/workspace/editions/${id}?saved=1`, 303);
    },
  );

  /** The edition's page with an upload problem, for the upload route. */
  return {
    showUploadError: async (
      request: FastifyRequest,
      reply: FastifyReply,
      status: number,
      error: string,
    ) => {
      const loaded = await loadEdition(db, staffOf(request), (request.params as { id: string }).id);
      return editionPage(request, reply, loaded, { uploadError: error, status });
    },
  };
}
