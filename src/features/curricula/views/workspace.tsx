/** Workspace pages of curricula: the list with the creation form, a curriculum, a session. */
import type { ComponentChildren } from 'preact';
import { directionOf, endonymOf } from '../../../platform/i18n/languages.js';
import { LangText, Msg } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import { Csrf, Field, FormErrors, Notice } from '../../workspace/views/common.js';
import type { FieldErrors, Values } from '../forms.js';
import type { CurriculumRow, CurriculumTree, SessionDetail, TextRow } from '../repository.js';
import { curriculumHref, handoutLink, sessionHref } from './public.js';
import { duration, pick, titleOf, Txt } from './text.js';

/** A form that came back with problems: which one, what was typed, and what is wrong. */
export interface Failed {
  form: string;
  values: Values;
  errors: FieldErrors;
}

const NO_ERRORS: FieldErrors = {};

/** What was typed into `form` if that form failed, else the stored values. */
function valuesFor(failed: Failed | undefined, form: string, stored: Values): Values {
  return failed?.form === form ? failed.values : stored;
}

function errorsFor(failed: Failed | undefined, form: string): FieldErrors {
  return failed?.form === form ? failed.errors : NO_ERRORS;
}

function Language({ tag }: { tag: string }) {
  return (
    <LangText lang={tag} dir={directionOf(tag)}>
      {endonymOf(tag) ?? tag}
    </LangText>
  );
}

function Hidden({ name, value }: { name: string; value: string }) {
  return <input type="hidden" name={name} value={value} />;
}

/** A one-button form (move, delete, remove). */
function ActionButton(p: {
  ctx: PageContext;
  csrfToken: string;
  action: string;
  k: string;
  fields: Record<string, string>;
}) {
  return (
    <form method="post" action={p.action} class="inline">
      <Csrf token={p.csrfToken} />
      {Object.entries(p.fields).map(([name, value]) => (
        <Hidden name={name} value={value} />
      ))}
      <button type="submit" class="plain">
        <Msg ctx={p.ctx} k={p.k} />
      </button>
    </form>
  );
}

/** The edited language and the version the page was shown with, sent back by every change. */
type Common = {
  language: string;
  version: string;
};

/** A form that changes the curriculum (or session) as shown, in the edited language. */
function EditForm(p: {
  ctx: PageContext;
  csrfToken: string;
  action: string;
  common: Common;
  /** The message on the submit button. */
  submit: string;
  children: ComponentChildren;
}) {
  return (
    <form method="post" action={p.action} class="fields">
      <Csrf token={p.csrfToken} />
      <Hidden name="language" value={p.common.language} />
      <Hidden name="version" value={p.common.version} />
      {p.children}
      <div>
        <button type="submit">
          <Msg ctx={p.ctx} k={p.submit} />
        </button>
      </div>
    </form>
  );
}

interface FieldProps {
  ctx: PageContext;
  label: string;
  values: Values;
  errors: FieldErrors;
}

/** The title of a curriculum, module, session or activity, in the edited language. */
function TitleField({ ctx, label, values, errors }: FieldProps) {
  return (
    <Field ctx={ctx} name="title" label={label} errors={errors}>
      <input name="title" value={values.title} maxLength={300} dir="auto" required />
    </Field>
  );
}

/** A number of minutes (a session's or an activity's). */
function MinutesField({ ctx, name, label, values, errors }: FieldProps & { name: string }) {
  return (
    <Field ctx={ctx} name={name} label={label} errors={errors}>
      <input
        name={name}
        value={values[name]}
        inputMode="numeric"
        maxLength={6}
        dir="ltr"
        required
      />
    </Field>
  );
}

/** A longer text in the edited language (summary, objectives, steps…). */
function TextField(p: FieldProps & { name: string; maxLength: number; rows?: number | undefined }) {
  return (
    <Field ctx={p.ctx} name={p.name} label={p.label} errors={p.errors}>
      <textarea name={p.name} rows={p.rows} maxLength={p.maxLength} dir="auto">
        {p.values[p.name]}
      </textarea>
    </Field>
  );
}

/** Up and down (where there is room to move) and delete buttons of a module, session or activity. */
function ItemButtons(p: {
  ctx: PageContext;
  csrfToken: string;
  /** The item's address: moves go to `${base}/move`, deletion to `${base}/delete`. */
  base: string;
  common: Common;
  index: number;
  count: number;
}) {
  const button = (action: string, k: string, fields: Record<string, string>) => (
    <ActionButton
      ctx={p.ctx}
      csrfToken={p.csrfToken}
      action={`${p.base}/${action}`}
      k={k}
      fields={fields}
    />
  );
  return (
    <>
      {p.index > 0 && button('move', 'curriculum.ws.up', { ...p.common, to: 'up' })}{' '}
      {p.index < p.count - 1 && button('move', 'curriculum.ws.down', { ...p.common, to: 'down' })}{' '}
      {button('delete', 'curriculum.ws.delete', p.common)}
    </>
  );
}

