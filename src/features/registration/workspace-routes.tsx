/**
 * Staff pages of an event's participants, inside the signed-in guard (session, CSRF, no-store):
 *
 *   GET  /:lang/workspace/events/:id/participants              the list ('participants' rights)
 *   GET  /:lang/workspace/events/:id/attendance?slot=...       mark a slot ('run' + participants)
 *   POST /:lang/workspace/events/:id/attendance                save a whole slot at once
 *   GET  /:lang/workspace/events/:id/roster                    the paper roster, to print
 *   GET  /:lang/workspace/events/:id/certificates              issue and revoke
 *   POST /:lang/workspace/events/:id/certificates              issue (registration, language)
 *   POST /:lang/workspace/events/:id/certificates/:cid/revoke
 *   GET  /:lang/workspace/events/:id/certificates/:cid/pdf
 *
 * Events of organisations the person has no role in answer 404 (loadEventForStaff).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, notFound } from '../../platform/http/errors.js';
import { splitLanguagePrefix } from '../../platform/http/pages.js';
import { isUiLanguage, UI_LANGUAGES, type UiLanguage } from '../../platform/i18n/languages.js';
import { formField } from '../accounts/csrf.js';
import { staffOf } from '../accounts/guard.js';
import { recordAudit } from '../audit/log.js';
import { loadEventForStaff, type StaffEvent } from '../events/access.js';
import type { ProgrammeDeps } from '../programmes/deps.js';
import { ID_PATTERN } from '../workspace/access.js';
import { actorOf, signedInOf } from '../workspace/work-routes.js';
import { contextIn, issueCertificate, loadCertificate } from './certificates.js';
import { sendCertificate } from './public-routes.js';
import { attendanceOf, eventPeople, eventSlots } from './roster.js';
import { rosterDocument, ROSTER_CSP } from './views/roster-document.js';
import { AttendancePage, CertificatesPage, ParticipantsPage } from './views/workspace.js';

const EventParams = {
  type: 'object',
  properties: { lang: { type: 'string' }, id: { type: 'string', pattern: ID_PATTERN } },
  required: ['lang', 'id'],
} as const;

const CertificateParams = {
  type: 'object',
  properties: {
    lang: { type: 'string' },
    id: { type: 'string', pattern: ID_PATTERN },
    cid: { type: 'string', pattern: ID_PATTERN },
  },
  required: ['lang', 'id', 'cid'],
} as const;

const SlotQuery = {
  type: 'object',
  properties: {
    slot: { type: 'string', maxLength: 100 },
    saved: { type: 'string', maxLength: 1 },
  },
} as const;

function langOf(request: FastifyRequest): UiLanguage {
  const { lang } = splitLanguagePrefix(request.url);
  if (!isUiLanguage(lang)) throw notFound('unknown interface language');
  return lang;
}

export function registerRegistrationWorkspaceRoutes(scope: FastifyInstance, deps: ProgrammeDeps) {
  const { db, pages, cipher } = deps;

  /**
   * The event through the policies. 'participants': names and contacts (the organisation's own
   * staff); 'run': attendance and certificates, which also show names, so both are needed.
   */
  const staffEvent = async (request: FastifyRequest, need: 'participants' | 'run') => {
    const { id } = request.params as { id: string };
    const se = await loadEventForStaff(db, staffOf(request), id, langOf(request), need);
    if (!se.seesParticipants) throw forbidden('participants not yours');
    return se;
  };

  const organisationName = async (se: StaffEvent) =>
    (
      await db
        .selectFrom('organisations')
        .select('name')
        .where('id', '=', se.event.organisation_id)
        .executeTakeFirst()
    )?.name ?? '';

  scope.get(
    '/:lang/workspace/events/:id/participants',
    { schema: { params: EventParams } },
    async (request, reply) => {
      const lang = langOf(request);
      const se = await staffEvent(request, 'participants');
      const [people, slots] = await Promise.all([
        eventPeople(db, cipher, se.event.id, lang),
        eventSlots(db, se.event, lang),
      ]);
      return pages.renderPrivate(
        request,
        reply,
        (ctx) => ({
          title: `${ctx.t('participant.staff.list')} · ${se.title.text.title}`,
          body: <ParticipantsPage ctx={ctx} se={se} people={people} slots={slots} />,
        }),
        { signedIn: signedInOf(request) },
      );
    },
  );

  /** The slot to show: the one asked for, else today's (in the event's zone), else the first. */
  const chooseSlot = (
    slots: { slot: string; label: string }[],
    asked: string | undefined,
    se: StaffEvent,
  ) => {
    if (asked) return slots.find((s) => s.slot === asked);
    const today = new Intl.DateTimeFormat('en-CA', {
      timeZone: se.event.time_zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(deps.clock());
    return slots.find((s) => s.slot === `day:${today}`) ?? slots[0];
  };

  scope.get(
    '/:lang/workspace/events/:id/attendance',
    { schema: { params: EventParams, querystring: SlotQuery } },
    async (request, reply) => {
      const lang = langOf(request);
      const se = await staffEvent(request, 'run');
      const query = request.query as { slot?: string; saved?: string };
      const [people, slots] = await Promise.all([
        eventPeople(db, cipher, se.event.id, lang),
        eventSlots(db, se.event, lang),
      ]);
      const slot = chooseSlot(slots, query.slot, se);
      return pages.renderPrivate(
        request,
        reply,
        (ctx) => ({
          title: `${ctx.t('attendance.heading')} · ${se.title.text.title}`,
          body: (
            <AttendancePage
              ctx={ctx}
              se={se}
              people={people}
              slots={slots}
              slot={slot}
              csrfToken={staffOf(request).csrfToken}
              saved={query.saved === '1'}
            />
          ),
        }),
        { signedIn: signedInOf(request), status: query.slot && !slot ? 404 : 200 },
      );
    },
  );

  scope.post(
    '/:lang/workspace/events/:id/attendance',
    { schema: { params: EventParams } },
    async (request, reply) => {
      const lang = langOf(request);
      const staff = staffOf(request);
      const se = await staffEvent(request, 'run');
      const slots = await eventSlots(db, se.event, lang);
      const slot = formField(request, 'slot') ?? '';
      if (!slots.some((s) => s.slot === slot)) throw notFound('no such slot');
      const body = request.body as Record<string, unknown> | undefined;
      const raw = body?.present;
      const ticked = new Set(
        (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
          (v): v is string => typeof v === 'string',
        ),
      );
      const now = deps.clock().toISOString();
      await db.transaction().execute(async (trx) => {
        const registered = await trx
          .selectFrom('registrations')
          .select('id')
          .where('event_id', '=', se.event.id)
          .where('status', '=', 'registered')
          .execute();
        let present = 0;
        for (const { id } of registered) {
          const value = ticked.has(id) ? 1 : 0;
          present += value;
          await trx
            .insertInto('attendance')
            .values({
              registration_id: id,
              slot,
              present: value,
              marked_by: staff.userId,
              marked_at: now,
            })
            .onConflict((oc) =>
              oc
                .columns(['registration_id', 'slot'])
                .doUpdateSet({ present: value, marked_by: staff.userId, marked_at: now }),
            )
            .execute();
        }
        await recordAudit(
          trx,
          actorOf(staff),
          {
            action: 'attendance.save',
            entityType: 'event',
            entityId: se.event.id,
            organisationId: se.event.organisation_id,
            detail: { slot, present, of: registered.length },
          },
          deps.clock(),
        );
      });
      return reply.redirect(
        `/${lang}/workspace/events/${se.event.id}/attendance?slot=${encodeURIComponent(slot)}&saved=1`,
        303,
      );
    },
  );

  scope.get(
    '/:lang/workspace/events/:id/roster',
    { schema: { params: EventParams } },
    async (request, reply) => {
      const lang = langOf(request);
      const se = await staffEvent(request, 'run');
      const [people, slots, organisation] = await Promise.all([
        eventPeople(db, cipher, se.event.id, lang),
        eventSlots(db, se.event, lang),
        organisationName(se),
      ]);
      const html = rosterDocument({
        ctx: contextIn(lang),
        se,
        organisation,
        names: people.filter((p) => p.status === 'registered').map((p) => p.name),
        slots,
      });
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-language', lang)
        .header('content-security-policy', ROSTER_CSP)
        .send(html);
    },
  );

  // ---- Certificates

  const certificatesPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { notice?: string; problem?: string; status?: number } = {},
  ) => {
    const lang = langOf(request);
    const se = await staffEvent(request, 'run');
    const [people, slots, certs, languages] = await Promise.all([
      eventPeople(db, cipher, se.event.id, lang),
      eventSlots(db, se.event, lang),
      db
        .selectFrom('certificates as c')
        .innerJoin('registrations as r', 'r.id', 'c.registration_id')
        .select(['c.id', 'c.registration_id', 'c.verification_code', 'c.language', 'c.revoked_at'])
        .where('r.event_id', '=', se.event.id)
        .execute(),
      db
        .selectFrom('event_languages')
        .select('language')
        .where('event_id', '=', se.event.id)
        .execute(),
    ]);
    const certificates = new Map(
      certs.map((c) => [
        c.registration_id,
        {
          id: c.id,
          code: c.verification_code,
          language: c.language,
          revoked: c.revoked_at !== null,
        },
      ]),
    );
    // Default: the event's first interface language, else the page's.
    const defaultLanguage =
      languages.map((l) => l.language).find((l): l is UiLanguage => isUiLanguage(l)) ?? lang;
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: `${ctx.t('certificate.staff.heading')} · ${se.title.text.title}`,
        body: (
          <CertificatesPage
            ctx={ctx}
            se={se}
            people={people}
            slots={slots}
            certificates={certificates}
            defaultLanguage={defaultLanguage}
            csrfToken={staffOf(request).csrfToken}
            notice={options.notice}
            problem={options.problem}
          />
        ),
      }),
      { signedIn: signedInOf(request), status: options.status ?? 200 },
    );
  };

  scope.get(
    '/:lang/workspace/events/:id/certificates',
    { schema: { params: EventParams } },
    (request, reply) => certificatesPage(request, reply),
  );

  scope.post(
    '/:lang/workspace/events/:id/certificates',
    { schema: { params: EventParams } },
    async (request, reply) => {
      const lang = langOf(request);
      const staff = staffOf(request);
      const se = await staffEvent(request, 'run');
      const registrationId = formField(request, 'registration') ?? '';
      const language = formField(request, 'language') ?? '';
      if (!(UI_LANGUAGES as readonly string[]).includes(language)) {
        return certificatesPage(request, reply, {
          problem: 'certificate.error.language',
          status: 400,
        });
      }
      const [people, slots] = await Promise.all([
        eventPeople(db, cipher, se.event.id, lang),
        eventSlots(db, se.event, lang),
      ]);
      const person = people.find(
        (p) => p.registrationId === registrationId && p.status === 'registered',
      );
      if (!person) throw notFound('no such registration');
      if (!attendanceOf(person, slots).completed) {
        return certificatesPage(request, reply, {
          problem: 'certificate.error.notCompleted',
          status: 409,
        });
      }
      const issued = await db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('certificates')
          .select('id')
          .where('registration_id', '=', registrationId)
          .executeTakeFirst();
        if (existing) return undefined;
        const id = await issueCertificate(
          trx,
          registrationId,
          language as UiLanguage,
          staff.userId,
          deps.clock(),
        );
        await recordAudit(
          trx,
          actorOf(staff),
          {
            action: 'certificate.issue',
            entityType: 'certificate',
            entityId: id,
            organisationId: se.event.organisation_id,
            detail: { event: se.event.id, language },
          },
          deps.clock(),
        );
        return id;
      });
      if (!issued) {
        return certificatesPage(request, reply, {
          problem: 'certificate.error.exists',
          status: 409,
        });
      }
      return reply.redirect(`/${lang}/workspace/events/${se.event.id}/certificates`, 303);
    },
  );

  /** A certificate of this event (404 otherwise). */
  const eventCertificate = async (se: StaffEvent, cid: string) => {
    const row = await db
      .selectFrom('certificates as c')
      .innerJoin('registrations as r', 'r.id', 'c.registration_id')
      .select(['c.id', 'c.revoked_at'])
      .where('c.id', '=', cid)
      .where('r.event_id', '=', se.event.id)
      .executeTakeFirst();
    if (!row) throw notFound('no such certificate');
    return row;
  };

  scope.post(
    '/:lang/workspace/events/:id/certificates/:cid/revoke',
    { schema: { params: CertificateParams } },
    async (request, reply) => {
      const lang = langOf(request);
      const staff = staffOf(request);
      const se = await staffEvent(request, 'run');
      const cert = await eventCertificate(se, (request.params as { cid: string }).cid);
      await db.transaction().execute(async (trx) => {
        const done = await trx
          .updateTable('certificates')
          .set({ revoked_at: deps.clock().toISOString() })
          .where('id', '=', cert.id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) === 1) {
          await recordAudit(
            trx,
            actorOf(staff),
            {
              action: 'certificate.revoke',
              entityType: 'certificate',
              entityId: cert.id,
              organisationId: se.event.organisation_id,
              detail: { event: se.event.id },
            },
            deps.clock(),
          );
        }
      });
      return reply.redirect(`/${lang}/workspace/events/${se.event.id}/certificates`, 303);
    },
  );

  scope.get(
    '/:lang/workspace/events/:id/certificates/:cid/pdf',
    { schema: { params: CertificateParams } },
    async (request, reply) => {
      const se = await staffEvent(request, 'run');
      const cert = await eventCertificate(se, (request.params as { cid: string }).cid);
      const facts = await loadCertificate(db, cipher, { id: cert.id });
      if (!facts || facts.revoked) throw notFound('no such certificate');
      return sendCertificate(request, reply, facts);
    },
  );
}
