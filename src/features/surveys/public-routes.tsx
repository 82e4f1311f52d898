/**
 * Answering surveys without an account: the participant types her code, sees her events and
 * their open surveys, and answers in her language. The code is only ever in form bodies; every
 * unknown, forged or foreign code or event gets the same message, which reveals nothing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SurveyPhase } from '../../platform/db/schema.js';
import { notFound } from '../../platform/http/errors.js';
import { isUiLanguage } from '../../platform/i18n/languages.js';
import { formField } from '../accounts/csrf.js';
import type { ProgrammeDeps } from '../programmes/deps.js';
import { publicFormToken, validPublicFormPost } from '../programmes/public-forms.js';
import { normaliseParticipantCode, participantCodeIndex } from '../registration/codes.js';
import { pickText } from '../programmes/texts.js';
import { answerFields, checkAnswers, storeResponse } from './answers.js';
import { instrumentDetail, optionsOf, UUID } from './repository.js';
import {
  AnswerPage,
  CodePage,
  DonePage,
  EventsPage,
  type FormItem,
  type ParticipantEvent,
  type PhaseState,
} from './views/public.js';

const WINDOW_MS = 15 * 60_000;
/** Every survey post of a client (a workshop room shares one address: generous). */
export const SURVEY_CLIENT_LIMIT = { max: 300, windowMs: WINDOW_MS };
/** Unknown codes per client: stops guessing codes. */
export const SURVEY_FAILURE_LIMIT = { max: 20, windowMs: WINDOW_MS };
/** How long after an event its post survey stays open. */
export const POST_SURVEY_DAYS = 90;

const DAY_MS = 86_400_000;

interface WindowEvent {
  starts_at: string;
  ends_at: string;
  cancelled_at: string | null;
  pre_instrument_id: string | null;
  post_instrument_id: string | null;
}

/**
 * Whether a phase can be answered now: pre from registration until the event ends, post from
 * its start until POST_SURVEY_DAYS after its end; each phase once.
 */
export function surveyPhaseState(
  event: WindowEvent,
  phase: SurveyPhase,
  now: Date,
  answered: boolean,
): PhaseState {
  const instrument = phase === 'pre' ? event.pre_instrument_id : event.post_instrument_id;
  if (!instrument) return 'none';
  if (answered) return 'answered';
  if (event.cancelled_at) return 'closed';
  const t = now.getTime();
  const starts = Date.parse(event.starts_at);
  const ends = Date.parse(event.ends_at);
  if (phase === 'pre') return t < ends ? 'open' : 'closed';
  if (t < starts) return 'notYet';
  return t <= ends + POST_SURVEY_DAYS * DAY_MS ? 'open' : 'closed';
}

const PHASES: readonly SurveyPhase[] = ['pre', 'post'];

