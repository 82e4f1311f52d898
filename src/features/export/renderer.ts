import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { BlobStore } from '../../platform/storage/blob-store.js';
import { findPublicFile } from '../downloads/repository.js';
import { rewritePage, pageLinks } from './rewrite.js';
import { classify, downloadFile, relativeHref, type ExportScope, type Target } from './urls.js';

export interface ExportProgress {
  done: number;
  total: number;
  label: string;
}

export interface StaticExportResult {
  pages: number;
  files: number;
  /** Bytes written: pages plus files. */
  bytes: number;
  /** The welcome page, relative to the folder. */
  welcome: string;
}

/** The host name pages are requested under: absolute links to it are links inside the site. */
const EXPORT_ORIGIN = 'http://export.invalid';

/** Small files the pages refer to (icons, stylesheets, images), fetched from the app as they are. */
const RESOURCE =
  /^\/(?:[A-Za-z0-9_-]+\/)*[A-Za-z0-9_.-]+\.(?:svg|ico|png|jpe?g|webp|gif|avif|css|vtt)$/;

/**
 * Writes the public library as static pages and files into `outDir` (which must exist and be
 * empty). Pages are rendered by the app itself (`app.inject`), so they are exactly what the site
 * serves; every link is then rewritten to a relative file path, and what the export does not hold
 * (search, sign-in, forms, filtered-out languages) becomes plain text.
 */
