/** Public pages of advocacy projects: small, no JavaScript, right-to-left correct. */
import { directionOf } from '../../platform/i18n/languages.js';
import { LangText, Msg, Pager } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import type { Picked } from '../programmes/texts.js';

export interface ProjectListItem {
  slug: string;
  title: string;
  language: string;
  country: string | null;
  topic: string | undefined;
}

export interface ProjectFilters {
  country: string;
  topic: string;
}

export function filterQuery(filters: ProjectFilters, page = 1): string {
  const params = new URLSearchParams();
  if (filters.country) params.set('country', filters.country);
  if (filters.topic) params.set('topic', filters.topic);
  if (page > 1) params.set('page', String(page));
  const q = params.toString();
  return q ? `?${q}` : '';
}

export function ProjectsListPage(p: {
  ctx: PageContext;
  items: ProjectListItem[];
  total: number;
  page: number;
  pages: number;
  filters: ProjectFilters;
  countries: { code: string; name: string }[];
  topics: { slug: string; label: string }[];
  countryName: (code: string) => string;
}) {
  const { ctx, filters } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="project.public.heading" />
      </h1>
      <form method="get" action={ctx.href('/projects')} class="facets">
        <label>
          <Msg ctx={ctx} k="project.public.country" />{' '}
          <select name="country">
            <option value="">{ctx.t('project.public.all')}</option>
            {p.countries.map((c) => (
              <option value={c.code} selected={filters.country === c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <Msg ctx={ctx} k="project.public.topic" />{' '}
          <select name="topic">
            <option value="">{ctx.t('project.public.all')}</option>
            {p.topics.map((t) => (
              <option value={t.slug} selected={filters.topic === t.slug}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">
          <Msg ctx={ctx} k="project.public.filter" />
        </button>
      </form>
      <p class="meta">
        <Msg ctx={ctx} k="project.public.count" v={{ count: p.total }} />
      </p>
      <ul class="items">
        {p.items.map((item) => (
          <li>
            <a class="t" href={ctx.href(`/projects/${encodeURIComponent(item.slug)}`)}>
              <LangText lang={item.language} dir={directionOf(item.language)}>
                {item.title}
              </LangText>
            </a>
            {(item.country || item.topic) && (
              <div class="meta">
                {[item.country ? p.countryName(item.country) : undefined, item.topic]
                  .filter(Boolean)
                  .join(' · ')}
              </div>
            )}
          </li>
        ))}
      </ul>
      <Pager
        ctx={ctx}
        page={p.page}
        pages={p.pages}
        link={(n) => ctx.href(`/projects${filterQuery(filters, n)}`)}
      />
    </>
  );
}

export function ProjectDetailPage(p: {
  ctx: PageContext;
  project: {
    title: string;
    description: string;
    language: string;
    link: string | null;
    country: string | null;
    organisation: string;
  };
  event: Picked<{ language: string; title: string }> | undefined;
  eventHref: string | undefined;
  topic: string | undefined;
  countryName: string | undefined;
  team: { named: string[]; others: number };
}) {
  const { ctx, project, team } = p;
  const dir = directionOf(project.language);
  const paragraphs = project.description.split(/\n\s*\n/).filter((s) => s.trim());
  const eventTitle = p.event && (
    <LangText lang={p.event.text.language} dir={p.event.dir}>
      {p.event.text.title}
    </LangText>
  );
  return (
    <>
      <h1 lang={project.language} dir={dir}>
        {project.title}
      </h1>
      <div lang={project.language} dir={dir} class="reading">
        {paragraphs.map((para) => (
          <p>{para}</p>
        ))}
      </div>
      <dl class="facts">
        {project.link && (
          <>
            <dt>
              <Msg ctx={ctx} k="project.link" />
            </dt>
            <dd>
              <a href={project.link} rel="nofollow noopener" dir="ltr">
                {project.link}
              </a>
            </dd>
          </>
        )}
        {eventTitle && (
          <>
            <dt>
              <Msg ctx={ctx} k="project.public.event" />
            </dt>
            <dd>{p.eventHref ? <a href={p.eventHref}>{eventTitle}</a> : eventTitle}</dd>
          </>
        )}
        <dt>
          <Msg ctx={ctx} k="project.public.organisation" />
        </dt>
        <dd>
          <bdi>{project.organisation}</bdi>
        </dd>
        {p.countryName && (
          <>
            <dt>
              <Msg ctx={ctx} k="project.public.country" />
            </dt>
            <dd>{p.countryName}</dd>
          </>
        )}
        {p.topic && (
          <>
            <dt>
              <Msg ctx={ctx} k="project.public.topic" />
            </dt>
            <dd>{p.topic}</dd>
          </>
        )}
        {(team.named.length > 0 || team.others > 0) && (
          <>
            <dt>
              <Msg ctx={ctx} k="project.team" />
            </dt>
            <dd>
              {team.named.map((name, i) => (
                <>
                  {i > 0 && ', '}
                  <bdi>{name}</bdi>
                </>
              ))}
              {team.others > 0 &&
                (team.named.length > 0 ? (
                  <>
                    {' '}
                    <Msg ctx={ctx} k="project.public.andOthers" v={{ count: team.others }} />
                  </>
                ) : (
                  <Msg ctx={ctx} k="project.public.unnamed" v={{ count: team.others }} />
                ))}
            </dd>
          </>
        )}
      </dl>
      <p>
        <a href={ctx.href('/projects')}>
          <Msg ctx={ctx} k="project.public.all.link" />
        </a>
      </p>
    </>
  );
}
