import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, CORPUS_DIR, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { PASSWORD, seedStaff, type StaffFixture } from '../helpers/staff.js';
import { launchBrowser, noScriptContext, PHONE } from './browser.js';

/**
 * The editorial journey, in Persian on a phone: a translator signs in, adds a Persian edition
 * with a PDF (uploaded with the resumable upload script), sends it for review; an editor
 * publishes it, without JavaScript; a reader finds it in the library.
 */

const PDF = path.join(CORPUS_DIR, 'manuals-pdf/lshort-fa.pdf');
const TITLE = 'مقدمه‌ای نه چندان کوتاه بر لاتک';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function signIn(page: Page, t: TestApp, username: string) {
  await page.goto(`${t.baseUrl}/fa/login`);
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(PASSWORD);
  await Promise.all([
    page.waitForURL(/\/fa\/workspace$/),
    page.locator('main form button[type=submit]').click(),
  ]);
}

/** Clicks the workflow button that moves an edition or work to `to`. */
async function move(page: Page, to: string) {
  await page.goto(page.url().replace(/\?.*$/, ''));
  const button = page.locator(`form:has(input[name=to][value=${to}]) button`);
  await Promise.all([page.waitForURL(/saved=1/), button.click()]);
}

for (const dialect of dialects()) {
  describe(`editorial journey (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    const contexts: BrowserContext[] = [];

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
    });
    after(async () => {
      for (const c of contexts) await c.close();
      await t.close();
    });

    it('goes from a translator’s upload to a reader’s download', async () => {
      // The translator, with JavaScript: the upload goes through the resumable uploader.
      const translatorContext = await browser.newContext({ viewport: PHONE, locale: 'fa' });
      contexts.push(translatorContext);
      const translator = await translatorContext.newPage();
      await signIn(translator, t, staff.user('a', 'translator'));
      await translator.goto(`${t.baseUrl}/fa/workspace/works/${staff.a.draftWorkId}`);
      await Promise.all([
        translator.waitForURL(/\/editions\/new$/),
        translator
          .locator(`a[href$="/workspace/works/${staff.a.draftWorkId}/editions/new"]`)
          .click(),
      ]);
      await translator.locator('input[name=language]').fill('fa');
      await translator.locator('select[name=translated_from]').selectOption(staff.a.draftEditionId);
      await translator.locator('input[name=title]').fill(TITLE);
      await translator
        .locator('textarea[name=summary]')
        .fill('راهنمای حروف‌چینی با لاتک، به فارسی.');
      await Promise.all([
        translator.waitForURL(/\/workspace\/editions\/[0-9a-f-]{36}\?saved=1$/),
        translator.locator('main form button[type=submit]').click(),
      ]);
      const editionUrl = translator.url().replace(/\?saved=1$/, '');

      const scriptErrors: string[] = [];
      translator.on('pageerror', (e) => scriptErrors.push(e.message));
      const tusRequests: string[] = [];
      translator.on('request', (r) => {
        if (r.url().includes('/tus/uploads')) tusRequests.push(r.method());
      });
      await translator.goto(editionUrl);
      await translator.locator('input[type=file]').setInputFiles(PDF);
      const uploadForm = translator.locator('form[data-tus-edition]');
      await Promise.all([
        translator.waitForURL(/saved=1/),
        uploadForm.locator('button[type=submit]').click(),
      ]);
      assert.match(await translator.locator('main').innerText(), /lshort-fa\.pdf/);
      assert.deepEqual(scriptErrors, []);
      assert.ok(tusRequests.includes('PATCH'), `resumable upload used: ${tusRequests.join(' ')}`);
      await move(translator, 'in_review');
      assert.match(await translator.locator('main .meta').first().innerText(), /بازبینی|review/i);
      await Promise.all([
        translator.waitForURL(/\/fa\/$/),
        translator.locator('form.signout button').click(),
      ]);

      // The editor, without JavaScript, publishes the edition and the work.
      const editorContext = await noScriptContext(browser, 'fa');
      contexts.push(editorContext);
      const editor = await editorContext.newPage();
      await signIn(editor, t, staff.user('a', 'editor'));
      await editor.goto(editionUrl);
      await move(editor, 'published');
      await editor.goto(`${t.baseUrl}/fa/workspace/works/${staff.a.draftWorkId}`);
      await move(editor, 'published');

      // A reader finds it in the library, in Persian, and sees the PDF's size before downloading.
      const readerContext = await noScriptContext(browser, 'fa');
      contexts.push(readerContext);
      const reader = await readerContext.newPage();
      await reader.goto(`${t.baseUrl}/fa/library`);
      const link = reader.locator('main a', { hasText: TITLE });
      await Promise.all([reader.waitForURL(/\/fa\/works\/org-a-draft/), link.click()]);
      assert.equal(await reader.locator('h1').innerText(), TITLE);
      const download = reader.locator('a[href^="/download/"]', { hasText: /PDF/ }).first();
      assert.match(await download.innerText(), /[۰-۹]/, 'size in Persian digits');
    });
  });
}
