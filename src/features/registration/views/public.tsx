/** Pages without an account: registering, the participant's own page, checking a certificate. */
import { LangText, Msg } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import { formatEventWhen } from '../../events/dates.js';
import type { CertificateFacts } from '../certificates.js';
import {
  AGE_BANDS,
  GENDERS,
  NAME_MAX,
  NOTE_MAX,
  type FieldErrors,
  type ParticipantRegistration,
  type PublicEvent,
  type RegistrationForm,
} from '../service.js';

function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

function Problem({ ctx, k }: { ctx: PageContext; k: string | undefined }) {
  if (!k) return null;
  return (
    <p class="error" role="alert">
      <Msg ctx={ctx} k={k} />
    </p>
  );
}

function FieldError({
  ctx,
  name,
  errors,
}: {
  ctx: PageContext;
  name: string;
  errors: FieldErrors;
}) {
  const k = errors[name];
  if (!k) return null;
  return (
    <span class="error" id={`${name}-error`}>
      <Msg ctx={ctx} k={k} />
    </span>
  );
}

/** The event's title (marked when it is in another language than the page) and when it is. */
export function EventLine({ ctx, event }: { ctx: PageContext; event: PublicEvent }) {
  const { title } = event;
  return (
    <>
      <LangText lang={title.text.language} dir={title.dir}>
        {title.text.title}
      </LangText>
      <br />
      <span class="meta">
        {formatEventWhen(
          ctx.lang,
          event.event.starts_at,
          event.event.ends_at,
          event.event.time_zone,
        )}
        {event.organisation && (
          <>
            {' · '}
            <bdi>{event.organisation}</bdi>
          </>
        )}
      </span>
    </>
  );
}

const described = (
  name: string,
  errors: FieldErrors,
): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string } =>
  errors[name] ? { 'aria-invalid': 'true', 'aria-describedby': `${name}-error` } : {};

export function RegisterPage(p: {
  ctx: PageContext;
  event: PublicEvent;
  form: RegistrationForm;
  errors: FieldErrors;
  problem: string | undefined;
  csrfToken: string;
  invite: string | undefined;
  seatsLeft: number;
  closed: boolean;
}) {
  const { ctx, form, errors } = p;
  const action = ctx.href(`/events/${encodeURIComponent(p.event.event.slug)}/register`);
  const box = (name: 'consent_listed' | 'consent_photos' | 'consent_contact', on: boolean) => (
    <label>
      <span>
        <input type="checkbox" name={name} value="1" checked={on} />{' '}
        <Msg ctx={ctx} k={`registration.${name}`} />
      </span>
    </label>
  );
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="registration.heading" />
      </h1>
      <p>
        <EventLine ctx={ctx} event={p.event} />
      </p>
      <Problem ctx={ctx} k={p.problem} />
      {Object.keys(errors).length > 0 && !p.problem && (
        <Problem ctx={ctx} k="registration.error.form" />
      )}
      {!p.closed && (
        <>
          <p class="meta">
            {p.seatsLeft > 0 ? (
              <Msg ctx={ctx} k="registration.seatsLeft" v={{ count: p.seatsLeft }} />
            ) : (
              <Msg ctx={ctx} k="registration.full" />
            )}
          </p>
          <p class="note">
            <Msg ctx={ctx} k="registration.privacy" />
          </p>
          <form method="post" action={action} class="fields" autocomplete="off">
            <Csrf token={p.csrfToken} />
            {p.invite && <input type="hidden" name="invite" value={p.invite} />}
            <label>
              <Msg ctx={ctx} k="registration.displayName" />
              <span class="meta">
                <Msg ctx={ctx} k="registration.displayNameHint" />
              </span>
              <input
                name="display_name"
                value={form.displayName}
                maxLength={NAME_MAX * 2}
                autocomplete="off"
                dir="auto"
                {...described('display_name', errors)}
              />
              <FieldError ctx={ctx} name="display_name" errors={errors} />
            </label>
            <label>
              <Msg ctx={ctx} k="registration.contact" />
              <span class="meta">
                <Msg ctx={ctx} k="registration.contactHint" />
              </span>
              <input
                name="contact"
                value={form.contact}
                autocomplete="off"
                dir="auto"
                {...described('contact', errors)}
              />
              <FieldError ctx={ctx} name="contact" errors={errors} />
            </label>
            <label>
              <Msg ctx={ctx} k="registration.ageBand" />
              <select name="age_band" autocomplete="off" {...described('age_band', errors)}>
                <option value="">{ctx.t('registration.notSaid')}</option>
                {AGE_BANDS.map((band) => (
                  <option value={band} selected={form.ageBand === band}>
                    {ctx.t(`registration.age.${band}`)}
                  </option>
                ))}
              </select>
              <FieldError ctx={ctx} name="age_band" errors={errors} />
            </label>
            <label>
              <Msg ctx={ctx} k="registration.gender" />
              <select name="gender" autocomplete="off" {...described('gender', errors)}>
                <option value="">{ctx.t('registration.notSaid')}</option>
                {GENDERS.map((g) => (
                  <option value={g} selected={form.gender === g}>
                    {ctx.t(`registration.gender.${g}`)}
                  </option>
                ))}
              </select>
              <FieldError ctx={ctx} name="gender" errors={errors} />
            </label>
            <label>
              <Msg ctx={ctx} k="registration.note" />
              <span class="meta">
                <Msg ctx={ctx} k="registration.noteHint" v={{ max: NOTE_MAX }} />
              </span>
              <textarea
                name="note"
                rows={3}
                autocomplete="off"
                dir="auto"
                {...described('note', errors)}
              >
                {form.note}
              </textarea>
              <FieldError ctx={ctx} name="note" errors={errors} />
            </label>
            <fieldset>
              <legend>
                <Msg ctx={ctx} k="registration.consents" />
              </legend>
              {box('consent_listed', form.consentListed)}
              {box('consent_photos', form.consentPhotos)}
              {box('consent_contact', form.consentContact)}
            </fieldset>
            <details open={form.code !== '' || errors.code !== undefined}>
              <summary>
                <Msg ctx={ctx} k="registration.haveCode" />
              </summary>
              <label>
                <Msg ctx={ctx} k="registration.code" />
                <span class="meta">
                  <Msg ctx={ctx} k="registration.codeHint" />
                </span>
                <input
                  name="code"
                  value=""
                  autocomplete="off"
                  autocapitalize="characters"
                  spellcheck={false}
                  dir="ltr"
                  {...described('code', errors)}
                />
                <FieldError ctx={ctx} name="code" errors={errors} />
              </label>
            </details>
            <div>
              <button type="submit">
                <Msg ctx={ctx} k="registration.submit" />
              </button>
            </div>
          </form>
        </>
      )}
    </>
  );
}

