/** OPDS 1.2: the catalogue as Atom feeds (validated in tests with opds-1.2-fixed.rnc). */
import type { Feed, NavItem, Publication } from './catalog.js';
import {
  ATOM_TYPE,
  OPDS2_TYPE,
  OPEN_ACCESS,
  OPENSEARCH_TYPE,
  OPDS1_ROOT,
  OPDS2_ROOT,
  Linker,
} from './links.js';
import { parent, text, XML_DECLARATION } from './xml.js';

const NAMESPACES = {
  xmlns: 'http://www.w3.org/2005/Atom',
  'xmlns:dc': 'http://purl.org/dc/terms/',
  'xmlns:opds': 'http://opds-spec.org/2010/catalog',
  'xmlns:opensearch': 'http://a9.com/-/spec/opensearch/1.1/',
  'xmlns:thr': 'http://purl.org/syndication/thread/1.0',
};

const link = (
  rel: string,
  href: string,
  type: string,
  extra: Record<string, string | number | undefined> = {},
) => text('link', { rel, href, type, ...extra }, undefined);

export function atomFeed(
  feed: Feed,
  options: { base: string; lang: string; explicitLang: boolean; siteName: string },
): string {
  const links = new Linker(
    options.base,
    OPDS1_ROOT,
    options.explicitLang ? options.lang : undefined,
  );
  const json = new Linker(
    options.base,
    OPDS2_ROOT,
    options.explicitLang ? options.lang : undefined,
  );
  const type = ATOM_TYPE[feed.kind];
  const page = feed.paging?.page ?? 1;
  const children = [
    text('id', {}, links.feed(feed.path, feed.params)),
    text('title', { 'xml:lang': feed.titleLang }, feed.title),
    text('updated', {}, feed.updated),
    parent('author', {}, [text('name', {}, options.siteName), text('uri', {}, `${options.base}/`)]),
    link('self', links.feed(feed.path, feed.params, page), type),
    link('start', links.feed(''), ATOM_TYPE.navigation),
    ...(feed.path === '' ? [] : [link('up', links.feed(''), ATOM_TYPE.navigation)]),
    link('search', links.feed('/search.xml'), OPENSEARCH_TYPE),
    link('alternate', json.feed(feed.path, feed.params, page), OPDS2_TYPE),
  ];
  if (feed.paging) {
    const { pages, total, perPage } = feed.paging;
    const at = (n: number) => links.feed(feed.path, feed.params, n);
    children.push(
      text('opensearch:totalResults', {}, String(total)),
      text('opensearch:itemsPerPage', {}, String(perPage)),
      text('opensearch:startIndex', {}, String((page - 1) * perPage + 1)),
      link('first', at(1), type),
      link('last', at(pages), type),
    );
    if (page > 1) children.push(link('previous', at(page - 1), type));
    if (page < pages) children.push(link('next', at(page + 1), type));
  }
  for (const item of feed.navigation) children.push(navigationEntry(item, links));
  for (const publication of feed.publications) children.push(publicationEntry(publication, links));
  return (
    XML_DECLARATION + parent('feed', { ...NAMESPACES, 'xml:lang': options.lang }, children) + '\n'
  );
}

function navigationEntry(item: NavItem, links: Linker): string {
  const href = links.feed(item.path);
  return parent('entry', {}, [
    text('title', { 'xml:lang': item.titleLang }, item.title),
    text('id', {}, href),
    text('updated', {}, item.updated),
    text('content', { type: 'text' }, item.summary),
    link(item.rel, href, ATOM_TYPE[item.kind], { 'thr:count': item.count }),
  ]);
}

function publicationEntry(p: Publication, links: Linker): string {
  const children = [
    text('title', { 'xml:lang': p.language }, p.title),
    text('id', {}, `urn:uuid:${p.id}`),
    text('updated', {}, p.updated),
  ];
  if (p.published) children.push(text('published', {}, p.published));
  if (p.publisher) {
    children.push(parent('author', {}, [text('name', {}, p.publisher)]));
    children.push(text('dc:publisher', {}, p.publisher));
  }
  children.push(text('dc:language', {}, p.language));
  if (p.year !== null) children.push(text('dc:issued', {}, String(p.year)));
  if (p.licence) children.push(text('rights', {}, p.licence));
  if (p.summary)
    children.push(text('summary', { type: 'text', 'xml:lang': p.language }, p.summary));
  children.push(
    text('category', { scheme: links.feed('/types'), term: p.type, label: p.typeLabel }, undefined),
  );
  for (const topic of p.topics) {
    children.push(
      text(
        'category',
        { scheme: links.feed('/topics'), term: topic.slug, label: topic.label },
        undefined,
      ),
    );
  }
  children.push(link('alternate', links.site(p.pageHref), 'text/html', { title: p.title }));
  for (const file of p.files) {
    children.push(
      link(OPEN_ACCESS, links.site(file.href), file.type, {
        length: file.size,
        title: file.title,
        hreflang: file.language,
      }),
    );
  }
  // An HTML edition is read on the site: its pages are its open-access form.
  if (p.readHref) children.push(link(OPEN_ACCESS, links.site(p.readHref), 'text/html'));
  for (const image of p.images) {
    children.push(link('http://opds-spec.org/image', links.site(image.href), image.type));
    children.push(link('http://opds-spec.org/image/thumbnail', links.site(image.href), image.type));
  }
  return parent('entry', {}, children);
}
