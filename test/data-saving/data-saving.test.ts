import { assetUrl } from '../../src/features/assets/manifest.js';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { derivedJobHandlers } from '../../src/features/derived/handlers.js';
import { bumpContentVersion } from '../../src/platform/db/content-version.js';
import { buildTestApp, get, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { elements, type Element } from '../helpers/markup.js';

/**
 * Data saving on the corpus library: sizes and estimated times before every download, light
 * versions first, subtitles as files, lazy thumbnails with their box, the text-only reading mode,
 * and the data-saver cookie (which must never leak through the page cache).
 */

const UDHR = 'universal-declaration-of-human-rights';
const LATEX = 'not-so-short-introduction-to-latex';
const VIDEO = 'popeye-clip';

const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;
const text = (el: Element): string =>
  el.childNodes
    .map((c) => ('value' in c ? (c as { value: string }).value : text(c as Element)))
    .join('');

async function page(t: TestApp, path: string, headers: Record<string, string> = {}) {
  const response = await get(t.baseUrl, path, headers);
  return { response, body: await response.text() };
}

/** The download links of a page, in order, with the text of their list item. */
function downloads(html: string) {
  return elements(html)
    .filter((e) => e.tagName === 'a' && attr(e, 'href')?.startsWith('/download/'))
    .map((a) => ({ href: attr(a, 'href')!, text: text(a) }));
}

for (const dialect of dialects()) {
  describe(`data saving (${dialect})`, () => {
    let t: TestApp;
    let videoEditionId: string;

    before(async () => {
      t = await buildTestApp(dialect, { env: { PAGE_CACHE_SECONDS: '60' } });
      const db = t.database.db;
      // Thumbnails of the English LaTeX manual and of the video, by the real job.
      const handlers = derivedJobHandlers(t.database, t.blobs);
      const jobs = await db
        .selectFrom('jobs as j')
        .innerJoin('edition_files as f', 'f.id', 'j.file_id')
        .where('j.kind', '=', 'thumbnail')
        .where('f.filename', 'in', ['lshort-en.pdf', 'popeye-clip1.mp4'])
        .selectAll('j')
        .execute();
      assert.equal(jobs.length, 2);
      for (const job of jobs) await handlers.thumbnail(job);
      // A low-bitrate and a sound-only version of the video, as the video jobs would add.
      const video = await db
        .selectFrom('edition_files')
        .select(['edition_id'])
        .where('filename', '=', 'popeye-clip1.mp4')
        .executeTakeFirstOrThrow();
      videoEditionId = video.edition_id;
      const now = new Date().toISOString();
      for (const [role, size, type, name] of [
        ['low', 120_000, 'video/mp4', 'popeye-clip1-240p.mp4'],
        ['audio', 40_000, 'audio/ogg', 'popeye-clip1.ogg'],
      ] as const) {
        const sha256 = randomUUID().replace(/-/g, '').padEnd(64, '0');
        await db
          .insertInto('blobs')
          .values({ sha256, size, media_type: type, created_at: now })
          .execute();
        await db
          .insertInto('edition_files')
          .values({
            id: randomUUID(),
            edition_id: videoEditionId,
            blob_sha256: sha256,
            filename: name,
            role,
            language: null,
            position: 99,
            created_at: now,
          })
          .execute();
      }
      await bumpContentVersion(db);
    });
    after(() => t.close());

    it('shows size and an estimated time on 2G and 3G before every download', async () => {
      const { body } = await page(t, `/en/works/${LATEX}/en`);
      assert.match(body, /Download PDF · 642 kB/);
      // 642 kB: about 51 s at 100 kbit/s, 5 s at 1 Mbit/s.
      assert.match(body, /about 50 seconds on 2G, 6 seconds on 3G/);
      assert.match(body, /100 kbit\/s on 2G and 1 Mbit\/s on 3G/);
      const items = elements(body).filter(
        (e) =>
          e.tagName === 'li' &&
          e.childNodes.some(
            (c) =>
              'tagName' in c && c.tagName === 'a' && attr(c as Element, 'download') !== undefined,
          ),
      );
      assert.ok(items.length >= 2);
      for (const li of items) assert.match(text(li), /kB|MB/);
      for (const li of items) assert.match(text(li), /on 2G, .* on 3G/);
      const fa = await page(t, `/fa/works/${LATEX}/fa`);
      assert.match(fa.body, /با 2G/);
      assert.match(fa.body, /[\u06F0-\u06F9]+ ثانیه/, 'durations in Persian digits');
    });

    it('lists the low-bitrate and sound-only versions of a video first, then subtitles as files', async () => {
      const { body } = await page(t, `/en/works/${VIDEO}/en`);
      const links = downloads(body);
      // The main button offers the smallest video; the list starts with low, then audio.
      const list = links.slice(1);
      assert.match(links[0]!.href, /240p\.mp4$/);
      assert.match(list[0]!.href, /240p\.mp4$/);
      assert.match(list[1]!.href, /\.ogg$/);
      assert.ok(list.slice(2).every((l) => !/240p|\.ogg/.test(l.href)));
      assert.match(body, /<h3>Subtitles and transcripts<\/h3>/);
      const after = body.slice(body.indexOf('Subtitles and transcripts'));
      assert.match(after, /href="\/download\/[0-9a-f-]{36}\/[^"]+\.(vtt|srt)"/);
      assert.match(after, /WebVTT|SRT/);
      assert.match(after, /\d+ (B|byte|kB)/);
      // The watch page plays the light version first.
      const watch = await page(t, `/en/works/${VIDEO}/en/watch`);
      const sources = elements(watch.body).filter((e) => e.tagName === 'source');
      assert.match(attr(sources[0]!, 'src')!, /240p\.mp4$/);
    });

    it('shows thumbnails lazily, in a box of known size, on the work page and in lists', async () => {
      const work = await page(t, `/en/works/${LATEX}/en`);
      const img = elements(work.body).filter((e) => e.tagName === 'img');
      assert.equal(img.length, 1);
      assert.equal(attr(img[0]!, 'loading'), 'lazy');
      assert.equal(attr(img[0]!, 'width'), '160');
      assert.equal(attr(img[0]!, 'height'), '160');
      assert.equal(attr(img[0]!, 'alt'), '');
      const src = attr(img[0]!, 'src')!;
      assert.match(src, /^\/thumbnails\/[0-9a-f-]{36}\.png$/);
      const thumb = await get(t.baseUrl, src);
      assert.equal(thumb.status, 200);
      assert.equal(thumb.headers.get('content-type'), 'image/png');
      const png = Buffer.from(await thumb.arrayBuffer());
      assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
      // The bytes and the media type the thumbnail job stored.
      const fileId = /^\/thumbnails\/([0-9a-f-]{36})\.png$/.exec(src)![1]!;
      const stored = await t.database.db
        .selectFrom('file_thumbnails as th')
        .innerJoin('blobs as b', 'b.sha256', 'th.blob_sha256')
        .where('th.file_id', '=', fileId)
        .select(['b.sha256', 'b.media_type'])
        .executeTakeFirstOrThrow();
      assert.equal(stored.media_type, 'image/png');
      assert.ok(png.equals(await fs.promises.readFile(t.blobs.pathOf(stored.sha256))));
      assert.equal(thumb.headers.get('etag'), `"${stored.sha256}"`);
      // OPDS readers and partners' sites use the same address, from other origins.
      assert.equal(thumb.headers.get('access-control-allow-origin'), '*');
      assert.equal(thumb.headers.get('cross-origin-resource-policy'), 'cross-origin');
      assert.equal((await get(t.baseUrl, '/thumbnails/not-an-id.png')).status, 404);
      assert.equal((await get(t.baseUrl, `/thumbnails/${randomUUID()}.png`)).status, 404);

      const list = await page(t, '/en/library?type=manual');
      const listed = elements(list.body).filter((e) => e.tagName === 'img');
      assert.ok(listed.length >= 1);
      for (const i of listed) {
        assert.equal(attr(i, 'loading'), 'lazy');
        assert.equal(attr(i, 'width'), '64');
        assert.equal(attr(i, 'height'), '64');
      }
    });

    it('serves a thumbnail only while its edition and its work are published', async () => {
      const db = t.database.db;
      const row = await db
        .selectFrom('file_thumbnails as th')
        .innerJoin('edition_files as f', 'f.id', 'th.file_id')
        .innerJoin('editions as e', 'e.id', 'f.edition_id')
        .innerJoin('works as w', 'w.id', 'e.work_id')
        .where('f.filename', '=', 'popeye-clip1.mp4')
        .select(['th.file_id', 'e.id as edition_id', 'w.id as work_id', 'w.published_at'])
        .executeTakeFirstOrThrow();
      const status = async () => (await get(t.baseUrl, `/thumbnails/${row.file_id}.png`)).status;
      const publication = (edition: 'draft' | 'published', workPublishedAt: string | null) =>
        Promise.all([
          db
            .updateTable('editions')
            .set({ status: edition })
            .where('id', '=', row.edition_id)
            .execute(),
          db
            .updateTable('works')
            .set({ published_at: workPublishedAt })
            .where('id', '=', row.work_id)
            .execute(),
        ]);
      assert.equal(await status(), 200);
      try {
        await publication('draft', row.published_at);
        assert.equal(await status(), 404, 'draft edition');
        await publication('published', null);
        assert.equal(await status(), 404, 'unpublished work');
      } finally {
        await publication('published', row.published_at);
      }
      assert.equal(await status(), 200);
    });

    it('has a text-only reading mode without images or stylesheet', async () => {
      const read = await page(t, `/en/works/${UDHR}/en/read`);
      assert.match(read.body, /href="\/en\/works\/[^"]+\/en\/read\?text=1"/);
      const text1 = await page(t, `/en/works/${UDHR}/en/read?text=1`);
      assert.equal(text1.response.status, 200);
      assert.match(text1.body, /All human beings are born free and equal/);
      const els = elements(text1.body);
      assert.equal(
        els.filter((e) => ['img', 'style', 'script', 'picture'].includes(e.tagName)).length,
        0,
      );
      assert.equal(
        els.filter((e) => e.tagName === 'link' && attr(e, 'rel') === 'stylesheet').length,
        0,
      );
      assert.ok(text1.body.length < read.body.length, 'smaller than the full page');
      assert.match(text1.body, /<html lang="en" dir="ltr">/);
      assert.match(text1.body, /rel="next"[^>]*>|href="[^"]*page=2&amp;text=1"/);
      const page2 = await page(t, `/en/works/${UDHR}/en/read?page=2&text=1`);
      assert.equal(page2.response.status, 200);
      const ar = await page(t, `/ar/works/${UDHR}/ar/read?text=1`);
      assert.match(ar.body, /<html lang="ar" dir="rtl">/);
      assert.match(ar.body, /<article lang="ar" dir="rtl">/);
      assert.equal((await get(t.baseUrl, `/en/works/${UDHR}/en/read?text=2`)).status, 400);
    });

    it('remembers the data saver in a cookie set by a same-origin form', async () => {
      const cross = await fetch(`${t.baseUrl}/en/data-saver`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'cross-site',
        },
        body: 'saver=on&next=/en/library',
      });
      assert.equal(cross.status, 403);
      assert.equal(cross.headers.get('set-cookie'), null);
      const bad = await fetch(`${t.baseUrl}/en/data-saver`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'saver=maybe',
      });
      assert.equal(bad.status, 400);
      const on = await fetch(`${t.baseUrl}/en/data-saver`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
        },
        body: `saver=on&next=${encodeURIComponent(`/en/works/${LATEX}/en`)}`,
      });
      assert.equal(on.status, 303);
      assert.equal(on.headers.get('location'), `/en/works/${LATEX}/en`);
      const cookie = on.headers.get('set-cookie') ?? '';
      assert.match(cookie, /^lc_saver=1;/);
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Lax/i);
      // Never an open redirect.
      const away = await fetch(`${t.baseUrl}/en/data-saver`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'saver=on&next=//evil.example/',
      });
      assert.equal(away.headers.get('location'), '/en/data-saver');
      const off = await fetch(`${t.baseUrl}/en/data-saver`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'lc_saver=1' },
        body: 'saver=off&next=/en/library',
      });
      assert.match(off.headers.get('set-cookie') ?? '', /^lc_saver=;/);
    });

    it('with the saver on: no images, smallest files first; the cache never mixes the two', async () => {
      const saverHeaders = { cookie: 'lc_saver=1' };
      // Saver first, so that a cache keyed by URL alone would hand it to the next reader.
      const saver = await page(t, `/en/works/${VIDEO}/en`, saverHeaders);
      assert.equal(saver.response.status, 200);
      assert.equal(elements(saver.body).filter((e) => e.tagName === 'img').length, 0);
      assert.match(saver.body, /Data saver is on/);
      const order = downloads(saver.body).slice(1);
      assert.match(order[0]!.href, /\.ogg$/, 'sound only (40 kB) before the 240p video');
      assert.match(order[1]!.href, /240p\.mp4$/);
      assert.match(saver.response.headers.get('cache-control') ?? '', /^private/);
      assert.match(saver.response.headers.get('vary') ?? '', /Cookie/);

      const normal = await page(t, `/en/works/${VIDEO}/en`);
      assert.doesNotMatch(normal.body, /Data saver is on/);
      assert.match(normal.body, /<img class="thumb"/);
      assert.match(downloads(normal.body).slice(1)[0]!.href, /240p\.mp4$/);
      assert.match(normal.response.headers.get('cache-control') ?? '', /^public/);
      assert.match(normal.response.headers.get('vary') ?? '', /Cookie/);
      assert.notEqual(normal.response.headers.get('etag'), saver.response.headers.get('etag'));
      // An If-None-Match of the saver copy does not get a 304 for the normal page.
      const revalidate = await get(t.baseUrl, `/en/works/${VIDEO}/en`, {
        'if-none-match': saver.response.headers.get('etag')!,
      });
      assert.equal(revalidate.status, 200);

      // Lists lose their thumbnails too, and reading goes text-only.
      const list = await page(t, '/en/library?type=manual', saverHeaders);
      assert.equal(elements(list.body).filter((e) => e.tagName === 'img').length, 0);
      const latex = await page(t, `/en/works/${UDHR}/en`, saverHeaders);
      assert.match(latex.body, /\/read\?text=1"/);
      const again = await page(t, '/en/library?type=manual');
      assert.ok(elements(again.body).some((e) => e.tagName === 'img'));
    });

    it('serves the offline shelf page and explains it needs JavaScript', async () => {
      const shelf = await page(t, '/fa/offline');
      assert.equal(shelf.response.status, 200);
      assert.match(shelf.body, /<html lang="fa" dir="rtl">/);
      assert.match(shelf.body, /JavaScript/);
      assert.ok(shelf.body.includes(`<script src="${assetUrl('offline.js')}" defer`));
      const work = await page(t, `/en/works/${LATEX}/en`);
      assert.match(work.body, /<section id="offline-save" hidden/);
      const library = await page(t, '/en/library');
      assert.doesNotMatch(
        library.body,
        /offline\.[0-9a-f]*\.?js/,
        'no script where it is not needed',
      );
    });
  });
}