export function registerSurveyPublicRoutes(app: FastifyInstance, deps: ProgrammeDeps) {
  const { db, pages, limiter, cipher } = deps;

  const codePage = (request: FastifyRequest, reply: FastifyReply, status = 200, error?: string) => {
    const csrf = publicFormToken(request, reply);
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('survey.public.heading'),
        body: <CodePage ctx={ctx} csrf={csrf} error={error} />,
      }),
      { status },
    );
  };

  app.get('/:lang/survey', (request, reply) => codePage(request, reply));

  app.get('/:lang/survey/done', (request, reply) =>
    pages.renderPrivate(request, reply, (ctx) => ({
      title: ctx.t('survey.public.thanks'),
      body: <DonePage ctx={ctx} />,
    })),
  );

  /**
   * The checks every post starts with: the form token, the client's rate limits, and the code.
   * Answers with a page (and undefined) when something is wrong.
   */
  const participantOf = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ participantId: string; code: string } | { page: FastifyReply }> => {
    if (!isUiLanguage((request.params as { lang: string }).lang)) throw notFound('language');
    if (!validPublicFormPost(request)) {
      return { page: await codePage(request, reply, 403, 'survey.error.expired') };
    }
    const client = await limiter.clientKey(request.ip);
    const all = await limiter.hit(`survey-client:${client}`, SURVEY_CLIENT_LIMIT);
    const failures = await limiter.check(`survey-failure:${client}`, SURVEY_FAILURE_LIMIT);
    if (!all.allowed || !failures.allowed) {
      reply.header(
        'retry-after',
        String(Math.max(all.retryAfterSeconds, failures.retryAfterSeconds)),
      );
      return { page: await codePage(request, reply, 429, 'survey.error.tooMany') };
    }
    const code = (formField(request, 'code') ?? '').slice(0, 100);
    const index = participantCodeIndex(cipher, code);
    const participant = index.valid
      ? await db
          .selectFrom('participants')
          .select('id')
          .where('code_hmac', '=', index.hmac)
          .executeTakeFirst()
      : undefined;
    if (!participant) {
      await limiter.hit(`survey-failure:${client}`, SURVEY_FAILURE_LIMIT);
      return { page: await codePage(request, reply, 400, 'survey.error.code') };
    }
    // Kept in its normalised form in the next forms' hidden field (never in a URL).
    return { participantId: participant.id, code: normaliseParticipantCode(code)! };
  };

  const eventsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    participantId: string,
    code: string,
    status = 200,
    error?: string,
  ) => {
    const lang = (request.params as { lang: string }).lang;
    const rows = await db
      .selectFrom('registrations')
      .innerJoin('events', 'events.id', 'registrations.event_id')
      .select([
        'registrations.id as registration_id',
        'registrations.status',
        'events.id as event_id',
        'events.slug',
        'events.starts_at',
        'events.ends_at',
        'events.cancelled_at',
        'events.pre_instrument_id',
        'events.post_instrument_id',
      ])
      .where('registrations.participant_id', '=', participantId)
      .where('registrations.status', '!=', 'cancelled')
      .orderBy('events.starts_at', 'desc')
      .limit(100)
      .execute();
    const eventIds = rows.map((r) => r.event_id);
    const registrationIds = rows.map((r) => r.registration_id);
    const [titles, responses] = await Promise.all([
      eventIds.length
        ? db
            .selectFrom('event_texts')
            .select(['event_id', 'language', 'title'])
            .where('event_id', 'in', eventIds)
            .execute()
        : [],
      registrationIds.length
        ? db
            .selectFrom('survey_responses')
            .select(['registration_id', 'phase'])
            .where('registration_id', 'in', registrationIds)
            .execute()
        : [],
    ]);
    const now = deps.clock();
    const events: ParticipantEvent[] = rows.map((r) => ({
      eventId: r.event_id,
      title: pickText(
        titles.filter((t) => t.event_id === r.event_id),
        lang,
      ),
      fallbackTitle: r.slug,
      startsAt: r.starts_at,
      waitlisted: r.status !== 'registered',
      phases: PHASES.map((phase) => ({
        phase,
        state: surveyPhaseState(
          r,
          phase,
          now,
          responses.some((x) => x.registration_id === r.registration_id && x.phase === phase),
        ),
      })),
    }));
    const csrf = publicFormToken(request, reply);
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('survey.public.heading'),
        body: <EventsPage ctx={ctx} csrf={csrf} code={code} events={events} error={error} />,
      }),
      { status },
    );
  };

  app.post('/:lang/survey', async (request, reply) => {
    const who = await participantOf(request, reply);
    if ('page' in who) return who.page;
    return eventsPage(request, reply, who.participantId, who.code);
  });

  /**
   * The registration, event and instrument of a participant's answer, or the message to show:
   * an event she is not registered for answers like an unknown code.
   */
  const targetOf = async (request: FastifyRequest, participantId: string) => {
    const eventId = formField(request, 'event') ?? '';
    const phase = formField(request, 'phase') as SurveyPhase;
    if (!UUID.test(eventId) || !PHASES.includes(phase)) {
      return { error: 'survey.error.code', status: 400 } as const;
    }
    const row = await db
      .selectFrom('registrations')
      .innerJoin('events', 'events.id', 'registrations.event_id')
      .select([
        'registrations.id as registration_id',
        'registrations.status',
        'events.slug',
        'events.starts_at',
        'events.ends_at',
        'events.cancelled_at',
        'events.pre_instrument_id',
        'events.post_instrument_id',
      ])
      .where('registrations.participant_id', '=', participantId)
      .where('registrations.event_id', '=', eventId)
      .executeTakeFirst();
    if (!row) return { error: 'survey.error.code', status: 400 } as const;
    if (row.status !== 'registered') {
      return { error: 'survey.error.notRegistered', status: 409 } as const;
    }
    const answered = await db
      .selectFrom('survey_responses')
      .select('id')
      .where('registration_id', '=', row.registration_id)
      .where('phase', '=', phase)
      .executeTakeFirst();
    const state = surveyPhaseState(row, phase, deps.clock(), answered !== undefined);
    if (state !== 'open') return { error: `survey.error.${state}`, status: 409 } as const;
    const instrumentId = phase === 'pre' ? row.pre_instrument_id! : row.post_instrument_id!;
    const detail = await instrumentDetail(db, instrumentId);
    if (!detail) return { error: 'survey.error.none', status: 409 } as const;
    return { eventId, eventSlug: row.slug, phase, registrationId: row.registration_id, detail };
  };

  const answerPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    target: Exclude<Awaited<ReturnType<typeof targetOf>>, { error: string }>,
    state: {
      errors: Record<string, string>;
      formError?: string | undefined;
      sent: Record<string, string[]>;
    },
    status = 200,
  ) => {
    const lang = (request.params as { lang: string }).lang;
    const { detail } = target;
    const eventTitles = await db
      .selectFrom('event_texts')
      .select(['language', 'title'])
      .where('event_id', '=', target.eventId)
      .execute();
    const items: FormItem[] = detail.items.map((item) => {
      const prompt = pickText(item.texts, lang);
      return {
        id: item.id,
        kind: item.kind,
        required: item.required === 1,
        prompt,
        options: item.kind === 'single' || item.kind === 'multiple' ? optionsOf(prompt?.text) : [],
      };
    });
    const csrf = publicFormToken(request, reply);
    const title = pickText(detail.texts, lang);
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: title?.text.title ?? ctx.t('survey.public.heading'),
        body: (
          <AnswerPage
            ctx={ctx}
            csrf={csrf}
            code={code}
            eventId={target.eventId}
            eventSlug={target.eventSlug}
            phase={target.phase}
            eventTitle={pickText(eventTitles, lang)}
            title={title}
            items={items}
            errors={state.errors}
            formError={state.formError}
            sent={state.sent}
          />
        ),
      }),
      { status },
    );
  };

  app.post('/:lang/survey/answer', async (request, reply) => {
    const who = await participantOf(request, reply);
    if ('page' in who) return who.page;
    const target = await targetOf(request, who.participantId);
    if ('error' in target) {
      return eventsPage(request, reply, who.participantId, who.code, target.status, target.error);
    }
    return answerPage(request, reply, who.code, target, { errors: {}, sent: {} });
  });

  app.post('/:lang/survey/submit', async (request, reply) => {
    const who = await participantOf(request, reply);
    if ('page' in who) return who.page;
    const target = await targetOf(request, who.participantId);
    if ('error' in target) {
      return eventsPage(request, reply, who.participantId, who.code, target.status, target.error);
    }
    const check = checkAnswers(target.detail.items, answerFields(request.body));
    if (check.formError || Object.keys(check.errors).length > 0) {
      return answerPage(request, reply, who.code, target, check, 422);
    }
    const lang = (request.params as { lang: string }).lang;
    const result = await storeResponse(
      db,
      cipher,
      {
        registrationId: target.registrationId,
        phase: target.phase,
        instrumentId: target.detail.instrument.id,
        language: lang,
        answers: check.answers,
      },
      deps.clock(),
    );
    if (!result.stored) {
      return eventsPage(request, reply, who.participantId, who.code, 409, 'survey.error.answered');
    }
    return reply.redirect(`/${lang}/survey/done`, 303);
  });
}
