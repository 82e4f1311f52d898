/**
 * A PageContext for what the page renderer does not make (PDF documents, iCalendar files,
 * spreadsheet exports): the same messages and formats. The catalogues are read once, on first
 * use, and shared by every such document.
 */
import { Catalogs } from '../i18n/catalog.js';
import type { UiLanguage } from '../i18n/languages.js';
import { PageContext } from './context.js';

let catalogs: Catalogs | undefined;

/** The message catalogues, read once for every document made outside the page renderer. */
export function sharedCatalogs(): Catalogs {
  catalogs ??= new Catalogs();
  return catalogs;
}

export function documentContext(lang: UiLanguage, path = '/'): PageContext {
  return new PageContext(lang, sharedCatalogs(), path);
}
