import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { formatBytes } from '../../src/platform/i18n/format.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { launchBrowser, noScriptContext, PHONE, sameOrigin } from './browser.js';

/**
 * Readers' journeys through the library with JavaScript switched off, on a 360 px phone, in
 * Arabic and Persian: everything is done by clicking links, as a reader would.
 */

const UDHR = 'universal-declaration-of-human-rights';
const LATEX = 'not-so-short-introduction-to-latex';
const PERSIAN_DIGIT = /[\u06F0-\u06F9]/;
const ASCII_DIGIT = /[0-9]/;
const ARABIC_SCRIPT = /[\u0600-\u06FF]/;
const CYRILLIC = /[\u0400-\u04FF]/;

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Clicks a link and waits until the browser has loaded the page it leads to. */
async function follow(page: Page, link: Locator, expected: (url: URL) => boolean): Promise<void> {
  await Promise.all([page.waitForURL(expected), link.click()]);
}

function path(page: Page): string {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
}

async function htmlLangDir(page: Page) {
  const html = page.locator('html');
  return { lang: await html.getAttribute('lang'), dir: await html.getAttribute('dir') };
}

async function langDir(locator: Locator) {
  return { lang: await locator.getAttribute('lang'), dir: await locator.getAttribute('dir') };
}

/** The list of links that follows a heading with this text (e.g. "also available in"). */
function listAfterHeading(page: Page, heading: string): Locator {
  return page.locator('main h2', { hasText: heading }).locator('xpath=following-sibling::ul[1]');
}

interface StoredFile {
  filename: string;
  size: number;
  sha256: string;
}

async function storedFile(t: TestApp, href: string): Promise<StoredFile> {
  const id = /^\/download\/([0-9a-f-]{36})\/[^/]+$/.exec(href)?.[1];
  assert.ok(id, `not a download link: ${href}`);
  const row = await t.database.db
    .selectFrom('edition_files as f')
    .innerJoin('blobs as b', 'b.sha256', 'f.blob_sha256')
    .select(['f.filename', 'b.size', 'b.sha256'])
    .where('f.id', '=', id)
    .executeTakeFirstOrThrow();
  return { filename: row.filename, size: Number(row.size), sha256: row.sha256 };
}

/**
 * Clicks a download link and checks what the browser saved against the file the library holds:
 * the suggested name, the byte count (database and Content-Length) and the content hash.
 */
async function downloadByClick(t: TestApp, page: Page, link: Locator, expectedName: string) {
  const href = await link.getAttribute('href');
  assert.ok(href, 'download link without href');
  assert.notEqual(
    await link.getAttribute('download'),
    null,
    `${href} lacks the download attribute`,
  );
  const stored = await storedFile(t, href);
  const head = await fetch(`${t.baseUrl}${href}`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  const contentLength = Number(head.headers.get('content-length'));

  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), expectedName);
  assert.equal(await download.failure(), null);
  const saved = await download.path();
  const bytes = fs.readFileSync(saved);
  assert.equal(bytes.length, stored.size, 'saved size differs from the stored size');
  assert.equal(bytes.length, contentLength, 'saved size differs from Content-Length');
  assert.equal(createHash('sha256').update(bytes).digest('hex'), stored.sha256);
  await download.delete();
  return stored;
}

