/** The agenda builder: plain forms, each button a POST, so it works without JavaScript. */
import { LangText, Msg } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import type { Picked } from '../../programmes/texts.js';
import type { FieldErrors } from '../../workspace/forms.js';
import { Csrf, Field, FormErrors, SubmitButton } from '../../workspace/views/common.js';
import type { EventRow } from '../access.js';
import { formatEventDay, formatLocalTime } from '../dates.js';
import type { AgendaItem } from '../repository.js';

export interface AgendaSession {
  id: string;
  duration_minutes: number;
  title: Picked<{ language: string; title: string }> | undefined;
}

export interface AgendaPageProps {
  ctx: PageContext;
  csrfToken: string;
  event: EventRow;
  eventTitle: Picked<{ language: string; title: string }>;
  days: string[];
  items: AgendaItem[];
  /** Titles of the sessions used in the agenda and offered from the curriculum. */
  sessions: Map<string, AgendaSession>;
  /** The event curriculum's sessions, in order, to tick. */
  offered: AgendaSession[];
  canRun: boolean;
  errors: FieldErrors;
}

export function ItemTitle({
  item,
  session,
}: {
  item: Pick<AgendaItem, 'title' | 'session_id'>;
  session: AgendaSession | undefined;
}) {
  if (item.session_id && session?.title)
    return (
      <LangText lang={session.title.text.language} dir={session.title.dir}>
        {session.title.text.title}
      </LangText>
    );
  return <bdi>{item.title ?? ''}</bdi>;
}

function DaySelect({ ctx, days, value }: { ctx: PageContext; days: string[]; value?: string }) {
  return (
    <select name="day">
      {days.map((d) => (
        <option value={d} selected={d === value}>
          {formatEventDay(ctx.lang, d)}
        </option>
      ))}
    </select>
  );
}

