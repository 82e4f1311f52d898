import { assetUrl } from '../../assets/manifest.js';
import { LanguageName, Msg, Pager, pageQuery } from '../../../platform/views/components.js';
import type { LanguageNames } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import { downloadHref } from '../../downloads/links.js';
import { formatName } from '../formats.js';
import type { EditionFileRow, EditionName, WorkRow } from '../repository.js';
import { dataCost } from '../saving.js';

/** The browser script of the offline shelf; only on pages that offer it. */
export const OFFLINE_SCRIPT = assetUrl('offline.js');

/** "about 3 minutes on 2G, 20 seconds on 3G", next to a download. */
export function DataCost({ ctx, size }: { ctx: PageContext; size: number }) {
  return <span class="cost">{dataCost(ctx, size)}</span>;
}

/** Says once per page which speeds the estimates assume. */
export function SpeedsNote({ ctx }: { ctx: PageContext }) {
  return (
    <p class="meta">
      <Msg ctx={ctx} k="saving.speeds" />
    </p>
  );
}

/**
 * A thumbnail in a fixed box (width and height set, so nothing moves when it arrives), loaded
 * only when it scrolls into view; decorative (alt=""), the title is next to it. The job makes one
 * size (320 px), enough for this box on a 2x screen, so there is no srcset. Never shown with the
 * data saver on.
 */
export function Thumb({
  ctx,
  href,
  size,
}: {
  ctx: PageContext;
  href: string | undefined;
  size: number;
}) {
  if (!href || ctx.saver) return null;
  return (
    <img
      class="thumb"
      src={href}
      alt=""
      width={size}
      height={size}
      loading="lazy"
      decoding="async"
    />
  );
}

/**
 * The data-saver switch: a plain form (POST, same-origin check), so it works without JavaScript
 * and cannot be flipped by another site's link or image.
 */
export function SaverToggle({ ctx }: { ctx: PageContext }) {
  return (
    <form method="post" action={ctx.href('/data-saver')} class="saver">
      <input type="hidden" name="next" value={ctx.href(ctx.currentPath)} />
      <input type="hidden" name="saver" value={ctx.saver ? 'off' : 'on'} />
      <a href={ctx.href('/data-saver')}>
        <Msg ctx={ctx} k={ctx.saver ? 'saving.isOn' : 'saving.isOff'} />
      </a>{' '}
      <button type="submit" class="plain">
        <Msg ctx={ctx} k={ctx.saver ? 'saving.turnOff' : 'saving.turnOn'} />
      </button>
    </form>
  );
}

export function SaverPage({ ctx }: { ctx: PageContext }) {
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="saving.heading" />
      </h1>
      <p>
        <Msg ctx={ctx} k="saving.intro" />
      </p>
      <p class={ctx.saver ? 'ok' : 'note'}>
        <Msg ctx={ctx} k={ctx.saver ? 'saving.isOn' : 'saving.isOff'} />
      </p>
      <form method="post" action={ctx.href('/data-saver')}>
        <input type="hidden" name="next" value={ctx.href('/data-saver')} />
        <input type="hidden" name="saver" value={ctx.saver ? 'off' : 'on'} />
        <button type="submit">
          <Msg ctx={ctx} k={ctx.saver ? 'saving.turnOff' : 'saving.turnOn'} />
        </button>
      </form>
      <SpeedsNote ctx={ctx} />
    </>
  );
}

/** A file's role, language (subtitles), format and size: for the offline file chooser. */
function fileLabel(ctx: PageContext, f: EditionFileRow, languages: Map<string, LanguageNames>) {
  const language = f.language ? languages.get(f.language) : undefined;
  const name = language?.endonym ?? language?.english_name ?? f.language;
  return `${ctx.t(`fileRole.${f.role}`)}${name ? ` (${name})` : ''} · ${formatName(f.media_type)} · ${ctx.bytes(f.size)}`;
}

/**
 * "Save for offline reading", hidden until the offline script finds a browser that can keep
 * pages (service worker and Cache API); without JavaScript nothing of it shows.
 */
