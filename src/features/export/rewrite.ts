import { decodeHTML } from 'entities';

/**
 * Rewrites a page rendered by the app for a folder read from file:// or a ZIM file. The app's
 * markup comes from preact-render-to-string (double-quoted attributes, escaped values), and
 * edition HTML went through the sanitiser, so attributes are matched by pattern here.
 *
 * `resolve` turns a site address into a relative path, or undefined when the export does not
 * hold it: such links become plain text, such resources are dropped.
 */
export type Resolve = (href: string) => string | undefined;

const ATTRIBUTE = /(\s)(href|src|poster|srcset)="([^"]*)"/g;

/** Every address a page refers to (links, images, media, icons), decoded, for the crawler. */
export function pageLinks(html: string): string[] {
  const found: string[] = [];
  for (const match of stripUnexported(html).matchAll(ATTRIBUTE)) {
    const value = decodeHTML(match[3]!);
    if (match[2] === 'srcset') {
      for (const candidate of value.split(',')) {
        const url = candidate.trim().split(/\s+/)[0];
        if (url) found.push(url);
      }
    } else {
      found.push(value);
    }
  }
  return found;
}

/** Scripts, forms (search, sign-in, sign-up) and metadata links have no place offline. */
function stripUnexported(html: string): string {
  return html
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
    .replace(/<noscript\b[^>]*>([\s\S]*?)<\/noscript>/gi, '$1')
    .replace(/<form\b[^>]*>[\s\S]*?<\/form>/gi, '')
    .replace(
      /<link\b[^>]*\brel="(?:alternate|canonical|manifest|search|preload|prefetch)"[^>]*>/gi,
      '',
    )
    .replace(/<meta\b[^>]*http-equiv="refresh"[^>]*>/gi, '');
}

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** `true` for links that stay as they are: fragments, mail, other sites. */
function isExternal(href: string): boolean {
  return /^(#|mailto:|tel:)/i.test(href) || /^[a-z][a-z0-9+.-]*:/i.test(href);
}

export function rewritePage(html: string, resolve: Resolve, isOwnSite: (href: string) => boolean) {
  const local = (raw: string): string | undefined | null => {
    const href = decodeHTML(raw);
    if (href === '' || href.startsWith('#')) return null; // unchanged
    if (isExternal(href) && !isOwnSite(href)) return null;
    return resolve(href);
  };

  let out = stripUnexported(html);
  // Links: rewritten, or unwrapped into their text.
  out = out.replace(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi, (whole, attributes: string, inner: string) => {
    const match = /\shref="([^"]*)"/.exec(attributes);
    if (!match) return whole;
    const target = local(match[1]!);
    if (target === null) return whole;
    if (target === undefined) {
      const kept = /\s(class|lang|dir)="[^"]*"/g;
      return `<span${[...attributes.matchAll(kept)].map((m) => m[0]).join('')}>${inner}</span>`;
    }
    const rest = attributes
      .replace(/\shref="[^"]*"/, '')
      .replace(/\s(download|target|rel|ping)(="[^"]*")?/g, '');
    return `<a href="${escapeAttribute(target)}"${rest}>${inner}</a>`;
  });
  // Everything else that refers to a file: images, media, subtitles, icons.
  out = out.replace(
    /<(img|source|track|video|audio|link|image|iframe|embed|object|input)\b([^>]*)>/gi,
    (whole, tag: string, attributes: string) => {
      let dropped = false;
      const rewritten = attributes.replace(
        ATTRIBUTE,
        (attribute, space: string, name: string, raw: string) => {
          if (name === 'srcset') {
            const candidates = decodeHTML(raw)
              .split(',')
              .map((c) => c.trim())
              .filter(Boolean)
              .flatMap((candidate) => {
                const [url = '', ...descriptor] = candidate.split(/\s+/);
                const target = local(url);
                if (target === undefined) return [];
                return [[target ?? url, ...descriptor].join(' ')];
              });
            return candidates.length
              ? `${space}srcset="${escapeAttribute(candidates.join(', '))}"`
              : '';
          }
          const target = local(raw);
          if (target === null) return attribute;
          if (target === undefined) {
            dropped = true;
            return '';
          }
          return `${space}${name}="${escapeAttribute(target)}"`;
        },
      );
      // A stylesheet or icon that is not exported is left out entirely.
      if (dropped && /^(link|source|track|iframe|embed|object)$/i.test(tag)) return '';
      return `<${tag}${rewritten}>`;
    },
  );
  return out;
}