export function RegisteredPage(p: {
  ctx: PageContext;
  event: PublicEvent;
  status: 'registered' | 'waitlisted' | 'cancelled';
  position: number | undefined;
  newCode: string | undefined;
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg
          ctx={ctx}
          k={
            p.status === 'waitlisted'
              ? 'registration.done.waitlisted'
              : 'registration.done.registered'
          }
        />
      </h1>
      <p>
        <EventLine ctx={ctx} event={p.event} />
      </p>
      {p.status === 'waitlisted' && p.position !== undefined && (
        <p class="note">
          <Msg ctx={ctx} k="registration.done.position" v={{ position: p.position }} />
        </p>
      )}
      {p.newCode && (
        <section class="ok" aria-labelledby="code-heading">
          <h2 id="code-heading">
            <Msg ctx={ctx} k="registration.done.codeHeading" />
          </h2>
          <p class="code-shown">
            <code class="secret" dir="ltr" lang="en">
              {p.newCode}
            </code>
          </p>
          <p>
            <strong>
              <Msg ctx={ctx} k="registration.done.writeItDown" />
            </strong>
          </p>
          <p>
            <Msg ctx={ctx} k="registration.done.codeUse" />
          </p>
        </section>
      )}
      <ul class="actions">
        <li>
          <a class="btn" href={ctx.href('/participant')}>
            <Msg ctx={ctx} k="participant.heading" />
          </a>
        </li>
        <ParticipantLinks ctx={ctx} />
      </ul>
    </>
  );
}

/** What a participant can do with her code besides this page (each asks for the code again). */
function ParticipantLinks({ ctx }: { ctx: PageContext }) {
  return (
    <>
      <li>
        <a href={ctx.href('/survey')}>
          <Msg ctx={ctx} k="survey.public.heading" />
        </a>
      </li>
      <li>
        <a href={ctx.href('/participant/my-data')}>
          <Msg ctx={ctx} k="privacy.mine.heading" />
        </a>
      </li>
    </>
  );
}

export function ParticipantCodePage(p: {
  ctx: PageContext;
  csrfToken: string;
  problem: string | undefined;
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="participant.heading" />
      </h1>
      <p>
        <Msg ctx={ctx} k="participant.intro" />
      </p>
      <Problem ctx={ctx} k={p.problem} />
      <form method="post" action={ctx.href('/participant')} class="fields" autocomplete="off">
        <Csrf token={p.csrfToken} />
        <label>
          <Msg ctx={ctx} k="registration.code" />
          <input
            name="code"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            dir="ltr"
            required
          />
        </label>
        <div>
          <button type="submit">
            <Msg ctx={ctx} k="participant.open" />
          </button>
        </div>
      </form>
    </>
  );
}

