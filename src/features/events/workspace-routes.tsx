/**
 * Signed-in pages of events: the list, creating and editing an event (optimistic locking,
 * audit log), publishing, cancelling, invitation links, translations and trainers. The agenda
 * builder lives in agenda-routes.tsx. Every route loads the event through loadEventForStaff,
 * so another organisation's event answers 404 before anything is read or written.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { bumpContentVersion } from '../../platform/db/content-version.js';
import type { DB } from '../../platform/db/schema.js';
import { forbidden, notFound } from '../../platform/http/errors.js';
import { canonicalTag } from '../../platform/i18n/languages.js';
import { recordAudit, type AuditEntry } from '../audit/log.js';
import { formField } from '../accounts/csrf.js';
import { staffOf } from '../accounts/guard.js';
import type { Staff } from '../accounts/sessions.js';
import type { ProgrammeDeps } from '../programmes/deps.js';
import { canRunEvents } from '../programmes/policies.js';
import { pickText, slugFrom } from '../programmes/texts.js';
import { actorOf, IdParams, signedInOf } from '../workspace/work-routes.js';
import { formVersion, type FieldErrors } from '../workspace/forms.js';
import { visibleOrganisations } from '../workspace/policies.js';
import { organisationsByIds } from '../workspace/repository.js';
import { ConflictPage } from '../workspace/views/editions.js';
import { loadEventForStaff, type EventRow, type StaffEvent } from './access.js';
import { registerAgendaRoutes } from './agenda-routes.js';
import { utcToLocalInput } from './dates.js';
import { newInviteToken } from './invite.js';
import {
  checkEventForm,
  emptyEventForm,
  readEventForm,
  readTextForm,
  type EventForm,
} from './forms.js';
import {
  curriculumChoices,
  eventLanguages,
  eventTexts,
  insertEvent,
  listStaffEvents,
  replaceLanguages,
  trainerChoices,
  updateEvent,
  upsertText,
} from './repository.js';
import {
  CancelPage,
  EventPage,
  EventsList,
  NewEventPage,
  type Choice,
  type EventPageProps,
} from './views/workspace.js';

function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? 'localhost'}`;
}

function formOf(event: EventRow, languages: string[]): EventForm {
  return {
    organisation: event.organisation_id,
    kind: event.kind,
    curriculum: event.curriculum_id ?? '',
    starts: utcToLocalInput(event.starts_at, event.time_zone),
    ends: utcToLocalInput(event.ends_at, event.time_zone),
    timeZone: event.time_zone,
    country: event.country ?? '',
    place: event.place ?? '',
    onlineUrl: event.online_url ?? '',
    capacity: String(event.capacity),
    visibility: event.visibility,
    languages: languages.join(', '),
    attendanceBy: event.attendance_by,
    version: String(event.version),
    textLanguage: '',
    title: '',
    description: '',
  };
}

export function registerEventWorkspaceRoutes(scope: FastifyInstance, deps: ProgrammeDeps) {
  const { db, pages } = deps;
  const now = () => deps.clock().toISOString();
  const langOf = (request: FastifyRequest) => (request.params as { lang: string }).lang;
  /** The event's page, saying that the change was saved. */
  const saved = (reply: FastifyReply, lang: string, id: string) =>
    reply.redirect(`/${lang}/workspace/events/${id}?saved=1`, 303);

  /** Organisations in which the person may run events (the organisation choices). */
  const runnable = async (staff: Staff): Promise<Choice[]> =>
    (await organisationsByIds(db, visibleOrganisations(staff))).filter((o) =>
      canRunEvents(staff, o.id),
    );

  const curricula = async (staff: Staff, lang: string): Promise<Choice[]> =>
    (await curriculumChoices(db, visibleOrganisations(staff))).map((c) => ({
      id: c.id,
      name: pickText(c.texts, lang)?.text.title ?? c.slug,
    }));

  scope.get('/:lang/workspace/events', async (request, reply) => {
    const staff = staffOf(request);
    const lang = langOf(request);
    const events = await listStaffEvents(db, visibleOrganisations(staff));
    const texts = await eventTexts(
      db,
      events.map((e) => e.id),
    );
    const canCreate = (await runnable(staff)).length > 0;
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('event.workspace.heading'),
        body: (
          <EventsList
            ctx={ctx}
            canCreate={canCreate}
            events={events.map((e) => ({
              ...e,
              title: pickText(
                texts.filter((t) => t.event_id === e.id),
                lang,
              ),
            }))}
          />
        ),
      }),
      { signedIn: signedInOf(request) },
    );
  });

  const newEventPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: EventForm,
    errors: FieldErrors,
  ) => {
    const staff = staffOf(request);
    const organisations = await runnable(staff);
    if (organisations.length === 0) throw forbidden('may not run events');
    const choices = await curricula(staff, langOf(request));
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('event.workspace.new'),
        body: (
          <NewEventPage
            ctx={ctx}
            csrfToken={staff.csrfToken}
            form={form}
            errors={errors}
            organisations={organisations}
            curricula={choices}
          />
        ),
      }),
      { status: Object.keys(errors).length ? 400 : 200, signedIn: signedInOf(request) },
    );
  };

  scope.get('/:lang/workspace/events/new', (request, reply) =>
    newEventPage(request, reply, emptyEventForm(langOf(request)), {}),
  );

  scope.post('/:lang/workspace/events', async (request, reply) => {
    const staff = staffOf(request);
    const lang = langOf(request);
    const form = readEventForm(request);
    const organisations = (await runnable(staff)).map((o) => o.id);
    if (organisations.length === 0) throw forbidden('may not run events');
    const checked = checkEventForm(form, {
      isNew: true,
      organisations,
      curricula: (await curricula(staff, lang)).map((c) => c.id),
    });
    if (Object.keys(checked.errors).length)
      return newEventPage(request, reply, form, checked.errors);
    const invite = checked.fields.visibility === 'invite' ? newInviteToken() : undefined;
    const id = randomUUID();
    const slug = slugFrom(checked.text!.title);
    await db.transaction().execute(async (trx) => {
      const at = now();
      await insertEvent(
        trx,
        { id, slug, fields: checked.fields, inviteHash: invite?.hash ?? null },
        at,
      );
      await upsertText(trx, id, checked.text!);
      await replaceLanguages(trx, id, checked.languages);
      await recordAudit(trx, actorOf(staff), {
        action: 'event.create',
        entityType: 'event',
        entityId: id,
        organisationId: checked.fields.organisation_id,
        detail: { slug, ...checked.fields, languages: checked.languages },
      });
    });
    if (invite) {
      const loaded = await loadEventForStaff(db, staff, id, lang, 'run');
      return eventPage(request, reply, loaded, {
        inviteLink: `${origin(request)}/${lang}/events/${slug}?invite=${invite.token}`,
        status: 201,
      });
    }
    return saved(reply, lang, id);
  });

  const eventPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    loaded: StaffEvent,
    options: Partial<
      Pick<EventPageProps, 'form' | 'errors' | 'saved' | 'inviteLink' | 'textErrors' | 'notice'>
    > & { status?: number } = {},
  ) => {
    const staff = staffOf(request);
    const { event } = loaded;
    const canRun = canRunEvents(staff, event.organisation_id);
    const [texts, languages, organisations, choices, trainers] = await Promise.all([
      eventTexts(db, [event.id]),
      eventLanguages(db, [event.id]),
      canRun ? runnable(staff) : Promise.resolve([]),
      canRun ? curricula(staff, langOf(request)) : Promise.resolve([]),
      canRun ? trainerChoices(db, event.id, event.organisation_id) : Promise.resolve([]),
    ]);
    const errors = options.errors ?? {};
    const status =
      options.status ??
      (Object.keys(errors).length || Object.keys(options.textErrors ?? {}).length ? 400 : 200);
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: loaded.title.text.title,
        body: (
          <EventPage
            ctx={ctx}
            csrfToken={staff.csrfToken}
            event={event}
            title={{ ...loaded.title, text: { ...loaded.title.text, event_id: event.id } }}
            texts={texts}
            form={
              options.form ??
              formOf(
                event,
                languages.map((l) => l.language),
              )
            }
            errors={errors}
            organisations={organisations}
            curricula={choices}
            canRun={canRun}
            trainers={trainers}
            saved={options.saved ?? false}
            inviteLink={options.inviteLink}
            textErrors={options.textErrors ?? {}}
            notice={options.notice}
          />
        ),
      }),
      { status, signedIn: signedInOf(request) },
    );
  };

  const conflict = async (request: FastifyRequest, reply: FastifyReply, id: string) => {
    const staff = staffOf(request);
    const current = await loadEventForStaff(db, staff, id, langOf(request), 'view');
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('workspace.conflict.heading'),
        body: (
          <ConflictPage
            ctx={ctx}
            editHref={ctx.href(`/workspace/events/${id}`)}
            theirs={facts(formOf(current.event, []))}
            yours={
              'starts' in ((request.body as object) ?? {}) ? facts(readEventForm(request)) : []
            }
          />
        ),
      }),
      { status: 409, signedIn: signedInOf(request) },
    );
  };

  /** The event of the route's :id, if the signed-in person may `need` it (else 404/403). */
  const eventOfRoute = async (request: FastifyRequest, need: 'view' | 'run') => {
    const staff = staffOf(request);
    const { id, lang } = request.params as { id: string; lang: string };
    const loaded = await loadEventForStaff(db, staff, id, lang, need);
    return { staff, id, lang, loaded, event: loaded.event };
  };

  /**
   * Changes an event if it is still at the version the form was shown with (`version`, as
   * sent), in one transaction: `set` (updateEvent), then `more`, the audit entry and, when
   * public pages show the change, a new content version. 'stale' when someone changed the
   * event meanwhile, 'seats' when fewer seats than taken were asked for: nothing is written.
   */
  const changeEvent = (
    staff: Staff,
    event: EventRow,
    version: string,
    change: {
      set: Parameters<typeof updateEvent>[3];
      more?: (trx: Kysely<DB>) => Promise<void>;
      audit: Pick<AuditEntry, 'action' | 'detail'> & { organisationId?: string };
      public: boolean;
    },
  ) =>
    db.transaction().execute(async (trx) => {
      const outcome = await updateEvent(trx, event.id, formVersion(version), change.set, now());
      if (outcome !== 'ok') return outcome;
      await change.more?.(trx);
      await recordAudit(trx, actorOf(staff), {
        action: change.audit.action,
        entityType: 'event',
        entityId: event.id,
        organisationId: change.audit.organisationId ?? event.organisation_id,
        ...(change.audit.detail ? { detail: change.audit.detail } : {}),
      });
      if (change.public) await bumpContentVersion(trx);
      return outcome;
    });

  /** Back to the event page after a change, or the conflict page when it was not made. */
  const savedOrConflict = (
    request: FastifyRequest,
    reply: FastifyReply,
    outcome: 'ok' | 'stale' | 'seats',
  ) => {
    const { id, lang } = request.params as { id: string; lang: string };
    return outcome === 'ok' ? saved(reply, lang, id) : conflict(request, reply, id);
  };

  scope.get(
    '/:lang/workspace/events/:id',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const { loaded } = await eventOfRoute(request, 'view');
      return eventPage(request, reply, loaded, {
        saved: (request.query as { saved?: string }).saved === '1',
      });
    },
  );

  scope.post(
    '/:lang/workspace/events/:id',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const { staff, id, lang, loaded, event } = await eventOfRoute(request, 'run');
      const form = readEventForm(request);
      const choices = (await curricula(staff, lang)).map((c) => c.id);
      if (event.curriculum_id) choices.push(event.curriculum_id);
      const checked = checkEventForm(form, {
        isNew: false,
        organisations: (await runnable(staff)).map((o) => o.id),
        curricula: choices,
      });
      if (Object.keys(checked.errors).length)
        return eventPage(request, reply, loaded, { form, errors: checked.errors });
      // Becoming invite-only makes a token (shown once); becoming public forgets it.
      const invite =
        checked.fields.visibility === 'invite' && event.visibility !== 'invite'
          ? newInviteToken()
          : undefined;
      const inviteChange =
        checked.fields.visibility === 'public'
          ? { invite_token_hash: null }
          : invite
            ? { invite_token_hash: invite.hash }
            : {};
      const result = await changeEvent(staff, event, form.version, {
        set: { ...checked.fields, ...inviteChange },
        more: (trx) => replaceLanguages(trx, id, checked.languages),
        audit: {
          action: 'event.update',
          organisationId: checked.fields.organisation_id,
          detail: { ...checked.fields, languages: checked.languages },
        },
        public: Boolean(event.published_at),
      });
      if (result === 'seats')
        return eventPage(request, reply, loaded, {
          form,
          errors: { capacity: 'event.error.capacityBelowSeats' },
        });
      if (result === 'ok' && invite) {
        const fresh = await loadEventForStaff(db, staff, id, lang, 'run');
        return eventPage(request, reply, fresh, {
          saved: true,
          inviteLink: `${origin(request)}/${lang}/events/${event.slug}?invite=${invite.token}`,
        });
      }
      return savedOrConflict(request, reply, result);
    },
  );

  scope.post(
    '/:lang/workspace/events/:id/publish',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const { staff, event } = await eventOfRoute(request, 'run');
      const publish = formField(request, 'to') === 'published';
      if (publish && event.cancelled_at) throw notFound('cancelled');
      const result = await changeEvent(staff, event, formField(request, 'version') ?? '', {
        set: { published_at: publish ? (event.published_at ?? now()) : null },
        audit: { action: publish ? 'event.publish' : 'event.unpublish' },
        public: true,
      });
      return savedOrConflict(request, reply, result);
    },
  );

  scope.post(
    '/:lang/workspace/events/:id/invite',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const { staff, id, lang, event } = await eventOfRoute(request, 'run');
      if (event.visibility !== 'invite') throw notFound('not invite-only');
      const invite = newInviteToken();
      const result = await changeEvent(staff, event, formField(request, 'version') ?? '', {
        set: { invite_token_hash: invite.hash },
        // The token itself is never logged: only that a new one was made.
        audit: { action: 'event.invite.regenerate' },
        public: true,
      });
      if (result !== 'ok') return conflict(request, reply, id);
      const fresh = await loadEventForStaff(db, staff, id, lang, 'run');
      return eventPage(request, reply, fresh, {
        inviteLink: `${origin(request)}/${lang}/events/${event.slug}?invite=${invite.token}`,
      });
    },
  );

  scope.get(
    '/:lang/workspace/events/:id/cancel',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const { staff, event } = await eventOfRoute(request, 'run');
      return pages.renderPrivate(
        request,
        reply,
        (ctx) => ({
          title: ctx.t('event.cancel.heading'),
          body: <CancelPage ctx={ctx} csrfToken={staff.csrfToken} event={event} />,
        }),
        { signedIn: signedInOf(request) },
      );
    },
  );

  scope.post(
    '/:lang/workspace/events/:id/cancel',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const { staff, event } = await eventOfRoute(request, 'run');
      const result = await changeEvent(staff, event, formField(request, 'version') ?? '', {
        set: { cancelled_at: event.cancelled_at ?? now() },
        audit: { action: 'event.cancel' },
        public: true,
      });
      return savedOrConflict(request, reply, result);
    },
  );

  scope.post(
    '/:lang/workspace/events/:id/texts',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const { staff, id, loaded, event } = await eventOfRoute(request, 'run');
      const form = readTextForm(request);
      const language = canonicalTag(form.language);
      const errors: FieldErrors = {};
      if (!language) errors.language = 'event.error.textLanguage';
      if (!form.title) errors.title = 'event.error.title';
      if (Object.keys(errors).length)
        return eventPage(request, reply, loaded, { textErrors: errors });
      const result = await changeEvent(staff, event, form.version, {
        set: {},
        more: (trx) =>
          upsertText(trx, id, {
            language: language!,
            title: form.title,
            description: form.description || null,
          }),
        audit: { action: 'event.text', detail: { language, title: form.title } },
        public: Boolean(event.published_at),
      });
      return savedOrConflict(request, reply, result);
    },
  );

  scope.post(
    '/:lang/workspace/events/:id/trainers',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const { staff, id, lang, event } = await eventOfRoute(request, 'run');
      const userId = formField(request, 'user') ?? '';
      const assign = formField(request, 'to') === 'on';
      const members = await trainerChoices(db, id, event.organisation_id);
      if (!members.some((m) => m.id === userId)) throw notFound('not a member');
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('event_trainers')
          .where('event_id', '=', id)
          .where('user_id', '=', userId)
          .execute();
        if (assign)
          await trx
            .insertInto('event_trainers')
            .values({ event_id: id, user_id: userId })
            .execute();
        await recordAudit(trx, actorOf(staff), {
          action: assign ? 'event.trainer.assign' : 'event.trainer.unassign',
          entityType: 'event',
          entityId: id,
          organisationId: event.organisation_id,
          detail: { userId },
        });
      });
      return saved(reply, lang, id);
    },
  );

  registerAgendaRoutes(scope, deps);
}

function facts(form: EventForm) {
  return [
    { label: 'event.form.starts', value: form.starts },
    { label: 'event.form.ends', value: form.ends },
    { label: 'event.form.timeZone', value: form.timeZone },
    { label: 'event.form.capacity', value: form.capacity },
    { label: 'event.form.place', value: form.place },
  ];
}
