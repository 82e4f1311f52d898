/** Public event pages: the filterable list and an event's own page. No participant data. */
import type { ComponentChildren } from 'preact';
import { LangText, Msg, Pager } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import { EVENT_KINDS } from '../../../platform/db/schema.js';
import { directionOf, endonymOf } from '../../../platform/i18n/languages.js';
import type { Picked } from '../../programmes/texts.js';
import type { LoadedAgenda } from '../agenda.js';
import { eventWhenParts, formatEventDay, formatLocalTime } from '../dates.js';
import type { PublicEvent, PublicFilter } from '../repository.js';
import { ItemTitle } from './agenda.js';
import { countryName } from './workspace.js';

type Title = Picked<{ language: string; title: string; description: string | null }>;

export function LanguageLabel({ tag }: { tag: string }) {
  return (
    <LangText lang={tag} dir={directionOf(tag)}>
      {endonymOf(tag) ?? tag}
    </LangText>
  );
}

/** The title (or description) of an event, marked with its language when it is a fallback. */
function Text({ title, children }: { title: Title; children: ComponentChildren }) {
  if (!title.fallbackLanguage) return <>{children}</>;
  return (
    <LangText lang={title.text.language} dir={title.dir}>
      {children}
    </LangText>
  );
}

export function When({ ctx, event }: { ctx: PageContext; event: PublicEvent }) {
  const when = eventWhenParts(ctx.lang, event.starts_at, event.ends_at, event.time_zone);
  return (
    <>
      <span>{when.main}</span>
      {when.gregorian && (
        <>
          {' '}
          <span class="meta">({when.gregorian})</span>
        </>
      )}{' '}
      <span class="meta">· {when.zone}</span>
    </>
  );
}

export function Where({ ctx, event }: { ctx: PageContext; event: PublicEvent }) {
  const parts: ComponentChildren[] = [];
  if (event.place) parts.push(<bdi>{event.place}</bdi>);
  if (event.country) parts.push(countryName(ctx.lang, event.country));
  if (event.online_url) parts.push(<Msg ctx={ctx} k="event.public.online" />);
  return <>{parts.flatMap((p, i) => (i ? [' · ', p] : [p]))}</>;
}

export interface ListedEvent {
  event: PublicEvent;
  title: Title | undefined;
}

function EventItems({ ctx, items }: { ctx: PageContext; items: ListedEvent[] }) {
  return (
    <ul class="items">
      {items.map(({ event, title }) => (
        <li>
          <a class="t" href={ctx.href(`/events/${event.slug}`)}>
            {title ? <Text title={title}>{title.text.title}</Text> : event.slug}
          </a>
          <div class="meta">
            <Msg ctx={ctx} k={`event.kind.${event.kind}`} />
            {' · '}
            <bdi>{event.organisation_name}</bdi>
          </div>
          <div>
            <When ctx={ctx} event={event} />
          </div>
          <div class="meta">
            <Where ctx={ctx} event={event} />
          </div>
        </li>
      ))}
    </ul>
  );
}

export interface Facets {
  countries: { value: string; n: number }[];
  kinds: { value: string; n: number }[];
  languages: { value: string; n: number }[];
}

