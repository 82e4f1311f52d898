import { LangText, LanguageName, Msg } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import type { EditionName, WorkRow } from '../repository.js';
import { Thumb } from './saving.js';

export interface WorkListItem {
  work: WorkRow;
  edition: EditionName;
  inReaderLanguage: boolean;
  languageCount: number;
  /** The listed edition's thumbnail, if it has one (hidden with the data saver on). */
  thumbnail?: string | undefined;
}

/** A list of works, each titled in the edition chosen for the reader. */
export function WorkList({
  ctx,
  items,
  linkEdition = false,
}: {
  ctx: PageContext;
  items: WorkListItem[];
  /** Link the listed edition itself (a list filtered by language) rather than the work. */
  linkEdition?: boolean;
}) {
  return (
    <ul class="items">
      {items.map(({ work, edition, languageCount, thumbnail }) => (
        <li class={thumbnail && !ctx.saver ? 'th' : undefined}>
          <Thumb ctx={ctx} href={thumbnail} size={64} />
          <div>
            {/* Linking the work lets its page pick the reader's edition, and say so when it falls back. */}
            <a
              class="t"
              href={ctx.href(
                linkEdition ? `/works/${work.slug}/${edition.language}` : `/works/${work.slug}`,
              )}
              hreflang={edition.language}
            >
              <LangText lang={edition.language} dir={edition.direction}>
                {edition.title}
              </LangText>
            </a>
            <div class="meta">
              <Msg ctx={ctx} k={`workType.${work.type}`} /> ·{' '}
              <LanguageName language={{ ...edition, tag: edition.language }} />
              {work.year !== null && <> · {ctx.year(work.year)}</>}
              {languageCount > 1 && (
                <>
                  {' · '}
                  <Msg ctx={ctx} k="work.languageCount" v={{ count: languageCount }} />
                </>
              )}
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}
