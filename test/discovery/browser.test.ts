import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { launchBrowser, PHONE } from '../e2e/browser.js';

/**
 * JSON-LD is a data block: with JavaScript on, Chromium neither runs it nor reports it against
 * the CSP (script-src 'self'), and a page script can read it back as the JSON we wrote.
 */
for (const dialect of dialects()) {
  describe(`JSON-LD in Chromium (${dialect})`, () => {
    let t: TestApp;
    let browser: Browser;
    before(async () => {
      t = await buildTestApp(dialect);
      browser = await launchBrowser();
    });
    after(async () => {
      await browser.close();
      await t.close();
    });

    it('raises no CSP violation and reads back as JSON', async () => {
      const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: true });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || /Content Security Policy/i.test(m.text()))
          problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      for (const path of [
        '/en/works/popeye-clip/en',
        '/ar/works/universal-declaration-of-human-rights/fa',
        '/fa/works/not-so-short-introduction-to-latex/fa',
      ]) {
        const response = await page.goto(`${t.baseUrl}${path}`);
        assert.equal(response?.status(), 200, path);
        const data = await page.evaluate(() => {
          const el = document.querySelector('script[type="application/ld+json"]');
          return el ? (JSON.parse(el.textContent ?? '') as { '@type': string; url: string }) : null;
        });
        assert.ok(data, path);
        assert.equal(data.url, path);
      }
      assert.deepEqual(
        problems.filter((p) => /Content Security Policy|ld\+json|JSON/i.test(p)),
        [],
      );
      await context.close();
    });
  });
}
