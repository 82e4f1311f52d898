import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { describeViolations, launchBrowser, PHONE } from './browser.js';

/**
 * axe-core over every kind of public page, in English and in the two right-to-left interface
 * languages, on a phone-sized screen. Any violation fails, with a short account of where.
 */

const UDHR = 'universal-declaration-of-human-rights';
const LANGS = ['en', 'ar', 'fa'] as const;
type Lang = (typeof LANGS)[number];

interface PageKind {
  name: string;
  path: (l: Lang) => string;
  status?: number;
  /** Whether the page must carry the "not in your language" note (so axe sees it). */
  note?: (l: Lang) => boolean;
}

const PAGES: PageKind[] = [
  { name: 'home', path: (l) => `/${l}/` },
  { name: 'library', path: (l) => `/${l}/library` },
  { name: 'library filtered', path: (l) => `/${l}/library?language=fa&type=manual` },
  { name: 'work', path: (l) => `/${l}/works/${UDHR}` },
  {
    name: 'work (fallback note in ar, fa)',
    path: (l) => `/${l}/works/calibre-quick-start`,
    note: (l) => l !== 'en',
  },
  { name: 'work with downloads', path: (l) => `/${l}/works/not-so-short-introduction-to-latex/fa` },
  { name: 'read', path: (l) => `/${l}/works/${UDHR}/${l}/read` },
  { name: 'watch', path: (l) => `/${l}/works/popeye-clip/en/watch` },
  { name: 'edition languages', path: (l) => `/${l}/works/${UDHR}/en/languages` },
  { name: 'languages', path: (l) => `/${l}/languages` },
  { name: 'topic', path: (l) => `/${l}/topics/human-rights` },
  { name: 'collection', path: (l) => `/${l}/collections/corpus` },
  { name: 'search', path: (l) => `/${l}/search?q=${encodeURIComponent('حقوق')}` },
  { name: 'not found', path: (l) => `/${l}/no/such/page`, status: 404 },
];

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// Markup does not depend on the database engine (the journeys run on both): one sweep is enough.
for (const dialect of dialects().slice(0, 1)) {
  describe(`accessibility (axe) of public pages (${dialect})`, () => {
    let t: TestApp;
    let context: BrowserContext;
    let page: Page;

    before(async () => {
      t = await buildTestApp(dialect);
      // Scripts on, for axe itself; the pages have none of their own.
      context = await browser.newContext({ viewport: PHONE });
      context.setDefaultTimeout(15_000);
      page = await context.newPage();
    });
    after(async () => {
      await context?.close();
      await t?.close();
    });

    for (const lang of LANGS) {
      for (const kind of PAGES) {
        const path = kind.path(lang);
        it(`${lang} ${kind.name}: ${path}`, async () => {
          const response = await page.goto(`${t.baseUrl}${path}`);
          assert.equal(
            response?.status(),
            kind.status ?? 200,
            `${path} answered ${response?.status()}`,
          );
          assert.equal(await page.locator('html').getAttribute('lang'), lang);
          if (kind.note) {
            const notes = await page.locator('main [role="note"]').count();
            assert.equal(notes, kind.note(lang) ? 1 : 0, `fallback note on ${path}`);
          }
          const results = await new AxeBuilder({ page }).analyze();
          assert.ok(results.passes.length > 0, `axe checked nothing on ${path}`);
          if (results.violations.length > 0) {
            assert.fail(describeViolations(path, results.violations));
          }
        });
      }
    }
  });
}
