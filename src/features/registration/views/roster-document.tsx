/**
 * The paper attendance roster: a document of its own with print CSS (A4, one row per
 * participant, an empty box per slot and a signature column), for workshops without a
 * connection; what is ticked on paper is entered afterwards on the attendance page. No contacts.
 */
import { createHash } from 'node:crypto';
import { render } from 'preact-render-to-string';
import type { PageContext } from '../../../platform/views/context.js';
import type { StaffEvent } from '../../events/access.js';
import { formatEventWhen } from '../../events/dates.js';
import type { Slot } from '../roster.js';

const CSS = `
@page{size:A4 portrait;margin:12mm}
@page wide{size:A4 landscape;margin:12mm}
html{font-family:system-ui,"Noto Sans","Noto Naskh Arabic","Noto Sans Arabic",sans-serif;color:#000;background:#fff}
body{margin:16px}
.wide{page:wide}
h1{font-size:1.3rem;margin:0 0 4px}
p{margin:0 0 8px}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #000;padding:6px;text-align:start;vertical-align:middle}
th{font-size:.8rem}
td.box{width:3.2rem}
td.num{width:2rem;text-align:end}
td.sign{width:9rem}
tr{height:2.2rem;break-inside:avoid}
thead{display:table-header-group}
.hint{font-size:.85rem}
@media print{.hint.screen{display:none}body{margin:0}}
`;
const CSS_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

/** The Content-Security-Policy of the roster document: its own stylesheet and nothing else. */
export const ROSTER_CSP = `default-src 'none'; style-src ${CSS_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/** Empty rows at the end for people who come without registering. */
const BLANK_ROWS = 5;

export function rosterDocument(p: {
  ctx: PageContext;
  se: StaffEvent;
  organisation: string;
  names: string[];
  slots: Slot[];
}): string {
  const { ctx, se } = p;
  const rows = [...p.names, ...Array.from({ length: BLANK_ROWS }, () => '')];
  const doc = (
    <html lang={ctx.lang} dir={ctx.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${ctx.t('attendance.roster')} · ${se.title.text.title}`}</title>
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body class={p.slots.length > 4 ? 'wide' : undefined}>
        <h1>
          <bdi lang={se.title.text.language} dir={se.title.dir}>
            {se.title.text.title}
          </bdi>
        </h1>
        <p>
          {formatEventWhen(ctx.lang, se.event.starts_at, se.event.ends_at, se.event.time_zone)}
          {p.organisation && (
            <>
              {' · '}
              <bdi>{p.organisation}</bdi>
            </>
          )}
        </p>
        <p class="hint">{ctx.t('attendance.rosterHint')}</p>
        <p class="hint screen">{ctx.t('attendance.rosterPrint')}</p>
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{ctx.t('participant.staff.name')}</th>
              {p.slots.map((s) => (
                <th scope="col">{s.label}</th>
              ))}
              <th scope="col">{ctx.t('attendance.signature')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((name, i) => (
              <tr>
                <td class="num">{ctx.number(i + 1)}</td>
                <td>
                  <bdi>{name}</bdi>
                </td>
                {p.slots.map(() => (
                  <td class="box" />
                ))}
                <td class="sign" />
              </tr>
            ))}
          </tbody>
        </table>
      </body>
    </html>
  );
  return `<!doctype html>${render(doc)}`;
}
