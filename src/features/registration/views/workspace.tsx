/** Staff pages of an event's participants: the list, attendance, and certificates. */
import { LangText, Msg } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import { UI_LANGUAGES, endonymOf } from '../../../platform/i18n/languages.js';
import { formatEventWhen } from '../../events/dates.js';
import type { StaffEvent } from '../../events/access.js';
import { attendanceOf, type RosterPerson, type Slot } from '../roster.js';

function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

function EventHeading({ ctx, se, k }: { ctx: PageContext; se: StaffEvent; k: string }) {
  const { event, title } = se;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k={k} />
      </h1>
      <p>
        <LangText lang={title.text.language} dir={title.dir}>
          {title.text.title}
        </LangText>
        <br />
        <span class="meta">
          {formatEventWhen(ctx.lang, event.starts_at, event.ends_at, event.time_zone)}
        </span>
      </p>
    </>
  );
}

function EventNav({ ctx, se }: { ctx: PageContext; se: StaffEvent }) {
  const base = `/workspace/events/${se.event.id}`;
  const link = (path: string, k: string) => (
    <li>
      <a
        href={ctx.href(`${base}${path}`)}
        aria-current={ctx.currentPath === `${base}${path}` ? 'page' : undefined}
      >
        <Msg ctx={ctx} k={k} />
      </a>
    </li>
  );
  return (
    <nav aria-label={ctx.t('participant.staff.nav')}>
      <ul class="inline">
        {link('/participants', 'participant.staff.list')}
        {link('/attendance', 'attendance.heading')}
        {link('/roster', 'attendance.roster')}
        {link('/certificates', 'certificate.staff.heading')}
      </ul>
    </nav>
  );
}

const yesNo = (ctx: PageContext, on: boolean) =>
  ctx.t(on ? 'participant.staff.yes' : 'participant.staff.no');

