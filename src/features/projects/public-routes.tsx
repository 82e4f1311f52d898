/**
 * Public pages of published advocacy projects:
 *   GET /:lang/projects?country=XX&topic=slug&page=N   browsable by country (the event's) and topic
 *   GET /:lang/projects/:slug                          one project; unpublished ones are 404
 * Team members are named only when they agreed to appear in participant lists.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { notFound } from '../../platform/http/errors.js';
import type { ProgrammeDeps } from '../programmes/deps.js';
import { groupBy, pickText } from '../programmes/texts.js';
import { countryName } from '../impact/report.js';
import {
  countPublished,
  eventTitle,
  listPublished,
  PUBLIC_PAGE_SIZE,
  publicTeam,
  publishedFacets,
  publishedProject,
  topicChoices,
} from './repository.js';
import { ProjectDetailPage, ProjectsListPage } from './public-views.js';

const ListQuery = Type.Object(
  {
    country: Type.Optional(Type.String({ pattern: '^([A-Z]{2})?$' })),
    topic: Type.Optional(Type.String({ pattern: '^([a-z0-9][a-z0-9-]{0,79})?$' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
const SlugParams = Type.Object({
  lang: Type.String({ maxLength: 64 }),
  slug: Type.String({ minLength: 1, maxLength: 120 }),
});
/** Slugs are made by slugFrom: letters and digits of any script, and hyphens. */
const SLUG = /^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*$/u;

export function registerProjectPublicRoutes(app: FastifyInstance, deps: ProgrammeDeps) {
  const { db, pages, cipher } = deps;

  app.get('/:lang/projects', { schema: { querystring: ListQuery } }, (request, reply) =>
    pages.render(request, reply, async (ctx) => {
      const q = request.query as Static<typeof ListQuery>;
      const filters = { country: q.country ?? '', topic: q.topic ?? '' };
      const filter = { country: filters.country || undefined, topic: filters.topic || undefined };
      const page = q.page ?? 1;
      const [total, facets, topics] = await Promise.all([
        countPublished(db, filter),
        publishedFacets(db),
        topicChoices(db, ctx.lang),
      ]);
      const pageTotal = Math.max(1, Math.ceil(total / PUBLIC_PAGE_SIZE));
      if (page > pageTotal) throw notFound('page out of range');
      const rows = await listPublished(db, filter, PUBLIC_PAGE_SIZE, (page - 1) * PUBLIC_PAGE_SIZE);
      const topicLabel = new Map(topics.map((t) => [t.id, t.label]));
      const name = (code: string) => countryName(ctx.lang, code);
      return {
        title: ctx.t('project.public.heading'),
        description: ctx.t('project.public.description'),
        body: (
          <ProjectsListPage
            ctx={ctx}
            items={rows.map((r) => ({
              slug: r.slug,
              title: r.title,
              language: r.language,
              country: r.country,
              topic: r.topic_id ? topicLabel.get(r.topic_id) : undefined,
            }))}
            total={total}
            page={page}
            pages={pageTotal}
            filters={filters}
            countries={facets.countries
              .map((code) => ({ code, name: name(code) }))
              .sort((a, b) => a.name.localeCompare(b.name, ctx.lang))}
            topics={topics.filter((t) => facets.topics.has(t.slug))}
            countryName={name}
          />
        ),
        alternates: 'ui',
      };
    }),
  );

  app.get('/:lang/projects/:slug', { schema: { params: SlugParams } }, (request, reply) =>
    pages.render(request, reply, async (ctx) => {
      const { slug } = request.params as Static<typeof SlugParams>;
      if (!SLUG.test(slug)) throw notFound('no such project');
      const project = await publishedProject(db, slug);
      if (!project) throw notFound('no such project');
      const [event, team, topicLabels] = await Promise.all([
        eventTitle(db, project.event_id, ctx.lang),
        publicTeam(db, cipher, project.id),
        project.topic_id
          ? db
              .selectFrom('topic_labels')
              .select(['topic_id', 'language', 'label'])
              .where('topic_id', '=', project.topic_id)
              .execute()
          : Promise.resolve([]),
      ]);
      const topic = pickText(
        groupBy(topicLabels, 'topic_id').get(project.topic_id!) ?? [],
        ctx.lang,
      );
      const eventIsPublic =
        project.event_published_at !== null && project.event_visibility === 'public';
      return {
        title: project.title,
        description: project.description.slice(0, 160),
        body: (
          <ProjectDetailPage
            ctx={ctx}
            project={project}
            event={event}
            eventHref={
              eventIsPublic
                ? ctx.href(`/events/${encodeURIComponent(project.event_slug)}`)
                : undefined
            }
            topic={topic?.text.label}
            countryName={project.country ? countryName(ctx.lang, project.country) : undefined}
            team={team}
          />
        ),
        alternates: 'ui',
      };
    }),
  );
}
