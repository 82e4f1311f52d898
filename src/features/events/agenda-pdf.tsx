/**
 * The agenda of an event as a printable PDF in the reader's language and direction, typeset by
 * WeasyPrint (see platform/pdf/html-to-pdf.ts), which shapes Arabic and Persian.
 */
import { render } from 'preact-render-to-string';
import type { UiLanguage } from '../../platform/i18n/languages.js';
import { htmlToPdf } from '../../platform/pdf/html-to-pdf.js';
import { Msg } from '../../platform/views/components.js';
import type { LoadedAgenda } from './agenda.js';
import { documentContext } from '../../platform/views/document-context.js';
import { formatEventWhen } from './dates.js';
import type { PublicEvent } from './repository.js';
import { AgendaDays, LanguageLabel, Where } from './views/public.js';

const PDF_CSS = `@page{size:A4;margin:18mm}
body{font-family:"Noto Sans","Noto Naskh Arabic","Noto Sans Arabic",sans-serif;font-size:11pt;line-height:1.5;color:#111}
:lang(ar),:lang(fa){line-height:1.7}
h1{font-size:18pt;margin:0 0 6pt}h3{font-size:12pt;margin:14pt 0 4pt;border-block-end:1px solid #999}
ol{list-style:none;padding:0;margin:0}li{padding-block:3pt}.meta{color:#555}a{color:inherit;text-decoration:none}`;

export async function agendaPdf(
  lang: UiLanguage,
  event: PublicEvent,
  title: { text: string; language: string; dir: 'ltr' | 'rtl' },
  languages: string[],
  agenda: LoadedAgenda,
): Promise<Buffer> {
  const ctx = documentContext(lang, `/events/${event.slug}/agenda/pdf`);
  const html = render(
    <html lang={lang} dir={ctx.dir}>
      <head>
        <meta charset="utf-8" />
        <title>{title.text}</title>
        <style dangerouslySetInnerHTML={{ __html: PDF_CSS }} />
      </head>
      <body>
        <h1 lang={title.language} dir={title.dir}>
          {title.text}
        </h1>
        <p>{formatEventWhen(lang, event.starts_at, event.ends_at, event.time_zone)}</p>
        <p class="meta">
          <bdi>{event.organisation_name}</bdi> · <Where ctx={ctx} event={event} />
          {languages.length > 0 && (
            <>
              {' · '}
              {languages.flatMap((l, i) =>
                i ? [', ', <LanguageLabel tag={l} />] : [<LanguageLabel tag={l} />],
              )}
            </>
          )}
        </p>
        {agenda.items.length === 0 ? (
          <p>
            <Msg ctx={ctx} k="event.public.noAgenda" />
          </p>
        ) : (
          <AgendaDays ctx={ctx} agenda={agenda} />
        )}
      </body>
    </html>,
  );
  return htmlToPdf(`<!DOCTYPE html>${html}`);
}
