import { LangText, LanguageName, Msg, Pager } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import type { SearchParams, SearchResult, SnippetPart } from './service.js';

/** The search form: a plain GET form, so the query stays in the address and works without JS. */
export function SearchForm({ ctx, q }: { ctx: PageContext; q: string }) {
  return (
    <form method="get" action={ctx.href('/search')} role="search" class="search">
      <input
        type="search"
        name="q"
        value={q}
        maxLength={200}
        dir="auto"
        aria-label={ctx.t('search.label')}
        placeholder={ctx.t('search.placeholder')}
      />
      <button type="submit">
        <Msg ctx={ctx} k="search.submit" />
      </button>
    </form>
  );
}

function Snippet({ parts, lang, dir }: { parts: SnippetPart[]; lang: string; dir: 'ltr' | 'rtl' }) {
  if (parts.length === 0) return null;
  return (
    <p class="meta" lang={lang} dir={dir}>
      {parts.map((p) => (p.mark ? <mark>{p.text}</mark> : p.text))}
    </p>
  );
}

export function SearchPage({
  ctx,
  result,
  params,
  topicLabels,
}: {
  ctx: PageContext;
  result: SearchResult;
  params: SearchParams;
  topicLabels: Map<string, string>;
}) {
  const link = (
    change: Partial<Record<'language' | 'type' | 'topic' | 'page', string | undefined>>,
  ) => {
    const next = new URLSearchParams({ q: result.query });
    const merged = { language: params.language, type: params.type, topic: params.topic, ...change };
    for (const [k, v] of Object.entries(merged)) if (v) next.set(k, v);
    return ctx.href(`/search?${next.toString()}`);
  };
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="search.heading" />
      </h1>
      <SearchForm ctx={ctx} q={result.query} />
      {result.query && (
        <p role="status">
          <Msg ctx={ctx} k="search.count" v={{ count: result.totalWorks }} />
        </p>
      )}
      {result.otherLanguages && (
        <p class="note">
          <Msg ctx={ctx} k="search.otherLanguages" />
        </p>
      )}
      {!result.otherLanguages && result.noneInReaderLanguage && result.totalWorks > 0 && (
        <p class="note">
          <Msg ctx={ctx} k="search.noneInYourLanguage" />
        </p>
      )}
      {result.totalWorks > 0 && (
        <div class="facets">
          <section>
            <h2>
              <Msg ctx={ctx} k="facet.language" />
            </h2>
            <ul class="inline">
              <li>
                <a
                  href={link({ language: undefined, page: undefined })}
                  aria-current={params.language ? undefined : 'true'}
                >
                  <Msg ctx={ctx} k="facet.all" />
                </a>
              </li>
              {result.facets.languages.map((l) => (
                <li>
                  <a
                    href={link({ language: l.tag, page: undefined })}
                    hreflang={l.tag}
                    aria-current={params.language === l.tag ? 'true' : undefined}
                  >
                    <LanguageName language={l} /> ({ctx.number(l.count)})
                  </a>
                </li>
              ))}
            </ul>
          </section>
          <section>
            <h2>
              <Msg ctx={ctx} k="facet.type" />
            </h2>
            <ul class="inline">
              {result.facets.types.map((t) => (
                <li>
                  <a
                    href={link({ type: t.type, page: undefined })}
                    aria-current={params.type === t.type ? 'true' : undefined}
                  >
                    <Msg ctx={ctx} k={`workType.${t.type}`} /> ({ctx.number(t.count)})
                  </a>
                </li>
              ))}
            </ul>
          </section>
          {result.facets.topics.length > 0 && (
            <section>
              <h2>
                <Msg ctx={ctx} k="facet.topic" />
              </h2>
              <ul class="inline">
                {result.facets.topics.map((t) => (
                  <li>
                    <a
                      href={link({ topic: t.slug, page: undefined })}
                      aria-current={params.topic === t.slug ? 'true' : undefined}
                    >
                      <bdi>{topicLabels.get(t.slug) ?? t.slug}</bdi> ({ctx.number(t.count)})
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      )}
      <ul class="items">
        {result.works.map((work) => {
          const [first, ...others] = work.editions;
          if (!first) return null;
          return (
            <li>
              <a
                class="t"
                href={ctx.href(`/works/${work.slug}/${first.language}`)}
                hreflang={first.language}
              >
                <LangText lang={first.language} dir={first.direction}>
                  {first.title}
                </LangText>
              </a>
              <div class="meta">
                <Msg ctx={ctx} k={`workType.${work.type}`} /> ·{' '}
                <LanguageName language={{ ...first, tag: first.language }} />
              </div>
              <Snippet parts={first.snippet} lang={first.language} dir={first.direction} />
              {others.length > 0 && (
                <p class="meta">
                  <Msg ctx={ctx} k="search.alsoIn" />{' '}
                  {others.map((o) => (
                    <>
                      <a href={ctx.href(`/works/${work.slug}/${o.language}`)} hreflang={o.language}>
                        <LanguageName language={{ ...o, tag: o.language }} />
                      </a>{' '}
                    </>
                  ))}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      <Pager
        ctx={ctx}
        page={result.page}
        pages={result.pages}
        link={(n) => link({ page: n > 1 ? String(n) : undefined })}
      />
    </>
  );
}
