import { assetUrl } from '../../src/features/assets/manifest.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importDirectory } from '../../src/features/imports/importer.js';
import { dialects } from '../helpers/databases.js';
import { buildTestApp, get, type TestApp } from '../helpers/app.js';
import { assertNoActiveMarkup, elements } from '../helpers/markup.js';

const PAYLOAD_TITLE =
  'دليل "><svg onload=alert(1)> راهنما </script><script>alert(2)</script> {{7*7}}';
const PAYLOAD_SUMMARY = 'ملخص <img src=x onerror=alert(3)> javascript:alert(4) خلاصه';

for (const dialect of dialects()) {
  describe(`data never becomes markup (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-xss-'));
      fs.writeFileSync(
        path.join(dir, 'evil.html'),
        '<h1>x</h1><p>نص <script>alert(5)</script><a href="javascript:alert(6)">link</a></p>',
      );
      fs.writeFileSync(
        path.join(dir, 'manifest.json'),
        JSON.stringify({
          topics: [
            {
              slug: 'evil',
              labels: {
                en: '<b onmouseover=alert(7)>topic</b>',
                ar: 'موضوع <svg/onload=alert(8)>',
              },
            },
          ],
          works: [
            {
              slug: 'evil-work',
              type: 'guide',
              licence: '"><script>alert(9)</script>',
              topics: ['evil'],
              editions: [
                {
                  language: 'ar',
                  title: PAYLOAD_TITLE,
                  summary: PAYLOAD_SUMMARY,
                  html: 'evil.html',
                },
                { language: 'en', title: 'javascript:alert(10)', html: 'evil.html' },
              ],
            },
          ],
        }),
      );
      await importDirectory(t.database, t.blobs, dir);
      fs.rmSync(dir, { recursive: true, force: true });
    });
    after(() => t.close());

    for (const lang of ['en', 'ar', 'fa']) {
      it(`in ${lang}: no script, event handler or javascript: URL comes from the data`, async () => {
        for (const pagePath of [
          `/${lang}/`,
          `/${lang}/library`,
          `/${lang}/library?language=ar`,
          `/${lang}/works/evil-work`,
          `/${lang}/works/evil-work/ar`,
          `/${lang}/works/evil-work/ar/read`,
          `/${lang}/topics/evil`,
        ]) {
          const response = await get(t.baseUrl, pagePath);
          assert.equal(response.status, 200, pagePath);
          const html = await response.text();
          // Edition pages load the offline shelf's own script (features/library/views/saving.tsx).
          assertNoActiveMarkup(html, pagePath, [assetUrl('offline.js')]);
        }
      });
    }

    it('shows the hostile text as text', async () => {
      const html = await (await get(t.baseUrl, '/ar/works/evil-work/ar')).text();
      const h1 = elements(html).find((e) => e.tagName === 'h1')!;
      const text = h1.childNodes.map((c) => ('value' in c ? c.value : '')).join('');
      assert.equal(text, PAYLOAD_TITLE);
    });
  });
}