for (const dialect of dialects()) {
  describe(`reader journeys without JavaScript (${dialect})`, () => {
    let t: TestApp;
    const contexts: BrowserContext[] = [];
    /** Every request any page made during this suite's journeys. */
    const requests: string[] = [];

    before(async () => {
      t = await buildTestApp(dialect);
    });
    after(async () => {
      for (const c of contexts) await c.close();
      await t?.close();
    });

    async function readerPage(locale: string): Promise<Page> {
      const context = await noScriptContext(browser, locale);
      contexts.push(context);
      context.on('request', (r) => requests.push(r.url()));
      const page = await context.newPage();
      // Chromium hands <a download> to its download manager: no 'request' event, so note those too.
      page.on('download', (d) => requests.push(d.url()));
      return page;
    }

    it('Arabic reader: lands in Arabic, filters, switches edition, reads and downloads', async () => {
      const page = await readerPage('ar');

      // A first visit: the browser asks for Arabic, the library answers in Arabic, right to left.
      const landing = await page.goto(`${t.baseUrl}/`);
      assert.equal(path(page), '/ar/');
      assert.equal(landing?.status(), 200);
      assert.equal(new URL(landing!.request().redirectedFrom()!.url()).pathname, '/');
      assert.deepEqual(await htmlLangDir(page), { lang: 'ar', dir: 'rtl' });

      // Header link to the library.
      await follow(
        page,
        page.locator('header.site nav').getByRole('link', { name: 'المكتبة', exact: true }),
        (u) => u.pathname === '/ar/library',
      );
      assert.equal(await page.locator('main h1').innerText(), 'المكتبة');

      // Language facet: Persian, named in Persian.
      const persian = page
        .locator('section[aria-labelledby="f-lang"]')
        .getByRole('link', { name: /^فارسی/ });
      assert.equal(await persian.getAttribute('hreflang'), 'fa');
      await follow(page, persian, (u) => u.searchParams.get('language') === 'fa');
      assert.equal(
        await page
          .locator('section[aria-labelledby="f-lang"] a[aria-current="true"]')
          .getAttribute('hreflang'),
        'fa',
      );
      assert.equal(await page.locator('main ul.items > li').count(), 2);
      assert.equal(await page.locator('main > h2').last().innerText(), 'موردان'); // Arabic dual

      // Type facet: "other resources", keeping the language filter.
      await follow(
        page,
        page
          .locator('section[aria-labelledby="f-type"]')
          .getByRole('link', { name: /^موارد أخرى/ }),
        (u) => u.searchParams.get('type') === 'other',
      );
      assert.equal(new URL(page.url()).searchParams.get('language'), 'fa');
      const results = page.locator('main ul.items > li');
      assert.equal(await results.count(), 1);
      assert.equal(await page.locator('main > h2').last().innerText(), 'مورد واحد');

      // The title is shown in the Persian edition, marked as Persian.
      const title = results.locator('a.t');
      assert.deepEqual(await langDir(title.locator('[lang]').first()), { lang: 'fa', dir: 'rtl' });
      await follow(page, title, (u) => u.pathname === `/ar/works/${UDHR}/fa`);
      assert.deepEqual(await htmlLangDir(page), { lang: 'ar', dir: 'rtl' });
      const h1 = page.locator('main h1');
      assert.deepEqual(await langDir(h1), { lang: 'fa', dir: 'rtl' });
      assert.match(await h1.innerText(), ARABIC_SCRIPT);
      assert.equal(await page.locator('[role="note"]').count(), 0);

      // Switch edition: Russian, from "also available in".
      const others = listAfterHeading(page, 'متوفر أيضًا باللغات');
      const russian = others.locator('a[hreflang="ru"]');
      assert.equal(await russian.innerText(), 'русский');
      await follow(page, russian, (u) => u.pathname === `/ar/works/${UDHR}/ru`);
      assert.deepEqual(await htmlLangDir(page), { lang: 'ar', dir: 'rtl' });
      assert.deepEqual(await langDir(h1), { lang: 'ru', dir: 'ltr' });
      assert.match(await h1.innerText(), CYRILLIC);

      // Read it online: the article is in Russian, left to right inside the Arabic page.
      await follow(
        page,
        page.getByRole('link', { name: 'اقرأ على الإنترنت' }),
        (u) => u.pathname === `/ar/works/${UDHR}/ru/read`,
      );
      const article = page.locator('main article.reading');
      assert.deepEqual(await langDir(article), { lang: 'ru', dir: 'ltr' });
      const text = await article.innerText();
      assert.match(text, CYRILLIC);
      assert.ok(text.includes('Все люди рождаются свободными'), 'article 1 of the Russian text');
      assert.doesNotMatch(text, ARABIC_SCRIPT);

      // Back to the work page, still on the Russian edition.
      await page.goBack();
      assert.equal(path(page), `/ar/works/${UDHR}/ru`);
      assert.deepEqual(await langDir(h1), { lang: 'ru', dir: 'ltr' });

      // This work is read online only; go back to the library for one to download.
      await follow(
        page,
        page.getByRole('link', { name: 'العودة إلى المكتبة' }),
        (u) => u.pathname === '/ar/library' && u.search === '',
      );
      await follow(
        page,
        page.locator('section[aria-labelledby="f-type"]').getByRole('link', { name: /^أدلة \(/ }),
        (u) => u.searchParams.get('type') === 'manual',
      );
      await follow(page, page.locator('main ul.items a.t').first(), (u) =>
        u.pathname.startsWith(`/ar/works/${LATEX}`),
      );
      // No Arabic edition: the work page shows the English one, says so, and names its language.
      assert.equal(path(page), `/ar/works/${LATEX}`);
      assert.equal(await page.locator('main [role="note"]').count(), 1);
      assert.deepEqual(await langDir(h1), { lang: 'en', dir: 'ltr' });
      assert.ok((await page.locator('main h1 + p.meta').innerText()).includes('English'));

      const link = listAfterHeading(page, 'التنزيلات').locator('a[download]').first();
      const stored = await downloadByClick(t, page, link, 'lshort-en.pdf');
      // The size printed next to the link is the size of the file that was downloaded.
      const shown = await link.locator('xpath=..').locator('.meta').innerText();
      assert.ok(shown.includes(formatBytes('ar', stored.size)), `shown "${shown}"`);

      for (const url of requests) assert.ok(sameOrigin(url, t.baseUrl), `request to ${url}`);
    });

    it('Persian reader: library, a manual in Persian, downloads the Persian PDF', async () => {
      const page = await readerPage('fa-IR');

      await page.goto(`${t.baseUrl}/`);
      assert.equal(path(page), '/fa/');
      assert.deepEqual(await htmlLangDir(page), { lang: 'fa', dir: 'rtl' });

      await follow(
        page,
        page.locator('header.site nav').getByRole('link', { name: 'کتابخانه', exact: true }),
        (u) => u.pathname === '/fa/library',
      );
      // Counts in Persian digits.
      const typeFacet = page.locator('section[aria-labelledby="f-type"]');
      const manuals = typeFacet.getByRole('link', { name: /^راهنماها \(/ });
      assert.match(await manuals.innerText(), PERSIAN_DIGIT);
      assert.doesNotMatch(await manuals.innerText(), ASCII_DIGIT);
      await follow(page, manuals, (u) => u.searchParams.get('type') === 'manual');
      assert.equal(await page.locator('main ul.items > li').count(), 1);

      const title = page.locator('main ul.items a.t');
      assert.equal(await title.getAttribute('hreflang'), 'fa');
      await follow(page, title, (u) => u.pathname === `/fa/works/${LATEX}`);
      const h1 = page.locator('main h1');
      assert.deepEqual(await langDir(h1), { lang: 'fa', dir: 'rtl' });
      assert.match(await h1.innerText(), /مقدمه‌ای نه چندان کوتاه/);
      assert.equal(await page.locator('main [role="note"]').count(), 0);

      // The main button names the format and the size, in Persian digits.
      const button = page.locator('main ul.actions a[download]');
      const buttonText = await button.innerText();
      assert.match(buttonText, /PDF/);
      assert.match(buttonText, PERSIAN_DIGIT);

      const link = listAfterHeading(page, 'دانلودها').locator('a[download]').first();
      const sizeText = await link.locator('xpath=..').locator('.meta bdi').last().innerText();
      assert.match(sizeText, PERSIAN_DIGIT);
      assert.doesNotMatch(sizeText, ASCII_DIGIT);

      const stored = await downloadByClick(t, page, link, 'lshort-fa.pdf');
      assert.equal(sizeText, formatBytes('fa', stored.size));
      assert.ok(buttonText.includes(sizeText), `button "${buttonText}" vs list "${sizeText}"`);

      for (const url of requests) assert.ok(sameOrigin(url, t.baseUrl), `request to ${url}`);
    });

    it('a reader who follows a library link to a work not in her language is told so', async () => {
      const page = await readerPage('ar');
      await page.goto(`${t.baseUrl}/ar/library?type=manual`);
      // No Arabic edition exists: the work page picks the best one and says so.
      await follow(page, page.locator('main ul.items a.t').first(), (u) =>
        u.pathname.startsWith(`/ar/works/${LATEX}`),
      );
      assert.equal(
        await page.locator('main [role="note"]').count(),
        1,
        `${path(page)}: no "not available in your language" note`,
      );
    });

    it('fits a 360 px phone without sideways scrolling; the brand sits on the reading side', async () => {
      const pages = {
        ar: [
          '/ar/',
          '/ar/library',
          `/ar/works/${UDHR}`,
          `/ar/works/${UDHR}/ar/read`,
          '/ar/works/calibre-quick-start',
        ],
        fa: [
          '/fa/',
          '/fa/library?language=fa',
          `/fa/works/${LATEX}`,
          `/fa/works/${UDHR}/fa/read`,
          '/fa/works/popeye-clip/en/watch',
        ],
        en: ['/en/', '/en/library', `/en/works/${UDHR}`],
      } as const;
      for (const [lang, paths] of Object.entries(pages)) {
        const page = await readerPage(lang);
        for (const p of paths) {
          const response = await page.goto(`${t.baseUrl}${p}`);
          assert.equal(response?.status(), 200, p);
          // evaluate() runs in Playwright's own world, even with the page's scripts disabled.
          const width = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            client: document.documentElement.clientWidth,
          }));
          assert.ok(width.scroll <= PHONE.width, `${p} is ${width.scroll} px wide`);
          assert.ok(
            width.scroll <= width.client,
            `${p} scrolls sideways (${width.scroll} > ${width.client})`,
          );

          const brand = await page.locator('header.site a.brand').boundingBox();
          const nav = await page.locator('header.site nav.top').boundingBox();
          assert.ok(brand && nav, `${p}: header not laid out`);
          // On one line the brand comes first in reading order; when the menu wraps below it
          // (longer words, more links), both start at the same reading edge.
          const wrapped = nav.y >= brand.y + brand.height;
          if (lang === 'en') {
            assert.ok(
              wrapped ? brand.x <= nav.x : brand.x < nav.x,
              `${p}: brand should be left of the menu`,
            );
          } else {
            assert.ok(
              wrapped ? brand.x + brand.width >= nav.x + nav.width : brand.x > nav.x,
              `${p}: brand (x=${brand.x}) should be right of the menu (x=${nav.x})`,
            );
            assert.ok(brand.x + brand.width > PHONE.width / 2, `${p}: brand not on the right half`);
          }
          for (const box of [brand, nav]) {
            assert.ok(
              box.x >= 0 && box.x + box.width <= PHONE.width + 0.5,
              `${p}: header overflows`,
            );
          }
        }
      }
      for (const url of requests) assert.ok(sameOrigin(url, t.baseUrl), `request to ${url}`);
    });

    it('no request leaves the origin during the journeys', () => {
      assert.ok(requests.length > 20, `only ${requests.length} requests were recorded`);
      assert.ok(
        requests.some((u) => new URL(u).pathname.startsWith('/download/')),
        'downloads recorded',
      );
      const foreign = requests.filter((u) => !sameOrigin(u, t.baseUrl));
      assert.deepEqual(foreign, [], `requests left ${t.baseUrl}`);
    });
  });
}
