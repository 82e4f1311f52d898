import { LangText, LanguageName, Msg } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import { WORK_TYPES } from '../../../platform/db/schema.js';
import type { FieldErrors, WorkForm } from '../forms.js';
import type { WorkspaceEdition, WorkspaceWork } from '../repository.js';
import { Csrf, Field, FormErrors, StatusLabel, SubmitButton } from './common.js';

export function WorksList({
  ctx,
  works,
  canCreate,
}: {
  ctx: PageContext;
  works: (WorkspaceWork & { title: string | null })[];
  canCreate: boolean;
}) {
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="workspace.works" />
      </h1>
      {canCreate && (
        <p>
          <a class="button" href={ctx.href('/workspace/works/new')}>
            <Msg ctx={ctx} k="workspace.work.new" />
          </a>
        </p>
      )}
      <ul class="items">
        {works.map((w) => (
          <li>
            <a class="t" href={ctx.href(`/workspace/works/${w.id}`)}>
              <bdi>{w.title ?? w.slug}</bdi>
            </a>
            <div class="meta">
              <Msg ctx={ctx} k={`workType.${w.type}`} />
              {' · '}
              <bdi>{w.publisher_name ?? ''}</bdi>
              {' · '}
              <StatusLabel ctx={ctx} status={w.published_at ? 'published' : 'draft'} />
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

export function WorkFormFields({
  ctx,
  form,
  errors,
  isNew,
  publishers,
}: {
  ctx: PageContext;
  form: WorkForm;
  errors: FieldErrors;
  isNew: boolean;
  publishers: { id: string; name: string }[];
}) {
  return (
    <>
      {isNew && (
        <Field ctx={ctx} name="slug" label="workspace.work.slug" errors={errors}>
          <input
            name="slug"
            value={form.slug}
            required
            maxLength={80}
            pattern="[a-z0-9-]+"
            dir="ltr"
          />
        </Field>
      )}
      <Field ctx={ctx} name="type" label="workspace.work.type" errors={errors}>
        <select name="type">
          {WORK_TYPES.map((t) => (
            <option value={t} selected={form.type === t}>
              {ctx.t(`workType.${t}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field ctx={ctx} name="publisher" label="workspace.work.publisher" errors={errors}>
        <select name="publisher">
          {publishers.map((o) => (
            <option value={o.id} selected={form.publisher === o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </Field>
      <Field ctx={ctx} name="licence" label="workspace.work.licence" errors={errors}>
        <input name="licence" value={form.licence} maxLength={200} dir="auto" />
      </Field>
      <Field ctx={ctx} name="year" label="workspace.work.year" errors={errors}>
        <input name="year" value={form.year} inputMode="numeric" maxLength={4} dir="ltr" />
      </Field>
      <Field
        ctx={ctx}
        name="original_language"
        label="workspace.work.originalLanguage"
        errors={errors}
      >
        <input name="original_language" value={form.originalLanguage} maxLength={64} dir="ltr" />
      </Field>
    </>
  );
}

export function NewWorkPage(p: {
  ctx: PageContext;
  csrfToken: string;
  form: WorkForm;
  errors: FieldErrors;
  publishers: { id: string; name: string }[];
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="workspace.work.new" />
      </h1>
      <FormErrors ctx={ctx} errors={p.errors} />
      <form method="post" action={ctx.href('/workspace/works')} class="fields">
        <Csrf token={p.csrfToken} />
        <WorkFormFields ctx={ctx} form={p.form} errors={p.errors} isNew publishers={p.publishers} />
        <p class="meta">
          <Msg ctx={ctx} k="workspace.work.firstEdition" />
        </p>
        <SubmitButton ctx={ctx} k="workspace.save" />
      </form>
    </>
  );
}

export interface WorkPageProps {
  ctx: PageContext;
  csrfToken: string;
  work: WorkspaceWork;
  editions: WorkspaceEdition[];
  form: WorkForm;
  errors: FieldErrors;
  publishers: { id: string; name: string }[];
  canEdit: boolean;
  canPublish: boolean;
  canAddEdition: boolean;
  saved?: boolean;
}

export function WorkPage(p: WorkPageProps) {
  const { ctx, work } = p;
  const title =
    p.editions.find((e) => e.language === work.original_language)?.title ?? p.editions[0]?.title;
  return (
    <>
      <h1>
        <bdi>{title ?? work.slug}</bdi>
      </h1>
      <p class="meta">
        <StatusLabel ctx={ctx} status={work.published_at ? 'published' : 'draft'} />
        {work.published_at && (
          <>
            {' · '}
            <a href={ctx.href(`/works/${work.slug}`)}>
              <Msg ctx={ctx} k="workspace.work.view" />
            </a>
          </>
        )}
      </p>
      {p.saved && (
        <p class="ok" role="status">
          <Msg ctx={ctx} k="workspace.saved" />
        </p>
      )}
      {p.canPublish && (
        <form method="post" action={ctx.href(`/workspace/works/${work.id}/publish`)}>
          <Csrf token={p.csrfToken} />
          <input type="hidden" name="version" value={String(work.version)} />
          <input type="hidden" name="to" value={work.published_at ? 'unpublished' : 'published'} />
          <button type="submit" class={work.published_at ? 'plain' : ''}>
            <Msg
              ctx={ctx}
              k={work.published_at ? 'workspace.work.unpublish' : 'workspace.work.publish'}
            />
          </button>
        </form>
      )}
      <h2>
        <Msg ctx={ctx} k="workspace.editions" />
      </h2>
      <ul class="items">
        {p.editions.map((e) => (
          <li>
            <a class="t" href={ctx.href(`/workspace/editions/${e.id}`)}>
              <LangText lang={e.language} dir={e.direction}>
                {e.title}
              </LangText>
            </a>
            <div class="meta">
              <LanguageName
                language={{
                  tag: e.language,
                  endonym: e.endonym,
                  english_name: null,
                  direction: e.direction,
                }}
              />
              {' · '}
              <StatusLabel ctx={ctx} status={e.status} stale={e.stale} />
            </div>
          </li>
        ))}
      </ul>
      {p.canAddEdition && (
        <p>
          <a class="button" href={ctx.href(`/workspace/works/${work.id}/editions/new`)}>
            <Msg ctx={ctx} k="workspace.edition.new" />
          </a>
        </p>
      )}
      {p.canEdit && (
        <>
          <h2>
            <Msg ctx={ctx} k="workspace.work.details" />
          </h2>
          <FormErrors ctx={ctx} errors={p.errors} />
          <form method="post" action={ctx.href(`/workspace/works/${work.id}`)} class="fields">
            <Csrf token={p.csrfToken} />
            <input type="hidden" name="version" value={p.form.version} />
            <WorkFormFields
              ctx={ctx}
              form={p.form}
              errors={p.errors}
              isNew={false}
              publishers={p.publishers}
            />
            <SubmitButton ctx={ctx} k="workspace.save" />
          </form>
        </>
      )}
    </>
  );
}
