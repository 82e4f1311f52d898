/**
 * The instrument builder (instruments, their per-language texts and items) and the choice of an
 * event's pre and post surveys. Every route asks the policies first; other organisations'
 * instruments answer 404; every change carries the instrument's version (409 when stale) and
 * writes its audit entry in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import {
  SURVEY_CONSTRUCTS,
  SURVEY_ITEM_KINDS,
  type DB,
  type SurveyConstruct,
  type SurveyItemKind,
} from '../../platform/db/schema.js';
import { forbidden, notFound } from '../../platform/http/errors.js';
import { isUiLanguage } from '../../platform/i18n/languages.js';
import { formField } from '../accounts/csrf.js';
import { staffOf } from '../accounts/guard.js';
import type { Staff } from '../accounts/sessions.js';
import { recordAudit } from '../audit/log.js';
import { loadEventForStaff } from '../events/access.js';
import type { ProgrammeDeps } from '../programmes/deps.js';
import { canEditInstrument } from '../programmes/policies.js';
import { slugFrom } from '../programmes/texts.js';
import { cleanText, formVersion } from '../workspace/forms.js';
import { isNetworkAdmin } from '../workspace/policies.js';
import { organisationsByIds } from '../workspace/repository.js';
import { actorOf, IdParams, signedInOf } from '../workspace/work-routes.js';
import {
  bumpInstrument,
  listInstruments,
  loadInstrumentForStaff,
  UUID,
  type InstrumentDetail,
} from './repository.js';
import {
  ConflictView,
  EventSurveysPage,
  InstrumentPage,
  InstrumentsPage,
  type BuilderState,
  type Values,
} from './views/builder.js';

const NETWORK = 'network';
const TITLE_MAX = 300;
const INTRODUCTION_MAX = 4000;
const PROMPT_MAX = 1000;
const OPTION_MAX = 200;
const MAX_OPTIONS = 20;

const ItemParams = {
  type: 'object',
  properties: {
    lang: { type: 'string' },
    id: { type: 'string', pattern: IdParams.properties.id.pattern },
    itemId: { type: 'string', pattern: IdParams.properties.id.pattern },
  },
  required: ['lang', 'id', 'itemId'],
} as const;

type Errors = Record<string, string>;

/** Choice labels typed one per line: blank lines dropped. */
function optionLines(raw: string): string[] {
  return raw
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The prompt and options of an item in one language, checked against the item's option count. */
function checkItemTexts(
  kind: SurveyItemKind,
  optionCount: number,
  values: Values,
  errors: Errors,
): { prompt: string; options: string[] } {
  const prompt = values.prompt ?? '';
  if (!prompt) errors.prompt = 'survey.error.prompt';
  let options: string[] = [];
  if (kind === 'single' || kind === 'multiple') {
    options = optionLines(values.options ?? '');
    if (options.length !== optionCount || options.some((o) => o.length > OPTION_MAX)) {
      errors.options = 'survey.error.options';
    }
  }
  return { prompt, options };
}

export function registerSurveyWorkspaceRoutes(scope: FastifyInstance, deps: ProgrammeDeps) {
  const { db, pages } = deps;

  const paramsOf = (request: FastifyRequest) =>
    request.params as { lang: string; id: string; itemId?: string };

  /** Who may own a new instrument: the organisations she administers, the network for admins. */
  const ownersFor = async (staff: Staff) => {
    const all = await organisationsByIds(
      db,
      isNetworkAdmin(staff) ? undefined : staff.memberships.map((m) => m.organisationId),
    );
    const owners = all
      .filter((o) => canEditInstrument(staff, o.id))
      .map((o) => ({ value: o.id, label: o.name }));
    return isNetworkAdmin(staff) ? [{ value: NETWORK, label: '' }, ...owners] : owners;
  };

  const visibleOrgs = (staff: Staff) =>
    isNetworkAdmin(staff) ? undefined : staff.memberships.map((m) => m.organisationId);

  const listPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Values = {},
    errors: Errors = {},
  ) => {
    const staff = staffOf(request);
    const lang = paramsOf(request).lang;
    const [instruments, owners] = await Promise.all([
      listInstruments(db, visibleOrgs(staff), lang),
      ownersFor(staff),
    ]);
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('survey.instruments'),
        body: (
          <InstrumentsPage
            ctx={ctx}
            csrfToken={staff.csrfToken}
            instruments={instruments}
            owners={owners.map((o) =>
              o.value === NETWORK ? { ...o, label: ctx.t('survey.networkWide') } : o,
            )}
            values={values}
            errors={errors}
          />
        ),
      }),
      { status: Object.keys(errors).length ? 400 : 200, signedIn: signedInOf(request) },
    );
  };

  scope.get('/:lang/workspace/surveys', (request, reply) => listPage(request, reply));

  scope.post('/:lang/workspace/surveys', async (request, reply) => {
    const staff = staffOf(request);
    const { lang } = paramsOf(request);
    const values: Values = {
      owner: cleanText(formField(request, 'owner'), 64),
      language: cleanText(formField(request, 'language'), 16),
      title: cleanText(formField(request, 'title'), TITLE_MAX),
    };
    const owners = await ownersFor(staff);
    if (owners.length === 0) throw forbidden('may not create instruments');
    const errors: Errors = {};
    if (!owners.some((o) => o.value === values.owner)) errors.owner = 'survey.error.owner';
    if (!isUiLanguage(values.language!)) errors.language = 'workspace.error.language';
    if (!values.title) errors.title = 'workspace.error.title';
    if (Object.keys(errors).length) return listPage(request, reply, values, errors);
    const organisationId = values.owner === NETWORK ? null : values.owner!;
    if (!canEditInstrument(staff, organisationId)) throw forbidden('may not create here');
    const id = randomUUID();
    const now = deps.clock().toISOString();
    await db.transaction().execute(async (trx) => {
      const slug = slugFrom(values.title!);
      await trx
        .insertInto('survey_instruments')
        .values({ id, slug, organisation_id: organisationId, created_at: now, updated_at: now })
        .execute();
      await trx
        .insertInto('survey_instrument_texts')
        .values({
          instrument_id: id,
          language: values.language!,
          title: values.title!,
          introduction: null,
        })
        .execute();
      await recordAudit(trx, actorOf(staff), {
        action: 'survey.create',
        entityType: 'survey_instrument',
        entityId: id,
        organisationId,
        detail: { slug, language: values.language, title: values.title },
      });
    });
    return reply.redirect(`/${lang}/workspace/surveys/${id}?edit=${values.language}`, 303);
  });

  const editLanguage = (request: FastifyRequest): string => {
    const raw =
      formField(request, 'edit') ?? (request.query as { edit?: string } | undefined)?.edit;
    return raw && isUiLanguage(raw) ? raw : paramsOf(request).lang;
  };

  const instrumentPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    detail: InstrumentDetail,
    state: BuilderState = {},
    status = 200,
  ) => {
    const staff = staffOf(request);
    const owner = detail.instrument.organisation_id
      ? ((await organisationsByIds(db, [detail.instrument.organisation_id]))[0]?.name ?? null)
      : null;
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: detail.texts[0]?.title ?? detail.instrument.slug,
        body: (
          <InstrumentPage
            ctx={ctx}
            csrfToken={staff.csrfToken}
            detail={detail}
            ownerName={owner}
            edit={editLanguage(request)}
            canEdit={canEditInstrument(staff, detail.instrument.organisation_id)}
            state={state}
          />
        ),
      }),
      { status, signedIn: signedInOf(request) },
    );
  };

  const conflict = (request: FastifyRequest, reply: FastifyReply, href: string) =>
    pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('workspace.conflict.heading'),
        body: <ConflictView ctx={ctx} href={ctx.href(href)} />,
      }),
      { status: 409, signedIn: signedInOf(request) },
    );

  const backTo = (request: FastifyRequest) => {
    const { lang, id } = paramsOf(request);
    return `/${lang}/workspace/surveys/${id}?edit=${editLanguage(request)}&saved=1`;
  };

  scope.get(
    '/:lang/workspace/surveys/:id',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const detail = await loadInstrumentForStaff(
        db,
        staffOf(request),
        paramsOf(request).id,
        'view',
      );
      const saved = (request.query as { saved?: string }).saved === '1';
      return instrumentPage(request, reply, detail, { saved });
    },
  );

  /**
   * The frame of every change to an instrument: load it for editing (404/403), run `change` in a
   * transaction after bumping the version, and answer 409 on a stale version.
   */
  const change = async (
    request: FastifyRequest,
    reply: FastifyReply,
    action: string,
    run: (
      trx: Kysely<DB>,
      detail: InstrumentDetail,
    ) => Promise<Record<string, unknown> | { problem: string }>,
    check?: (detail: InstrumentDetail) => BuilderState | undefined,
  ) => {
    const staff = staffOf(request);
    const { id } = paramsOf(request);
    const detail = await loadInstrumentForStaff(db, staff, id, 'edit');
    const invalid = check?.(detail);
    if (invalid) return instrumentPage(request, reply, detail, invalid, 400);
    const version = formVersion(formField(request, 'version') ?? '');
    const now = deps.clock().toISOString();
    const outcome = await db
      .transaction()
      .execute(async (trx): Promise<'stale' | { problem: string } | 'done'> => {
        if (!(await bumpInstrument(trx, id, version, now))) return 'stale';
        const result = await run(trx, detail);
        if ('problem' in result && typeof result.problem === 'string') {
          // Nothing of this change may stay: undo the version bump too.
          throw new Refused(result.problem);
        }
        await recordAudit(trx, actorOf(staff), {
          action,
          entityType: 'survey_instrument',
          entityId: id,
          organisationId: detail.instrument.organisation_id,
          detail: result,
        });
        return 'done';
      })
      .catch((error: unknown) => {
        if (error instanceof Refused) return { problem: error.message };
        throw error;
      });
    if (outcome === 'stale') return conflict(request, reply, `/workspace/surveys/${id}`);
    if (outcome !== 'done') {
      const fresh = await loadInstrumentForStaff(db, staff, id, 'edit');
      return instrumentPage(request, reply, fresh, { problem: outcome.problem }, 409);
    }
    return reply.redirect(backTo(request), 303);
  };

  scope.post(
    '/:lang/workspace/surveys/:id/texts',
    { schema: { params: IdParams } },
    (request, reply) => {
      const values: Values = {
        language: cleanText(formField(request, 'language'), 16),
        title: cleanText(formField(request, 'title'), TITLE_MAX),
        introduction: cleanText(formField(request, 'introduction'), INTRODUCTION_MAX),
      };
      return change(
        request,
        reply,
        'survey.texts',
        async (trx, detail) => {
          const language = values.language!;
          const row = { title: values.title!, introduction: values.introduction || null };
          const exists = detail.texts.some((t) => t.language === language);
          if (exists) {
            await trx
              .updateTable('survey_instrument_texts')
              .set(row)
              .where('instrument_id', '=', detail.instrument.id)
              .where('language', '=', language)
              .execute();
          } else {
            await trx
              .insertInto('survey_instrument_texts')
              .values({ instrument_id: detail.instrument.id, language, ...row })
              .execute();
          }
          return { language, title: row.title };
        },
        () => {
          const errors: Errors = {};
          if (!isUiLanguage(values.language!)) errors.title = 'workspace.error.language';
          if (!values.title) errors.title = 'workspace.error.title';
          return Object.keys(errors).length ? { target: 'texts', errors, values } : undefined;
        },
      );
    },
  );

  scope.post(
    '/:lang/workspace/surveys/:id/items',
    { schema: { params: IdParams } },
    (request, reply) => {
      const values: Values = {
        kind: cleanText(formField(request, 'kind'), 16),
        construct: cleanText(formField(request, 'construct'), 16),
        option_count: cleanText(formField(request, 'option_count'), 4),
        required: formField(request, 'required') === '1' ? '1' : '',
        language: cleanText(formField(request, 'language'), 16),
        prompt: cleanText(formField(request, 'prompt'), PROMPT_MAX),
        options: cleanText(formField(request, 'options'), MAX_OPTIONS * (OPTION_MAX + 2)),
      };
      const kind = values.kind as SurveyItemKind;
      const choice = kind === 'single' || kind === 'multiple';
      const optionCount = choice ? Number(values.option_count) : 0;
      let texts = { prompt: '', options: [] as string[] };
      return change(
        request,
        reply,
        'survey.item.add',
        async (trx, detail) => {
          const itemId = randomUUID();
          const position = detail.items.reduce((max, i) => Math.max(max, i.position + 1), 0);
          const construct = kind === 'likert' ? (values.construct as SurveyConstruct) : null;
          await trx
            .insertInto('survey_items')
            .values({
              id: itemId,
              instrument_id: detail.instrument.id,
              position,
              kind,
              construct,
              option_count: optionCount,
              required: values.required === '1' ? 1 : 0,
            })
            .execute();
          await trx
            .insertInto('survey_item_texts')
            .values({
              item_id: itemId,
              language: values.language!,
              prompt: texts.prompt,
              options: JSON.stringify(texts.options),
            })
            .execute();
          return { itemId, kind, construct, optionCount, language: values.language };
        },
        () => {
          const errors: Errors = {};
          if (!(SURVEY_ITEM_KINDS as readonly string[]).includes(kind))
            errors.kind = 'survey.error.kind';
          if (
            kind === 'likert' &&
            !(SURVEY_CONSTRUCTS as readonly string[]).includes(values.construct!)
          )
            errors.construct = 'survey.error.construct';
          if (
            choice &&
            !(
              /^\d{1,2}$/.test(values.option_count!) &&
              optionCount >= 2 &&
              optionCount <= MAX_OPTIONS
            )
          ) {
            errors.option_count = 'survey.error.optionCount';
          }
          if (!isUiLanguage(values.language!)) errors.prompt = 'workspace.error.language';
          texts = checkItemTexts(kind, optionCount, values, errors);
          if (errors.option_count) delete errors.options;
          return Object.keys(errors).length ? { target: 'add', errors, values } : undefined;
        },
      );
    },
  );

  const itemOf = (request: FastifyRequest, detail: InstrumentDetail) => {
    const item = detail.items.find((i) => i.id === paramsOf(request).itemId);
    if (!item) throw notFound('no such item');
    return item;
  };

  scope.post(
    '/:lang/workspace/surveys/:id/items/:itemId/texts',
    { schema: { params: ItemParams } },
    (request, reply) => {
      const values: Values = {
        language: cleanText(formField(request, 'language'), 16),
        prompt: cleanText(formField(request, 'prompt'), PROMPT_MAX),
        options: cleanText(formField(request, 'options'), MAX_OPTIONS * (OPTION_MAX + 2)),
      };
      let texts = { prompt: '', options: [] as string[] };
      return change(
        request,
        reply,
        'survey.item.texts',
        async (trx, detail) => {
          const item = itemOf(request, detail);
          const language = values.language!;
          const row = { prompt: texts.prompt, options: JSON.stringify(texts.options) };
          if (item.texts.some((t) => t.language === language)) {
            await trx
              .updateTable('survey_item_texts')
              .set(row)
              .where('item_id', '=', item.id)
              .where('language', '=', language)
              .execute();
          } else {
            await trx
              .insertInto('survey_item_texts')
              .values({ item_id: item.id, language, ...row })
              .execute();
          }
          return { itemId: item.id, language };
        },
        (detail) => {
          const item = itemOf(request, detail);
          const errors: Errors = {};
          if (!isUiLanguage(values.language!)) errors.prompt = 'workspace.error.language';
          texts = checkItemTexts(item.kind, item.option_count, values, errors);
          return Object.keys(errors).length ? { target: item.id, errors, values } : undefined;
        },
      );
    },
  );

  /** Positions 0..n-1 in the given order. */
  const renumber = async (trx: Kysely<DB>, ids: readonly string[]) => {
    for (const [position, id] of ids.entries()) {
      await trx.updateTable('survey_items').set({ position }).where('id', '=', id).execute();
    }
  };

  scope.post(
    '/:lang/workspace/surveys/:id/items/:itemId/move',
    { schema: { params: ItemParams } },
    (request, reply) => {
      const to = formField(request, 'to') === 'up' ? 'up' : 'down';
      return change(request, reply, 'survey.item.move', async (trx, detail) => {
        const item = itemOf(request, detail);
        const ids = detail.items.map((i) => i.id);
        const from = ids.indexOf(item.id);
        const target = to === 'up' ? from - 1 : from + 1;
        if (target >= 0 && target < ids.length) {
          [ids[from], ids[target]] = [ids[target]!, ids[from]!];
        }
        await renumber(trx, ids);
        return { itemId: item.id, to };
      });
    },
  );

  scope.post(
    '/:lang/workspace/surveys/:id/items/:itemId/delete',
    { schema: { params: ItemParams } },
    (request, reply) =>
      change(request, reply, 'survey.item.delete', async (trx, detail) => {
        const item = itemOf(request, detail);
        const answered = await trx
          .selectFrom('survey_answers')
          .select('item_id')
          .where('item_id', '=', item.id)
          .limit(1)
          .executeTakeFirst();
        if (answered) return { problem: 'survey.error.itemAnswered' };
        await trx.deleteFrom('survey_item_texts').where('item_id', '=', item.id).execute();
        await trx.deleteFrom('survey_items').where('id', '=', item.id).execute();
        await renumber(
          trx,
          detail.items.filter((i) => i.id !== item.id).map((i) => i.id),
        );
        return { itemId: item.id, kind: item.kind };
      }),
  );

  // ---- An event's pre and post surveys, and how many have answered (counts only).

  const eventPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { values?: { pre: string; post: string }; errors?: Errors; saved?: boolean } = {},
  ) => {
    const staff = staffOf(request);
    const { lang, id } = paramsOf(request);
    const { event, title } = await loadEventForStaff(db, staff, id, lang, 'run');
    const [instruments, responses] = await Promise.all([
      listInstruments(db, [event.organisation_id], lang),
      db
        .selectFrom('survey_responses')
        .innerJoin('registrations', 'registrations.id', 'survey_responses.registration_id')
        .select(['survey_responses.registration_id', 'survey_responses.phase'])
        .where('registrations.event_id', '=', id)
        .execute(),
    ]);
    const pre = new Set(responses.filter((r) => r.phase === 'pre').map((r) => r.registration_id));
    const post = responses.filter((r) => r.phase === 'post').map((r) => r.registration_id);
    const counts = {
      pre: pre.size,
      post: post.length,
      paired: post.filter((r) => pre.has(r)).length,
    };
    const errors = options.errors ?? {};
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('survey.event.heading'),
        body: (
          <EventSurveysPage
            ctx={ctx}
            csrfToken={staff.csrfToken}
            eventId={id}
            title={title}
            version={event.version}
            pre={options.values?.pre ?? event.pre_instrument_id ?? ''}
            post={options.values?.post ?? event.post_instrument_id ?? ''}
            instruments={instruments}
            counts={counts}
            errors={errors}
            saved={options.saved ?? false}
          />
        ),
      }),
      { status: Object.keys(errors).length ? 400 : 200, signedIn: signedInOf(request) },
    );
  };

  scope.get(
    '/:lang/workspace/events/:id/surveys',
    { schema: { params: IdParams } },
    (request, reply) =>
      eventPage(request, reply, { saved: (request.query as { saved?: string }).saved === '1' }),
  );

  scope.post(
    '/:lang/workspace/events/:id/surveys',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const staff = staffOf(request);
      const { lang, id } = paramsOf(request);
      const { event } = await loadEventForStaff(db, staff, id, lang, 'run');
      const values = {
        pre: cleanText(formField(request, 'pre'), 64),
        post: cleanText(formField(request, 'post'), 64),
      };
      const usable = new Set(
        (await listInstruments(db, [event.organisation_id], lang)).map((i) => i.id),
      );
      const errors: Errors = {};
      for (const phase of ['pre', 'post'] as const) {
        const value = values[phase];
        if (value !== '' && (!UUID.test(value) || !usable.has(value))) {
          errors[phase] = 'survey.error.instrument';
        }
      }
      if (Object.keys(errors).length) return eventPage(request, reply, { values, errors });
      const version = formVersion(formField(request, 'version') ?? '');
      const now = deps.clock().toISOString();
      const saved = await db.transaction().execute(async (trx) => {
        if (!Number.isInteger(version)) return false;
        const result = await trx
          .updateTable('events')
          .set((eb) => ({
            pre_instrument_id: values.pre || null,
            post_instrument_id: values.post || null,
            version: eb('version', '+', 1),
            updated_at: now,
          }))
          .where('id', '=', id)
          .where('version', '=', version)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) return false;
        await recordAudit(trx, actorOf(staff), {
          action: 'event.surveys',
          entityType: 'event',
          entityId: id,
          organisationId: event.organisation_id,
          detail: {
            pre_instrument_id: values.pre || null,
            post_instrument_id: values.post || null,
          },
        });
        return true;
      });
      if (!saved) return conflict(request, reply, `/workspace/events/${id}/surveys`);
      return reply.redirect(`/${lang}/workspace/events/${id}/surveys?saved=1`, 303);
    },
  );
}

/** A change refused after its checks began (e.g. an item that already has answers). */
class Refused extends Error {}
