import { render } from 'preact-render-to-string';
import type { LayoutProps } from './layout.js';

/**
 * The text-only document: no stylesheet, no images, no site navigation; the browser's own
 * defaults lay it out. The page's view links back to the full version. Not for search engines:
 * it repeats the normal reading pages.
 */
export function renderTextDocument({ ctx, title, children }: LayoutProps): string {
  const siteName = ctx.t('site.name');
  return `<!doctype html>${render(
    <html lang={ctx.lang} dir={ctx.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{title === siteName ? title : `${title} · ${siteName}`}</title>
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex" />
      </head>
      <body>
        <main id="main">{children}</main>
      </body>
    </html>,
  )}`;
}
