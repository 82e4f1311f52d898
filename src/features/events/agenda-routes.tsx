/**
 * The agenda builder: add curriculum sessions (ticked) or free items to a day, move items up
 * and down, change their day, time and length, delete them. Each is a plain form POST followed
 * by a redirect back to the agenda; bad input re-shows the agenda with the problem (400).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bumpContentVersion } from '../../platform/db/content-version.js';
import { notFound } from '../../platform/http/errors.js';
import { recordAudit } from '../audit/log.js';
import { formField } from '../accounts/csrf.js';
import { staffOf } from '../accounts/guard.js';
import type { ProgrammeDeps } from '../programmes/deps.js';
import { canRunEvents } from '../programmes/policies.js';
import { cleanText, type FieldErrors } from '../workspace/forms.js';
import { actorOf, IdParams, signedInOf } from '../workspace/work-routes.js';
import { ID_PATTERN } from '../workspace/access.js';
import { loadEventForStaff, type StaffEvent } from './access.js';
import { curriculumSessionList, loadAgenda } from './agenda.js';
import { formFields } from './forms.js';
import {
  addAgendaItem,
  agendaItems,
  changeAgendaItem,
  deleteAgendaItem,
  moveAgendaItem,
} from './repository.js';
import { AgendaPage } from './views/agenda.js';

const ItemParams = {
  type: 'object',
  properties: {
    lang: { type: 'string' },
    id: { type: 'string', pattern: ID_PATTERN },
    itemId: { type: 'string', pattern: ID_PATTERN },
  },
  required: ['lang', 'id', 'itemId'],
} as const;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const MAX_ITEMS_PER_DAY = 100;

function readMinutes(raw: string | undefined): number | undefined {
  const text = (raw ?? '').trim();
  const n = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  return n >= 1 && n <= 1440 ? n : undefined;
}

/** "" -> null (no fixed time); HH:MM (seconds dropped) or undefined when malformed. */
function readTime(raw: string | undefined): string | null | undefined {
  const text = (raw ?? '').trim().slice(0, 5);
  if (text === '') return null;
  return TIME.test(text) ? text : undefined;
}

