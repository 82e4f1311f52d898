/**
 * robots.txt: the public library is open to crawlers; signed-in pages, forms, uploads,
 * participants' pages, searches and rendered-on-demand PDFs are not (RFC 9309 `*` and `$`).
 */
export const ROBOTS_DISALLOW = [
  '/*/workspace',
  '/login',
  '/*/login',
  '/*/logout',
  '/tus/',
  '/*/participant',
  '/*/survey',
  '/*/events/*/register',
  '/*/certificates/',
  '/*/search',
  '/set-language',
  '/*/pdf$',
  '/*/print$',
  '/*?*invite=',
] as const;

export function robotsTxt(base: string): string {
  return [
    'User-agent: *',
    'Allow: /',
    ...ROBOTS_DISALLOW.map((path) => `Disallow: ${path}`),
    '',
    `Sitemap: ${base}/sitemap.xml`,
    '',
  ].join('\n');
}