function StatusText({ ctx, r }: { ctx: PageContext; r: ParticipantRegistration }) {
  if (r.status === 'waitlisted')
    return <Msg ctx={ctx} k="participant.status.waitlistedAt" v={{ position: r.position ?? 1 }} />;
  return <Msg ctx={ctx} k={`participant.status.${r.status}`} />;
}

export function ParticipantPage(p: {
  ctx: PageContext;
  csrfToken: string;
  code: string;
  registrations: ParticipantRegistration[];
  notice: string | undefined;
  problem: string | undefined;
  now: Date;
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="participant.heading" />
      </h1>
      {p.notice && (
        <p class="ok" role="status">
          <Msg ctx={ctx} k={p.notice} />
        </p>
      )}
      <Problem ctx={ctx} k={p.problem} />
      <h2>
        <Msg ctx={ctx} k="participant.registrations" />
      </h2>
      {p.registrations.length === 0 ? (
        <p>
          <Msg ctx={ctx} k="participant.none" />
        </p>
      ) : (
        <ul class="items">
          {p.registrations.map((r) => {
            const open =
              r.status !== 'cancelled' &&
              new Date(r.event.event.starts_at).getTime() > p.now.getTime();
            return (
              <li>
                <EventLine ctx={ctx} event={r.event} />
                <br />
                <strong>
                  <StatusText ctx={ctx} r={r} />
                </strong>
                {open && (
                  <form method="post" action={ctx.href('/participant/cancel')} class="inline">
                    <Csrf token={p.csrfToken} />
                    <input type="hidden" name="code" value={p.code} />
                    <input type="hidden" name="registration" value={r.id} />{' '}
                    <button type="submit" class="plain">
                      <Msg ctx={ctx} k="participant.cancel" />
                    </button>
                  </form>
                )}
                {r.certificate && !r.certificate.revoked && (
                  <form method="post" action={ctx.href('/participant/certificate')}>
                    <Csrf token={p.csrfToken} />
                    <input type="hidden" name="code" value={p.code} />
                    <input type="hidden" name="certificate" value={r.certificate.id} />
                    <button type="submit">
                      <Msg ctx={ctx} k="participant.certificate" />
                    </button>
                  </form>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <ul class="actions">
        <ParticipantLinks ctx={ctx} />
      </ul>
      <p class="note">
        <Msg ctx={ctx} k="participant.keepCode" />
      </p>
    </>
  );
}

export function VerifyPage(p: {
  ctx: PageContext;
  csrfToken: string;
  asked: boolean;
  result: CertificateFacts | undefined;
  problem: string | undefined;
}) {
  const { ctx, result } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="certificate.verify.heading" />
      </h1>
      <Problem ctx={ctx} k={p.problem} />
      {p.asked && !p.problem && !result && (
        <p class="error" role="alert">
          <Msg ctx={ctx} k="certificate.verify.notFound" />
        </p>
      )}
      {result?.revoked && (
        <p class="error" role="alert">
          <Msg ctx={ctx} k="certificate.verify.revoked" />
        </p>
      )}
      {result && !result.revoked && (
        <section class="ok" role="status">
          <p>
            <strong>
              <Msg ctx={ctx} k="certificate.verify.valid" />
            </strong>
          </p>
          <dl class="facts">
            <dt>
              <Msg ctx={ctx} k="certificate.verify.holder" />
            </dt>
            <dd>
              <bdi>{result.holder}</bdi>
            </dd>
            <dt>
              <Msg ctx={ctx} k="certificate.verify.event" />
            </dt>
            <dd>
              <LangText lang={result.event.title.text.language} dir={result.event.title.dir}>
                {result.event.title.text.title}
              </LangText>
            </dd>
            <dt>
              <Msg ctx={ctx} k="certificate.verify.organisation" />
            </dt>
            <dd>
              <bdi>{result.event.organisation}</bdi>
            </dd>
            <dt>
              <Msg ctx={ctx} k="certificate.verify.dates" />
            </dt>
            <dd>
              {formatEventWhen(
                ctx.lang,
                result.event.event.starts_at,
                result.event.event.ends_at,
                result.event.event.time_zone,
              )}
            </dd>
          </dl>
        </section>
      )}
      <form
        method="post"
        action={ctx.href('/certificates/verify')}
        class="fields"
        autocomplete="off"
      >
        <Csrf token={p.csrfToken} />
        <label>
          <Msg ctx={ctx} k="certificate.verify.code" />
          <input name="code" autocomplete="off" autocapitalize="characters" dir="ltr" required />
        </label>
        <div>
          <button type="submit">
            <Msg ctx={ctx} k="certificate.verify.submit" />
          </button>
        </div>
      </form>
    </>
  );
}
