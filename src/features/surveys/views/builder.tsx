/** The instrument builder and the event's survey choice, in the workspace. */
import { LangText, Msg } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import {
  SURVEY_CONSTRUCTS,
  SURVEY_ITEM_KINDS,
  type SurveyItemKind,
} from '../../../platform/db/schema.js';
import { UI_LANGUAGES } from '../../../platform/i18n/languages.js';
import type { Picked } from '../../programmes/texts.js';
import { Csrf, Field, FormErrors, SubmitButton } from '../../workspace/views/common.js';
import { optionsOf, type InstrumentDetail, type InstrumentSummary } from '../repository.js';

export type Values = Record<string, string>;

/** A message shown above the forms, for the whole page. */
function Problem({ ctx, k }: { ctx: PageContext; k: string | undefined }) {
  if (!k) return null;
  return (
    <p class="error" role="alert">
      <Msg ctx={ctx} k={k} />
    </p>
  );
}

/** A language by its own name ("العربية", "فارسی"), as the language menus show it. */
export function endonym(tag: string): string {
  return new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
}

function LanguageSelect({ name, value }: { name: string; value: string }) {
  return (
    <select name={name}>
      {UI_LANGUAGES.map((l) => (
        <option value={l} selected={value === l} lang={l}>
          {endonym(l)}
        </option>
      ))}
    </select>
  );
}

