/** Public pages of curricula: the list, a curriculum, a session. No JavaScript, small pages. */
import { directionOf } from '../../../platform/i18n/languages.js';
import { LangText, Msg } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import { chooseEdition } from '../../library/editions.js';
import { lines } from '../forms.js';
import type {
  CurriculumRow,
  CurriculumTree,
  HandoutDetail,
  SessionDetail,
  TextRow,
  TreeModule,
} from '../repository.js';
import { clock, duration, langAttrs, pick, titleOf, Txt } from './text.js';

export function curriculumHref(ctx: PageContext, slug: string): string {
  return ctx.href(`/curricula/${encodeURIComponent(slug)}`);
}

export function sessionHref(ctx: PageContext, curriculumSlug: string, sessionSlug: string) {
  return `${curriculumHref(ctx, curriculumSlug)}/sessions/${encodeURIComponent(sessionSlug)}`;
}

export const moduleMinutes = (m: TreeModule) =>
  m.sessions.reduce((sum, s) => sum + s.duration_minutes, 0);

export const treeMinutes = (tree: CurriculumTree) =>
  tree.modules.reduce((sum, m) => sum + moduleMinutes(m), 0);

export const sessionCount = (tree: CurriculumTree) =>
  tree.modules.reduce((sum, m) => sum + m.sessions.length, 0);

/** A PDF link with its format next to it, and the printable view. */
function PrintLinks({
  ctx,
  base,
  pdfKey,
}: {
  ctx: PageContext;
  base: string;
  pdfKey: 'curriculum.downloadAgenda' | 'curriculum.downloadSession';
}) {
  return (
    <ul class="actions">
      <li>
        <a class="btn alt" href={`${base}/print`}>
          <Msg ctx={ctx} k="curriculum.print" />
        </a>
      </li>
      <li>
        <a class="btn alt" href={`${base}/pdf`} type="application/pdf">
          <Msg ctx={ctx} k={pdfKey} />
        </a>{' '}
        <span class="meta">
          (<Msg ctx={ctx} k="curriculum.formatPdf" />)
        </span>
      </li>
    </ul>
  );
}

