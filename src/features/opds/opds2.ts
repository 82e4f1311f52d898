/** OPDS 2.0: the catalogue as JSON (validated in tests against the OPDS 2 JSON Schemas). */
import type { Feed, NavItem, Publication } from './catalog.js';
import { ATOM_TYPE, Linker, OPDS1_ROOT, OPDS2_ROOT, OPDS2_TYPE, OPEN_ACCESS } from './links.js';

interface Link {
  href: string;
  type?: string;
  rel?: string;
  title?: string;
  templated?: boolean;
  size?: number;
  language?: string;
  properties?: { numberOfItems: number };
}

export function opds2Feed(
  feed: Feed,
  options: { base: string; lang: string; explicitLang: boolean; siteName: string },
): Record<string, unknown> {
  const lang = options.explicitLang ? options.lang : undefined;
  const links = new Linker(options.base, OPDS2_ROOT, lang);
  const atom = new Linker(options.base, OPDS1_ROOT, lang);
  const page = feed.paging?.page ?? 1;
  const metadata: Record<string, unknown> = { title: feed.title, modified: feed.updated };
  const feedLinks: Link[] = [
    { rel: 'self', href: links.feed(feed.path, feed.params, page), type: OPDS2_TYPE },
    { rel: 'start', href: links.feed(''), type: OPDS2_TYPE },
    {
      rel: 'search',
      href: `${links.feed('/search')}{?q}`,
      type: OPDS2_TYPE,
      templated: true,
    },
    {
      rel: 'alternate',
      href: atom.feed(feed.path, feed.params, page),
      type: ATOM_TYPE[feed.kind],
    },
  ];
  if (lang) {
    // The template must keep the feed language: "…/search?lang=fa{&q}".
    feedLinks[2]!.href = `${links.feed('/search')}{&q}`;
  }
  if (feed.paging) {
    const { pages, total, perPage } = feed.paging;
    Object.assign(metadata, { numberOfItems: total, itemsPerPage: perPage, currentPage: page });
    const at = (n: number) => links.feed(feed.path, feed.params, n);
    feedLinks.push({ rel: 'first', href: at(1), type: OPDS2_TYPE });
    feedLinks.push({ rel: 'last', href: at(pages), type: OPDS2_TYPE });
    if (page > 1) feedLinks.push({ rel: 'previous', href: at(page - 1), type: OPDS2_TYPE });
    if (page < pages) feedLinks.push({ rel: 'next', href: at(page + 1), type: OPDS2_TYPE });
  }
  const out: Record<string, unknown> = { metadata, links: feedLinks };
  let navigation = feed.navigation.map((n) => navigationLink(n, links));
  if (feed.publications.length > 0) {
    out.publications = feed.publications.map((p) => publication(p, links));
  } else if (navigation.length === 0) {
    // OPDS 2 has no empty collections: a feed with nothing in it points back to the start.
    navigation = [
      { href: links.feed(''), title: options.siteName, type: OPDS2_TYPE, rel: 'start' },
    ];
  }
  if (navigation.length > 0) out.navigation = navigation;
  if (feed.groups && feed.groups.length > 0) {
    out.groups = feed.groups.map((g) => ({
      metadata: { title: g.title },
      links: [{ rel: 'self', href: links.feed(g.path), type: OPDS2_TYPE }],
      publications: g.publications.map((p) => publication(p, links)),
    }));
  }
  return out;
}

function navigationLink(item: NavItem, links: Linker): Link {
  return {
    href: links.feed(item.path),
    title: item.title,
    type: OPDS2_TYPE,
    rel: item.rel,
    ...(item.count !== undefined ? { properties: { numberOfItems: item.count } } : {}),
  };
}

function publication(p: Publication, links: Linker): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    identifier: `urn:uuid:${p.id}`,
    title: p.title,
    language: p.language,
    modified: p.updated,
    subject: [
      { name: p.typeLabel, code: p.type, scheme: links.feed('/types') },
      ...p.topics.map((x) => ({ name: x.label, code: x.slug, scheme: links.feed('/topics') })),
    ],
  };
  if (p.published) metadata.published = p.published;
  if (p.summary) metadata.description = p.summary;
  if (p.publisher) metadata.publisher = p.publisher;
  const acquisitions: Link[] = p.files.map((f) => ({
    rel: OPEN_ACCESS,
    href: links.site(f.href),
    type: f.type,
    title: f.title,
    // The schema wants a positive size: an empty file gets none rather than an invalid one.
    ...(f.size > 0 ? { size: f.size } : {}),
    ...(f.language ? { language: f.language } : {}),
  }));
  if (p.readHref)
    acquisitions.push({ rel: OPEN_ACCESS, href: links.site(p.readHref), type: 'text/html' });
  const out: Record<string, unknown> = {
    metadata,
    links: [
      { rel: 'alternate', href: links.site(p.pageHref), type: 'text/html', title: p.title },
      ...acquisitions,
    ],
  };
  if (p.images.length > 0) {
    out.images = p.images.map((i) => ({ href: links.site(i.href), type: i.type }));
  }
  return out;
}
