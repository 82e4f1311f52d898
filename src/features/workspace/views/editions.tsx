import { assetUrl } from '../../assets/manifest.js';
import { FILE_ROLES } from '../../../platform/db/schema.js';
import { LangText, Msg } from '../../../platform/views/components.js';
import type { EditionFileRow } from '../../library/repository.js';
import type { PageContext } from '../../../platform/views/context.js';
import type { EditionForm, FieldErrors } from '../forms.js';
import type { EditionJob, WorkspaceEdition, WorkspaceWork } from '../repository.js';
import { Csrf, Field, FormErrors, StatusLabel, SubmitButton } from './common.js';

/** The status changes an edition's page offers, each allowed by a policy. */
export interface EditionActions {
  edit: boolean;
  submit: boolean;
  publish: boolean;
  unpublish: boolean;
  returnToDraft: boolean;
}

function EditionFields({
  ctx,
  form,
  errors,
  direction,
}: {
  ctx: PageContext;
  form: EditionForm;
  errors: FieldErrors;
  direction: 'ltr' | 'rtl' | 'auto';
}) {
  return (
    <>
      <Field ctx={ctx} name="title" label="workspace.edition.title" errors={errors}>
        <input name="title" value={form.title} required maxLength={300} dir={direction} />
      </Field>
      <Field ctx={ctx} name="summary" label="workspace.edition.summary" errors={errors}>
        <textarea name="summary" rows={5} maxLength={4000} dir={direction}>
          {form.summary}
        </textarea>
      </Field>
    </>
  );
}

export function NewEditionPage(p: {
  ctx: PageContext;
  csrfToken: string;
  work: WorkspaceWork;
  editions: WorkspaceEdition[];
  form: EditionForm;
  errors: FieldErrors;
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="workspace.edition.new" />
      </h1>
      <FormErrors ctx={ctx} errors={p.errors} />
      <form
        method="post"
        action={ctx.href(`/workspace/works/${p.work.id}/editions`)}
        class="fields"
      >
        <Csrf token={p.csrfToken} />
        <Field ctx={ctx} name="language" label="workspace.edition.language" errors={p.errors}>
          <input
            name="language"
            value={p.form.language}
            required
            maxLength={64}
            dir="ltr"
            placeholder="fa"
          />
        </Field>
        {p.editions.length > 0 && (
          <Field
            ctx={ctx}
            name="translated_from"
            label="workspace.edition.translatedFrom"
            errors={p.errors}
          >
            <select name="translated_from">
              <option value="">—</option>
              {p.editions.map((e) => (
                <option value={e.id} selected={p.form.translatedFrom === e.id}>
                  {`${e.endonym ?? e.language} (${e.language})`}
                </option>
              ))}
            </select>
          </Field>
        )}
        <EditionFields ctx={ctx} form={p.form} errors={p.errors} direction="auto" />
        <SubmitButton ctx={ctx} k="workspace.save" />
      </form>
    </>
  );
}

/** The workflow buttons an edition page may offer, in order; the policies decide which show. */
const STATUS_BUTTONS = [
  { action: 'submit', to: 'in_review', label: 'workspace.edition.submit', plain: false },
  { action: 'publish', to: 'published', label: 'workspace.edition.publish', plain: false },
  { action: 'returnToDraft', to: 'draft', label: 'workspace.edition.returnToDraft', plain: true },
  { action: 'unpublish', to: 'draft', label: 'workspace.edition.unpublish', plain: true },
] as const;

function StatusButton(p: {
  ctx: PageContext;
  csrfToken: string;
  edition: WorkspaceEdition;
  to: string;
  label: string;
  plain?: boolean;
}) {
  return (
    <form
      method="post"
      action={p.ctx.href(`/workspace/editions/${p.edition.id}/status`)}
      class="inline"
    >
      <Csrf token={p.csrfToken} />
      <input type="hidden" name="version" value={String(p.edition.version)} />
      <input type="hidden" name="to" value={p.to} />
      <button type="submit" class={p.plain ? 'plain' : ''}>
        <Msg ctx={p.ctx} k={p.label} />
      </button>
    </form>
  );
}

