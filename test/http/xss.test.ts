import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { importDirectory } from '../../src/features/imports/importer.js';
import { dialects } from '../helpers/databases.js';
import { buildTestApp, get, type TestApp } from '../helpers/app.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const PAYLOAD_TITLE =
  'دليل "><svg onload=alert(1)> راهنما </script><script>alert(2)</script> {{7*7}}';
const PAYLOAD_SUMMARY = 'ملخص <img src=x onerror=alert(3)> javascript:alert(4) خلاصه';

function elements(node: Node, out: Element[] = []): Element[] {
  if ('tagName' in node) out.push(node as Element);
  const children = 'childNodes' in node ? node.childNodes : [];
  for (const child of children) elements(child as Node, out);
  if ('content' in node && node.content) elements(node.content as Node, out);
  return out;
}

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
          for (const el of elements(parse(html) as unknown as Node)) {
            assert.notEqual(el.tagName, 'script', `${pagePath}: <script>`);
            assert.notEqual(el.tagName, 'svg', `${pagePath}: <svg>`);
            for (const attr of el.attrs) {
              assert.ok(
                !attr.name.startsWith('on'),
                `${pagePath}: ${attr.name} on <${el.tagName}>`,
              );
              assert.ok(
                !/^\s*javascript:/i.test(attr.value),
                `${pagePath}: ${attr.name}=${attr.value}`,
              );
            }
          }
        }
      });
    }

    it('shows the hostile text as text', async () => {
      const html = await (await get(t.baseUrl, '/ar/works/evil-work/ar')).text();
      const h1 = elements(parse(html) as unknown as Node).find((e) => e.tagName === 'h1')!;
      const text = h1.childNodes.map((c) => ('value' in c ? c.value : '')).join('');
      assert.equal(text, PAYLOAD_TITLE);
    });
  });
}
