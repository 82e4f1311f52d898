import type { ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import { UI_LANGUAGES } from '../i18n/languages.js';
import { endonymOf } from '../i18n/languages.js';
import { Msg } from './components.js';
import type { PageContext } from './context.js';
import { CSS } from './styles.js';

export interface Alternate {
  hreflang: string;
  href: string;
}

export interface LayoutProps {
  ctx: PageContext;
  title: string;
  children: ComponentChildren;
  /** Links to this page in other languages (interface languages or other editions). */
  alternates?: Alternate[] | undefined;
  description?: string | undefined;
  /** Set on signed-in pages: the header links to the workspace and offers to sign out. */
  signedIn?: { displayName: string; csrfToken: string } | undefined;
  /** schema.org data (JSON-LD), a data block that is never executed. */
  jsonLd?: object | undefined;
}

/** JSON for a <script> data block: no "<", ">" or "&" can end it or open a comment. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function Layout({ ctx, title, children, alternates, description, signedIn, jsonLd }: LayoutProps) {
  const siteName = ctx.t('site.name');
  return (
    <html lang={ctx.lang} dir={ctx.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{title === siteName ? title : `${title} · ${siteName}`}</title>
        {description && <meta name="description" content={description} />}
        <meta name="referrer" content="no-referrer" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {(alternates ?? []).map((a) => (
          <link rel="alternate" hreflang={a.hreflang} href={a.href} />
        ))}
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
        {jsonLd && (
          <script
            type="application/ld+json"
            dangerouslySetInnerHTML={{ __html: scriptJson(jsonLd) }}
          />
        )}
      </head>
      <body>
        <a class="skip" href="#main">
          <Msg ctx={ctx} k="nav.skip" />
        </a>
        <header class="site">
          <a class="brand" href={ctx.href('/')}>
            {siteName}
          </a>
          <nav class="top" aria-label={ctx.t('nav.label')}>
            <a href={ctx.href('/library')}>
              <Msg ctx={ctx} k="nav.library" />
            </a>{' '}
            <a href={ctx.href('/languages')}>
              <Msg ctx={ctx} k="nav.languages" />
            </a>{' '}
            <a href={ctx.href('/search')}>
              <Msg ctx={ctx} k="nav.search" />
            </a>{' '}
            <a href={ctx.href('/events')}>
              <Msg ctx={ctx} k="nav.events" />
            </a>
            {signedIn && (
              <a href={ctx.href('/workspace')}>
                <Msg ctx={ctx} k="nav.workspace" />
              </a>
            )}
          </nav>
          {signedIn && (
            <form method="post" action={ctx.href('/logout')} class="signout">
              <input type="hidden" name="_csrf" value={signedIn.csrfToken} />
              <bdi>{signedIn.displayName}</bdi>{' '}
              <button type="submit">
                <Msg ctx={ctx} k="nav.signOut" />
              </button>
            </form>
          )}
        </header>
        <main id="main">{children}</main>
        <footer class="site">
          <nav class="langs" aria-label={ctx.t('nav.interfaceLanguage')}>
            {UI_LANGUAGES.map((lang) =>
              lang === ctx.lang ? null : (
                <a
                  href={`/set-language?to=${lang}&next=${encodeURIComponent(`/${lang}${ctx.currentPath}`)}`}
                  hreflang={lang}
                  lang={lang}
                >
                  {endonymOf(lang)}
                </a>
              ),
            )}
          </nav>
        </footer>
      </body>
    </html>
  );
}

/** Renders a complete HTML document. Preact escapes every text and attribute value. */
export function renderDocument(props: LayoutProps): string {
  return `<!doctype html>${render(<Layout {...props} />)}`;
}
