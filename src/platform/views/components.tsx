import type { ComponentChildren } from 'preact';
import type { MessageValues } from '../i18n/catalog.js';
import type { PageContext } from './context.js';

/** A UI message; when it is untranslated the English text is marked as English (lang, dir). */
export function Msg({ ctx, k, v }: { ctx: PageContext; k: string; v?: MessageValues }) {
  const text = ctx.t(k, v);
  if (ctx.isFallback(k)) {
    return (
      <span lang="en" dir="ltr">
        {text}
      </span>
    );
  }
  return <>{text}</>;
}

/**
 * Text in a content language inside a page of another: isolated so that a Latin title in an
 * Arabic page (or the reverse) neither reorders its neighbours nor takes their direction.
 */
export function LangText({
  lang,
  dir,
  children,
}: {
  lang: string;
  dir?: 'ltr' | 'rtl' | undefined;
  children: ComponentChildren;
}) {
  return (
    <bdi lang={lang} dir={dir ?? 'auto'}>
      {children}
    </bdi>
  );
}

export interface LanguageNames {
  tag: string;
  endonym: string | null;
  english_name: string | null;
  direction: 'ltr' | 'rtl';
}

/** A language by its own name; languages CLDR cannot name themselves show their English name. */
export function LanguageName({ language }: { language: LanguageNames }) {
  if (language.endonym)
    return (
      <LangText lang={language.tag} dir={language.direction}>
        {language.endonym}
      </LangText>
    );
  return (
    <LangText lang="en" dir="ltr">
      {language.english_name ?? language.tag}
    </LangText>
  );
}

/** Previous / numbered / next links; plain links, so paging works without JavaScript. */
/** `?page=N` for a paged list's link, nothing for its first page (one URL per page). */
export function pageQuery(page: number): string {
  return page > 1 ? `?page=${page}` : '';
}

export function Pager({
  ctx,
  page,
  pages,
  link,
}: {
  ctx: PageContext;
  page: number;
  pages: number;
  link: (page: number) => string;
}) {
  if (pages <= 1) return null;
  const shown = new Set([1, pages, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pages));
  const numbers = [...shown].sort((a, b) => a - b);
  return (
    <nav class="pages" aria-label={ctx.t('pager.label')}>
      {page > 1 && (
        <a href={link(page - 1)} rel="prev">
          <Msg ctx={ctx} k="pager.previous" />
        </a>
      )}
      {numbers.map((p) =>
        p === page ? (
          <span aria-current="page">{ctx.number(p)}</span>
        ) : (
          <a href={link(p)} aria-label={ctx.t('pager.page', { page: ctx.number(p) })}>
            {ctx.number(p)}
          </a>
        ),
      )}
      {page < pages && (
        <a href={link(page + 1)} rel="next">
          <Msg ctx={ctx} k="pager.next" />
        </a>
      )}
    </nav>
  );
}
