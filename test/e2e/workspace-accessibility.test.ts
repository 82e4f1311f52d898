import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, signedIn, type StaffFixture } from '../helpers/staff.js';
import { describeViolations, launchBrowser, PHONE } from './browser.js';

/** axe on every kind of workspace page, signed in as an organisation admin, on a phone. */

const LANGS = ['en', 'ar', 'fa'] as const;

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// Markup does not depend on the database engine (the journeys run on both): one sweep is enough.
for (const dialect of dialects().slice(0, 1)) {
  describe(`accessibility (axe) of the workspace (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    let context: BrowserContext;
    let page: Page;

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
      const admin = await signedIn(t.baseUrl, staff.user('a', 'org_admin'));
      context = await browser.newContext({ viewport: PHONE });
      context.setDefaultTimeout(15_000);
      const { hostname } = new URL(t.baseUrl);
      await context.addCookies([
        {
          name: 'lc_session',
          value: admin.cookies.get('lc_session')!,
          domain: hostname,
          path: '/',
        },
      ]);
      page = await context.newPage();
    });
    after(async () => {
      await context?.close();
      await t?.close();
    });

    const pages = () => [
      '/workspace',
      '/workspace/works',
      '/workspace/works/new',
      `/workspace/works/${staff.a.publishedWorkId}`,
      `/workspace/works/${staff.a.publishedWorkId}/editions/new`,
      `/workspace/editions/${staff.a.draftEditionOfPublishedId}`,
      '/workspace/translations',
      '/workspace/import',
      '/workspace/people',
      '/workspace/audit',
      '/workspace/account/password',
    ];

    for (const lang of LANGS) {
      it(`${lang}: every workspace page, and the sign-in page`, async () => {
        for (const path of [...pages(), '/login']) {
          const url = `${t.baseUrl}/${lang}${path}`;
          const response = await page.goto(url);
          assert.equal(response?.status(), 200, `${path} answered ${response?.status()}`);
          assert.equal(
            await page.locator('html').getAttribute('dir'),
            lang === 'en' ? 'ltr' : 'rtl',
          );
          const results = await new AxeBuilder({ page }).analyze();
          assert.ok(results.passes.length > 0, `axe checked nothing on ${path}`);
          if (results.violations.length > 0)
            assert.fail(describeViolations(path, results.violations));
        }
      });
    }
  });
}
