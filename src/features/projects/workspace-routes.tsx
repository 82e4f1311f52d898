/**
 * An event's advocacy projects in the workspace:
 *   GET/POST /:lang/workspace/events/:id/projects                  list, create
 *   GET/POST /:lang/workspace/events/:id/projects/:projectId       edit
 *   POST     /:lang/workspace/events/:id/projects/:projectId/consent   record or withdraw consent
 *   POST     /:lang/workspace/events/:id/projects/:projectId/publish   publish or unpublish
 *   POST     /:lang/workspace/events/:id/projects/:projectId/delete
 * Everything needs the right to run the organisation's events; choosing the team (names of
 * participants) needs the right to see participants. Every change is in the audit log.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { bumpContentVersion } from '../../platform/db/content-version.js';
import type { DB } from '../../platform/db/schema.js';
import { notFound } from '../../platform/http/errors.js';
import { recordAudit, type AuditEntry } from '../audit/log.js';
import { formField } from '../accounts/csrf.js';
import { staffOf } from '../accounts/guard.js';
import { loadEventForStaff, type StaffEvent } from '../events/access.js';
import type { ProgrammeDeps } from '../programmes/deps.js';
import { slugFrom } from '../programmes/texts.js';
import { ID_PATTERN } from '../workspace/access.js';
import type { FieldErrors } from '../workspace/forms.js';
import { actorOf, signedInOf } from '../workspace/work-routes.js';
import { checkProjectForm, readProjectForm, type ProjectForm } from './forms.js';
import {
  eventProject,
  eventProjects,
  memberCounts,
  memberIds,
  teamCandidates,
  topicChoices,
  type ProjectRow,
} from './repository.js';
import { ProjectPage, ProjectsPage } from './views.js';

const EventParams = {
  type: 'object',
  properties: { lang: { type: 'string' }, id: { type: 'string', pattern: ID_PATTERN } },
  required: ['lang', 'id'],
} as const;

const ProjectParams = {
  type: 'object',
  properties: {
    lang: { type: 'string' },
    id: { type: 'string', pattern: ID_PATTERN },
    projectId: { type: 'string', pattern: ID_PATTERN },
  },
  required: ['lang', 'id', 'projectId'],
} as const;

type Params = { lang: string; id: string; projectId: string };

function formOf(project: ProjectRow, members: Set<string>): ProjectForm {
  return {
    title: project.title,
    description: project.description,
    link: project.link ?? '',
    topic: project.topic_id ?? '',
    language: project.language,
    updatedAt: project.updated_at,
    members: [...members],
  };
}

/** Replaces the team of a project by `members` (registration ids already checked). */
async function setMembers(trx: Transaction<DB>, projectId: string, members: readonly string[]) {
  await trx.deleteFrom('project_members').where('project_id', '=', projectId).execute();
  if (members.length > 0) {
    await trx
      .insertInto('project_members')
      .values(members.map((registration_id) => ({ project_id: projectId, registration_id })))
      .execute();
  }
}