export function InstrumentsPage(p: {
  ctx: PageContext;
  csrfToken: string;
  instruments: InstrumentSummary[];
  owners: { value: string; label: string }[];
  values: Values;
  errors: Record<string, string>;
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="survey.instruments" />
      </h1>
      <ul class="items">
        {p.instruments.map((i) => (
          <li>
            <a class="t" href={ctx.href(`/workspace/surveys/${i.id}`)}>
              {i.titleLanguage ? (
                <LangText lang={i.titleLanguage} dir={i.titleDir}>
                  {i.title}
                </LangText>
              ) : (
                <bdi>{i.title}</bdi>
              )}
            </a>
            <div class="meta">
              {i.organisation_name ? (
                <bdi>{i.organisation_name}</bdi>
              ) : (
                <Msg ctx={ctx} k="survey.networkWide" />
              )}
              {' · '}
              <Msg ctx={ctx} k="survey.itemCount" v={{ count: i.items }} />
            </div>
          </li>
        ))}
      </ul>
      {p.owners.length > 0 && (
        <>
          <h2>
            <Msg ctx={ctx} k="survey.new" />
          </h2>
          <FormErrors ctx={ctx} errors={p.errors} />
          <form method="post" action={ctx.href('/workspace/surveys')} class="fields">
            <Csrf token={p.csrfToken} />
            <Field ctx={ctx} name="owner" label="survey.owner" errors={p.errors}>
              <select name="owner">
                {p.owners.map((o) => (
                  <option value={o.value} selected={p.values.owner === o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </Field>
            <Field ctx={ctx} name="language" label="survey.language" errors={p.errors}>
              <LanguageSelect name="language" value={p.values.language ?? ctx.lang} />
            </Field>
            <Field ctx={ctx} name="title" label="survey.title" errors={p.errors}>
              <input
                name="title"
                value={p.values.title ?? ''}
                required
                maxLength={300}
                dir="auto"
              />
            </Field>
            <SubmitButton ctx={ctx} k="survey.create" />
          </form>
        </>
      )}
    </>
  );
}

export interface BuilderState {
  /** Which form the errors and values belong to: 'texts', 'add' or an item id. */
  target?: string | undefined;
  errors?: Record<string, string> | undefined;
  values?: Values | undefined;
  /** A message for the whole page (e.g. an item that has answers cannot be deleted). */
  problem?: string | undefined;
  saved?: boolean | undefined;
}

const isChoice = (kind: SurveyItemKind) => kind === 'single' || kind === 'multiple';

export function InstrumentPage(p: {
  ctx: PageContext;
  csrfToken: string;
  detail: InstrumentDetail;
  ownerName: string | null;
  edit: string;
  canEdit: boolean;
  state: BuilderState;
}) {
  const { ctx, detail, edit, state } = p;
  const { instrument } = detail;
  const base = `/workspace/surveys/${instrument.id}`;
  const text = detail.texts.find((t) => t.language === edit);
  const heading = text ?? detail.texts.find((t) => t.language === 'en') ?? detail.texts[0];
  const errorsFor = (target: string) => (state.target === target ? (state.errors ?? {}) : {});
  const valuesFor = (target: string) =>
    state.target === target ? (state.values ?? {}) : undefined;
  const hidden = (
    <>
      <Csrf token={p.csrfToken} />
      <input type="hidden" name="version" value={String(instrument.version)} />
      <input type="hidden" name="edit" value={edit} />
    </>
  );
  const textValues = valuesFor('texts');
  const addValues = valuesFor('add') ?? {};
  return (
    <>
      <h1>
        {heading ? (
          <LangText lang={heading.language}>{heading.title}</LangText>
        ) : (
          <bdi>{instrument.slug}</bdi>
        )}
      </h1>
      <p class="meta">
        {p.ownerName ? <bdi>{p.ownerName}</bdi> : <Msg ctx={ctx} k="survey.networkWide" />}
      </p>
      {state.saved && (
        <p class="ok" role="status">
          <Msg ctx={ctx} k="workspace.saved" />
        </p>
      )}
      <Problem ctx={ctx} k={state.problem} />
      <nav aria-label={ctx.t('survey.editLanguage')}>
        <Msg ctx={ctx} k="survey.editLanguage" />{' '}
        <ul class="inline">
          {UI_LANGUAGES.map((l) => (
            <li>
              <a
                href={ctx.href(`${base}?edit=${l}`)}
                aria-current={l === edit ? 'true' : undefined}
                lang={l}
              >
                {endonym(l)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h2>
        <Msg ctx={ctx} k="survey.texts" />
      </h2>
      {p.canEdit ? (
        <form method="post" action={ctx.href(`${base}/texts`)} class="fields">
          {hidden}
          <input type="hidden" name="language" value={edit} />
          <FormErrors ctx={ctx} errors={errorsFor('texts')} />
          <Field ctx={ctx} name="title" label="survey.title" errors={errorsFor('texts')}>
            <input
              name="title"
              value={textValues?.title ?? text?.title ?? ''}
              maxLength={300}
              required
              lang={edit}
              dir="auto"
            />
          </Field>
          <Field ctx={ctx} name="introduction" label="survey.introduction" errors={{}}>
            <textarea name="introduction" rows={4} maxLength={4000} lang={edit} dir="auto">
              {textValues?.introduction ?? text?.introduction ?? ''}
            </textarea>
          </Field>
          <SubmitButton ctx={ctx} k="workspace.save" />
        </form>
      ) : (
        <p>
          <LangText lang={edit}>{text?.introduction ?? ''}</LangText>
        </p>
      )}
      <h2>
        <Msg ctx={ctx} k="survey.items" />
      </h2>
      <ol>
        {detail.items.map((item, index) => {
          const itemText = item.texts.find((t) => t.language === edit);
          const values = valuesFor(item.id);
          const errors = errorsFor(item.id);
          return (
            <li>
              <p class="meta">
                <Msg ctx={ctx} k={`survey.kind.${item.kind}`} />
                {item.construct && (
                  <>
                    {' · '}
                    <Msg ctx={ctx} k={`survey.construct.${item.construct}`} />
                  </>
                )}
                {isChoice(item.kind) && (
                  <>
                    {' · '}
                    <Msg ctx={ctx} k="survey.optionCount" v={{ count: item.option_count }} />
                  </>
                )}
                {item.required === 1 && (
                  <>
                    {' · '}
                    <Msg ctx={ctx} k="survey.required" />
                  </>
                )}
              </p>
              {!itemText && (
                <p class="st-missing">
                  <Msg ctx={ctx} k="survey.untranslated" />
                </p>
              )}
              {p.canEdit ? (
                <>
                  <form
                    method="post"
                    action={ctx.href(`${base}/items/${item.id}/texts`)}
                    class="fields"
                  >
                    {hidden}
                    <input type="hidden" name="language" value={edit} />
                    <FormErrors ctx={ctx} errors={errors} />
                    <Field ctx={ctx} name="prompt" label="survey.prompt" errors={errors}>
                      <textarea name="prompt" rows={2} maxLength={1000} lang={edit} dir="auto">
                        {values?.prompt ?? itemText?.prompt ?? ''}
                      </textarea>
                    </Field>
                    {isChoice(item.kind) && (
                      <Field ctx={ctx} name="options" label="survey.options" errors={errors}>
                        <textarea
                          name="options"
                          rows={Math.max(3, item.option_count)}
                          lang={edit}
                          dir="auto"
                        >
                          {values?.options ?? optionsOf(itemText).join('\n')}
                        </textarea>
                      </Field>
                    )}
                    <SubmitButton ctx={ctx} k="workspace.save" />
                  </form>
                  <ul class="actions">
                    {index > 0 && (
                      <li>
                        <form method="post" action={ctx.href(`${base}/items/${item.id}/move`)}>
                          {hidden}
                          <input type="hidden" name="to" value="up" />
                          <button type="submit" class="plain">
                            <Msg ctx={ctx} k="survey.moveUp" />
                          </button>
                        </form>
                      </li>
                    )}
                    {index < detail.items.length - 1 && (
                      <li>
                        <form method="post" action={ctx.href(`${base}/items/${item.id}/move`)}>
                          {hidden}
                          <input type="hidden" name="to" value="down" />
                          <button type="submit" class="plain">
                            <Msg ctx={ctx} k="survey.moveDown" />
                          </button>
                        </form>
                      </li>
                    )}
                    <li>
                      <form method="post" action={ctx.href(`${base}/items/${item.id}/delete`)}>
                        {hidden}
                        <button type="submit" class="plain">
                          <Msg ctx={ctx} k="survey.delete" />
                        </button>
                      </form>
                    </li>
                  </ul>
                </>
              ) : (
                itemText && (
                  <>
                    <p>
                      <LangText lang={edit}>{itemText.prompt}</LangText>
                    </p>
                    {isChoice(item.kind) && (
                      <ul>
                        {optionsOf(itemText).map((o) => (
                          <li>
                            <LangText lang={edit}>{o}</LangText>
                          </li>
                        ))}
                      </ul>
                    )}
                  </>
                )
              )}
            </li>
          );
        })}
      </ol>
      {p.canEdit && (
        <>
          <h2>
            <Msg ctx={ctx} k="survey.addItem" />
          </h2>
          <FormErrors ctx={ctx} errors={errorsFor('add')} />
          <form method="post" action={ctx.href(`${base}/items`)} class="fields">
            {hidden}
            <input type="hidden" name="language" value={edit} />
            <Field ctx={ctx} name="kind" label="survey.kind" errors={errorsFor('add')}>
              <select name="kind">
                {SURVEY_ITEM_KINDS.map((k) => (
                  <option value={k} selected={addValues.kind === k}>
                    {ctx.t(`survey.kind.${k}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field ctx={ctx} name="construct" label="survey.construct" errors={errorsFor('add')}>
              <select name="construct">
                {SURVEY_CONSTRUCTS.map((c) => (
                  <option value={c} selected={addValues.construct === c}>
                    {ctx.t(`survey.construct.${c}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              ctx={ctx}
              name="option_count"
              label="survey.optionCountLabel"
              errors={errorsFor('add')}
            >
              <input
                name="option_count"
                type="number"
                min={2}
                max={20}
                value={addValues.option_count ?? ''}
                inputMode="numeric"
                dir="ltr"
              />
            </Field>
            <label>
              <span>
                <input
                  type="checkbox"
                  name="required"
                  value="1"
                  checked={addValues.required === '1'}
                />{' '}
                <Msg ctx={ctx} k="survey.required" />
              </span>
            </label>
            <Field ctx={ctx} name="prompt" label="survey.prompt" errors={errorsFor('add')}>
              <textarea name="prompt" rows={2} maxLength={1000} lang={edit} dir="auto">
                {addValues.prompt ?? ''}
              </textarea>
            </Field>
            <Field ctx={ctx} name="options" label="survey.options" errors={errorsFor('add')}>
              <textarea name="options" rows={4} lang={edit} dir="auto">
                {addValues.options ?? ''}
              </textarea>
            </Field>
            <SubmitButton ctx={ctx} k="survey.addItem" />
          </form>
        </>
      )}
    </>
  );
}

export function ConflictView({ ctx, href }: { ctx: PageContext; href: string }) {
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="workspace.conflict.heading" />
      </h1>
      <p class="error" role="alert">
        <Msg ctx={ctx} k="workspace.conflict.body" />
      </p>
      <p>
        <a class="button" href={href}>
          <Msg ctx={ctx} k="workspace.conflict.reload" />
        </a>
      </p>
    </>
  );
}

export function EventSurveysPage(p: {
  ctx: PageContext;
  csrfToken: string;
  eventId: string;
  title: Picked<{ language: string; title: string }>;
  version: number;
  pre: string;
  post: string;
  instruments: InstrumentSummary[];
  counts: { pre: number; post: number; paired: number };
  errors: Record<string, string>;
  saved: boolean;
}) {
  const { ctx } = p;
  const choice = (name: 'pre' | 'post', value: string) => (
    <Field ctx={ctx} name={name} label={`survey.event.${name}`} errors={p.errors}>
      <select name={name}>
        <option value="" selected={value === ''}>
          {ctx.t('survey.event.noSurvey')}
        </option>
        {p.instruments.map((i) => (
          <option value={i.id} selected={value === i.id}>
            {i.title}
          </option>
        ))}
      </select>
    </Field>
  );
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="survey.event.heading" />
      </h1>
      <p class="meta">
        <LangText lang={p.title.text.language} dir={p.title.dir}>
          {p.title.text.title}
        </LangText>
      </p>
      {p.saved && (
        <p class="ok" role="status">
          <Msg ctx={ctx} k="workspace.saved" />
        </p>
      )}
      <FormErrors ctx={ctx} errors={p.errors} />
      <form
        method="post"
        action={ctx.href(`/workspace/events/${p.eventId}/surveys`)}
        class="fields"
      >
        <Csrf token={p.csrfToken} />
        <input type="hidden" name="version" value={String(p.version)} />
        {choice('pre', p.pre)}
        {choice('post', p.post)}
        <SubmitButton ctx={ctx} k="workspace.save" />
      </form>
      <h2>
        <Msg ctx={ctx} k="survey.event.answers" />
      </h2>
      <dl class="facts">
        <dt>
          <Msg ctx={ctx} k="survey.event.preCount" />
        </dt>
        <dd>{ctx.number(p.counts.pre)}</dd>
        <dt>
          <Msg ctx={ctx} k="survey.event.postCount" />
        </dt>
        <dd>{ctx.number(p.counts.post)}</dd>
        <dt>
          <Msg ctx={ctx} k="survey.event.pairedCount" />
        </dt>
        <dd>{ctx.number(p.counts.paired)}</dd>
      </dl>
    </>
  );
}
