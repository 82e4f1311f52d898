/**
 * Registration without an account, the participant's own page (by her code) and the public
 * certificate check. Every form here carries the public CSRF token; every page is rendered
 * no-store (renderPrivate). The participant code never travels in a URL, only in POST bodies.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../platform/http/errors.js';
import { splitLanguagePrefix } from '../../platform/http/pages.js';
import { isUiLanguage, type UiLanguage } from '../../platform/i18n/languages.js';
import { PdfUnavailableError } from '../../platform/pdf/html-to-pdf.js';
import { formField } from '../accounts/csrf.js';
import type { ProgrammeDeps } from '../programmes/deps.js';
import { publicFormToken, validPublicFormPost } from '../programmes/public-forms.js';
import {
  certificateFileName,
  certificatePdf,
  loadCertificate,
  verifyCertificate,
} from './certificates.js';
import { cancelRegistration } from './seats.js';
import {
  checkRegistrationForm,
  findParticipantByCode,
  inviteMatches,
  loadPublicEvent,
  participantRegistrations,
  readRegistrationForm,
  registerParticipant,
  registrationClosed,
  type FieldErrors,
  type PublicEvent,
  type RegistrationForm,
} from './service.js';
import {
  ParticipantCodePage,
  ParticipantPage,
  RegisteredPage,
  RegisterPage,
  VerifyPage,
} from './views/public.js';

const WINDOW_MS = 15 * 60_000;
/**
 * Registrations per client: generous, because a whole workshop may register from one venue's
 * network (one address) within minutes.
 */
export const REGISTRATION_LIMIT = { max: 300, windowMs: WINDOW_MS };
/** Wrong participant codes per client: guessing a 60-bit code is hopeless, and stays so. */
export const CODE_FAILURE_LIMIT = { max: 20, windowMs: WINDOW_MS };
/** Participant page requests per client. */
export const PARTICIPANT_LIMIT = { max: 300, windowMs: WINDOW_MS };
/** Certificate checks per client. */
export const VERIFY_LIMIT = { max: 60, windowMs: WINDOW_MS };

const EMPTY_FORM: RegistrationForm = {
  displayName: '',
  contact: '',
  ageBand: '',
  gender: '',
  note: '',
  consentListed: false,
  consentPhotos: false,
  consentContact: false,
  code: '',
  language: '',
};

const SlugParams = {
  type: 'object',
  properties: {
    lang: { type: 'string' },
    slug: { type: 'string', minLength: 1, maxLength: 200 },
  },
  required: ['lang', 'slug'],
} as const;

const InviteQuery = {
  type: 'object',
  properties: { invite: { type: 'string', maxLength: 200 } },
} as const;

function langOf(request: FastifyRequest): UiLanguage {
  const { lang } = splitLanguagePrefix(request.url);
  if (!isUiLanguage(lang)) throw notFound('unknown interface language');
  return lang;
}

