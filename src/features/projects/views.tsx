/** Workspace pages of an event's advocacy projects: the list, the new form and the edit page. */
import { directionOf, UI_LANGUAGES, endonymOf } from '../../platform/i18n/languages.js';
import { LangText, Msg } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import type { StaffEvent } from '../events/access.js';
import { Csrf, Field, FormErrors, Notice } from '../workspace/views/common.js';
import type { FieldErrors } from '../workspace/forms.js';
import { DESCRIPTION_MAX, LINK_MAX, TITLE_MAX, type ProjectForm } from './forms.js';
import type { ProjectRow, TeamCandidate } from './repository.js';

export interface Topic {
  id: string;
  label: string;
  language: string;
}

function EventHeading({ ctx, event }: { ctx: PageContext; event: StaffEvent }) {
  return (
    <p class="meta">
      <a href={ctx.href(`/workspace/events/${event.event.id}`)}>
        <LangText lang={event.title.text.language} dir={event.title.dir}>
          {event.title.text.title}
        </LangText>
      </a>
    </p>
  );
}

function ProjectState({ ctx, project }: { ctx: PageContext; project: ProjectRow }) {
  const key = project.published_at
    ? 'project.state.published'
    : project.consent_recorded_at
      ? 'project.state.consented'
      : 'project.state.draft';
  return <Msg ctx={ctx} k={key} />;
}

function languageChoices(current: string): string[] {
  return UI_LANGUAGES.includes(current as (typeof UI_LANGUAGES)[number]) || !current
    ? [...UI_LANGUAGES]
    : [current, ...UI_LANGUAGES];
}

function ProjectFields(p: {
  ctx: PageContext;
  form: ProjectForm;
  errors: FieldErrors;
  topics: Topic[];
  team: TeamCandidate[] | undefined;
}) {
  const { ctx, form, errors } = p;
  const dir = directionOf(form.language || ctx.lang);
  return (
    <>
      <Field ctx={ctx} name="language" label="project.language" errors={errors}>
        <select name="language">
          {languageChoices(form.language).map((tag) => (
            <option value={tag} selected={form.language === tag}>
              {endonymOf(tag) ?? tag}
            </option>
          ))}
        </select>
      </Field>
      <Field ctx={ctx} name="title" label="project.title" errors={errors}>
        <input name="title" value={form.title} required maxLength={TITLE_MAX} dir={dir} />
      </Field>
      <Field ctx={ctx} name="description" label="project.description" errors={errors}>
        <textarea name="description" required rows={6} maxLength={DESCRIPTION_MAX} dir={dir}>
          {form.description}
        </textarea>
      </Field>
      <Field ctx={ctx} name="link" label="project.link" errors={errors}>
        <input
          name="link"
          type="url"
          value={form.link}
          maxLength={LINK_MAX}
          dir="ltr"
          placeholder="https://"
        />
      </Field>
      <Field ctx={ctx} name="topic" label="project.topic" errors={errors}>
        <select name="topic">
          <option value="">{ctx.t('project.noTopic')}</option>
          {p.topics.map((t) => (
            <option value={t.id} selected={form.topic === t.id}>
              {t.label}
            </option>
          ))}
        </select>
      </Field>
      {p.team && (
        <fieldset>
          <legend>
            <Msg ctx={ctx} k="project.team" />
          </legend>
          <input type="hidden" name="team" value="1" />
          {errors.team && (
            <p class="error">
              <Msg ctx={ctx} k={errors.team} />
            </p>
          )}
          {p.team.length === 0 && (
            <p class="meta">
              <Msg ctx={ctx} k="project.noRegistrations" />
            </p>
          )}
          {p.team.map((m) => (
            <div>
              <label>
                <input
                  type="checkbox"
                  name="member"
                  value={m.registrationId}
                  checked={form.members?.includes(m.registrationId) ?? m.member}
                />{' '}
                <bdi>{m.displayName}</bdi>
                {!m.listed && (
                  <span class="meta">
                    {' '}
                    <Msg ctx={ctx} k="project.notListed" />
                  </span>
                )}
              </label>
            </div>
          ))}
        </fieldset>
      )}
    </>
  );
}

