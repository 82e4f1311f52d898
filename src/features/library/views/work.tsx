import {
  LangText,
  LanguageName,
  Msg,
  type LanguageNames,
} from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import { downloadHref } from '../../downloads/links.js';
import { formatName } from '../formats.js';
import type { EditionFileRow, EditionName, EditionSummary, WorkRow } from '../repository.js';
import { downloadOrder } from '../saving.js';
import type { Labelled } from './pages.js';
import { DataCost, OfflineSave, SaverToggle, SpeedsNote, Thumb } from './saving.js';

export interface WorkPageProps {
  ctx: PageContext;
  work: WorkRow;
  edition: EditionSummary;
  inReaderLanguage: boolean;
  files: EditionFileRow[];
  sections: number;
  playable: boolean;
  /** Other editions, the reader's likely languages first; capped, see `editionTotal`. */
  others: EditionName[];
  editionTotal: number;
  topics: Labelled[];
  languages: Map<string, LanguageNames>;
  /** The edition's thumbnail, if the thumbnail job made one. */
  thumbnail?: string | undefined;
}

export function editionNames(e: EditionName): LanguageNames {
  return {
    tag: e.language,
    endonym: e.endonym,
    english_name: e.english_name,
    direction: e.direction,
  };
}

/** Links to the editions of a work, each named in its own language. */
export function EditionLanguageLinks({
  ctx,
  work,
  editions,
}: {
  ctx: PageContext;
  work: WorkRow;
  editions: EditionName[];
}) {
  return (
    <ul class="inline">
      {editions.map((o) => (
        <li>
          <a href={ctx.href(`/works/${work.slug}/${o.language}`)} hreflang={o.language}>
            <LanguageName language={editionNames(o)} />
          </a>
        </li>
      ))}
    </ul>
  );
}

function FileList({
  ctx,
  files,
  languages,
}: {
  ctx: PageContext;
  files: EditionFileRow[];
  languages: Map<string, LanguageNames>;
}) {
  return (
    <ul class="items">
      {files.map((f) => {
        const subtitleLanguage = f.language ? languages.get(f.language) : undefined;
        return (
          <li>
            <a href={downloadHref(f)} download>
              <Msg ctx={ctx} k={`fileRole.${f.role}`} />
              {subtitleLanguage && (
                <>
                  {' ('}
                  <LanguageName language={subtitleLanguage} />
                  {')'}
                </>
              )}
            </a>{' '}
            <span class="meta">
              <bdi dir="ltr">{formatName(f.media_type)}</bdi> · <bdi>{ctx.bytes(f.size)}</bdi>
            </span>
            <DataCost ctx={ctx} size={f.size} />
          </li>
        );
      })}
    </ul>
  );
}

/**
 * Every file with its format, size and estimated download time, light versions first (smallest
 * first with the data saver on); subtitles and transcripts in a list of their own.
 */
export function FileLinks({
  ctx,
  files,
  languages,
}: {
  ctx: PageContext;
  files: EditionFileRow[];
  languages: Map<string, LanguageNames>;
}) {
  const ordered = downloadOrder(files, ctx.saver);
  const main = ordered.filter((f) => f.role !== 'subtitles');
  const subtitles = ordered.filter((f) => f.role === 'subtitles');
  return (
    <>
      <SpeedsNote ctx={ctx} />
      {main.length > 0 && <FileList ctx={ctx} files={main} languages={languages} />}
      {subtitles.length > 0 && (
        <>
          <h3>
            <Msg ctx={ctx} k="saving.subtitles" />
          </h3>
          <FileList ctx={ctx} files={subtitles} languages={languages} />
        </>
      )}
      <SaverToggle ctx={ctx} />
    </>
  );
}

