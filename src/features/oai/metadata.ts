import type { WorkType } from '../../platform/db/schema.js';
import { isUiLanguage } from '../../platform/i18n/languages.js';
import { datestamp } from './arguments.js';
import type { Item, RecordDetails } from './repository.js';
import { DC_NS, el, OAI_DC_NS, OAI_DC_SCHEMA, rootAttributes, text } from './xml.js';

/** Where the repository lives and how its items are named. */
export interface Site {
  /** The site's absolute address without a trailing slash. */
  base: string;
  /** Host name in identifiers: oai:<host>:edition/<id>. */
  host: string;
  /** ADMIN_EMAIL, when configured. */
  adminEmail?: string | undefined;
}

export function identifierOf(site: Site, editionId: string): string {
  return `oai:${site.host}:edition/${editionId}`;
}

/** The edition id in one of our identifiers, or undefined when the identifier is not ours. */
export function editionIdOf(site: Site, identifier: string): string | undefined {
  const prefix = `oai:${site.host}:edition/`;
  if (!identifier.startsWith(prefix)) return undefined;
  const id = identifier.slice(prefix.length);
  return /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : undefined;
}

/** The interface language of public links: the edition's own when the site speaks it. */
function uiLanguageFor(tag: string): string {
  const primary = tag.split('-')[0]!.toLowerCase();
  return isUiLanguage(primary) ? primary : 'en';
}

/** DCMI Type Vocabulary term of a work type, or of an `other` work by what its files are. */
function dcmiType(type: WorkType, mediaTypes: string[]): string {
  switch (type) {
    case 'video':
    case 'documentary':
      return 'MovingImage';
    case 'audio':
      return 'Sound';
    case 'poster':
      return 'StillImage';
    case 'other':
      if (mediaTypes.some((m) => m.startsWith('video/'))) return 'MovingImage';
      if (mediaTypes.some((m) => m.startsWith('audio/'))) return 'Sound';
      if (mediaTypes.length > 0 && mediaTypes.every((m) => m.startsWith('image/'))) {
        return 'StillImage';
      }
      return 'Text';
    default:
      return 'Text';
  }
}

export function header(site: Site, item: Item): string {
  return el(
    'header',
    {},
    text('identifier', identifierOf(site, item.id)) +
      text('datestamp', item.datestamp) +
      item.sets.map((s) => text('setSpec', s)).join(''),
  );
}

/**
 * The oai_dc description of an edition: its own title, language and summary, the work's type,
 * publisher, licence, year and topics, its files' formats, its public page, and relations to
 * the work and to the editions in other languages.
 */
export function oaiDc(site: Site, details: RecordDetails, siblings: Item[]): string {
  const lang = details.language;
  const ui = uiLanguageFor(lang);
  const workUrl = `${site.base}/${ui}/works/${encodeURIComponent(details.workSlug)}`;
  const fields: string[] = [text('dc:title', details.title, { 'xml:lang': lang })];
  for (const subject of details.subjects) {
    fields.push(text('dc:subject', subject.text, { 'xml:lang': subject.language }));
  }
  if (details.summary) {
    fields.push(text('dc:description', details.summary, { 'xml:lang': lang }));
  }
  if (details.publisher) fields.push(text('dc:publisher', details.publisher));
  const date = details.year
    ? String(details.year).padStart(4, '0')
    : details.publishedAt
      ? datestamp(details.publishedAt).slice(0, 10)
      : undefined;
  if (date) fields.push(text('dc:date', date));
  fields.push(text('dc:type', dcmiType(details.type, details.mediaTypes)));
  fields.push(text('dc:type', details.type));
  for (const mediaType of details.mediaTypes) fields.push(text('dc:format', mediaType));
  fields.push(text('dc:identifier', `${workUrl}/${encodeURIComponent(lang)}`));
  fields.push(text('dc:language', lang));
  fields.push(text('dc:relation', workUrl));
  for (const sibling of siblings) {
    if (sibling.id !== details.id) fields.push(text('dc:relation', identifierOf(site, sibling.id)));
  }
  if (details.licence) fields.push(text('dc:rights', details.licence));
  return el(
    'oai_dc:dc',
    rootAttributes(OAI_DC_NS, OAI_DC_SCHEMA, { 'xmlns:oai_dc': OAI_DC_NS, 'xmlns:dc': DC_NS }),
    fields.join(''),
  );
}