export function CurriculaListPage({
  ctx,
  curricula,
}: {
  ctx: PageContext;
  curricula: (CurriculumRow & { texts: TextRow[] })[];
}) {
  const items = curricula
    .map((c) => ({ c, p: pick(c.texts, ctx.lang) }))
    .sort((a, b) => titleOf(a.p, a.c.slug).localeCompare(titleOf(b.p, b.c.slug), ctx.lang));
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="curriculum.list.heading" />
      </h1>
      {items.length === 0 ? (
        <p>
          <Msg ctx={ctx} k="curriculum.list.empty" />
        </p>
      ) : (
        <ul class="items">
          {items.map(({ c, p }) => (
            <li>
              <a class="t" href={curriculumHref(ctx, c.slug)}>
                <Txt p={p}>{titleOf(p, c.slug)}</Txt>
              </a>
              {p?.text.summary && (
                <div class="meta" {...langAttrs(p)}>
                  {p.text.summary}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function CurriculumPage({ ctx, tree }: { ctx: PageContext; tree: CurriculumTree }) {
  const { curriculum } = tree;
  const p = pick(tree.texts, ctx.lang);
  const base = curriculumHref(ctx, curriculum.slug);
  return (
    <>
      <p class="meta">
        <a href={ctx.href('/curricula')}>
          <Msg ctx={ctx} k="curriculum.list.heading" />
        </a>
      </p>
      <h1 {...langAttrs(p)}>{titleOf(p, curriculum.slug)}</h1>
      {p?.text.summary && <p {...langAttrs(p)}>{p.text.summary}</p>}
      <p class="meta">
        <Msg ctx={ctx} k="curriculum.sessionCount" v={{ count: sessionCount(tree) }} />
        {' · '}
        <Msg ctx={ctx} k="curriculum.total" v={{ duration: duration(ctx, treeMinutes(tree)) }} />
        {' · '}
        <a href={ctx.href(`/works/${encodeURIComponent(curriculum.work_slug)}`)}>
          <Msg ctx={ctx} k="curriculum.basedOn" />
        </a>
      </p>
      <PrintLinks ctx={ctx} base={base} pdfKey="curriculum.downloadAgenda" />
      {tree.modules.length === 0 && (
        <p>
          <Msg ctx={ctx} k="curriculum.noSessions" />
        </p>
      )}
      {tree.modules.map((m, i) => {
        const mp = pick(m.texts, ctx.lang);
        return (
          <section>
            <h2 {...langAttrs(mp)}>{titleOf(mp, ctx.number(i + 1))}</h2>
            <p class="meta">
              <Msg ctx={ctx} k="curriculum.sessionCount" v={{ count: m.sessions.length }} />
              {' · '}
              {duration(ctx, moduleMinutes(m))}
            </p>
            <ul class="items">
              {m.sessions.map((s) => {
                const sp = pick(s.texts, ctx.lang);
                return (
                  <li>
                    <a class="t" href={sessionHref(ctx, curriculum.slug, s.slug)}>
                      <Txt p={sp}>{titleOf(sp, s.slug)}</Txt>
                    </a>
                    <div class="meta">{duration(ctx, s.duration_minutes)}</div>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </>
  );
}

/** The library link of a handout: the edition in the reader's language when it exists. */
export function handoutLink(ctx: PageContext, h: HandoutDetail) {
  const chosen = chooseEdition(h.editions, ctx.lang, h.original_language);
  if (!chosen) return undefined;
  const slug = encodeURIComponent(h.slug);
  return {
    href: chosen.inReaderLanguage
      ? ctx.href(`/works/${slug}/${encodeURIComponent(chosen.edition.language)}`)
      : ctx.href(`/works/${slug}`),
    title: chosen.edition.title,
    language: chosen.edition.language,
    inReaderLanguage: chosen.inReaderLanguage,
  };
}

function handoutTitle(h: { title: string; language: string; inReaderLanguage: boolean }) {
  return h.inReaderLanguage ? (
    <bdi>{h.title}</bdi>
  ) : (
    <LangText lang={h.language} dir={directionOf(h.language)}>
      {h.title}
    </LangText>
  );
}

/** The body of a session, shared by the page, the printable view and the PDF. */
export function SessionBody({
  ctx,
  detail,
  links,
}: {
  ctx: PageContext;
  detail: SessionDetail;
  /** False in the PDF: paper has no site to link to, it names the handouts. */
  links: boolean;
}) {
  const sp = pick(detail.texts, ctx.lang);
  const text = sp?.text;
  const objectives = lines(text?.objectives ?? '');
  const materials = lines(text?.materials ?? '');
  const notes = lines(text?.facilitator_notes ?? '');
  let start = 0;
  const handouts = detail.handouts
    .filter((h) => h.published_at !== null)
    .map((h) => handoutLink(ctx, h))
    .filter((h) => h !== undefined);
  return (
    <>
      <p class="meta">
        <Msg ctx={ctx} k="curriculum.duration" />{' '}
        <strong>{duration(ctx, detail.session.duration_minutes)}</strong>
      </p>
      {objectives.length > 0 && (
        <section>
          <h2>
            <Msg ctx={ctx} k="curriculum.objectives" />
          </h2>
          <ul {...langAttrs(sp)}>
            {objectives.map((o) => (
              <li>{o}</li>
            ))}
          </ul>
        </section>
      )}
      {materials.length > 0 && (
        <section>
          <h2>
            <Msg ctx={ctx} k="curriculum.materials" />
          </h2>
          <ul {...langAttrs(sp)}>
            {materials.map((o) => (
              <li>{o}</li>
            ))}
          </ul>
        </section>
      )}
      {detail.activities.length > 0 && (
        <section>
          <h2>
            <Msg ctx={ctx} k="curriculum.activities" />
          </h2>
          <ul class="items">
            {detail.activities.map((a) => {
              const ap = pick(a.texts, ctx.lang);
              const at = start;
              start += a.minutes;
              return (
                <li>
                  <strong class="clock">{clock(ctx, at)}</strong>{' '}
                  <strong>
                    <Txt p={ap}>{titleOf(ap, '')}</Txt>
                  </strong>{' '}
                  <span class="meta">({duration(ctx, a.minutes)})</span>
                  {lines(ap?.text.steps ?? '').length > 0 && (
                    <ol {...langAttrs(ap)}>
                      {lines(ap?.text.steps ?? '').map((step) => (
                        <li>{step}</li>
                      ))}
                    </ol>
                  )}
                </li>
              );
            })}
            <li>
              <strong class="clock">{clock(ctx, start)}</strong>{' '}
              <Msg ctx={ctx} k="curriculum.end" />
            </li>
          </ul>
        </section>
      )}
      {handouts.length > 0 && (
        <section>
          <h2>
            <Msg ctx={ctx} k="curriculum.handouts" />
          </h2>
          <ul>
            {handouts.map((h) => (
              <li>{links ? <a href={h.href}>{handoutTitle(h)}</a> : handoutTitle(h)}</li>
            ))}
          </ul>
        </section>
      )}
      {notes.length > 0 && (
        <section class="note">
          <h2>
            <Msg ctx={ctx} k="curriculum.forFacilitators" />
          </h2>
          <div {...langAttrs(sp)}>
            {notes.map((n) => (
              <p>{n}</p>
            ))}
          </div>
        </section>
      )}
    </>
  );
}

export function SessionPage({
  ctx,
  curriculum,
  curriculumTexts,
  detail,
}: {
  ctx: PageContext;
  curriculum: CurriculumRow;
  curriculumTexts: TextRow[];
  detail: SessionDetail;
}) {
  const cp = pick(curriculumTexts, ctx.lang);
  const mp = pick(detail.moduleTexts, ctx.lang);
  const sp = pick(detail.texts, ctx.lang);
  return (
    <>
      <p class="meta">
        <a href={curriculumHref(ctx, curriculum.slug)}>
          <Txt p={cp}>{titleOf(cp, curriculum.slug)}</Txt>
        </a>
        {mp && (
          <>
            {' · '}
            <Txt p={mp}>{mp.text.title}</Txt>
          </>
        )}
      </p>
      <h1 {...langAttrs(sp)}>{titleOf(sp, detail.session.slug)}</h1>
      <PrintLinks
        ctx={ctx}
        base={sessionHref(ctx, curriculum.slug, detail.session.slug)}
        pdfKey="curriculum.downloadSession"
      />
      <SessionBody ctx={ctx} detail={detail} links />
    </>
  );
}