export async function writeStaticSite(options: {
  app: FastifyInstance;
  db: Kysely<DB>;
  blobs: BlobStore;
  scope: ExportScope;
  outDir: string;
  /** The site's public address, if set: absolute links to it count as internal. */
  publicUrl?: string | undefined;
  onProgress?: (p: ExportProgress) => void;
}): Promise<StaticExportResult> {
  const { app, db, blobs, scope, outDir } = options;
  const origins = new Set([EXPORT_ORIGIN]);
  if (options.publicUrl) {
    try {
      origins.add(new URL(options.publicUrl).origin);
    } catch {
      // An unusable PUBLIC_URL is the configuration's business; links to it stay external.
    }
  }
  const isOwnSite = (href: string) => {
    try {
      return origins.has(new URL(href).origin);
    } catch {
      return false;
    }
  };
  /** A link as a site-relative address (path, query and fragment), or undefined if external. */
  const siteAddress = (href: string, base: string): string | undefined => {
    let url: URL;
    try {
      url = new URL(href, EXPORT_ORIGIN + base);
    } catch {
      return undefined;
    }
    if (!origins.has(url.origin)) return undefined;
    return url.pathname + url.search + url.hash;
  };

  const pages = new Map<string, { file: string; html: string }>();
  const missing = new Set<string>();
  const queue: Extract<Target, { kind: 'page' }>[] = [];
  const queued = new Set<string>();
  const downloads = new Map<string, string | undefined>(); // file id -> exported path
  const resources = new Map<string, string | undefined>(); // site path -> exported path
  let bytes = 0;
  let done = 0;

  const enqueue = (target: Target | undefined) => {
    if (!target) return;
    if (target.kind === 'download') {
      if (!downloads.has(target.id)) downloads.set(target.id, undefined);
      return;
    }
    if (queued.has(target.url)) return;
    queued.add(target.url);
    queue.push(target);
  };

  const seeds = scope.uiLanguages.flatMap((lang) => [
    `/${lang}/`,
    `/${lang}/library`,
    `/${lang}/languages`,
    ...[...scope.collections].map((c) => `/${lang}/collections/${c}`),
    ...[...scope.topics].map((t) => `/${lang}/topics/${t}`),
    ...[...scope.works.values()].flatMap((w) =>
      w.editions.map((e) => `/${lang}/works/${w.slug}/${e}`),
    ),
    `/${lang}/events`,
    `/${lang}/curricula`,
  ]);
  for (const seed of seeds) enqueue(classify(seed, scope));

  const report = (label: string) =>
    options.onProgress?.({ done, total: queue.length + downloads.size, label });

  // 1. Render every reachable page of the export.
  for (let i = 0; i < queue.length; i++) {
    const target = queue[i]!;
    const response = await app.inject({
      method: 'GET',
      url: target.url,
      headers: { host: 'export.invalid', 'accept-language': 'en' },
    });
    done++;
    if (
      response.statusCode !== 200 ||
      !String(response.headers['content-type'] ?? '').startsWith('text/html')
    ) {
      missing.add(target.url);
      continue;
    }
    const html = response.body;
    pages.set(target.url, { file: target.file, html });
    for (const link of pageLinks(html)) {
      const address = siteAddress(link, target.url);
      if (!address) continue;
      const found = classify(address, scope);
      if (found) enqueue(found);
      else {
        const pathname = address.replace(/[?#].*$/, '');
        if (RESOURCE.test(pathname) && !resources.has(pathname)) resources.set(pathname, undefined);
      }
    }
    if (done % 25 === 0) report(target.url);
  }

  // 2. Files: downloads of exported editions, copied from the blob store under their names.
  for (const id of downloads.keys()) {
    const file = await findPublicFile(db, id);
    done++;
    if (!file || !scope.editionIds.has(file.edition_id)) continue;
    const relative = downloadFile(id, file.filename);
    const target = path.join(outDir, relative);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    try {
      const local = blobs.localPath(file.sha256);
      if (local) await fs.promises.copyFile(local, target);
      else await pipeline(await blobs.read(file.sha256), fs.createWriteStream(target));
    } catch (error) {
      await fs.promises.rm(target, { force: true });
      // A blob missing from storage: the link becomes text, as on the site.
      if (!(await blobs.has(file.sha256))) continue;
      throw error;
    }
    bytes += file.size;
    downloads.set(id, relative);
    report(file.filename);
  }
  for (const pathname of resources.keys()) {
    const response = await app.inject({
      method: 'GET',
      url: pathname,
      headers: { host: 'export.invalid' },
    });
    const type = String(response.headers['content-type'] ?? '');
    if (response.statusCode !== 200 || type.startsWith('text/html')) continue;
    const relative = pathname.slice(1);
    const target = path.join(outDir, relative);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.writeFile(target, response.rawPayload);
    bytes += response.rawPayload.length;
    resources.set(pathname, relative);
  }

  // 3. Pages, with every link made relative to the page's own file.
  const fileOf = (address: string): string | undefined => {
    const target = classify(address, scope);
    if (target?.kind === 'page') return pages.get(target.url)?.file;
    if (target?.kind === 'download') return downloads.get(target.id);
    return resources.get(address.replace(/[?#].*$/, ''));
  };
  const write = async (file: string, html: string, base: string) => {
    const rewritten = rewritePage(
      html,
      (href) => {
        const address = siteAddress(href, base);
        if (!address) return undefined;
        const hash = /#.*$/.exec(address)?.[0] ?? '';
        const to = fileOf(address.replace(/#.*$/, ''));
        if (to === undefined) return undefined;
        // A link to the page itself with a fragment stays a fragment.
        if (to === file && hash) return hash;
        return relativeHref(file, to, hash);
      },
      isOwnSite,
    );
    const target = path.join(outDir, file);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.writeFile(target, rewritten);
    bytes += Buffer.byteLength(rewritten);
  };
  let written = 0;
  for (const [url, page] of pages) {
    await write(page.file, page.html, url);
    if (++written % 100 === 0)
      options.onProgress?.({ done: written, total: pages.size, label: 'writing pages' });
  }

  // 4. The welcome page: the home (or the collection) in the first interface language.
  const home = classify(`/${scope.uiLanguages[0]}/`, scope);
  const welcomePage = home?.kind === 'page' ? pages.get(home.url) : undefined;
  if (!welcomePage || !home) throw new Error('The home page of the export could not be rendered.');
  await write('index.html', welcomePage.html, home.url);

  return {
    pages: pages.size + 1,
    files: [...downloads.values()].filter(Boolean).length,
    bytes,
    welcome: 'index.html',
  };
}
