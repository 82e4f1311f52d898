import { LangText, LanguageName, Msg } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import type { EditionSummary, WorkRow } from '../repository.js';

export interface WorkListItem {
  work: WorkRow;
  edition: EditionSummary;
  inReaderLanguage: boolean;
  languageCount: number;
}

/** A list of works, each titled in the edition chosen for the reader. */
export function WorkList({ ctx, items }: { ctx: PageContext; items: WorkListItem[] }) {
  return (
    <ul class="items">
      {items.map(({ work, edition, languageCount }) => (
        <li>
          <a class="t" href={ctx.href(`/works/${work.slug}/${edition.language}`)} hreflang={edition.language}>
            <LangText lang={edition.language} dir={edition.direction}>
              {edition.title}
            </LangText>
          </a>
          <div class="meta">
            <Msg ctx={ctx} k={`workType.${work.type}`} /> · <LanguageName language={{ ...edition, tag: edition.language }} />
            {work.year !== null && <> · {ctx.year(work.year)}</>}
            {languageCount > 1 && (
              <>
                {' · '}
                <Msg ctx={ctx} k="work.languageCount" v={{ count: languageCount }} />
              </>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
