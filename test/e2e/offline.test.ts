import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, REPO_ROOT, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { describeViolations, launchBrowser, noScriptContext, PHONE } from './browser.js';

/**
 * The offline shelf in Chromium: with JavaScript a reader saves editions, loses the connection
 * and reads them from the shelf; without JavaScript every page still works, the shelf says what
 * it would need, and the data saver is a plain form.
 */

const UDHR = 'universal-declaration-of-human-rights';
const LATEX = 'not-so-short-introduction-to-latex';

let browser: Browser;
before(async () => {
  // The service worker and the shelf script are built from client/ (npm run build does it too).
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist/public/sw.js'))) {
    const built = spawnSync(process.execPath, ['scripts/build-assets.mjs'], { cwd: REPO_ROOT });
    assert.equal(built.status, 0, built.stderr.toString());
  }
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function axe(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  assert.equal(result.violations.length, 0, describeViolations(page.url(), result.violations));
}

async function save(page: Page, url: string, file?: RegExp) {
  await page.goto(url);
  const box = page.locator('#offline-save');
  await box.waitFor({ state: 'visible' });
  if (file) {
    const select = box.locator('select');
    const option = select.locator('option', { hasText: file }).first();
    await select.selectOption((await option.getAttribute('value'))!);
  }
  await box.getByRole('button', { name: 'Save for offline reading' }).click();
  await box
    .getByRole('status')
    .filter({ hasText: 'Saved on your offline shelf' })
    .waitFor({ timeout: 20_000 });
}

for (const dialect of dialects()) {
  describe(`offline shelf in the browser (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await buildTestApp(dialect);
    });
    after(() => t.close());

    describe('with JavaScript', () => {
      let context: BrowserContext;
      let page: Page;
      before(async () => {
        context = await browser.newContext({
          viewport: PHONE,
          locale: 'en',
          serviceWorkers: 'allow',
          acceptDownloads: true,
        });
        context.setDefaultTimeout(15_000);
        page = await context.newPage();
      });
      after(() => context.close());

      it('saves editions, then reads them from the shelf without a connection', async () => {
        await save(page, `${t.baseUrl}/en/works/${UDHR}/en`);
        await axe(page);
        await save(page, `${t.baseUrl}/en/works/${LATEX}/en`, /PDF/);

        await context.setOffline(true);
        const shelf = await page.goto(`${t.baseUrl}/en/offline`);
        assert.ok(shelf?.fromServiceWorker(), 'the shelf page came from the service worker');
        const list = page.locator('#offline-shelf ul.items');
        await list.locator('li').nth(1).waitFor();
        assert.equal(await list.locator('li').count(), 2);
        assert.ok(await page.locator('#offline-nojs').isHidden());
        await axe(page);

        // Open the saved edition from the shelf, then read it page by page.
        await Promise.all([
          page.waitForURL((u) => u.pathname === `/en/works/${UDHR}/en`),
          list.getByRole('link', { name: /Universal Declaration of Human Rights/ }).click(),
        ]);
        assert.match(await page.locator('main h1').innerText(), /Universal Declaration/);
        await page.goto(`${t.baseUrl}/en/offline`);
        await list.locator('li').first().waitFor();
        await Promise.all([
          page.waitForURL((u) => u.pathname.endsWith('/read')),
          list.locator('li', { hasText: 'Universal' }).getByRole('link', { name: 'Read' }).click(),
        ]);
        assert.match(await page.locator('main > article').innerText(), /born free and equal/);
        const second = await page.goto(`${t.baseUrl}/en/works/${UDHR}/en/read?page=2`);
        assert.equal(second?.status(), 200);

        // The kept PDF is there too, whole.
        const pdf = await page.evaluate(async () => {
          const cache = await caches.open('lc-offline-v1');
          const keys = await cache.keys();
          const key = keys.find((k) => k.url.endsWith('lshort-en.pdf'));
          return key ? (await (await cache.match(key))!.arrayBuffer()).byteLength : 0;
        });
        const stored = await t.database.db
          .selectFrom('edition_files as f')
          .innerJoin('blobs as b', 'b.sha256', 'f.blob_sha256')
          .where('f.filename', '=', 'lshort-en.pdf')
          .select('b.size')
          .executeTakeFirstOrThrow();
        assert.equal(pdf, Number(stored.size));

        // A page never saved: offline, the reader lands on her shelf instead of an error.
        await page.goto(`${t.baseUrl}/en/works/popeye-clip/en`);
        assert.equal(await page.locator('main h1').innerText(), 'Offline shelf');

        // Back online: removing an edition takes it off the shelf and out of the cache.
        await context.setOffline(false);
        await page.goto(`${t.baseUrl}/en/offline`);
        await list.locator('li').nth(1).waitFor();
        await list
          .locator('li', { hasText: 'Universal' })
          .getByRole('button', { name: 'Remove' })
          .click();
        await page.waitForFunction(
          () => document.querySelectorAll('#offline-shelf ul.items li').length === 1,
        );
        const left = await page.evaluate(async () =>
          (await (await caches.open('lc-offline-v1')).keys()).map((k) => new URL(k.url).pathname),
        );
        assert.ok(!left.some((p) => p.includes('universal-declaration')), left.join(' '));
        assert.ok(left.includes('/en/offline'), 'the shelf itself stays for the other edition');
      });

      it('has accessible data-saving pages (axe)', async () => {
        await context.addCookies([{ name: 'lc_saver', value: '1', url: t.baseUrl }]);
        for (const p of [
          `/ar/works/${LATEX}/en`,
          `/fa/works/popeye-clip/en`,
          `/ar/data-saver`,
          `/fa/works/${UDHR}/fa/read?text=1`,
          `/ar/works/${UDHR}/ar/read?page=2&text=1`,
        ]) {
          const response = await page.goto(`${t.baseUrl}${p}`);
          assert.equal(response?.status(), 200, p);
          await axe(page);
        }
        await context.clearCookies();
      });
    });

    describe('without JavaScript', () => {
      let context: BrowserContext;
      let page: Page;
      before(async () => {
        context = await noScriptContext(browser, 'fa');
        page = await context.newPage();
      });
      after(() => context.close());

      it('explains the shelf, hides the save form, and switches the data saver by form', async () => {
        await page.goto(`${t.baseUrl}/fa/offline`);
        assert.ok(await page.locator('#offline-nojs').isVisible());
        assert.match(await page.locator('#offline-nojs').innerText(), /JavaScript/);

        await page.goto(`${t.baseUrl}/fa/works/${LATEX}/fa`);
        assert.ok(await page.locator('#offline-save').isHidden());
        assert.ok((await page.locator('main a[download]').count()) > 0);
        await Promise.all([
          page.waitForURL((u) => u.pathname === `/fa/works/${LATEX}/fa`),
          page.locator('form.saver button').click(),
        ]);
        assert.match(await page.locator('form.saver').innerText(), /روشن است/);
        assert.equal(await page.locator('img').count(), 0);

        await page.goto(`${t.baseUrl}/fa/works/${UDHR}/fa/read?text=1`);
        assert.match(await page.locator('main > article').innerText(), /\S/);
        await page.goto(`${t.baseUrl}/fa/data-saver`);
        await Promise.all([
          page.waitForURL((u) => u.pathname === '/fa/data-saver'),
          page.locator('main form button').click(),
        ]);
        assert.match(await page.locator('main').innerText(), /خاموش است/);
      });
    });
  });
}
