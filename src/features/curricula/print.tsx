/**
 * Printable documents of a session and of a whole curriculum (the agenda): one standalone HTML
 * document, in the reader's language and direction, with its print CSS inline. Browsers get it
 * as the printable view; WeasyPrint turns the same document into the PDF.
 */
import { createHash } from 'node:crypto';
import type { ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import { documentContext } from '../../platform/views/document-context.js';
import type { UiLanguage } from '../../platform/i18n/languages.js';
import { Msg } from '../../platform/views/components.js';
import { PageContext } from '../../platform/views/context.js';
import { lines } from './forms.js';
import type { CurriculumTree, SessionDetail, TextRow } from './repository.js';
import { moduleMinutes, SessionBody, sessionCount, treeMinutes } from './views/public.js';
import { clock, duration, langAttrs, pick, titleOf, Txt } from './views/text.js';

/** Physical sides appear nowhere: the same sheet mirrors for right-to-left languages. */
export const PRINT_CSS = `
@page{size:A4;margin:16mm 15mm}
html{font-family:"Noto Sans","Noto Naskh Arabic","Noto Sans Arabic",sans-serif;font-size:11pt;line-height:1.45;color:#000;background:#fff}
:lang(ar),:lang(fa){line-height:1.7}
body{margin:0}
h1{font-size:19pt;line-height:1.25;margin:0 0 4pt}
h2{font-size:13pt;margin:14pt 0 4pt;padding-bottom:2pt;border-bottom:1px solid #888}
h3{font-size:11.5pt;margin:10pt 0 2pt}
.meta{color:#333}
ol,ul{margin-top:2pt;margin-bottom:4pt;padding:0 1em;list-style-position:inside}
.items{list-style:none;padding:0}
.items>li{margin-bottom:6pt}
td ul{padding:0}
li{margin-bottom:2pt}
section,li,tr{break-inside:avoid}
table{border-collapse:collapse;width:100%;margin-top:4pt}
th,td{border:1px solid #888;padding:3pt 5pt;text-align:start;vertical-align:top}
th{background:#eee}
.clock{font-variant-numeric:tabular-nums;white-space:nowrap}
.note{border:1px solid #888;padding:2pt 8pt;margin-top:12pt}
.actions{list-style:none;padding:0}
.noprint{font-family:system-ui,sans-serif;padding:6pt 0}
@media screen{body{max-width:44rem;margin:0 auto;padding:8px 16px 32px}}
@media print{.noprint{display:none}}
`.replace(/\n/g, '');

/** For the printable view's Content-Security-Policy: only this stylesheet, nothing else. */
export const PRINT_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256')
  .update(PRINT_CSS)
  .digest('base64')}'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/**
 * WeasyPrint 57 (Debian 12) maps the glyphs of a right-to-left run to its text off by one
 * cluster: the run's text is given to its visually first glyph minus its last letters, so
 * copying or searching the PDF loses the end of Arabic and Persian titles. Two trailing
 * no-break spaces (invisible) become that last cluster, so the title itself survives whole.
 */
const RTL_TEXT_LAYER_PAD = '\u00a0\u00a0';

function headingText(title: string, forPdf: boolean): string {
  return forPdf ? `${title}${RTL_TEXT_LAYER_PAD}` : title;
}

/** A page context outside the page renderer (the PDF has no layout). */
export function printContext(lang: UiLanguage, path: string): PageContext {
  return documentContext(lang, path);
}