export function ParticipantsPage(p: {
  ctx: PageContext;
  se: StaffEvent;
  people: RosterPerson[];
  slots: Slot[];
}) {
  const { ctx, se } = p;
  const registered = p.people.filter((x) => x.status === 'registered').length;
  const waiting = p.people.filter((x) => x.status === 'waitlisted').length;
  return (
    <>
      <EventHeading ctx={ctx} se={se} k="participant.staff.list" />
      <EventNav ctx={ctx} se={se} />
      <p>
        <Msg
          ctx={ctx}
          k="participant.staff.counts"
          v={{ registered, capacity: se.event.capacity, waiting }}
        />
      </p>
      {p.people.length === 0 ? (
        <p>
          <Msg ctx={ctx} k="participant.staff.none" />
        </p>
      ) : (
        <div class="grid">
          <table>
            <thead>
              <tr>
                <th scope="col">
                  <Msg ctx={ctx} k="participant.staff.name" />
                </th>
                <th scope="col">
                  <Msg ctx={ctx} k="participant.staff.status" />
                </th>
                <th scope="col">
                  <Msg ctx={ctx} k="participant.staff.listed" />
                </th>
                <th scope="col">
                  <Msg ctx={ctx} k="participant.staff.photos" />
                </th>
                <th scope="col">
                  <Msg ctx={ctx} k="participant.staff.attended" />
                </th>
                <th scope="col">
                  <Msg ctx={ctx} k="participant.staff.contact" />
                </th>
              </tr>
            </thead>
            <tbody>
              {p.people.map((person) => (
                <tr>
                  <td>
                    <bdi>{person.name}</bdi>
                  </td>
                  <td>
                    <Msg ctx={ctx} k={`participant.status.${person.status}`} />
                  </td>
                  <td>{yesNo(ctx, person.consentListed)}</td>
                  <td>{yesNo(ctx, person.consentPhotos)}</td>
                  <td>
                    <Msg
                      ctx={ctx}
                      k="attendance.count"
                      v={{ count: attendanceOf(person, p.slots).count, total: p.slots.length }}
                    />
                  </td>
                  <td>
                    {person.contact ? (
                      <bdi>{person.contact}</bdi>
                    ) : (
                      <span class="meta">
                        <Msg
                          ctx={ctx}
                          k={
                            person.consentContact
                              ? 'participant.staff.noContact'
                              : 'participant.staff.noConsent'
                          }
                        />
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function AttendancePage(p: {
  ctx: PageContext;
  se: StaffEvent;
  people: RosterPerson[];
  slots: Slot[];
  slot: Slot | undefined;
  csrfToken: string;
  saved: boolean;
}) {
  const { ctx, se } = p;
  const action = ctx.href(`/workspace/events/${se.event.id}/attendance`);
  const registered = p.people.filter((x) => x.status === 'registered');
  return (
    <>
      <EventHeading ctx={ctx} se={se} k="attendance.heading" />
      <EventNav ctx={ctx} se={se} />
      {p.saved && (
        <p class="ok" role="status">
          <Msg ctx={ctx} k="attendance.saved" />
        </p>
      )}
      <form method="get" action={action} class="search">
        <label class="meta" for="slot-choice">
          <Msg ctx={ctx} k="attendance.slot" />
        </label>
        <select name="slot" id="slot-choice">
          {p.slots.map((s) => (
            <option value={s.slot} selected={s.slot === p.slot?.slot}>
              {s.label}
            </option>
          ))}
        </select>
        <button type="submit">
          <Msg ctx={ctx} k="attendance.show" />
        </button>
      </form>
      {p.slot &&
        (registered.length === 0 ? (
          <p>
            <Msg ctx={ctx} k="participant.staff.none" />
          </p>
        ) : (
          <form method="post" action={action}>
            <Csrf token={p.csrfToken} />
            <input type="hidden" name="slot" value={p.slot.slot} />
            <h2>{p.slot.label}</h2>
            <p class="meta">
              <Msg ctx={ctx} k="attendance.hint" />
            </p>
            <ul class="items">
              {registered.map((person) => (
                <li>
                  <label class="tick">
                    <input
                      type="checkbox"
                      name="present"
                      value={person.registrationId}
                      checked={person.present.has(p.slot!.slot)}
                    />{' '}
                    <bdi>{person.name}</bdi>
                  </label>
                </li>
              ))}
            </ul>
            <p>
              <button type="submit">
                <Msg ctx={ctx} k="attendance.save" />
              </button>
            </p>
          </form>
        ))}
    </>
  );
}

export function CertificatesPage(p: {
  ctx: PageContext;
  se: StaffEvent;
  people: RosterPerson[];
  slots: Slot[];
  certificates: Map<string, { id: string; code: string; language: string; revoked: boolean }>;
  defaultLanguage: string;
  csrfToken: string;
  notice: string | undefined;
  problem: string | undefined;
}) {
  const { ctx, se } = p;
  const base = `/workspace/events/${se.event.id}/certificates`;
  const registered = p.people.filter((x) => x.status === 'registered');
  // Her own language when she registered in one of ours, else the event's.
  const languageSelect = (person: RosterPerson) => (
    <select name="language" aria-label={ctx.t('certificate.staff.language')}>
      {UI_LANGUAGES.map((l) => (
        <option value={l} selected={l === (person.language ?? p.defaultLanguage)}>
          {endonymOf(l) ?? l}
        </option>
      ))}
    </select>
  );
  return (
    <>
      <EventHeading ctx={ctx} se={se} k="certificate.staff.heading" />
      <EventNav ctx={ctx} se={se} />
      {p.notice && (
        <p class="ok" role="status">
          <Msg ctx={ctx} k={p.notice} />
        </p>
      )}
      {p.problem && (
        <p class="error" role="alert">
          <Msg ctx={ctx} k={p.problem} />
        </p>
      )}
      <p class="meta">
        <Msg ctx={ctx} k="certificate.staff.rule" />
      </p>
      {registered.length === 0 ? (
        <p>
          <Msg ctx={ctx} k="participant.staff.none" />
        </p>
      ) : (
        <div class="grid">
          <table>
            <thead>
              <tr>
                <th scope="col">
                  <Msg ctx={ctx} k="participant.staff.name" />
                </th>
                <th scope="col">
                  <Msg ctx={ctx} k="participant.staff.attended" />
                </th>
                <th scope="col">
                  <Msg ctx={ctx} k="certificate.staff.certificate" />
                </th>
              </tr>
            </thead>
            <tbody>
              {registered.map((person) => {
                const { count, completed } = attendanceOf(person, p.slots);
                const cert = p.certificates.get(person.registrationId);
                return (
                  <tr>
                    <td>
                      <bdi>{person.name}</bdi>
                    </td>
                    <td>
                      <Msg ctx={ctx} k="attendance.count" v={{ count, total: p.slots.length }} />
                    </td>
                    <td>
                      {cert ? (
                        <>
                          <code dir="ltr">{cert.code}</code> (
                          {endonymOf(cert.language) ?? cert.language}){' '}
                          {cert.revoked ? (
                            <strong>
                              <Msg ctx={ctx} k="certificate.staff.revoked" />
                            </strong>
                          ) : (
                            <>
                              <a href={ctx.href(`${base}/${cert.id}/pdf`)}>
                                <Msg ctx={ctx} k="certificate.staff.pdf" />
                              </a>{' '}
                              <form
                                method="post"
                                action={ctx.href(`${base}/${cert.id}/revoke`)}
                                class="inline"
                              >
                                <Csrf token={p.csrfToken} />
                                <button type="submit" class="plain">
                                  <Msg ctx={ctx} k="certificate.staff.revoke" />
                                </button>
                              </form>
                            </>
                          )}
                        </>
                      ) : completed ? (
                        <form method="post" action={ctx.href(base)} class="inline">
                          <Csrf token={p.csrfToken} />
                          <input type="hidden" name="registration" value={person.registrationId} />
                          {languageSelect(person)}{' '}
                          <button type="submit">
                            <Msg ctx={ctx} k="certificate.staff.issue" />
                          </button>
                        </form>
                      ) : (
                        <span class="meta">
                          <Msg ctx={ctx} k="certificate.staff.notCompleted" />
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