export function ProjectsPage(p: {
  ctx: PageContext;
  csrfToken: string;
  event: StaffEvent;
  projects: ProjectRow[];
  counts: Map<string, number>;
  form: ProjectForm;
  errors: FieldErrors;
  topics: Topic[];
  team: TeamCandidate[] | undefined;
  notice?: string | undefined;
}) {
  const { ctx, event } = p;
  const base = `/workspace/events/${event.event.id}/projects`;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="project.heading" />
      </h1>
      <EventHeading ctx={ctx} event={event} />
      <Notice ctx={ctx} k={p.notice} kind="ok" />
      {p.projects.length === 0 ? (
        <p class="meta">
          <Msg ctx={ctx} k="project.none" />
        </p>
      ) : (
        <ul class="items">
          {p.projects.map((project) => (
            <li>
              <a class="t" href={ctx.href(`${base}/${project.id}`)}>
                <LangText lang={project.language} dir={directionOf(project.language)}>
                  {project.title}
                </LangText>
              </a>
              <div class="meta">
                <ProjectState ctx={ctx} project={project} />
                {' · '}
                <Msg ctx={ctx} k="project.teamSize" v={{ count: p.counts.get(project.id) ?? 0 }} />
              </div>
            </li>
          ))}
        </ul>
      )}
      <h2>
        <Msg ctx={ctx} k="project.new" />
      </h2>
      <FormErrors ctx={ctx} errors={p.errors} />
      <form method="post" action={ctx.href(base)} class="fields">
        <Csrf token={p.csrfToken} />
        <ProjectFields ctx={ctx} form={p.form} errors={p.errors} topics={p.topics} team={p.team} />
        <div>
          <button type="submit">
            <Msg ctx={ctx} k="project.create" />
          </button>
        </div>
      </form>
    </>
  );
}

export function ProjectPage(p: {
  ctx: PageContext;
  csrfToken: string;
  event: StaffEvent;
  project: ProjectRow;
  form: ProjectForm;
  errors: FieldErrors;
  topics: Topic[];
  team: TeamCandidate[] | undefined;
  notice?: { k: string; kind: 'ok' | 'error' } | undefined;
}) {
  const { ctx, event, project } = p;
  const base = `/workspace/events/${event.event.id}/projects/${project.id}`;
  const version = <input type="hidden" name="updated_at" value={project.updated_at} />;
  return (
    <>
      <h1>
        <LangText lang={project.language} dir={directionOf(project.language)}>
          {project.title}
        </LangText>
      </h1>
      <EventHeading ctx={ctx} event={event} />
      <p class="meta">
        <ProjectState ctx={ctx} project={project} />
        {project.published_at && (
          <>
            {' · '}
            <a href={ctx.href(`/projects/${encodeURIComponent(project.slug)}`)}>
              <Msg ctx={ctx} k="project.viewPublic" />
            </a>
          </>
        )}
      </p>
      {p.notice && <Notice ctx={ctx} k={p.notice.k} kind={p.notice.kind} />}
      <FormErrors ctx={ctx} errors={p.errors} />
      <form method="post" action={ctx.href(base)} class="fields">
        <Csrf token={p.csrfToken} />
        {version}
        <ProjectFields ctx={ctx} form={p.form} errors={p.errors} topics={p.topics} team={p.team} />
        {p.team && (
          <p class="meta">
            <Msg ctx={ctx} k="project.teamChangeNote" />
          </p>
        )}
        <div>
          <button type="submit">
            <Msg ctx={ctx} k="project.save" />
          </button>
        </div>
      </form>

      <h2>
        <Msg ctx={ctx} k="project.consent.heading" />
      </h2>
      <p>
        {project.consent_recorded_at ? (
          <Msg
            ctx={ctx}
            k="project.consent.recorded"
            v={{ date: ctx.date(project.consent_recorded_at) }}
          />
        ) : (
          <Msg ctx={ctx} k="project.consent.missing" />
        )}
      </p>
      <form method="post" action={ctx.href(`${base}/consent`)} class="inline">
        <Csrf token={p.csrfToken} />
        {version}
        <input type="hidden" name="consent" value={project.consent_recorded_at ? 'no' : 'yes'} />
        <button type="submit" class={project.consent_recorded_at ? 'plain' : undefined}>
          <Msg
            ctx={ctx}
            k={project.consent_recorded_at ? 'project.consent.withdraw' : 'project.consent.record'}
          />
        </button>
      </form>

      <h2>
        <Msg ctx={ctx} k="project.publication" />
      </h2>
      <form method="post" action={ctx.href(`${base}/publish`)} class="inline">
        <Csrf token={p.csrfToken} />
        {version}
        <input type="hidden" name="to" value={project.published_at ? 'draft' : 'published'} />
        <button type="submit">
          <Msg ctx={ctx} k={project.published_at ? 'project.unpublish' : 'project.publish'} />
        </button>
      </form>

      <h2>
        <Msg ctx={ctx} k="project.delete.heading" />
      </h2>
      <form method="post" action={ctx.href(`${base}/delete`)} class="inline">
        <Csrf token={p.csrfToken} />
        {version}
        <label>
          <input type="checkbox" name="confirm" value="1" required />{' '}
          <Msg ctx={ctx} k="project.delete.confirm" />
        </label>{' '}
        <button type="submit" class="plain">
          <Msg ctx={ctx} k="project.delete" />
        </button>
      </form>
    </>
  );
}