export function EventsListPage(p: {
  ctx: PageContext;
  filter: PublicFilter;
  facets: Facets;
  upcoming: ListedEvent[];
  upcomingTotal: number;
  page: number;
  pages: number;
  past: ListedEvent[];
  pastPage: number;
  pastPages: number;
  link: (page: number, pastPage: number) => string;
}) {
  const { ctx, filter, facets } = p;
  const collator = new Intl.Collator(ctx.lang);
  const countries = facets.countries
    .map((c) => ({ ...c, name: countryName(ctx.lang, c.value) }))
    .sort((a, b) => collator.compare(a.name, b.name));
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="event.public.heading" />
      </h1>
      <form method="get" action={ctx.href('/events')} class="facets">
        <label>
          <Msg ctx={ctx} k="event.form.country" />{' '}
          <select name="country">
            <option value="">{ctx.t('event.public.any')}</option>
            {countries.map((c) => (
              <option value={c.value} selected={filter.country === c.value}>
                {`${c.name} (${ctx.number(c.n)})`}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          <Msg ctx={ctx} k="event.public.language" />{' '}
          <select name="language">
            <option value="">{ctx.t('event.public.any')}</option>
            {facets.languages.map((l) => (
              <option value={l.value} selected={filter.language === l.value}>
                {`${endonymOf(l.value) ?? l.value} (${ctx.number(l.n)})`}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          <Msg ctx={ctx} k="event.form.kind" />{' '}
          <select name="kind">
            <option value="">{ctx.t('event.public.any')}</option>
            {EVENT_KINDS.map((k) => {
              const n = facets.kinds.find((f) => f.value === k)?.n ?? 0;
              return (
                <option value={k} selected={filter.kind === k}>
                  {`${ctx.t(`event.kind.${k}`)} (${ctx.number(n)})`}
                </option>
              );
            })}
          </select>
        </label>{' '}
        <button type="submit">
          <Msg ctx={ctx} k="event.public.filter" />
        </button>
      </form>
      <h2>
        <Msg ctx={ctx} k="event.public.upcoming" />
      </h2>
      {p.upcoming.length === 0 ? (
        <p class="meta">
          <Msg ctx={ctx} k="event.public.noneUpcoming" />
        </p>
      ) : (
        <EventItems ctx={ctx} items={p.upcoming} />
      )}
      <Pager ctx={ctx} page={p.page} pages={p.pages} link={(n) => p.link(n, p.pastPage)} />
      {p.past.length > 0 && (
        <>
          <h2>
            <Msg ctx={ctx} k="event.public.past" />
          </h2>
          <EventItems ctx={ctx} items={p.past} />
          <Pager ctx={ctx} page={p.pastPage} pages={p.pastPages} link={(n) => p.link(p.page, n)} />
        </>
      )}
    </>
  );
}

export type Seats = 'cancelled' | 'closed' | 'full' | 'open';

export function seatsState(event: PublicEvent, now: Date): Seats {
  if (event.cancelled_at) return 'cancelled';
  if (Date.parse(event.starts_at) <= now.getTime()) return 'closed';
  return event.seats_taken >= event.capacity ? 'full' : 'open';
}

function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n{2,}/)
        .filter((p) => p.trim())
        .map((p) => (
          <p>{p.split('\n').flatMap((line, i) => (i ? [<br />, line] : [line]))}</p>
        ))}
    </>
  );
}

export function AgendaDays({ ctx, agenda }: { ctx: PageContext; agenda: LoadedAgenda }) {
  const days = agenda.days.filter((d) => agenda.items.some((i) => i.day === d));
  return (
    <>
      {days.map((day) => (
        <section>
          <h3>{formatEventDay(ctx.lang, day)}</h3>
          <ol class="items">
            {agenda.items
              .filter((i) => i.day === day)
              .map((item) => {
                const session = item.session_id ? agenda.sessions.get(item.session_id) : undefined;
                return (
                  <li>
                    {item.start_time && (
                      <>
                        <bdi>{formatLocalTime(ctx.lang, item.start_time)}</bdi>{' '}
                      </>
                    )}
                    {session ? (
                      <a href={ctx.href(session.path)}>
                        <ItemTitle item={item} session={session} />
                      </a>
                    ) : (
                      <ItemTitle item={item} session={undefined} />
                    )}{' '}
                    <span class="meta">
                      <Msg ctx={ctx} k="event.agenda.minutes" v={{ minutes: item.minutes }} />
                    </span>
                  </li>
                );
              })}
          </ol>
        </section>
      ))}
    </>
  );
}

export function EventPublicPage(p: {
  ctx: PageContext;
  event: PublicEvent;
  title: Title;
  languages: string[];
  agenda: LoadedAgenda;
  seats: Seats;
  /** `?invite=...` to keep on links, or "". */
  inviteQuery: string;
}) {
  const { ctx, event, title } = p;
  const base = `/events/${event.slug}`;
  const left = event.capacity - event.seats_taken;
  return (
    <>
      <h1>
        <Text title={title}>{title.text.title}</Text>
      </h1>
      {title.fallbackLanguage && (
        <p class="note">
          <Msg
            ctx={ctx}
            k="event.public.fallback"
            v={{ language: endonymOf(title.fallbackLanguage) ?? title.fallbackLanguage }}
          />
        </p>
      )}
      {p.seats === 'cancelled' && (
        <p class="error" role="status">
          <Msg ctx={ctx} k="event.public.cancelled" />
        </p>
      )}
      <dl class="facts">
        <dt>
          <Msg ctx={ctx} k="event.form.kind" />
        </dt>
        <dd>
          <Msg ctx={ctx} k={`event.kind.${event.kind}`} />
        </dd>
        <dt>
          <Msg ctx={ctx} k="event.public.organiser" />
        </dt>
        <dd>
          <bdi>{event.organisation_name}</bdi>
        </dd>
        <dt>
          <Msg ctx={ctx} k="event.public.when" />
        </dt>
        <dd>
          <When ctx={ctx} event={event} />
        </dd>
        <dt>
          <Msg ctx={ctx} k="event.public.where" />
        </dt>
        <dd>
          <Where ctx={ctx} event={event} />
        </dd>
        {p.languages.length > 0 && (
          <>
            <dt>
              <Msg ctx={ctx} k="event.public.languages" />
            </dt>
            <dd>
              {p.languages.flatMap((l, i) =>
                i ? [', ', <LanguageLabel tag={l} />] : [<LanguageLabel tag={l} />],
              )}
            </dd>
          </>
        )}
        <dt>
          <Msg ctx={ctx} k="event.public.seats" />
        </dt>
        <dd>
          {p.seats === 'open' && <Msg ctx={ctx} k="event.capacity.left" v={{ count: left }} />}
          {p.seats === 'full' && <Msg ctx={ctx} k="event.capacity.full" />}
          {(p.seats === 'closed' || p.seats === 'cancelled') && (
            <Msg ctx={ctx} k="event.capacity.closed" />
          )}
        </dd>
      </dl>
      <ul class="actions">
        {(p.seats === 'open' || p.seats === 'full') && (
          <li>
            <a class="btn" href={ctx.href(`${base}/register${p.inviteQuery}`)}>
              <Msg ctx={ctx} k="event.public.register" />
            </a>
          </li>
        )}
        <li>
          <a class="btn alt" href={ctx.href(`${base}/calendar.ics${p.inviteQuery}`)}>
            <Msg ctx={ctx} k="event.public.calendar" />
          </a>
        </li>
        <li>
          <a class="btn alt" href={ctx.href(`${base}/agenda/pdf${p.inviteQuery}`)}>
            <Msg ctx={ctx} k="event.public.agendaPdf" />
          </a>
        </li>
      </ul>
      {title.text.description && (
        <div
          class="reading"
          {...(title.fallbackLanguage ? { lang: title.text.language, dir: title.dir } : {})}
        >
          <Paragraphs text={title.text.description} />
        </div>
      )}
      {p.agenda.items.length > 0 && (
        <>
          <h2>
            <Msg ctx={ctx} k="event.public.agenda" />
          </h2>
          <AgendaDays ctx={ctx} agenda={p.agenda} />
        </>
      )}
    </>
  );
}
