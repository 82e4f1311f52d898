/** The OpenSearch description that tells e-readers how to search the catalogue. */
import { ATOM_TYPE, OPDS1_ROOT, OPDS2_ROOT, OPDS2_TYPE } from './links.js';
import { parent, text, XML_DECLARATION } from './xml.js';

export function openSearchDescription(options: {
  base: string;
  siteName: string;
  description: string;
  lang: string;
}): string {
  return (
    XML_DECLARATION +
    parent('OpenSearchDescription', { xmlns: 'http://a9.com/-/spec/opensearch/1.1/' }, [
      // OpenSearch limits the short name to 16 characters.
      text('ShortName', {}, [...options.siteName].slice(0, 16).join('')),
      text('Description', {}, options.description),
      text('InputEncoding', {}, 'UTF-8'),
      text('OutputEncoding', {}, 'UTF-8'),
      text('Language', {}, options.lang),
      text('Language', {}, '*'),
      text(
        'Url',
        {
          type: ATOM_TYPE.acquisition,
          template: `${options.base}${OPDS1_ROOT}/search?q={searchTerms}`,
        },
        undefined,
      ),
      text(
        'Url',
        { type: OPDS2_TYPE, template: `${options.base}${OPDS2_ROOT}/search?q={searchTerms}` },
        undefined,
      ),
    ]) +
    '\n'
  );
}