function Document({
  ctx,
  title,
  back,
  children,
}: {
  ctx: PageContext;
  title: string;
  /** The page this view prints, linked in the browser (hidden on paper and in the PDF). */
  back: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <html lang={ctx.lang} dir={ctx.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{title}</title>
        <style dangerouslySetInnerHTML={{ __html: PRINT_CSS }} />
      </head>
      <body>
        {back && (
          <p class="noprint">
            <a href={back}>
              <Msg ctx={ctx} k="curriculum.backToPage" />
            </a>
            {' · '}
            <Msg ctx={ctx} k="curriculum.printHint" />
          </p>
        )}
        {children}
      </body>
    </html>
  );
}

export function sessionTitle(detail: SessionDetail, lang: string): string {
  return titleOf(pick(detail.texts, lang), detail.session.slug);
}

export function curriculumTitle(texts: TextRow[], slug: string, lang: string): string {
  return titleOf(pick(texts, lang), slug);
}

export function sessionDocument(p: {
  ctx: PageContext;
  curriculumSlug: string;
  curriculumTexts: TextRow[];
  detail: SessionDetail;
  back: string | undefined;
}): string {
  const { ctx, detail } = p;
  const cp = pick(p.curriculumTexts, ctx.lang);
  const mp = pick(detail.moduleTexts, ctx.lang);
  const sp = pick(detail.texts, ctx.lang);
  const title = sessionTitle(detail, ctx.lang);
  return `<!doctype html>${render(
    <Document ctx={ctx} title={title} back={p.back}>
      <p class="meta">
        <Txt p={cp}>{titleOf(cp, p.curriculumSlug)}</Txt>
        {mp && (
          <>
            {' · '}
            <Txt p={mp}>{mp.text.title}</Txt>
          </>
        )}
      </p>
      <h1 {...langAttrs(sp)}>{headingText(title, p.back === undefined)}</h1>
      <SessionBody ctx={ctx} detail={detail} links={p.back !== undefined} />
    </Document>,
  )}`;
}

export function agendaDocument(p: {
  ctx: PageContext;
  tree: CurriculumTree;
  back: string | undefined;
}): string {
  const { ctx, tree } = p;
  const cp = pick(tree.texts, ctx.lang);
  const title = titleOf(cp, tree.curriculum.slug);
  let start = 0;
  return `<!doctype html>${render(
    <Document ctx={ctx} title={title} back={p.back}>
      <p class="meta">
        <Msg ctx={ctx} k="curriculum.agenda" />
      </p>
      <h1 {...langAttrs(cp)}>{headingText(title, p.back === undefined)}</h1>
      {cp?.text.summary && <p {...langAttrs(cp)}>{cp.text.summary}</p>}
      <p class="meta">
        <Msg ctx={ctx} k="curriculum.sessionCount" v={{ count: sessionCount(tree) }} />
        {' · '}
        <Msg ctx={ctx} k="curriculum.total" v={{ duration: duration(ctx, treeMinutes(tree)) }} />
      </p>
      {tree.modules.map((m, i) => {
        const mp = pick(m.texts, ctx.lang);
        return (
          <section>
            <h2 {...langAttrs(mp)}>{titleOf(mp, ctx.number(i + 1))}</h2>
            <p class="meta">{duration(ctx, moduleMinutes(m))}</p>
            <table>
              <thead>
                <tr>
                  <th scope="col">
                    <Msg ctx={ctx} k="curriculum.start" />
                  </th>
                  <th scope="col">
                    <Msg ctx={ctx} k="curriculum.session" />
                  </th>
                  <th scope="col">
                    <Msg ctx={ctx} k="curriculum.duration" />
                  </th>
                </tr>
              </thead>
              <tbody>
                {m.sessions.map((s) => {
                  const sp = pick(s.texts, ctx.lang);
                  const at = start;
                  start += s.duration_minutes;
                  const objectives = lines(sp?.text.objectives ?? '');
                  return (
                    <tr>
                      <td class="clock">{clock(ctx, at)}</td>
                      <td>
                        <strong>
                          <Txt p={sp}>{titleOf(sp, s.slug)}</Txt>
                        </strong>
                        {objectives.length > 0 && (
                          <ul {...langAttrs(sp)}>
                            {objectives.map((o) => (
                              <li>{o}</li>
                            ))}
                          </ul>
                        )}
                      </td>
                      <td>{duration(ctx, s.duration_minutes)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        );
      })}
    </Document>,
  )}`;
}