export function OfflineSave({
  ctx,
  work,
  edition,
  sections,
  files,
  languages,
}: {
  ctx: PageContext;
  work: WorkRow;
  edition: EditionName;
  sections: number;
  files: EditionFileRow[];
  languages: Map<string, LanguageNames>;
}) {
  const base = `/works/${work.slug}/${edition.language}`;
  return (
    <>
      <section
        id="offline-save"
        hidden
        aria-labelledby="offline-h"
        data-id={edition.id}
        data-page={ctx.href(base)}
        data-read={sections > 0 ? ctx.href(`${base}/read`) : ''}
        data-pages={String(sections)}
        data-shelf={ctx.href('/offline')}
        data-saving={ctx.t('offline.saving')}
        data-saved={ctx.t('offline.saved')}
        data-failed={ctx.t('offline.failed')}
      >
        <h2 id="offline-h">
          <Msg ctx={ctx} k="offline.section" />
        </h2>
        {files.length > 0 && (
          <p>
            <label>
              <Msg ctx={ctx} k="offline.file" />{' '}
              <select name="file">
                <option value="">{ctx.t('offline.noFile')}</option>
                {files.map((f) => (
                  <option value={downloadHref(f)}>{fileLabel(ctx, f, languages)}</option>
                ))}
              </select>
            </label>
          </p>
        )}
        <p>
          <button type="button">
            <Msg ctx={ctx} k="offline.save" />
          </button>{' '}
          <a href={ctx.href('/offline')}>
            <Msg ctx={ctx} k="offline.heading" />
          </a>
        </p>
        <p class="meta" role="status" />
      </section>
      <script src={OFFLINE_SCRIPT} defer />
    </>
  );
}

/** The offline shelf: its list is drawn by the offline script from what this browser kept. */
export function OfflinePage({ ctx }: { ctx: PageContext }) {
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="offline.heading" />
      </h1>
      <div
        id="offline-shelf"
        data-empty={ctx.t('offline.empty')}
        data-unsupported={ctx.t('offline.unsupported')}
        data-remove={ctx.t('offline.remove')}
        data-read={ctx.t('offline.read')}
        data-file={ctx.t('offline.keptFile')}
      >
        <p class="note" id="offline-nojs">
          <Msg ctx={ctx} k="offline.noScript" />
        </p>
        <ul class="items" />
      </div>
      <p>
        <a href={ctx.href('/library')}>
          <Msg ctx={ctx} k="offline.browse" />
        </a>
      </p>
      <script src={OFFLINE_SCRIPT} defer />
    </>
  );
}

export interface TextReadPageProps {
  ctx: PageContext;
  work: WorkRow;
  edition: EditionName;
  /** Sanitised at import (features/imports/sanitize-html.ts): text elements only, no images. */
  html: string;
  page: number;
  pages: number;
}

/** Text-only reading: the edition's words and the way on, nothing else (no styles, no images). */
export function TextReadPage(p: TextReadPageProps) {
  const { ctx, work, edition } = p;
  const read = `/works/${work.slug}/${edition.language}/read`;
  const link = (n: number) => ctx.href(`${read}${pageQuery(n)}${n > 1 ? '&' : '?'}text=1`);
  return (
    <>
      <p>
        <a href={ctx.href(`/works/${work.slug}/${edition.language}`)}>
          <Msg ctx={ctx} k="nav.backToWork" />
        </a>{' '}
        ·{' '}
        <a href={ctx.href(`${read}${pageQuery(p.page)}`)}>
          <Msg ctx={ctx} k="saving.fullVersion" />
        </a>{' '}
        · <LanguageName language={{ ...edition, tag: edition.language }} />
      </p>
      <article lang={edition.language} dir={edition.direction}>
        <h1>{edition.title}</h1>
        <div dangerouslySetInnerHTML={{ __html: p.html }} />
      </article>
      <Pager ctx={ctx} page={p.page} pages={p.pages} link={link} />
    </>
  );
}