export function AgendaPage(p: AgendaPageProps) {
  const { ctx, event } = p;
  const base = `/workspace/events/${event.id}/agenda`;
  const hidden = <Csrf token={p.csrfToken} />;
  const otherDays = [...new Set(p.items.map((i) => i.day))].filter((d) => !p.days.includes(d));
  return (
    <>
      <p>
        <a href={ctx.href(`/workspace/events/${event.id}`)}>
          <LangText lang={p.eventTitle.text.language} dir={p.eventTitle.dir}>
            {p.eventTitle.text.title}
          </LangText>
        </a>
      </p>
      <h1>
        <Msg ctx={ctx} k="event.agenda.heading" />
      </h1>
      <FormErrors ctx={ctx} errors={p.errors} />
      {[...p.days, ...otherDays].map((day) => {
        const items = p.items.filter((i) => i.day === day);
        const total = items.reduce((sum, i) => sum + i.minutes, 0);
        return (
          <section>
            <h2>{formatEventDay(ctx.lang, day)}</h2>
            <p class="meta">
              <Msg ctx={ctx} k="event.agenda.total" v={{ minutes: total }} />
            </p>
            <ol class="items">
              {items.map((item, index) => (
                <li>
                  <div>
                    {item.start_time && <bdi>{formatLocalTime(ctx.lang, item.start_time)} </bdi>}
                    <strong>
                      <ItemTitle item={item} session={p.sessions.get(item.session_id ?? '')} />
                    </strong>{' '}
                    <span class="meta">
                      <Msg ctx={ctx} k="event.agenda.minutes" v={{ minutes: item.minutes }} />
                    </span>
                  </div>
                  {p.canRun && (
                    <div class="actions">
                      {index > 0 && (
                        <form method="post" action={ctx.href(`${base}/items/${item.id}/move`)}>
                          {hidden}
                          <input type="hidden" name="direction" value="up" />
                          <button type="submit" class="plain">
                            <Msg ctx={ctx} k="event.agenda.up" />
                          </button>
                        </form>
                      )}
                      {index < items.length - 1 && (
                        <form method="post" action={ctx.href(`${base}/items/${item.id}/move`)}>
                          {hidden}
                          <input type="hidden" name="direction" value="down" />
                          <button type="submit" class="plain">
                            <Msg ctx={ctx} k="event.agenda.down" />
                          </button>
                        </form>
                      )}
                      <form method="post" action={ctx.href(`${base}/items/${item.id}`)}>
                        {hidden}
                        <label>
                          <Msg ctx={ctx} k="event.agenda.day" />{' '}
                          <DaySelect ctx={ctx} days={p.days} value={item.day} />
                        </label>{' '}
                        <label>
                          <Msg ctx={ctx} k="event.agenda.startTime" />{' '}
                          <input type="time" name="start_time" value={item.start_time ?? ''} />
                        </label>{' '}
                        <label>
                          <Msg ctx={ctx} k="event.agenda.minutesLabel" />{' '}
                          <input
                            type="number"
                            name="minutes"
                            min={1}
                            max={1440}
                            value={String(item.minutes)}
                          />
                        </label>{' '}
                        <button type="submit" class="plain">
                          <Msg ctx={ctx} k="event.agenda.change" />
                        </button>
                      </form>
                      <form method="post" action={ctx.href(`${base}/items/${item.id}/delete`)}>
                        {hidden}
                        <button type="submit" class="plain">
                          <Msg ctx={ctx} k="event.agenda.delete" />
                        </button>
                      </form>
                    </div>
                  )}
                </li>
              ))}
            </ol>
          </section>
        );
      })}
      {p.canRun && (
        <>
          <h2>
            <Msg ctx={ctx} k="event.agenda.addSessions" />
          </h2>
          {p.offered.length === 0 ? (
            <p class="meta">
              <Msg ctx={ctx} k="event.agenda.noCurriculum" />
            </p>
          ) : (
            <form method="post" action={ctx.href(`${base}/sessions`)} class="fields">
              {hidden}
              <fieldset>
                <legend>
                  <Msg ctx={ctx} k="event.agenda.pickSessions" />
                </legend>
                {p.errors.session && (
                  <span class="error" id="session-error">
                    <Msg ctx={ctx} k={p.errors.session} />
                  </span>
                )}
                {p.offered.map((s) => (
                  <label>
                    <input type="checkbox" name="session" value={s.id} />{' '}
                    <ItemTitle item={{ session_id: s.id, title: null }} session={s} />{' '}
                    <span class="meta">
                      <Msg ctx={ctx} k="event.agenda.minutes" v={{ minutes: s.duration_minutes }} />
                    </span>
                  </label>
                ))}
              </fieldset>
              <Field ctx={ctx} name="day" label="event.agenda.day" errors={p.errors}>
                <DaySelect ctx={ctx} days={p.days} />
              </Field>
              <SubmitButton ctx={ctx} k="event.agenda.addSessionsButton" />
            </form>
          )}
          <h2>
            <Msg ctx={ctx} k="event.agenda.addFree" />
          </h2>
          <form method="post" action={ctx.href(`${base}/items`)} class="fields">
            {hidden}
            <Field ctx={ctx} name="title" label="event.agenda.freeTitle" errors={p.errors}>
              <input name="title" maxLength={200} required dir="auto" />
            </Field>
            <Field ctx={ctx} name="minutes" label="event.agenda.minutesLabel" errors={p.errors}>
              <input type="number" name="minutes" min={1} max={1440} value="30" required />
            </Field>
            <Field ctx={ctx} name="day" label="event.agenda.day" errors={p.errors}>
              <DaySelect ctx={ctx} days={p.days} />
            </Field>
            <Field ctx={ctx} name="start_time" label="event.agenda.startTime" errors={p.errors}>
              <input type="time" name="start_time" />
            </Field>
            <SubmitButton ctx={ctx} k="event.agenda.addFreeButton" />
          </form>
        </>
      )}
    </>
  );
}