/** Changes a project if it is still as the form saw it; false when someone changed it meanwhile. */
async function updateIfCurrent(
  trx: Kysely<DB>,
  project: ProjectRow,
  seenAt: string,
  set: Partial<Omit<ProjectRow, 'id'>>,
  now: string,
): Promise<boolean> {
  // A new updated_at even when two changes fall in the same millisecond.
  const updatedAt =
    now > project.updated_at ? now : new Date(Date.parse(project.updated_at) + 1).toISOString();
  const result = await trx
    .updateTable('projects')
    .set({ ...set, updated_at: updatedAt })
    .where('id', '=', project.id)
    .where('updated_at', '=', seenAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function registerProjectWorkspaceRoutes(scope: FastifyInstance, deps: ProgrammeDeps) {
  const { db, pages, cipher } = deps;

  const load = async (request: FastifyRequest) => {
    const { id, lang } = request.params as Params;
    return loadEventForStaff(db, staffOf(request), id, lang, 'run');
  };

  const loadProject = async (request: FastifyRequest, event: StaffEvent) => {
    const { projectId } = request.params as Params;
    const project = await eventProject(db, event.event.id, projectId);
    if (!project) throw notFound('no such project');
    return project;
  };

  /** The event and project of the route, if the signed-in person may run the event. */
  const target = async (request: FastifyRequest) => {
    const staff = staffOf(request);
    const event = await load(request);
    const project = await loadProject(request, event);
    return { staff, event, project, lang: (request.params as Params).lang };
  };

  const choices = async (lang: string, event: StaffEvent, projectId: string | undefined) => {
    const [topics, team] = await Promise.all([
      topicChoices(db, lang),
      event.seesParticipants
        ? teamCandidates(db, cipher, event.event.id, projectId)
        : Promise.resolve(undefined),
    ]);
    return { topics, team };
  };

  const listPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    event: StaffEvent,
    form: ProjectForm | undefined,
    errors: FieldErrors,
  ) => {
    const { lang } = request.params as Params;
    const [projects, { topics, team }] = await Promise.all([
      eventProjects(db, event.event.id),
      choices(lang, event, undefined),
    ]);
    const counts = await memberCounts(
      db,
      projects.map((p) => p.id),
    );
    const notice =
      (request.query as { deleted?: string }).deleted === '1' ? 'project.deleted' : undefined;
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('project.heading'),
        body: (
          <ProjectsPage
            ctx={ctx}
            csrfToken={staffOf(request).csrfToken}
            event={event}
            projects={projects}
            counts={counts}
            form={
              form ?? {
                title: '',
                description: '',
                link: '',
                topic: '',
                language: ctx.lang,
                updatedAt: '',
                members: undefined,
              }
            }
            errors={errors}
            topics={topics}
            team={team}
            notice={notice}
          />
        ),
      }),
      { status: Object.keys(errors).length ? 400 : 200, signedIn: signedInOf(request) },
    );
  };

  const projectPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    event: StaffEvent,
    project: ProjectRow,
    options: {
      form?: ProjectForm;
      errors?: FieldErrors;
      notice?: { k: string; kind: 'ok' | 'error' };
      status?: number;
    } = {},
  ) => {
    const { lang } = request.params as Params;
    const { topics, team } = await choices(lang, event, project.id);
    const errors = options.errors ?? {};
    const form =
      options.form ??
      formOf(project, new Set(team?.filter((m) => m.member).map((m) => m.registrationId)));
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: project.title,
        body: (
          <ProjectPage
            ctx={ctx}
            csrfToken={staffOf(request).csrfToken}
            event={event}
            project={project}
            form={form}
            errors={errors}
            topics={topics}
            team={team}
            notice={options.notice}
          />
        ),
      }),
      {
        status: options.status ?? (Object.keys(errors).length ? 400 : 200),
        signedIn: signedInOf(request),
      },
    );
  };

  /** Checks a submitted form against the topics and the event's registrations. */
  const check = async (event: StaffEvent, form: ProjectForm) => {
    const [topics, registrations] = await Promise.all([
      db.selectFrom('topics').select('id').execute(),
      event.seesParticipants && form.members
        ? db
            .selectFrom('registrations')
            .select('id')
            .where('event_id', '=', event.event.id)
            .where('status', '!=', 'cancelled')
            .execute()
        : Promise.resolve([]),
    ]);
    // Without the right to see participants, a forged team part is ignored, not obeyed.
    const safeForm = event.seesParticipants ? form : { ...form, members: undefined };
    return checkProjectForm(
      safeForm,
      new Set(topics.map((t) => t.id)),
      new Set(registrations.map((r) => r.id)),
    );
  };

  const redirectTo = (
    reply: FastifyReply,
    lang: string,
    eventId: string,
    projectId: string,
    q = '',
  ) => reply.redirect(`/${lang}/workspace/events/${eventId}/projects/${projectId}${q}`, 303);

  scope.get(
    '/:lang/workspace/events/:id/projects',
    { schema: { params: EventParams } },
    async (request, reply) => listPage(request, reply, await load(request), undefined, {}),
  );

  scope.post(
    '/:lang/workspace/events/:id/projects',
    { schema: { params: EventParams } },
    async (request, reply) => {
      const staff = staffOf(request);
      const event = await load(request);
      const { lang } = request.params as Params;
      const form = readProjectForm(request);
      const { errors, fields, members } = await check(event, form);
      if (Object.keys(errors).length) return listPage(request, reply, event, form, errors);
      const now = deps.clock().toISOString();
      const id = randomUUID();
      const slug = slugFrom(fields.title);
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('projects')
          .values({
            id,
            slug,
            event_id: event.event.id,
            ...fields,
            consent_recorded_at: null,
            consent_recorded_by: null,
            published_at: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        if (members) await setMembers(trx, id, members);
        await recordAudit(trx, actorOf(staff), {
          action: 'project.create',
          entityType: 'project',
          entityId: id,
          organisationId: event.event.organisation_id,
          detail: { slug, event: event.event.id, members: members?.length ?? 0 },
        });
      });
      return redirectTo(reply, lang, event.event.id, id, '?saved=1');
    },
  );

  scope.get(
    '/:lang/workspace/events/:id/projects/:projectId',
    { schema: { params: ProjectParams } },
    async (request, reply) => {
      const { event, project } = await target(request);
      const q = request.query as { saved?: string; notice?: string };
      const notice =
        q.saved === '1'
          ? { k: 'project.saved', kind: 'ok' as const }
          : q.notice === 'consentReset'
            ? { k: 'project.consentReset', kind: 'ok' as const }
            : undefined;
      return projectPage(request, reply, event, project, notice ? { notice } : {});
    },
  );

  const conflict = (
    request: FastifyRequest,
    reply: FastifyReply,
    event: StaffEvent,
    current: ProjectRow,
  ) =>
    projectPage(request, reply, event, current, {
      notice: { k: 'project.error.conflict', kind: 'error' },
      status: 409,
    });

  const reload = async (event: StaffEvent, project: ProjectRow) =>
    (await eventProject(db, event.event.id, project.id)) ?? project;

  /**
   * Changes a project if it is still as the form saw it (`seenAt`), in one transaction: `set`,
   * then `more`, the audit entry and, when public pages show the change, a new content version.
   * Then the project's page with `query` (`?saved=1` unless told), or the conflict page when
   * someone changed the project meanwhile (nothing is written then).
   */
  const changeProject = async (
    request: FastifyRequest,
    reply: FastifyReply,
    { staff, event, project, lang }: Awaited<ReturnType<typeof target>>,
    change: {
      seenAt: string;
      set: Partial<Omit<ProjectRow, 'id'>>;
      now: string;
      more?: (trx: Transaction<DB>) => Promise<void>;
      audit: Pick<AuditEntry, 'action' | 'detail'>;
      public: boolean;
      query?: string;
    },
  ) => {
    const saved = await db.transaction().execute(async (trx) => {
      if (!(await updateIfCurrent(trx, project, change.seenAt, change.set, change.now)))
        return false;
      await change.more?.(trx);
      await recordAudit(trx, actorOf(staff), {
        action: change.audit.action,
        entityType: 'project',
        entityId: project.id,
        organisationId: event.event.organisation_id,
        ...(change.audit.detail ? { detail: change.audit.detail } : {}),
      });
      if (change.public) await bumpContentVersion(trx);
      return true;
    });
    if (!saved) return conflict(request, reply, event, await reload(event, project));
    return redirectTo(reply, lang, event.event.id, project.id, change.query ?? '?saved=1');
  };

  scope.post(
    '/:lang/workspace/events/:id/projects/:projectId',
    { schema: { params: ProjectParams } },
    async (request, reply) => {
      const route = await target(request);
      const { event, project } = route;
      const form = readProjectForm(request);
      const { errors, fields, members } = await check(event, form);
      if (Object.keys(errors).length) {
        return projectPage(request, reply, event, project, { form, errors });
      }
      const before = await memberIds(db, project.id);
      const teamChanged =
        members !== undefined &&
        (members.length !== before.size || members.some((m) => !before.has(m)));
      // A different team has not agreed yet: its consent is asked again and the page withdrawn.
      const resetConsent = teamChanged && project.consent_recorded_at !== null;
      return changeProject(request, reply, route, {
        seenAt: form.updatedAt,
        set: resetConsent
          ? { ...fields, consent_recorded_at: null, consent_recorded_by: null, published_at: null }
          : fields,
        now: deps.clock().toISOString(),
        more: async (trx) => {
          if (teamChanged) await setMembers(trx, project.id, members);
        },
        audit: {
          action: 'project.update',
          detail: {
            title: fields.title,
            link: fields.link,
            topic: fields.topic_id,
            language: fields.language,
            ...(teamChanged ? { members: members.length } : {}),
            ...(resetConsent ? { consentReset: true } : {}),
          },
        },
        public: Boolean(project.published_at),
        query: resetConsent ? '?notice=consentReset' : '?saved=1',
      });
    },
  );

  scope.post(
    '/:lang/workspace/events/:id/projects/:projectId/consent',
    { schema: { params: ProjectParams } },
    async (request, reply) => {
      const route = await target(request);
      const { staff, project } = route;
      const give = formField(request, 'consent') === 'yes';
      const now = deps.clock().toISOString();
      return changeProject(request, reply, route, {
        seenAt: formField(request, 'updated_at') ?? '',
        set: give
          ? { consent_recorded_at: now, consent_recorded_by: staff.userId }
          : { consent_recorded_at: null, consent_recorded_by: null, published_at: null },
        now,
        audit: { action: give ? 'project.consent' : 'project.consentWithdrawn' },
        public: !give && Boolean(project.published_at),
      });
    },
  );

  scope.post(
    '/:lang/workspace/events/:id/projects/:projectId/publish',
    { schema: { params: ProjectParams } },
    async (request, reply) => {
      const route = await target(request);
      const { event, project } = route;
      const publish = formField(request, 'to') === 'published';
      if (publish && project.consent_recorded_at === null) {
        return projectPage(request, reply, event, project, {
          notice: { k: 'project.error.noConsent', kind: 'error' },
          status: 409,
        });
      }
      const now = deps.clock().toISOString();
      // Consent must still be recorded at the moment of publishing (not withdrawn meanwhile):
      // the change is made only if nothing changed since the page was shown.
      return changeProject(request, reply, route, {
        seenAt: formField(request, 'updated_at') ?? '',
        set: { published_at: publish ? (project.published_at ?? now) : null },
        now,
        audit: {
          action: publish ? 'project.publish' : 'project.unpublish',
          detail: { slug: project.slug },
        },
        public: true,
      });
    },
  );

  scope.post(
    '/:lang/workspace/events/:id/projects/:projectId/delete',
    { schema: { params: ProjectParams } },
    async (request, reply) => {
      const { staff, event, project, lang } = await target(request);
      if (formField(request, 'confirm') !== '1') {
        return projectPage(request, reply, event, project, {
          notice: { k: 'project.error.confirmDelete', kind: 'error' },
          status: 400,
        });
      }
      const deleted = await db
        .transaction()
        .execute(async (trx) => {
          await trx.deleteFrom('project_members').where('project_id', '=', project.id).execute();
          const result = await trx
            .deleteFrom('projects')
            .where('id', '=', project.id)
            .where('updated_at', '=', formField(request, 'updated_at') ?? '')
            .executeTakeFirst();
          if (Number(result.numDeletedRows) !== 1) {
            // Someone changed it meanwhile: undo the team removal too.
            throw new StaleProject();
          }
          await recordAudit(trx, actorOf(staff), {
            action: 'project.delete',
            entityType: 'project',
            entityId: project.id,
            organisationId: event.event.organisation_id,
            detail: { slug: project.slug, title: project.title },
          });
          if (project.published_at) await bumpContentVersion(trx);
          return true;
        })
        .catch((error: unknown) => {
          if (error instanceof StaleProject) return false;
          throw error;
        });
      if (!deleted) return conflict(request, reply, event, await reload(event, project));
      return reply.redirect(`/${lang}/workspace/events/${event.event.id}/projects?deleted=1`, 303);
    },
  );
}

class StaleProject extends Error {}
