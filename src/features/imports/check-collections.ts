/** Validation of the manifest's collections: titled, ordered lists of works. */
import type { ManifestChecker } from './manifest-checker.js';
import type { ManifestCollection } from './manifest-types.js';

const COLLECTION_KEYS = ['slug', 'titles', 'descriptions', 'works'];

/** `isWork` says whether a slug names a work of the manifest or of the library. */
export function checkCollections(
  c: ManifestChecker,
  nodes: unknown[],
  isWork: (slug: string) => boolean,
): ManifestCollection[] {
  const items: ManifestCollection[] = [];
  const slugs = new Set<string>();
  nodes.forEach((node, i) => {
    const where0 = `collections[${i}]`;
    const m = c.map(node, where0, COLLECTION_KEYS, ['slug', 'titles']);
    if (!m) return;
    const line = c.line(node);
    const slug = m.get('slug') ? c.slug(m.get('slug')!.value, `${where0}.slug`, line) : undefined;
    const where = slug ? `collection "${slug}"` : where0;
    if (slug && slugs.has(slug)) c.report(m.get('slug')!.value, `${where} is listed twice`);
    const titlesEntry = m.get('titles');
    const titles = c.given(titlesEntry)
      ? c.labels(titlesEntry.value, `${where}.titles`, 500, c.line(titlesEntry.key))
      : undefined;
    if (titles && !titles.en)
      c.report(titlesEntry!.value, `${where}.titles must include an English title (en)`);
    let descriptions: Record<string, string> | undefined = {};
    const descEntry = m.get('descriptions');
    if (c.given(descEntry)) {
      descriptions = c.labels(
        descEntry.value,
        `${where}.descriptions`,
        5000,
        c.line(descEntry.key),
      );
      for (const tag of Object.keys(descriptions ?? {})) {
        if (titles && !titles[tag]) {
          c.report(descEntry.value, `${where}.descriptions.${tag} has no title in that language`);
          descriptions = undefined;
          break;
        }
      }
    }
    const works = c.slugList(m.get('works'), `${where}.works`, 'work', isWork);
    if (slug && !slugs.has(slug) && titles?.en && descriptions) {
      items.push({ slug, titles, descriptions, works });
    }
    if (slug) slugs.add(slug);
  });
  return items;
}
