/**
 * The participant's survey pages: no account, no JavaScript. The code travels only in form
 * bodies (never in a URL) and these pages are never cached.
 */
import { LangText, Msg } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import type { SurveyPhase } from '../../../platform/db/schema.js';
import type { Picked } from '../../programmes/texts.js';
import { ANSWER_PREFIX, LIKERT_POINTS, TEXT_MAX } from '../answers.js';

/** Text in the reader's language, or its fallback marked with its own language and direction. */
export function PickedText({
  picked,
  text,
}: {
  picked: Picked<unknown> | undefined;
  text: string;
}) {
  if (!picked?.fallbackLanguage) return <>{text}</>;
  return (
    <LangText lang={picked.fallbackLanguage} dir={picked.dir}>
      {text}
    </LangText>
  );
}

function Problem({ ctx, k }: { ctx: PageContext; k: string | undefined }) {
  if (!k) return null;
  return (
    <p class="error" role="alert">
      <Msg ctx={ctx} k={k} v={k === 'survey.error.textLong' ? { max: TEXT_MAX } : undefined} />
    </p>
  );
}

export function CodePage(p: { ctx: PageContext; csrf: string; error?: string | undefined }) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="survey.public.heading" />
      </h1>
      <p>
        <Msg ctx={ctx} k="survey.public.intro" />
      </p>
      <Problem ctx={ctx} k={p.error} />
      <form method="post" action={ctx.href('/survey')} class="fields">
        <input type="hidden" name="_csrf" value={p.csrf} />
        <label>
          <Msg ctx={ctx} k="survey.public.code" />
          <input
            name="code"
            required
            maxLength={64}
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            dir="ltr"
          />
        </label>
        <div>
          <button type="submit">
            <Msg ctx={ctx} k="survey.public.continue" />
          </button>
        </div>
      </form>
    </>
  );
}

export type PhaseState = 'open' | 'answered' | 'notYet' | 'closed' | 'none';

export interface ParticipantEvent {
  eventId: string;
  title: Picked<{ title: string }> | undefined;
  fallbackTitle: string;
  startsAt: string;
  waitlisted: boolean;
  phases: { phase: SurveyPhase; state: PhaseState }[];
}