export function registerAgendaRoutes(scope: FastifyInstance, deps: ProgrammeDeps) {
  const { db, pages } = deps;

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    loaded: StaffEvent,
    errors: FieldErrors = {},
  ) => {
    const staff = staffOf(request);
    const { lang } = request.params as { lang: string };
    const { event } = loaded;
    const agenda = await loadAgenda(db, event, lang);
    const offered = event.curriculum_id
      ? await curriculumSessionList(db, event.curriculum_id, lang)
      : [];
    const sessions = new Map(agenda.sessions);
    for (const s of offered) sessions.set(s.id, s);
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('event.agenda.heading'),
        body: (
          <AgendaPage
            ctx={ctx}
            csrfToken={staff.csrfToken}
            event={event}
            eventTitle={loaded.title}
            days={agenda.days}
            items={agenda.items}
            sessions={sessions}
            offered={offered}
            canRun={canRunEvents(staff, event.organisation_id)}
            errors={errors}
          />
        ),
      }),
      { status: Object.keys(errors).length ? 400 : 200, signedIn: signedInOf(request) },
    );
  };

  const back = (request: FastifyRequest, reply: FastifyReply) => {
    const { lang, id } = request.params as { lang: string; id: string };
    return reply.redirect(`/${lang}/workspace/events/${id}/agenda`, 303);
  };

  /** Writes one change with its audit entry; published agendas drop cached public pages. */
  const write = (
    loaded: StaffEvent,
    request: FastifyRequest,
    action: string,
    change: (trx: typeof db) => Promise<unknown>,
    detail?: Record<string, unknown>,
  ) =>
    db.transaction().execute(async (trx) => {
      await change(trx);
      await recordAudit(trx, actorOf(staffOf(request)), {
        action,
        entityType: 'event',
        entityId: loaded.event.id,
        organisationId: loaded.event.organisation_id,
        ...(detail ? { detail } : {}),
      });
      if (loaded.event.published_at) await bumpContentVersion(trx);
    });

  const load = (request: FastifyRequest, need: 'view' | 'run') => {
    const { lang, id } = request.params as { lang: string; id: string };
    return loadEventForStaff(db, staffOf(request), id, lang, need);
  };

  scope.get(
    '/:lang/workspace/events/:id/agenda',
    { schema: { params: IdParams } },
    async (request, reply) => show(request, reply, await load(request, 'view')),
  );

  scope.post(
    '/:lang/workspace/events/:id/agenda/sessions',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const loaded = await load(request, 'run');
      const { lang } = request.params as { lang: string };
      const agenda = await loadAgenda(db, loaded.event, lang);
      const offered = loaded.event.curriculum_id
        ? await curriculumSessionList(db, loaded.event.curriculum_id, lang)
        : [];
      const wanted = formFields(request, 'session');
      const day = formField(request, 'day') ?? '';
      const errors: FieldErrors = {};
      const chosen = offered.filter((s) => wanted.includes(s.id));
      if (chosen.length === 0 || chosen.length !== new Set(wanted).size)
        errors.session = 'event.error.sessions';
      if (!agenda.days.includes(day)) errors.day = 'event.error.day';
      else if (agenda.items.filter((i) => i.day === day).length + chosen.length > MAX_ITEMS_PER_DAY)
        errors.day = 'event.error.tooManyItems';
      if (Object.keys(errors).length) return show(request, reply, loaded, errors);
      await write(
        loaded,
        request,
        'event.agenda.sessions',
        async (trx) => {
          // In the curriculum's order, whatever order the boxes were sent in.
          for (const s of chosen)
            await addAgendaItem(trx, loaded.event.id, {
              day,
              start_time: null,
              session_id: s.id,
              minutes: s.duration_minutes,
              title: null,
            });
        },
        { day, sessions: chosen.map((s) => s.id) },
      );
      return back(request, reply);
    },
  );

  scope.post(
    '/:lang/workspace/events/:id/agenda/items',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const loaded = await load(request, 'run');
      const { lang } = request.params as { lang: string };
      const agenda = await loadAgenda(db, loaded.event, lang);
      const title = cleanText(formField(request, 'title'), 200);
      const minutes = readMinutes(formField(request, 'minutes'));
      const startTime = readTime(formField(request, 'start_time'));
      const day = formField(request, 'day') ?? '';
      const errors: FieldErrors = {};
      if (!title) errors.title = 'event.error.itemTitle';
      if (minutes === undefined) errors.minutes = 'event.error.minutes';
      if (startTime === undefined) errors.start_time = 'event.error.time';
      if (!agenda.days.includes(day)) errors.day = 'event.error.day';
      else if (agenda.items.filter((i) => i.day === day).length >= MAX_ITEMS_PER_DAY)
        errors.day = 'event.error.tooManyItems';
      if (Object.keys(errors).length) return show(request, reply, loaded, errors);
      await write(
        loaded,
        request,
        'event.agenda.add',
        (trx) =>
          addAgendaItem(trx, loaded.event.id, {
            day,
            start_time: startTime ?? null,
            session_id: null,
            minutes: minutes!,
            title,
          }),
        { day, title },
      );
      return back(request, reply);
    },
  );

  const loadItem = async (request: FastifyRequest) => {
    const loaded = await load(request, 'run');
    const { itemId } = request.params as { itemId: string };
    const item = (await agendaItems(db, loaded.event.id)).find((i) => i.id === itemId);
    if (!item) throw notFound('no such agenda item');
    return { loaded, item };
  };

  scope.post(
    '/:lang/workspace/events/:id/agenda/items/:itemId/move',
    { schema: { params: ItemParams } },
    async (request, reply) => {
      const { loaded, item } = await loadItem(request);
      const direction = formField(request, 'direction') === 'up' ? 'up' : 'down';
      await write(
        loaded,
        request,
        'event.agenda.move',
        (trx) => moveAgendaItem(trx, loaded.event.id, item.id, direction),
        { item: item.id, direction },
      );
      return back(request, reply);
    },
  );

  scope.post(
    '/:lang/workspace/events/:id/agenda/items/:itemId',
    { schema: { params: ItemParams } },
    async (request, reply) => {
      const { loaded, item } = await loadItem(request);
      const { lang } = request.params as { lang: string };
      const days = (await loadAgenda(db, loaded.event, lang)).days;
      const day = formField(request, 'day') ?? '';
      const startTime = readTime(formField(request, 'start_time'));
      const minutes = readMinutes(formField(request, 'minutes'));
      const errors: FieldErrors = {};
      if (!days.includes(day)) errors.day = 'event.error.day';
      if (startTime === undefined) errors.start_time = 'event.error.time';
      if (minutes === undefined) errors.minutes = 'event.error.minutes';
      if (Object.keys(errors).length) return show(request, reply, loaded, errors);
      await write(
        loaded,
        request,
        'event.agenda.change',
        (trx) =>
          changeAgendaItem(trx, loaded.event.id, item, {
            day,
            start_time: startTime ?? null,
            minutes: minutes!,
          }),
        { item: item.id, day, startTime, minutes },
      );
      return back(request, reply);
    },
  );

  scope.post(
    '/:lang/workspace/events/:id/agenda/items/:itemId/delete',
    { schema: { params: ItemParams } },
    async (request, reply) => {
      const { loaded, item } = await loadItem(request);
      await write(
        loaded,
        request,
        'event.agenda.delete',
        (trx) => deleteAgendaItem(trx, loaded.event.id, item.id),
        { item: item.id },
      );
      return back(request, reply);
    },
  );
}
