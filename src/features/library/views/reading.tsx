import {
  LangText,
  LanguageName,
  Msg,
  Pager,
  pageQuery,
  type LanguageNames,
} from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import { downloadHref } from '../../downloads/links.js';
import { formatName, PLAYABLE_VIDEO } from '../formats.js';
import { downloadOrder } from '../saving.js';
import type { LanguageCount } from '../facets.js';
import type { EditionFileRow, EditionName, WorkRow } from '../repository.js';
import { TextReadPage } from './saving.js';
import { EditionLanguageLinks, FileLinks } from './work.js';

function BackToWork({
  ctx,
  work,
  edition,
}: {
  ctx: PageContext;
  work: WorkRow;
  edition: EditionName;
}) {
  return (
    <p class="meta">
      <a href={ctx.href(`/works/${work.slug}/${edition.language}`)}>
        <Msg ctx={ctx} k="nav.backToWork" />
      </a>
    </p>
  );
}

export interface ReadPageProps {
  ctx: PageContext;
  work: WorkRow;
  edition: EditionName;
  /** Sanitised at import by the one HTML sanitiser (features/imports/sanitize-html.ts). */
  html: string;
  page: number;
  pages: number;
  /** The text-only mode (`?text=1`), rendered in the bare text layout. */
  textOnly?: boolean;
}

export function ReadPage(p: ReadPageProps) {
  const { ctx, work, edition } = p;
  if (p.textOnly) return <TextReadPage {...p} />;
  return (
    <>
      <BackToWork ctx={ctx} work={work} edition={edition} />
      <p class="meta">
        <a
          href={ctx.href(
            `/works/${work.slug}/${edition.language}/read${pageQuery(p.page)}${p.page > 1 ? '&' : '?'}text=1`,
          )}
        >
          <Msg ctx={ctx} k="saving.textOnly" />
        </a>
      </p>
      <article class="reading" lang={edition.language} dir={edition.direction}>
        <h1>{edition.title}</h1>
        <div dangerouslySetInnerHTML={{ __html: p.html }} />
      </article>
      <Pager
        ctx={ctx}
        page={p.page}
        pages={p.pages}
        link={(n) => ctx.href(`/works/${work.slug}/${edition.language}/read${pageQuery(n)}`)}
      />
    </>
  );
}

export interface WatchPageProps {
  ctx: PageContext;
  work: WorkRow;
  edition: EditionName;
  files: EditionFileRow[];
  languages: Map<string, LanguageNames>;
}

export function WatchPage(p: WatchPageProps) {
  const { ctx, work, edition } = p;
  const videos = downloadOrder(
    p.files.filter((f) => PLAYABLE_VIDEO.has(f.media_type)),
    ctx.saver,
  );
  const tracks = p.files.filter((f) => f.role === 'subtitles' && f.media_type === 'text/vtt');
  return (
    <>
      <BackToWork ctx={ctx} work={work} edition={edition} />
      <h1 lang={edition.language} dir={edition.direction}>
        {edition.title}
      </h1>
      {/* preload="none": nothing is downloaded until the reader presses play. */}
      <video controls preload="none" aria-label={edition.title}>
        {videos.map((v) => (
          <source src={downloadHref(v)} type={v.media_type} />
        ))}
        {tracks.map((t) => {
          const language = t.language ? p.languages.get(t.language) : undefined;
          return (
            <track
              kind="subtitles"
              src={downloadHref(t)}
              srclang={t.language ?? edition.language}
              label={language?.endonym ?? language?.english_name ?? t.language ?? ''}
              default={t.language === ctx.lang ? true : undefined}
            />
          );
        })}
      </video>
      <p class="meta">
        <Msg
          ctx={ctx}
          k="watch.dataNote"
          v={{
            size: ctx.bytes(videos[0]?.size ?? 0),
            format: formatName(videos[0]?.media_type ?? ''),
          }}
        />
      </p>
      <h2>
        <Msg ctx={ctx} k="work.downloads" />
      </h2>
      <FileLinks ctx={ctx} files={p.files} languages={p.languages} />
    </>
  );
}

export interface EditionLanguagesProps {
  ctx: PageContext;
  work: WorkRow;
  edition: EditionName;
  editions: EditionName[];
  page: number;
  pages: number;
  total: number;
}

/** Every edition of a work, paged so that a work in 500 languages still fits a round trip. */
export function EditionLanguagesPage(p: EditionLanguagesProps) {
  const { ctx, work, edition } = p;
  return (
    <>
      <BackToWork ctx={ctx} work={work} edition={edition} />
      <h1>
        <Msg ctx={ctx} k="editions.heading" v={{ count: p.total }} />
      </h1>
      <p>
        <LangText lang={edition.language} dir={edition.direction}>
          {edition.title}
        </LangText>
      </p>
      <EditionLanguageLinks ctx={ctx} work={work} editions={p.editions} />
      <Pager
        ctx={ctx}
        page={p.page}
        pages={p.pages}
        link={(n) => ctx.href(`/works/${work.slug}/${edition.language}/languages${pageQuery(n)}`)}
      />
    </>
  );
}

export interface LanguagesPageProps {
  ctx: PageContext;
  uiLanguages: { tag: string; endonym: string }[];
  languages: LanguageCount[];
  page: number;
  pages: number;
  total: number;
}

export function LanguagesPage(p: LanguagesPageProps) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="languages.heading" />
      </h1>
      <h2>
        <Msg ctx={ctx} k="languages.interface" />
      </h2>
      <ul class="inline">
        {p.uiLanguages.map((l) => (
          <li>
            <a
              href={`/set-language?to=${l.tag}&next=${encodeURIComponent(`/${l.tag}/languages`)}`}
              lang={l.tag}
              hreflang={l.tag}
              aria-current={l.tag === ctx.lang ? 'true' : undefined}
            >
              {l.endonym}
            </a>
          </li>
        ))}
      </ul>
      <h2>
        <Msg ctx={ctx} k="languages.content" v={{ count: p.total }} />
      </h2>
      <ul class="inline">
        {p.languages.map((l) => (
          <li>
            <a href={ctx.href(`/library?language=${encodeURIComponent(l.tag)}`)} hreflang={l.tag}>
              <LanguageName language={l} />
            </a>{' '}
            <span class="meta">({ctx.number(l.count)})</span>
          </li>
        ))}
      </ul>
      <Pager
        ctx={ctx}
        page={p.page}
        pages={p.pages}
        link={(n) => ctx.href(`/languages${pageQuery(n)}`)}
      />
    </>
  );
}

export function ErrorPage({
  ctx,
  status,
  messageKey,
}: {
  ctx: PageContext;
  status: number;
  messageKey: string;
}) {
  const titleKey =
    status === 404
      ? 'error.notFound.title'
      : status >= 500
        ? 'error.internal.title'
        : 'error.badRequest.title';
  return (
    <>
      <h1>
        <Msg ctx={ctx} k={titleKey} />
      </h1>
      <p>
        <Msg ctx={ctx} k={messageKey} />
      </p>
      <ul class="actions">
        <li>
          <a class="btn" href={ctx.href('/')}>
            <Msg ctx={ctx} k="error.home" />
          </a>
        </li>
        <li>
          <a class="btn alt" href={ctx.href('/library')}>
            <Msg ctx={ctx} k="nav.library" />
          </a>
        </li>
      </ul>
    </>
  );
}
