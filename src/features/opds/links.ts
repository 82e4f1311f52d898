import type { FeedKind } from './catalog.js';

export const OPDS1_ROOT = '/opds';
export const OPDS2_ROOT = '/opds/v2';

export const ATOM_TYPE: Record<FeedKind, string> = {
  navigation: 'application/atom+xml;profile=opds-catalog;kind=navigation',
  acquisition: 'application/atom+xml;profile=opds-catalog;kind=acquisition',
};
export const OPDS2_TYPE = 'application/opds+json';
export const OPENSEARCH_TYPE = 'application/opensearchdescription+xml';
export const OPEN_ACCESS = 'http://opds-spec.org/acquisition/open-access';

/** Builds absolute addresses of one encoding's feeds, keeping the feed language if one was asked. */
export class Linker {
  constructor(
    readonly base: string,
    readonly root: string,
    private readonly lang: string | undefined,
  ) {}

  feed(path: string, params: Record<string, string> = {}, page = 1): string {
    const query = new URLSearchParams(params);
    if (this.lang) query.set('lang', this.lang);
    if (page > 1) query.set('page', String(page));
    const text = query.toString();
    return `${this.base}${this.root}${path}${text ? `?${text}` : ''}`;
  }

  /** An address on the site (an edition's page, a download). */
  site(path: string): string {
    return `${this.base}${path}`;
  }
}
