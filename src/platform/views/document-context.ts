/**
 * A PageContext for what the page renderer does not make (PDF documents, iCalendar files,
 * spreadsheet exports): the same messages and formats. The catalogues are read once, on first
 * use, and shared by every such document.
 */
import { Catalogs } from '../i18n/catalog.js';
import type { UiLanguage } from '../i18n/languages.js';
import { PageContext } from './context.js';

let catalogs: Catalogs | undefined;

export function documentContext(lang: UiLanguage, path = '/'): PageContext {
  catalogs ??= new Catalogs();
  return new PageContext(lang, catalogs, path);
}