export function EventsPage(p: {
  ctx: PageContext;
  csrf: string;
  code: string;
  events: ParticipantEvent[];
  error?: string | undefined;
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="survey.public.heading" />
      </h1>
      <Problem ctx={ctx} k={p.error} />
      {p.events.length === 0 && (
        <p>
          <Msg ctx={ctx} k="survey.public.noEvents" />
        </p>
      )}
      <ul class="items">
        {p.events.map((e) => (
          <li>
            <h2>
              <PickedText picked={e.title} text={e.title?.text.title ?? e.fallbackTitle} />
            </h2>
            <p class="meta">{ctx.date(e.startsAt)}</p>
            {e.waitlisted ? (
              <p class="note">
                <Msg ctx={ctx} k="survey.public.waitlisted" />
              </p>
            ) : (
              <ul class="actions">
                {e.phases.map(({ phase, state }) =>
                  state === 'open' ? (
                    <li>
                      <form method="post" action={ctx.href('/survey/answer')}>
                        <input type="hidden" name="_csrf" value={p.csrf} />
                        <input type="hidden" name="code" value={p.code} />
                        <input type="hidden" name="event" value={e.eventId} />
                        <input type="hidden" name="phase" value={phase} />
                        <button type="submit">
                          <Msg ctx={ctx} k={`survey.public.answer.${phase}`} />
                        </button>
                      </form>
                    </li>
                  ) : (
                    <li class="meta">
                      <Msg ctx={ctx} k={`survey.public.phase.${phase}`} />
                      {': '}
                      <Msg ctx={ctx} k={`survey.public.state.${state}`} />
                    </li>
                  ),
                )}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

export interface FormItem {
  id: string;
  kind: 'likert' | 'single' | 'multiple' | 'text';
  required: boolean;
  prompt: Picked<{ prompt: string }> | undefined;
  options: string[];
}

export function AnswerPage(p: {
  ctx: PageContext;
  csrf: string;
  code: string;
  eventId: string;
  eventSlug: string;
  phase: SurveyPhase;
  eventTitle: Picked<{ title: string }> | undefined;
  title: Picked<{ title: string; introduction: string | null }> | undefined;
  items: FormItem[];
  errors: Record<string, string>;
  formError?: string | undefined;
  sent: Record<string, string[]>;
}) {
  const { ctx } = p;
  const likert = Array.from({ length: LIKERT_POINTS }, (_, i) => ({
    value: String(i + 1),
    label: ctx.t(`survey.likert.${i + 1}`),
  }));
  const hasErrors = p.formError !== undefined || Object.keys(p.errors).length > 0;
  return (
    <>
      <h1>
        <PickedText picked={p.title} text={p.title?.text.title ?? ''} />
      </h1>
      <p class="meta">
        <Msg ctx={ctx} k={`survey.public.phase.${p.phase}`} />
        {' · '}
        <PickedText picked={p.eventTitle} text={p.eventTitle?.text.title ?? p.eventSlug} />
      </p>
      {p.title?.text.introduction && (
        <p>
          <PickedText picked={p.title} text={p.title.text.introduction} />
        </p>
      )}
      {hasErrors && <Problem ctx={ctx} k={p.formError ?? 'survey.error.form'} />}
      <form method="post" action={ctx.href('/survey/submit')}>
        <input type="hidden" name="_csrf" value={p.csrf} />
        <input type="hidden" name="code" value={p.code} />
        <input type="hidden" name="event" value={p.eventId} />
        <input type="hidden" name="phase" value={p.phase} />
        {p.items.map((item, n) => {
          const name = `${ANSWER_PREFIX}${item.id}`;
          const sent = p.sent[item.id] ?? [];
          const error = p.errors[item.id];
          const prompt = (
            <>
              {ctx.number(n + 1)}
              {'. '}
              <PickedText picked={item.prompt} text={item.prompt?.text.prompt ?? ''} />
              {item.required && ' *'}
            </>
          );
          const choices =
            item.kind === 'likert'
              ? likert
              : item.options.map((label, i) => ({ value: String(i), label }));
          return (
            <fieldset>
              {item.kind === 'text' ? (
                <label>
                  {prompt}
                  <br />
                  <textarea name={name} rows={4} maxLength={TEXT_MAX} dir="auto">
                    {sent[0] ?? ''}
                  </textarea>
                </label>
              ) : (
                <>
                  <legend>{prompt}</legend>
                  {choices.map((c) => (
                    <div>
                      <label>
                        <input
                          type={item.kind === 'multiple' ? 'checkbox' : 'radio'}
                          name={name}
                          value={c.value}
                          checked={sent.includes(c.value)}
                          required={item.required && item.kind !== 'multiple'}
                        />{' '}
                        {item.kind === 'likert' ? (
                          c.label
                        ) : (
                          <PickedText picked={item.prompt} text={c.label} />
                        )}
                      </label>
                    </div>
                  ))}
                </>
              )}
              <Problem ctx={ctx} k={error} />
            </fieldset>
          );
        })}
        <p>
          <button type="submit">
            <Msg ctx={ctx} k="survey.public.submit" />
          </button>
        </p>
      </form>
    </>
  );
}

export function DonePage({ ctx }: { ctx: PageContext }) {
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="survey.public.thanks" />
      </h1>
      <p class="ok" role="status">
        <Msg ctx={ctx} k="survey.public.saved" />
      </p>
      <p>
        <a href={ctx.href('/survey')}>
          <Msg ctx={ctx} k="survey.public.another" />
        </a>
      </p>
    </>
  );
}