export function EditionPage(p: {
  ctx: PageContext;
  csrfToken: string;
  work: WorkspaceWork;
  edition: WorkspaceEdition;
  source: WorkspaceEdition | undefined;
  form: EditionForm;
  errors: FieldErrors;
  actions: EditionActions;
  saved?: boolean;
  files: EditionFileRow[];
  jobs: EditionJob[];
  /** Files whose text could not be read: editors should know search will not find them. */
  unreadable: string[];
  uploadError?: string | undefined;
}) {
  const { ctx, edition } = p;
  return (
    <>
      <p>
        <a href={ctx.href(`/workspace/works/${p.work.id}`)}>
          <Msg ctx={ctx} k="workspace.edition.backToWork" />
        </a>
      </p>
      <h1>
        <LangText lang={edition.language} dir={edition.direction}>
          {edition.title}
        </LangText>
      </h1>
      <p class="meta">
        <bdi>{edition.endonym ?? edition.language}</bdi> ({edition.language}){' · '}
        <StatusLabel ctx={ctx} status={edition.status} stale={edition.stale} />
      </p>
      {edition.stale && p.source && (
        <p class="note">
          <Msg ctx={ctx} k="workspace.edition.staleNote" />{' '}
          <a href={ctx.href(`/workspace/editions/${p.source.id}`)}>
            <LangText lang={p.source.language} dir={p.source.direction}>
              {p.source.title}
            </LangText>
          </a>
        </p>
      )}
      {p.saved && (
        <p class="ok" role="status">
          <Msg ctx={ctx} k="workspace.saved" />
        </p>
      )}
      <div class="actions">
        {STATUS_BUTTONS.filter((b) => p.actions[b.action]).map((b) => (
          <StatusButton
            ctx={ctx}
            csrfToken={p.csrfToken}
            edition={edition}
            to={b.to}
            label={b.label}
            plain={b.plain}
          />
        ))}
      </div>
      <h2>
        <Msg ctx={ctx} k="upload.files" />
      </h2>
      <ul class="items">
        {p.files.map((f) => (
          <li>
            <bdi>{f.filename}</bdi>
            <div class="meta">
              <Msg ctx={ctx} k={`upload.role.${f.role}`} />
              {f.language && ` (${f.language})`}
              {' · '}
              <span dir="ltr">{f.media_type}</span>
              {' · '}
              {ctx.bytes(f.size)}
            </div>
          </li>
        ))}
      </ul>
      {p.unreadable.length > 0 && (
        <p class="note" role="note">
          <Msg ctx={ctx} k="search.unreadable" />{' '}
          {p.unreadable.map((name) => (
            <>
              <bdi>{name}</bdi>{' '}
            </>
          ))}
        </p>
      )}
      {p.jobs.length > 0 && (
        <>
          <h2>
            <Msg ctx={ctx} k="jobs.heading" />
          </h2>
          <ul class="items">
            {p.jobs.map((j) => (
              <li data-job={j.kind} data-state={j.state}>
                <Msg ctx={ctx} k={`jobs.kind.${j.kind}`} />
                {': '}
                <bdi>{j.filename}</bdi>
                {' · '}
                <Msg ctx={ctx} k={`jobs.state.${j.state}`} />
                {j.state === 'failed' && j.last_error && (
                  <div class="meta" dir="ltr">
                    {j.last_error}
                  </div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {p.actions.edit && (
        <UploadForm ctx={ctx} csrfToken={p.csrfToken} edition={edition} error={p.uploadError} />
      )}
      {p.actions.edit && (
        <>
          <h2>
            <Msg ctx={ctx} k="workspace.edition.details" />
          </h2>
          <FormErrors ctx={ctx} errors={p.errors} />
          <form method="post" action={ctx.href(`/workspace/editions/${edition.id}`)} class="fields">
            <Csrf token={p.csrfToken} />
            <input type="hidden" name="version" value={p.form.version} />
            <EditionFields
              ctx={ctx}
              form={p.form}
              errors={p.errors}
              direction={edition.direction}
            />
            {edition.stale && (
              <label>
                <span>
                  <input type="checkbox" name="caught_up" value="1" />{' '}
                  <Msg ctx={ctx} k="workspace.edition.caughtUp" />
                </span>
              </label>
            )}
            <SubmitButton ctx={ctx} k="workspace.save" />
          </form>
        </>
      )}
    </>
  );
}

function Facts({ ctx, facts }: { ctx: PageContext; facts: { label: string; value: string }[] }) {
  return (
    <dl class="facts">
      {facts.map((f) => (
        <>
          <dt>
            <Msg ctx={ctx} k={f.label} />
          </dt>
          <dd>
            <bdi>{f.value}</bdi>
          </dd>
        </>
      ))}
    </dl>
  );
}

/** Shown instead of saving when someone else saved the same record first. */
export function ConflictPage(p: {
  ctx: PageContext;
  editHref: string;
  theirs: { label: string; value: string }[];
  yours: { label: string; value: string }[];
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="workspace.conflict.heading" />
      </h1>
      <p class="error" role="alert">
        <Msg ctx={ctx} k="workspace.conflict.body" />
      </p>
      <h2>
        <Msg ctx={ctx} k="workspace.conflict.theirs" />
      </h2>
      <Facts ctx={ctx} facts={p.theirs} />
      <h2>
        <Msg ctx={ctx} k="workspace.conflict.yours" />
      </h2>
      <Facts ctx={ctx} facts={p.yours} />
      <p>
        <a class="button" href={p.editHref}>
          <Msg ctx={ctx} k="workspace.conflict.reload" />
        </a>
      </p>
    </>
  );
}

/** A plain multipart form: works without JavaScript; the token comes before the file. */
function UploadForm(p: {
  ctx: PageContext;
  csrfToken: string;
  edition: WorkspaceEdition;
  error?: string | undefined;
}) {
  const { ctx } = p;
  return (
    <form
      method="post"
      action={ctx.href(`/workspace/editions/${p.edition.id}/files`)}
      enctype="multipart/form-data"
      class="fields"
      data-tus-edition={p.edition.id}
      data-tus-done={ctx.href(`/workspace/editions/${p.edition.id}?saved=1`)}
    >
      <Csrf token={p.csrfToken} />
      {p.error && (
        <p class="error" role="alert">
          <Msg ctx={ctx} k={p.error} />
        </p>
      )}
      <label>
        <Msg ctx={ctx} k="upload.role" />
        <select name="role">
          {FILE_ROLES.map((r) => (
            <option value={r}>{ctx.t(`upload.role.${r}`)}</option>
          ))}
        </select>
      </label>
      <label>
        <Msg ctx={ctx} k="upload.language" />
        <input name="language" maxLength={64} dir="ltr" />
      </label>
      <label>
        <Msg ctx={ctx} k="upload.file" />
        <input
          type="file"
          name="file"
          required
          accept=".pdf,.epub,.mp4,.m4v,.webm,.mp3,.ogg,.oga,.opus,.jpg,.jpeg,.png,.webp,.srt,.vtt,.txt"
        />
      </label>
      <p class="meta">
        <Msg ctx={ctx} k="upload.allowed" />
      </p>
      <SubmitButton ctx={ctx} k="upload.submit" />
      {/* Resumable uploads with progress, when JavaScript runs; the form works without. */}
      <script src={assetUrl('upload.js')} defer />
    </form>
  );
}
