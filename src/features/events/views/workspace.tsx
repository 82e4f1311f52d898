/** Workspace views of events: the list, the create/edit form and an event's own page. */
import { LangText, Msg } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import { EVENT_KINDS } from '../../../platform/db/schema.js';
import type { Picked } from '../../programmes/texts.js';
import type { FieldErrors } from '../../workspace/forms.js';
import { Csrf, Field, FormErrors, SubmitButton } from '../../workspace/views/common.js';
import type { EventRow } from '../access.js';
import { formatEventWhen, timeZoneChoices } from '../dates.js';
import { countryCodes, type EventForm } from '../forms.js';
import type { EventTextRow } from '../repository.js';

export interface Choice {
  id: string;
  name: string;
}

/** The state of an event in one word: draft, published, cancelled. */
export function EventState({ ctx, event }: { ctx: PageContext; event: EventRow }) {
  const state = event.cancelled_at ? 'cancelled' : event.published_at ? 'published' : 'draft';
  return (
    <span class={`st-${state}`}>
      <Msg ctx={ctx} k={`event.state.${state}`} />
    </span>
  );
}

export function EventsList(p: {
  ctx: PageContext;
  events: (EventRow & { organisation_name: string; title: Picked<EventTextRow> | undefined })[];
  canCreate: boolean;
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="event.workspace.heading" />
      </h1>
      {p.canCreate && (
        <p>
          <a class="button" href={ctx.href('/workspace/events/new')}>
            <Msg ctx={ctx} k="event.workspace.new" />
          </a>
        </p>
      )}
      {p.events.length === 0 && (
        <p class="meta">
          <Msg ctx={ctx} k="event.workspace.none" />
        </p>
      )}
      <ul class="items">
        {p.events.map((e) => (
          <li>
            <a class="t" href={ctx.href(`/workspace/events/${e.id}`)}>
              <LangText lang={e.title?.text.language ?? 'en'} dir={e.title?.dir}>
                {e.title?.text.title ?? e.slug}
              </LangText>
            </a>
            <div class="meta">
              <Msg ctx={ctx} k={`event.kind.${e.kind}`} />
              {' · '}
              <bdi>{e.organisation_name}</bdi>
              {' · '}
              {formatEventWhen(ctx.lang, e.starts_at, e.ends_at, e.time_zone)}
              {' · '}
              <EventState ctx={ctx} event={e} />
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

export function countryName(lang: string, code: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function CountrySelect({ ctx, value }: { ctx: PageContext; value: string }) {
  const names = new Intl.DisplayNames([ctx.lang], { type: 'region' });
  const collator = new Intl.Collator(ctx.lang);
  const options = countryCodes()
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((a, b) => collator.compare(a.name, b.name));
  return (
    <select name="country">
      <option value="">{ctx.t('event.form.noCountry')}</option>
      {options.map((o) => (
        <option value={o.code} selected={o.code === value}>
          {o.name}
        </option>
      ))}
    </select>
  );
}

export function EventFormFields(p: {
  ctx: PageContext;
  form: EventForm;
  errors: FieldErrors;
  isNew: boolean;
  organisations: Choice[];
  curricula: Choice[];
}) {
  const { ctx, form, errors } = p;
  const zones = timeZoneChoices();
  return (
    <>
      <Field ctx={ctx} name="organisation" label="event.form.organisation" errors={errors}>
        <select name="organisation">
          {p.organisations.map((o) => (
            <option value={o.id} selected={form.organisation === o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </Field>
      <Field ctx={ctx} name="kind" label="event.form.kind" errors={errors}>
        <select name="kind">
          {EVENT_KINDS.map((k) => (
            <option value={k} selected={form.kind === k}>
              {ctx.t(`event.kind.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      {p.isNew && (
        <>
          <Field ctx={ctx} name="text_language" label="event.form.textLanguage" errors={errors}>
            <input name="text_language" value={form.textLanguage} maxLength={64} dir="ltr" />
          </Field>
          <Field ctx={ctx} name="title" label="event.form.title" errors={errors}>
            <input name="title" value={form.title} maxLength={300} required dir="auto" />
          </Field>
          <Field ctx={ctx} name="description" label="event.form.description" errors={errors}>
            <textarea name="description" rows={5} maxLength={4000} dir="auto">
              {form.description}
            </textarea>
          </Field>
        </>
      )}
      <Field ctx={ctx} name="starts" label="event.form.starts" errors={errors}>
        <input type="datetime-local" name="starts" value={form.starts} required />
      </Field>
      <Field ctx={ctx} name="ends" label="event.form.ends" errors={errors}>
        <input type="datetime-local" name="ends" value={form.ends} required />
      </Field>
      <Field ctx={ctx} name="time_zone" label="event.form.timeZone" errors={errors}>
        <select name="time_zone" dir="ltr">
          {(zones.includes(form.timeZone) ? zones : [form.timeZone, ...zones]).map((z) => (
            <option value={z} selected={z === form.timeZone}>
              {z}
            </option>
          ))}
        </select>
      </Field>
      <Field ctx={ctx} name="country" label="event.form.country" errors={errors}>
        <CountrySelect ctx={ctx} value={form.country} />
      </Field>
      <Field ctx={ctx} name="place" label="event.form.place" errors={errors}>
        <input name="place" value={form.place} maxLength={300} dir="auto" />
      </Field>
      <Field ctx={ctx} name="online_url" label="event.form.onlineUrl" errors={errors}>
        <input name="online_url" type="url" value={form.onlineUrl} maxLength={500} dir="ltr" />
      </Field>
      <Field ctx={ctx} name="capacity" label="event.form.capacity" errors={errors}>
        <input
          name="capacity"
          type="number"
          min={1}
          max={10000}
          value={form.capacity}
          required
          dir="ltr"
        />
      </Field>
      <Field ctx={ctx} name="visibility" label="event.form.visibility" errors={errors}>
        <select name="visibility">
          {(['public', 'invite'] as const).map((v) => (
            <option value={v} selected={form.visibility === v}>
              {ctx.t(`event.visibility.${v}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field ctx={ctx} name="languages" label="event.form.languages" errors={errors}>
        <input name="languages" value={form.languages} maxLength={400} dir="ltr" />
      </Field>
      <Field ctx={ctx} name="curriculum" label="event.form.curriculum" errors={errors}>
        <select name="curriculum">
          <option value="">{ctx.t('event.form.noCurriculum')}</option>
          {p.curricula.map((c) => (
            <option value={c.id} selected={form.curriculum === c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
      <Field ctx={ctx} name="attendance_by" label="event.form.attendanceBy" errors={errors}>
        <select name="attendance_by">
          {(['day', 'session'] as const).map((v) => (
            <option value={v} selected={form.attendanceBy === v}>
              {ctx.t(`event.attendanceBy.${v}`)}
            </option>
          ))}
        </select>
      </Field>
    </>
  );
}

export function NewEventPage(p: {
  ctx: PageContext;
  csrfToken: string;
  form: EventForm;
  errors: FieldErrors;
  organisations: Choice[];
  curricula: Choice[];
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="event.workspace.new" />
      </h1>
      <FormErrors ctx={ctx} errors={p.errors} />
      <form method="post" action={ctx.href('/workspace/events')} class="fields">
        <Csrf token={p.csrfToken} />
        <EventFormFields {...p} isNew />
        <SubmitButton ctx={ctx} k="event.form.save" />
      </form>
    </>
  );
}

export const SUB_PAGES = [
  'agenda',
  'participants',
  'attendance',
  'roster',
  'certificates',
  'surveys',
  'projects',
] as const;

export interface EventPageProps {
  ctx: PageContext;
  csrfToken: string;
  event: EventRow;
  title: Picked<EventTextRow>;
  texts: EventTextRow[];
  form: EventForm;
  errors: FieldErrors;
  organisations: Choice[];
  curricula: Choice[];
  canRun: boolean;
  trainers: { id: string; display_name: string; assigned: boolean }[];
  saved?: boolean;
  /** The invitation link, shown once, right after it was made. */
  inviteLink?: string | undefined;
  textErrors?: FieldErrors;
  notice?: string | undefined;
}

export function EventPage(p: EventPageProps) {
  const { ctx, event } = p;
  const base = `/workspace/events/${event.id}`;
  const version = String(event.version);
  return (
    <>
      <h1>
        <LangText lang={p.title.text.language} dir={p.title.dir}>
          {p.title.text.title}
        </LangText>
      </h1>
      <p class="meta">
        <Msg ctx={ctx} k={`event.kind.${event.kind}`} />
        {' · '}
        {formatEventWhen(ctx.lang, event.starts_at, event.ends_at, event.time_zone)}
        {' · '}
        <EventState ctx={ctx} event={event} />
        {' · '}
        <Msg ctx={ctx} k={`event.visibility.${event.visibility}`} />
        {event.published_at && !event.cancelled_at && event.visibility === 'public' && (
          <>
            {' · '}
            <a href={ctx.href(`/events/${event.slug}`)}>
              <Msg ctx={ctx} k="event.workspace.viewPublic" />
            </a>
          </>
        )}
      </p>
      {p.saved && (
        <p class="ok" role="status">
          <Msg ctx={ctx} k="event.workspace.saved" />
        </p>
      )}
      {p.notice && (
        <p class="error" role="alert">
          <Msg ctx={ctx} k={p.notice} />
        </p>
      )}
      {p.inviteLink && (
        <div class="note" role="status">
          <p>
            <Msg ctx={ctx} k="event.invite.once" />
          </p>
          <p>
            <code class="secret" dir="ltr">
              {p.inviteLink}
            </code>
          </p>
        </div>
      )}
      <ul class="inline">
        {SUB_PAGES.map((sub) => (
          <li>
            <a href={ctx.href(`${base}/${sub}`)}>
              <Msg ctx={ctx} k={`event.sub.${sub}`} />
            </a>
          </li>
        ))}
      </ul>
      {p.canRun && (
        <>
          <ul class="actions">
            {!event.cancelled_at && (
              <li>
                <form method="post" action={ctx.href(`${base}/publish`)}>
                  <Csrf token={p.csrfToken} />
                  <input type="hidden" name="version" value={version} />
                  <input
                    type="hidden"
                    name="to"
                    value={event.published_at ? 'unpublished' : 'published'}
                  />
                  <button type="submit" class={event.published_at ? 'plain' : ''}>
                    <Msg
                      ctx={ctx}
                      k={event.published_at ? 'event.action.unpublish' : 'event.action.publish'}
                    />
                  </button>
                </form>
              </li>
            )}
            {event.visibility === 'invite' && (
              <li>
                <form method="post" action={ctx.href(`${base}/invite`)}>
                  <Csrf token={p.csrfToken} />
                  <input type="hidden" name="version" value={version} />
                  <button type="submit" class="plain">
                    <Msg ctx={ctx} k="event.action.newInvite" />
                  </button>
                </form>
              </li>
            )}
            {!event.cancelled_at && (
              <li>
                <a class="button plain" href={ctx.href(`${base}/cancel`)}>
                  <Msg ctx={ctx} k="event.action.cancel" />
                </a>
              </li>
            )}
          </ul>
          <h2>
            <Msg ctx={ctx} k="event.workspace.details" />
          </h2>
          <FormErrors ctx={ctx} errors={p.errors} />
          <form method="post" action={ctx.href(base)} class="fields">
            <Csrf token={p.csrfToken} />
            <input type="hidden" name="version" value={p.form.version} />
            <EventFormFields
              ctx={ctx}
              form={p.form}
              errors={p.errors}
              isNew={false}
              organisations={p.organisations}
              curricula={p.curricula}
            />
            <SubmitButton ctx={ctx} k="event.form.save" />
          </form>
          <TextsSection {...p} />
          <TrainersSection {...p} />
        </>
      )}
    </>
  );
}

function TextsSection(p: EventPageProps) {
  const { ctx, event } = p;
  const errors = p.textErrors ?? {};
  return (
    <>
      <h2>
        <Msg ctx={ctx} k="event.texts.heading" />
      </h2>
      {p.texts.map((t) => (
        <form
          method="post"
          action={ctx.href(`/workspace/events/${event.id}/texts`)}
          class="fields"
          lang={t.language}
        >
          <Csrf token={p.csrfToken} />
          <input type="hidden" name="version" value={String(event.version)} />
          <input type="hidden" name="language" value={t.language} />
          <h3 dir="ltr">{t.language}</h3>
          <label>
            <Msg ctx={ctx} k="event.form.title" />
            <input name="title" value={t.title} maxLength={300} required dir="auto" />
          </label>
          <label>
            <Msg ctx={ctx} k="event.form.description" />
            <textarea name="description" rows={4} maxLength={4000} dir="auto">
              {t.description ?? ''}
            </textarea>
          </label>
          <SubmitButton ctx={ctx} k="event.form.save" />
        </form>
      ))}
      <h3>
        <Msg ctx={ctx} k="event.texts.add" />
      </h3>
      <FormErrors ctx={ctx} errors={errors} />
      <form method="post" action={ctx.href(`/workspace/events/${event.id}/texts`)} class="fields">
        <Csrf token={p.csrfToken} />
        <input type="hidden" name="version" value={String(event.version)} />
        <Field ctx={ctx} name="language" label="event.form.textLanguage" errors={errors}>
          <input name="language" maxLength={64} required dir="ltr" />
        </Field>
        <Field ctx={ctx} name="title" label="event.form.title" errors={errors}>
          <input name="title" maxLength={300} required dir="auto" />
        </Field>
        <Field ctx={ctx} name="description" label="event.form.description" errors={errors}>
          <textarea name="description" rows={4} maxLength={4000} dir="auto" />
        </Field>
        <SubmitButton ctx={ctx} k="event.texts.addButton" />
      </form>
    </>
  );
}

function TrainersSection(p: EventPageProps) {
  const { ctx, event } = p;
  return (
    <>
      <h2>
        <Msg ctx={ctx} k="event.trainers.heading" />
      </h2>
      <ul class="items">
        {p.trainers.map((t) => (
          <li>
            <form
              method="post"
              action={ctx.href(`/workspace/events/${event.id}/trainers`)}
              class="inline"
            >
              <Csrf token={p.csrfToken} />
              <input type="hidden" name="user" value={t.id} />
              <input type="hidden" name="to" value={t.assigned ? 'off' : 'on'} />
              <bdi>{t.display_name}</bdi>{' '}
              {t.assigned && (
                <span class="meta">
                  <Msg ctx={ctx} k="event.trainers.assigned" />{' '}
                </span>
              )}
              <button type="submit" class={t.assigned ? 'plain' : ''}>
                <Msg
                  ctx={ctx}
                  k={t.assigned ? 'event.trainers.unassign' : 'event.trainers.assign'}
                />
              </button>
            </form>
          </li>
        ))}
      </ul>
    </>
  );
}

export function CancelPage(p: { ctx: PageContext; csrfToken: string; event: EventRow }) {
  const { ctx, event } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="event.cancel.heading" />
      </h1>
      <p>
        <Msg ctx={ctx} k="event.cancel.body" />
      </p>
      <form method="post" action={ctx.href(`/workspace/events/${event.id}/cancel`)}>
        <Csrf token={p.csrfToken} />
        <input type="hidden" name="version" value={String(event.version)} />
        <button type="submit">
          <Msg ctx={ctx} k="event.cancel.confirm" />
        </button>{' '}
        <a href={ctx.href(`/workspace/events/${event.id}`)}>
          <Msg ctx={ctx} k="event.cancel.back" />
        </a>
      </form>
    </>
  );
}