/** The languages the texts exist in, the one being edited, and a way to add another. */
function LanguageBar(p: { ctx: PageContext; languages: string[]; editLang: string; base: string }) {
  const { ctx } = p;
  const all = p.languages.includes(p.editLang) ? p.languages : [...p.languages, p.editLang];
  return (
    <section>
      <h2>
        <Msg ctx={ctx} k="curriculum.ws.languages" />
      </h2>
      <ul class="inline">
        {all.map((tag) => (
          <li>
            <a
              href={`${p.base}?in=${encodeURIComponent(tag)}`}
              aria-current={tag === p.editLang ? 'true' : undefined}
            >
              <Language tag={tag} /> <span dir="ltr">({tag})</span>
            </a>
          </li>
        ))}
      </ul>
      <form method="get" action={p.base} class="search">
        <label>
          <Msg ctx={ctx} k="curriculum.ws.addTranslation" />{' '}
          <input name="in" maxLength={64} dir="ltr" required />
        </label>
        <button type="submit">
          <Msg ctx={ctx} k="curriculum.ws.open" />
        </button>
      </form>
      <p class="meta">
        <Msg ctx={ctx} k="curriculum.ws.editingIn" /> <Language tag={p.editLang} />
      </p>
    </section>
  );
}

export function CurriculaWorkspaceList(p: {
  ctx: PageContext;
  csrfToken: string;
  curricula: (CurriculumRow & { texts: TextRow[] })[];
  works: { id: string; slug: string; title: string | null }[];
  failed: Failed | undefined;
}) {
  const { ctx } = p;
  const values = valuesFor(p.failed, 'new', {
    work: '',
    language: ctx.lang,
    title: '',
    summary: '',
  });
  const errors = errorsFor(p.failed, 'new');
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="curriculum.ws.heading" />
      </h1>
      {p.curricula.length === 0 ? (
        <p>
          <Msg ctx={ctx} k="curriculum.list.empty" />
        </p>
      ) : (
        <ul class="items">
          {p.curricula.map((c) => {
            const cp = pick(c.texts, ctx.lang);
            return (
              <li>
                <a class="t" href={ctx.href(`/workspace/curricula/${c.id}`)}>
                  <Txt p={cp}>{titleOf(cp, c.slug)}</Txt>
                </a>
                <div class="meta">
                  <bdi dir="ltr">{c.work_slug}</bdi>
                  {' · '}
                  <Msg
                    ctx={ctx}
                    k={c.published_at ? 'curriculum.ws.published' : 'curriculum.ws.draft'}
                  />
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <h2>
        <Msg ctx={ctx} k="curriculum.ws.new" />
      </h2>
      {p.works.length === 0 ? (
        <p class="meta">
          <Msg ctx={ctx} k="curriculum.ws.noWorks" />
        </p>
      ) : (
        <>
          <FormErrors ctx={ctx} errors={errors} />
          <form method="post" action={ctx.href('/workspace/curricula')} class="fields">
            <Csrf token={p.csrfToken} />
            <Field ctx={ctx} name="work" label="curriculum.ws.work" errors={errors}>
              <select name="work">
                {p.works.map((w) => (
                  <option value={w.id} selected={values.work === w.id}>
                    {w.title ? `${w.title} (${w.slug})` : w.slug}
                  </option>
                ))}
              </select>
            </Field>
            <Field ctx={ctx} name="language" label="curriculum.ws.language" errors={errors}>
              <input name="language" value={values.language} maxLength={64} dir="ltr" required />
            </Field>
            <CurriculumTextFields ctx={ctx} values={values} errors={errors} />
            <div>
              <button type="submit">
                <Msg ctx={ctx} k="curriculum.ws.create" />
              </button>
            </div>
          </form>
        </>
      )}
    </>
  );
}

function textIn<T extends { language: string }>(rows: readonly T[], lang: string): T | undefined {
  return rows.find((r) => r.language === lang);
}

/** Shown above a field when the edited language has no text yet: what other languages say. */
function Reference({
  ctx,
  rows,
  editLang,
}: {
  ctx: PageContext;
  rows: readonly { language: string; title: string }[];
  editLang: string;
}) {
  if (textIn(rows, editLang)) return null;
  const other = pick(rows, editLang);
  if (!other) return null;
  return (
    <p class="meta">
      <Msg ctx={ctx} k="curriculum.ws.missing" />{' '}
      <LangText lang={other.text.language} dir={other.dir}>
        {other.text.title}
      </LangText>
    </p>
  );
}

export function CurriculumEditPage(p: {
  ctx: PageContext;
  csrfToken: string;
  tree: CurriculumTree;
  canEdit: boolean;
  editLang: string;
  languages: string[];
  saved: boolean;
  failed: Failed | undefined;
}) {
  const { ctx, tree, editLang } = p;
  const { curriculum } = tree;
  const base = ctx.href(`/workspace/curricula/${curriculum.id}`);
  const version = String(curriculum.version);
  const own = textIn(tree.texts, editLang);
  const cp = pick(tree.texts, editLang);
  const values = valuesFor(p.failed, 'texts', {
    title: own?.title ?? '',
    summary: own?.summary ?? '',
  });
  const errors = errorsFor(p.failed, 'texts');
  const common = { language: editLang, version };
  const edit = { ctx, csrfToken: p.csrfToken, common };
  return (
    <>
      <p class="meta">
        <a href={ctx.href('/workspace/curricula')}>
          <Msg ctx={ctx} k="curriculum.ws.heading" />
        </a>
      </p>
      <h1>
        <Txt p={cp}>{titleOf(cp, curriculum.slug)}</Txt>
      </h1>
      <Notice ctx={ctx} k={p.saved ? 'curriculum.ws.saved' : undefined} kind="ok" />
      {p.failed && <FormErrors ctx={ctx} errors={p.failed.errors} />}
      {curriculum.published_at && (
        <p>
          <a href={curriculumHref(ctx, curriculum.slug)}>
            <Msg ctx={ctx} k="curriculum.ws.view" />
          </a>
        </p>
      )}
      {!p.canEdit && (
        <p class="note">
          <Msg ctx={ctx} k="curriculum.ws.readOnly" />
        </p>
      )}
      <LanguageBar ctx={ctx} languages={p.languages} editLang={editLang} base={base} />
      {p.canEdit && (
        <EditForm {...edit} action={base} submit="curriculum.ws.save">
          <Reference ctx={ctx} rows={tree.texts} editLang={editLang} />
          <CurriculumTextFields ctx={ctx} values={values} errors={errors} />
        </EditForm>
      )}
      <h2>
        <Msg ctx={ctx} k="curriculum.ws.modules" />
      </h2>
      {tree.modules.map((m, i) => {
        const mp = pick(m.texts, editLang);
        const form = `module:${m.id}`;
        const moduleValues = valuesFor(p.failed, form, {
          title: textIn(m.texts, editLang)?.title ?? '',
        });
        const moduleErrors = errorsFor(p.failed, form);
        const sessionForm = `session:${m.id}`;
        const sessionValues = valuesFor(p.failed, sessionForm, { title: '', duration: '60' });
        const sessionErrors = errorsFor(p.failed, sessionForm);
        const moduleBase = `${base}/modules/${m.id}`;
        return (
          <section class="note">
            <h3>
              <Txt p={mp}>{titleOf(mp, ctx.number(i + 1))}</Txt>
            </h3>
            {p.canEdit && (
              <>
                <EditForm {...edit} action={moduleBase} submit="curriculum.ws.rename">
                  <Reference ctx={ctx} rows={m.texts} editLang={editLang} />
                  <TitleField
                    ctx={ctx}
                    label="curriculum.ws.moduleTitle"
                    values={moduleValues}
                    errors={moduleErrors}
                  />
                </EditForm>
                <p>
                  <ItemButtons {...edit} base={moduleBase} index={i} count={tree.modules.length} />
                </p>
              </>
            )}
            <ul class="items">
              {m.sessions.map((s, j) => {
                const sp = pick(s.texts, editLang);
                const sessionBase = `${base}/sessions/${s.id}`;
                return (
                  <li>
                    <a
                      class="t"
                      href={ctx.href(
                        `/workspace/curricula/sessions/${s.id}?in=${encodeURIComponent(editLang)}`,
                      )}
                    >
                      <Txt p={sp}>{titleOf(sp, s.slug)}</Txt>
                    </a>
                    <div class="meta">{duration(ctx, s.duration_minutes)}</div>
                    {p.canEdit && (
                      <div>
                        <ItemButtons
                          {...edit}
                          base={sessionBase}
                          index={j}
                          count={m.sessions.length}
                        />
                      </div>
                    )}
                  </li>
                );
              })}
            </ul>
            {p.canEdit && (
              <EditForm
                {...edit}
                action={`${moduleBase}/sessions`}
                submit="curriculum.ws.addSession"
              >
                <TitleField
                  ctx={ctx}
                  label="curriculum.ws.sessionTitle"
                  values={sessionValues}
                  errors={sessionErrors}
                />
                <MinutesField
                  ctx={ctx}
                  name="duration"
                  label="curriculum.ws.durationMinutes"
                  values={sessionValues}
                  errors={sessionErrors}
                />
              </EditForm>
            )}
          </section>
        );
      })}
      {p.canEdit && (
        <NewModuleForm
          ctx={ctx}
          csrfToken={p.csrfToken}
          base={base}
          common={common}
          failed={p.failed}
        />
      )}
    </>
  );
}

function NewModuleForm(p: {
  ctx: PageContext;
  csrfToken: string;
  base: string;
  common: Common;
  failed: Failed | undefined;
}) {
  const { ctx } = p;
  const values = valuesFor(p.failed, 'newModule', { title: '' });
  const errors = errorsFor(p.failed, 'newModule');
  return (
    <EditForm
      ctx={ctx}
      csrfToken={p.csrfToken}
      action={`${p.base}/modules`}
      common={p.common}
      submit="curriculum.ws.addModule"
    >
      <TitleField ctx={ctx} label="curriculum.ws.moduleTitle" values={values} errors={errors} />
    </EditForm>
  );
}

/** The longer texts of a session, in the order of its form. */
const SESSION_TEXTS = [
  { name: 'objectives', label: 'curriculum.ws.objectives', rows: 5, maxLength: 4000 },
  { name: 'materials', label: 'curriculum.ws.materials', rows: 5, maxLength: 4000 },
  { name: 'facilitator_notes', label: 'curriculum.ws.notes', rows: 6, maxLength: 8000 },
];

export function SessionEditPage(p: {
  ctx: PageContext;
  csrfToken: string;
  curriculum: CurriculumRow;
  detail: SessionDetail;
  canEdit: boolean;
  editLang: string;
  languages: string[];
  saved: boolean;
  failed: Failed | undefined;
}) {
  const { ctx, detail, editLang } = p;
  const { session } = detail;
  const base = ctx.href(`/workspace/curricula/sessions/${session.id}`);
  const version = String(session.version);
  const common = { language: editLang, version };
  const edit = { ctx, csrfToken: p.csrfToken, common };
  const own = textIn(detail.texts, editLang);
  const sp = pick(detail.texts, editLang);
  const values = valuesFor(p.failed, 'session', {
    duration: String(session.duration_minutes),
    title: own?.title ?? '',
    objectives: own?.objectives ?? '',
    materials: own?.materials ?? '',
    facilitator_notes: own?.facilitator_notes ?? '',
  });
  const errors = errorsFor(p.failed, 'session');
  const fields = { ctx, values, errors };
  const activityValues = valuesFor(p.failed, 'newActivity', {
    minutes: '15',
    title: '',
    steps: '',
  });
  const activityErrors = errorsFor(p.failed, 'newActivity');
  const handoutValues = valuesFor(p.failed, 'handout', { slug: '' });
  const handoutErrors = errorsFor(p.failed, 'handout');
  return (
    <>
      <p class="meta">
        <a
          href={ctx.href(
            `/workspace/curricula/${p.curriculum.id}?in=${encodeURIComponent(editLang)}`,
          )}
        >
          <Msg ctx={ctx} k="curriculum.ws.back" />
        </a>
      </p>
      <h1>
        <Txt p={sp}>{titleOf(sp, session.slug)}</Txt>
      </h1>
      <Notice ctx={ctx} k={p.saved ? 'curriculum.ws.saved' : undefined} kind="ok" />
      {p.failed && <FormErrors ctx={ctx} errors={p.failed.errors} />}
      {p.curriculum.published_at && (
        <p>
          <a href={sessionHref(ctx, p.curriculum.slug, session.slug)}>
            <Msg ctx={ctx} k="curriculum.ws.view" />
          </a>
        </p>
      )}
      {!p.canEdit && (
        <p class="note">
          <Msg ctx={ctx} k="curriculum.ws.readOnly" />
        </p>
      )}
      <LanguageBar ctx={ctx} languages={p.languages} editLang={editLang} base={base} />
      {p.canEdit ? (
        <EditForm {...edit} action={base} submit="curriculum.ws.save">
          <Reference ctx={ctx} rows={detail.texts} editLang={editLang} />
          <MinutesField {...fields} name="duration" label="curriculum.ws.durationMinutes" />
          <TitleField {...fields} label="curriculum.ws.sessionTitle" />
          {SESSION_TEXTS.map((text) => (
            <TextField {...fields} {...text} />
          ))}
        </EditForm>
      ) : (
        <p class="meta">{duration(ctx, session.duration_minutes)}</p>
      )}
      <h2>
        <Msg ctx={ctx} k="curriculum.activities" />
      </h2>
      <ul class="items">
        {detail.activities.map((a, i) => {
          const ap = pick(a.texts, editLang);
          const form = `activity:${a.id}`;
          const ownText = textIn(a.texts, editLang);
          const v = valuesFor(p.failed, form, {
            minutes: String(a.minutes),
            title: ownText?.title ?? '',
            steps: ownText?.steps ?? '',
          });
          const e = errorsFor(p.failed, form);
          const activityBase = `${base}/activities/${a.id}`;
          return (
            <li>
              <strong>
                <Txt p={ap}>{titleOf(ap, '')}</Txt>
              </strong>{' '}
              <span class="meta">({duration(ctx, a.minutes)})</span>
              {p.canEdit && (
                <>
                  <EditForm {...edit} action={activityBase} submit="curriculum.ws.save">
                    <Reference ctx={ctx} rows={a.texts} editLang={editLang} />
                    <ActivityFields ctx={ctx} values={v} errors={e} />
                  </EditForm>
                  <p>
                    <ItemButtons
                      {...edit}
                      base={activityBase}
                      index={i}
                      count={detail.activities.length}
                    />
                  </p>
                </>
              )}
            </li>
          );
        })}
      </ul>
      {p.canEdit && (
        <EditForm {...edit} action={`${base}/activities`} submit="curriculum.ws.addActivity">
          <ActivityFields ctx={ctx} values={activityValues} errors={activityErrors} />
        </EditForm>
      )}
      <h2>
        <Msg ctx={ctx} k="curriculum.handouts" />
      </h2>
      <ul class="items">
        {detail.handouts.map((h) => {
          const link = handoutLink(ctx, h);
          return (
            <li>
              {link ? (
                <a href={link.href}>
                  <LangText lang={link.language} dir={directionOf(link.language)}>
                    {link.title}
                  </LangText>
                </a>
              ) : (
                <bdi dir="ltr">{h.slug}</bdi>
              )}
              {h.published_at === null && (
                <span class="meta">
                  {' · '}
                  <Msg ctx={ctx} k="curriculum.ws.draft" />
                </span>
              )}{' '}
              {p.canEdit && (
                <ActionButton
                  ctx={ctx}
                  csrfToken={p.csrfToken}
                  action={`${base}/handouts/${h.work_id}/delete`}
                  k="curriculum.ws.remove"
                  fields={common}
                />
              )}
            </li>
          );
        })}
      </ul>
      {p.canEdit && (
        <EditForm {...edit} action={`${base}/handouts`} submit="curriculum.ws.addHandout">
          <Field ctx={ctx} name="slug" label="curriculum.ws.handoutSlug" errors={handoutErrors}>
            <input name="slug" value={handoutValues.slug} maxLength={80} dir="ltr" required />
          </Field>
        </EditForm>
      )}
    </>
  );
}

/** A curriculum's title and summary, in one language. */
function CurriculumTextFields(p: Omit<FieldProps, 'label'>) {
  return (
    <>
      <TitleField {...p} label="curriculum.ws.title" />
      <TextField {...p} name="summary" label="curriculum.ws.summary" maxLength={4000} />
    </>
  );
}

function ActivityFields({ ctx, values, errors }: Omit<FieldProps, 'label'>) {
  const shared = { ctx, values, errors };
  return (
    <>
      <MinutesField {...shared} name="minutes" label="curriculum.ws.activityMinutes" />
      <TitleField {...shared} label="curriculum.ws.activityTitle" />
      <TextField {...shared} name="steps" label="curriculum.ws.steps" rows={5} maxLength={8000} />
    </>
  );
}

export function ConflictPage({ ctx, reload }: { ctx: PageContext; reload: string }) {
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="workspace.conflict.heading" />
      </h1>
      <p class="error" role="alert">
        <Msg ctx={ctx} k="curriculum.ws.conflict" />
      </p>
      <p>
        <a class="button" href={reload}>
          <Msg ctx={ctx} k="workspace.conflict.reload" />
        </a>
      </p>
    </>
  );
}