export function registerRegistrationPublicRoutes(app: FastifyInstance, deps: ProgrammeDeps) {
  const { db, pages, limiter, cipher } = deps;
  const client = (request: FastifyRequest) => limiter.clientKey(request.ip);

  /** The event, or 404 for unknown, unpublished, or invite-only without the right token. */
  const eventFor = async (request: FastifyRequest, invite: string | undefined) => {
    const lang = langOf(request);
    const { slug } = request.params as { slug: string };
    const found = await loadPublicEvent(db, slug, lang);
    if (!found || !inviteMatches(found.event, invite)) throw notFound('no such event');
    return found;
  };

  const registerForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    found: PublicEvent,
    options: {
      form?: RegistrationForm;
      errors?: FieldErrors;
      problem?: string | undefined;
      invite: string | undefined;
      status?: number;
    },
  ) => {
    const token = publicFormToken(request, reply);
    const closedBy = registrationClosed(found.event, deps.clock());
    const status = options.status ?? (closedBy ? (found.event.cancelled_at ? 404 : 409) : 200);
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: `${found.title.text.title} · ${ctx.t('registration.heading')}`,
        body: (
          <RegisterPage
            ctx={ctx}
            event={found}
            form={options.form ?? EMPTY_FORM}
            errors={options.errors ?? {}}
            problem={options.problem ?? closedBy}
            csrfToken={token}
            invite={options.invite}
            seatsLeft={Math.max(0, found.event.capacity - found.event.seats_taken)}
            closed={closedBy !== undefined}
          />
        ),
      }),
      { status },
    );
  };

  app.get(
    '/:lang/events/:slug/register',
    { schema: { params: SlugParams, querystring: InviteQuery } },
    async (request, reply) => {
      const invite = (request.query as { invite?: string }).invite;
      const found = await eventFor(request, invite);
      return registerForm(request, reply, found, { invite });
    },
  );

  app.post(
    '/:lang/events/:slug/register',
    { schema: { params: SlugParams } },
    async (request, reply) => {
      const invite = formField(request, 'invite');
      const found = await eventFor(request, invite);
      const form = readRegistrationForm(request);
      // Never echo a code back into the page.
      const shown = { ...form, code: form.code ? ' ' : '' };
      if (!validPublicFormPost(request)) {
        return registerForm(request, reply, found, {
          form: shown,
          problem: 'registration.error.expired',
          invite,
          status: 403,
        });
      }
      const limit = await limiter.hit(
        `registration-client:${await client(request)}`,
        REGISTRATION_LIMIT,
      );
      const codeKey = `participant-code:${await client(request)}`;
      const codes = form.code ? await limiter.check(codeKey, CODE_FAILURE_LIMIT) : undefined;
      if (!limit.allowed || (codes && !codes.allowed)) {
        reply.header('retry-after', String(limit.retryAfterSeconds));
        return registerForm(request, reply, found, {
          form: shown,
          problem: 'registration.error.tooMany',
          invite,
          status: 429,
        });
      }
      const closedBy = registrationClosed(found.event, deps.clock());
      if (closedBy) return registerForm(request, reply, found, { form: shown, invite });
      const errors = checkRegistrationForm(form);
      if (Object.keys(errors).length > 0) {
        return registerForm(request, reply, found, { form: shown, errors, invite, status: 422 });
      }
      const outcome = await registerParticipant(deps, found.event.id, form, deps.clock());
      if (!outcome.ok) {
        if (outcome.error === 'registration.error.code')
          await limiter.hit(codeKey, CODE_FAILURE_LIMIT);
        const fieldErrors: FieldErrors = outcome.field ? { [outcome.field]: outcome.error } : {};
        return registerForm(request, reply, found, {
          form: shown,
          errors: fieldErrors,
          problem: outcome.error,
          invite,
          status: outcome.status,
        });
      }
      return pages.renderPrivate(
        request,
        reply,
        (ctx) => ({
          title: ctx.t(
            outcome.status === 'waitlisted'
              ? 'registration.done.waitlisted'
              : 'registration.done.registered',
          ),
          body: (
            <RegisteredPage
              ctx={ctx}
              event={found}
              status={outcome.status}
              position={outcome.position}
              newCode={outcome.newCode}
            />
          ),
        }),
        { status: 201 },
      );
    },
  );

  // ---- The participant's own page, opened with her code (POST only: no code in URLs).

  const codePage = (
    request: FastifyRequest,
    reply: FastifyReply,
    problem?: string,
    status = 200,
  ) => {
    const token = publicFormToken(request, reply);
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('participant.heading'),
        body: <ParticipantCodePage ctx={ctx} csrfToken={token} problem={problem} />,
      }),
      { status },
    );
  };

  /**
   * Checks the form and the code; the participant, or the reply already sent. Wrong, forged and
   * malformed codes all get the same message after the same work.
   */
  const participantOf = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ id: string; code: string } | FastifyReply> => {
    if (!validPublicFormPost(request)) return codePage(request, reply, 'participant.expired', 403);
    const key = await client(request);
    const all = await limiter.hit(`participant-client:${key}`, PARTICIPANT_LIMIT);
    const failures = await limiter.check(`participant-code:${key}`, CODE_FAILURE_LIMIT);
    if (!all.allowed || !failures.allowed) {
      reply.header('retry-after', String(all.retryAfterSeconds));
      return codePage(request, reply, 'registration.error.tooMany', 429);
    }
    const code = (formField(request, 'code') ?? '').slice(0, 100);
    const participant = await findParticipantByCode(db, cipher, code);
    if (!participant) {
      await limiter.hit(`participant-code:${key}`, CODE_FAILURE_LIMIT);
      return codePage(request, reply, 'registration.error.code', 404);
    }
    return { id: participant.id, code };
  };

  const participantPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    participant: { id: string; code: string },
    notice?: string,
    problem?: string,
  ) => {
    const lang = langOf(request);
    const token = publicFormToken(request, reply);
    const registrations = await participantRegistrations(db, participant.id, lang);
    return pages.renderPrivate(request, reply, (ctx) => ({
      title: ctx.t('participant.heading'),
      body: (
        <ParticipantPage
          ctx={ctx}
          csrfToken={token}
          code={participant.code}
          registrations={registrations}
          notice={notice}
          problem={problem}
          now={deps.clock()}
        />
      ),
    }));
  };

  app.get('/:lang/participant', (request, reply) => codePage(request, reply));

  app.post('/:lang/participant', async (request, reply) => {
    const participant = await participantOf(request, reply);
    if (!('id' in participant)) return participant;
    return participantPage(request, reply, participant);
  });

  app.post('/:lang/participant/cancel', async (request, reply) => {
    const participant = await participantOf(request, reply);
    if (!('id' in participant)) return participant;
    const registrationId = formField(request, 'registration') ?? '';
    const now = deps.clock();
    const cancelled = await db.transaction().execute(async (trx) => {
      // Only her own registration, and only before the event starts.
      const own = await trx
        .selectFrom('registrations as r')
        .innerJoin('events as e', 'e.id', 'r.event_id')
        .select(['r.id', 'e.starts_at'])
        .where('r.id', '=', registrationId)
        .where('r.participant_id', '=', participant.id)
        .executeTakeFirst();
      if (!own || new Date(own.starts_at).getTime() <= now.getTime()) return false;
      return (await cancelRegistration(trx, own.id, now)) !== undefined;
    });
    return cancelled
      ? participantPage(request, reply, participant, 'participant.cancelled')
      : participantPage(request, reply, participant, undefined, 'participant.cannotCancel');
  });

  app.post('/:lang/participant/certificate', async (request, reply) => {
    const participant = await participantOf(request, reply);
    if (!('id' in participant)) return participant;
    const certificateId = formField(request, 'certificate') ?? '';
    const own = await db
      .selectFrom('certificates as c')
      .innerJoin('registrations as r', 'r.id', 'c.registration_id')
      .select('c.id')
      .where('c.id', '=', certificateId)
      .where('r.participant_id', '=', participant.id)
      .where('c.revoked_at', 'is', null)
      .executeTakeFirst();
    const facts = own ? await loadCertificate(db, cipher, { id: own.id }) : undefined;
    if (!facts)
      return participantPage(request, reply, participant, undefined, 'participant.noCertificate');
    return sendCertificate(request, reply, facts);
  });

  // ---- Checking a certificate: valid, revoked or not found, and nothing else.

  const verify = async (
    request: FastifyRequest,
    reply: FastifyReply,
    typed: string | undefined,
  ) => {
    const token = publicFormToken(request, reply);
    let problem: string | undefined;
    let result: Awaited<ReturnType<typeof verifyCertificate>>;
    let status = 200;
    if (typed !== undefined) {
      const state = await limiter.hit(`certificate-verify:${await client(request)}`, VERIFY_LIMIT);
      if (!state.allowed) {
        reply.header('retry-after', String(state.retryAfterSeconds));
        problem = 'registration.error.tooMany';
        status = 429;
      } else {
        result = await verifyCertificate(db, cipher, typed.slice(0, 100));
        if (!result) status = 404;
      }
    }
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('certificate.verify.heading'),
        body: (
          <VerifyPage
            ctx={ctx}
            csrfToken={token}
            asked={typed !== undefined}
            result={result}
            problem={problem}
          />
        ),
      }),
      { status },
    );
  };

  app.get(
    '/:lang/certificates/verify',
    {
      schema: {
        querystring: { type: 'object', properties: { code: { type: 'string', maxLength: 100 } } },
      },
    },
    (request, reply) => {
      const code = (request.query as { code?: string }).code;
      return verify(request, reply, code === '' ? undefined : code);
    },
  );

  app.post('/:lang/certificates/verify', async (request, reply) => {
    if (!validPublicFormPost(request)) throw new AppError('BAD_FORM_TOKEN');
    return verify(request, reply, formField(request, 'code') ?? '');
  });
}

/** Sends a certificate PDF as a download; a clear 503 page when WeasyPrint is missing. */
export async function sendCertificate(
  request: FastifyRequest,
  reply: FastifyReply,
  facts: Parameters<typeof certificatePdf>[0],
): Promise<FastifyReply> {
  const origin = `${request.protocol}://${request.host}`;
  let pdf: Buffer;
  try {
    pdf = await certificatePdf(facts, origin);
  } catch (error) {
    if (error instanceof PdfUnavailableError)
      throw new AppError('SERVICE_UNAVAILABLE', error.message);
    throw error;
  }
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `attachment; filename="${certificateFileName(facts)}"`)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(pdf);
}