export function WorkPage(p: WorkPageProps) {
  const { ctx, work, edition } = p;
  const base = `/works/${work.slug}/${edition.language}`;
  // The main button offers the work itself, smallest version first; sound-only and subtitles
  // stay in the list below.
  const downloadable = downloadOrder(
    p.files.filter((f) => f.role !== 'subtitles'),
    ctx.saver,
  );
  const primary = downloadable.find((f) => f.role !== 'audio') ?? downloadable[0];
  return (
    <>
      <p class="meta">
        <a href={ctx.href('/library')}>
          <Msg ctx={ctx} k="nav.backToLibrary" />
        </a>
      </p>
      <h1 lang={edition.language} dir={edition.direction}>
        {edition.title}
      </h1>
      <p class="meta">
        <Msg ctx={ctx} k={`workType.${work.type}`} /> ·{' '}
        <LanguageName language={editionNames(edition)} />
        {work.year !== null && <> · {ctx.year(work.year)}</>}
      </p>
      {!p.inReaderLanguage && (
        <p class="note" role="note">
          <Msg ctx={ctx} k="work.fallbackNote" />
        </p>
      )}
      <Thumb ctx={ctx} href={p.thumbnail} size={160} />
      <ul class="actions">
        {p.sections > 0 && (
          <li>
            <a class="btn" href={ctx.href(`${base}/read${ctx.saver ? '?text=1' : ''}`)}>
              <Msg ctx={ctx} k="work.readOnline" />
            </a>
          </li>
        )}
        {p.playable && (
          <li>
            <a class="btn" href={ctx.href(`${base}/watch`)}>
              <Msg ctx={ctx} k="work.watch" />
            </a>
          </li>
        )}
        {primary && (
          <li>
            <a class="btn alt" href={downloadHref(primary)} download>
              <Msg
                ctx={ctx}
                k="work.downloadFormat"
                v={{ format: formatName(primary.media_type), size: ctx.bytes(primary.size) }}
              />
            </a>{' '}
            <DataCost ctx={ctx} size={primary.size} />
          </li>
        )}
      </ul>
      {edition.summary && (
        <p lang={edition.language} dir={edition.direction}>
          {edition.summary}
        </p>
      )}
      {p.files.length > 0 && (
        <>
          <h2>
            <Msg ctx={ctx} k="work.downloads" />
          </h2>
          <FileLinks ctx={ctx} files={p.files} languages={p.languages} />
        </>
      )}
      <OfflineSave
        ctx={ctx}
        work={work}
        edition={edition}
        sections={p.sections}
        files={downloadOrder(p.files, true)}
        languages={p.languages}
      />
      {p.others.length > 0 && (
        <>
          <h2>
            <Msg ctx={ctx} k="work.alsoAvailableIn" />
          </h2>
          <EditionLanguageLinks ctx={ctx} work={work} editions={p.others} />
          {p.editionTotal > p.others.length + 1 && (
            <p>
              <a href={ctx.href(`/works/${work.slug}/${edition.language}/languages`)}>
                <Msg ctx={ctx} k="work.allLanguages" v={{ count: p.editionTotal }} />
              </a>
            </p>
          )}
        </>
      )}
      <h2>
        <Msg ctx={ctx} k="work.about" />
      </h2>
      <dl class="facts">
        {work.publisher_name && (
          <>
            <dt>
              <Msg ctx={ctx} k="work.publisher" />
            </dt>
            <dd>
              <bdi>{work.publisher_name}</bdi>
            </dd>
          </>
        )}
        {work.licence && (
          <>
            <dt>
              <Msg ctx={ctx} k="work.licence" />
            </dt>
            <dd>
              <bdi>{work.licence}</bdi>
            </dd>
          </>
        )}
        {p.topics.length > 0 && (
          <>
            <dt>
              <Msg ctx={ctx} k="facet.topic" />
            </dt>
            <dd>
              {p.topics.map((t, i) => (
                <>
                  {i > 0 && ', '}
                  <a href={ctx.href(`/topics/${t.slug}`)}>
                    <LangText lang={t.label.lang}>{t.label.text}</LangText>
                  </a>
                </>
              ))}
            </dd>
          </>
        )}
      </dl>
    </>
  );
}
