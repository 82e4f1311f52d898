import { WORK_TYPES } from '../../../platform/db/schema.js';
import {
  LangText,
  LanguageName,
  Msg,
  Pager,
  type LanguageNames,
} from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import type { FacetCount, LanguageCount } from '../facets.js';
import { WorkList, type WorkListItem } from './work-list.js';

export interface Labelled {
  slug: string;
  label: { text: string; lang: string };
  count?: number;
}

function Label({ item }: { item: Labelled }) {
  return <LangText lang={item.label.lang}>{item.label.text}</LangText>;
}

export interface HomeProps {
  ctx: PageContext;
  newInLanguage: WorkListItem[];
  latest: WorkListItem[];
  types: FacetCount[];
  collections: Labelled[];
  topics: Labelled[];
  workCount: number;
  languageCount: number;
}

export function HomePage(p: HomeProps) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="home.heading" />
      </h1>
      <p>
        <Msg ctx={ctx} k="home.intro" v={{ works: p.workCount, languages: p.languageCount }} />
      </p>
      <h2>
        <Msg ctx={ctx} k="home.browse" />
      </h2>
      <ul class="inline">
        {p.types.map((t) => (
          <li>
            <a href={ctx.href(`/library?type=${t.value}`)}>
              <Msg ctx={ctx} k={`workTypePlural.${t.value}`} /> ({ctx.number(t.count)})
            </a>
          </li>
        ))}
      </ul>
      {p.newInLanguage.length > 0 ? (
        <>
          <h2>
            <Msg ctx={ctx} k="home.newInYourLanguage" />
          </h2>
          <WorkList ctx={ctx} items={p.newInLanguage} linkEdition />
        </>
      ) : (
        <>
          <h2>
            <Msg ctx={ctx} k="home.latest" />
          </h2>
          <WorkList ctx={ctx} items={p.latest} />
        </>
      )}
      {p.collections.length > 0 && (
        <>
          <h2>
            <Msg ctx={ctx} k="home.collections" />
          </h2>
          <ul class="inline">
            {p.collections.map((c) => (
              <li>
                <a href={ctx.href(`/collections/${c.slug}`)}>
                  <Label item={c} />
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {p.topics.length > 0 && (
        <>
          <h2>
            <Msg ctx={ctx} k="home.topics" />
          </h2>
          <ul class="inline">
            {p.topics.map((t) => (
              <li>
                <a href={ctx.href(`/topics/${t.slug}`)}>
                  <Label item={t} />
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

export interface LibraryFilters {
  language?: string | undefined;
  type?: string | undefined;
  topic?: string | undefined;
}

export function libraryHref(
  ctx: PageContext,
  filters: LibraryFilters,
  page = 1,
  base = '/library',
): string {
  const params = new URLSearchParams();
  if (filters.language) params.set('language', filters.language);
  if (filters.type) params.set('type', filters.type);
  if (filters.topic) params.set('topic', filters.topic);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return ctx.href(query ? `${base}?${query}` : base);
}

export interface LibraryProps {
  ctx: PageContext;
  heading: string;
  filters: LibraryFilters;
  items: WorkListItem[];
  total: number;
  page: number;
  pages: number;
  types: FacetCount[];
  topics: Labelled[];
  languages: LanguageCount[];
  selectedLanguage?: LanguageNames | undefined;
  base?: string;
  showTopicFacet?: boolean;
}

export function LibraryPage(p: LibraryProps) {
  const { ctx, filters } = p;
  const base = p.base ?? '/library';
  const link = (change: LibraryFilters) => libraryHref(ctx, { ...filters, ...change }, 1, base);
  return (
    <>
      <h1>{p.heading}</h1>
      <div class="facets">
        <section aria-labelledby="f-type">
          <h2 id="f-type">
            <Msg ctx={ctx} k="facet.type" />
          </h2>
          <ul class="inline">
            {filters.type && (
              <li>
                <a href={link({ type: undefined })}>
                  <Msg ctx={ctx} k="facet.all" />
                </a>
              </li>
            )}
            {p.types.map((t) => (
              <li>
                <a
                  href={link({ type: t.value })}
                  aria-current={filters.type === t.value ? 'true' : undefined}
                >
                  <Msg ctx={ctx} k={`workTypePlural.${t.value}`} /> ({ctx.number(t.count)})
                </a>
              </li>
            ))}
          </ul>
        </section>
        {p.showTopicFacet !== false && p.topics.length > 0 && (
          <section aria-labelledby="f-topic">
            <h2 id="f-topic">
              <Msg ctx={ctx} k="facet.topic" />
            </h2>
            <ul class="inline">
              {filters.topic && (
                <li>
                  <a href={link({ topic: undefined })}>
                    <Msg ctx={ctx} k="facet.all" />
                  </a>
                </li>
              )}
              {p.topics.map((t) => (
                <li>
                  <a
                    href={link({ topic: t.slug })}
                    aria-current={filters.topic === t.slug ? 'true' : undefined}
                  >
                    <Label item={t} /> ({ctx.number(t.count ?? 0)})
                  </a>
                </li>
              ))}
            </ul>
          </section>
        )}
        <section aria-labelledby="f-lang">
          <h2 id="f-lang">
            <Msg ctx={ctx} k="facet.language" />
          </h2>
          <ul class="inline">
            {filters.language && (
              <li>
                <a href={link({ language: undefined })}>
                  <Msg ctx={ctx} k="facet.all" />
                </a>
              </li>
            )}
            {p.selectedLanguage && !p.languages.some((l) => l.tag === filters.language) && (
              <li>
                <a href={link({})} aria-current="true">
                  <LanguageName language={p.selectedLanguage} />
                </a>
              </li>
            )}
            {p.languages.map((l) => (
              <li>
                <a
                  href={link({ language: l.tag })}
                  aria-current={filters.language === l.tag ? 'true' : undefined}
                  hreflang={l.tag}
                >
                  <LanguageName language={l} /> ({ctx.number(l.count)})
                </a>
              </li>
            ))}
            <li>
              <a href={ctx.href('/languages')}>
                <Msg ctx={ctx} k="facet.moreLanguages" />
              </a>
            </li>
          </ul>
        </section>
      </div>
      <h2>
        <Msg ctx={ctx} k="library.resultCount" v={{ count: p.total }} />
      </h2>
      {p.items.length === 0 ? (
        <p class="note">
          <Msg ctx={ctx} k="library.empty" />
        </p>
      ) : (
        <WorkList ctx={ctx} items={p.items} linkEdition={!!filters.language} />
      )}
      <Pager
        ctx={ctx}
        page={p.page}
        pages={p.pages}
        link={(n) => libraryHref(ctx, filters, n, base)}
      />
    </>
  );
}

export function typeOptions() {
  return WORK_TYPES;
}
