import { assetUrl } from '../../src/features/assets/manifest.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { assertNoActiveMarkup, elements } from '../helpers/markup.js';
import {
  seedStaff,
  signedIn,
  snapshotOf,
  StaffClient,
  tableCounts,
  type StaffFixture,
} from '../helpers/staff.js';

for (const dialect of dialects()) {
  describe(`forged forms and safe GETs (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
    });
    after(() => t.close());

    it('refuses a form post without a valid token or from another site, changing nothing', async () => {
      const editor = await signedIn(t.baseUrl, staff.user('a', 'editor'));
      const other = await signedIn(t.baseUrl, staff.user('a', 'org_admin'));
      const path = `/en/workspace/editions/${staff.a.draftEditionId}`;
      const form = { title: 'Forged title', version: '1' };
      const before = await snapshotOf(t.database.db, staff.a.id);
      const attempts: [string, Parameters<StaffClient['post']>[2]][] = [
        ['no token', { csrf: null }],
        ["another session's token", { csrf: other.csrf }],
        ['a made-up token', { csrf: 'x'.repeat(43) }],
        ['an evil Origin', { headers: { origin: 'http://evil.test' } }],
        ['a cross-site fetch', { headers: { 'sec-fetch-site': 'cross-site' } }],
        [
          'a null Origin from another site',
          { headers: { origin: 'null', 'sec-fetch-site': 'cross-site' } },
        ],
      ];
      for (const [name, options] of attempts) {
        const { response, html } = await editor.post(path, form, options);
        assert.equal(response.status, 403, name);
        assert.match(html, /This form has expired or did not come from this site/, name);
      }
      // A text/plain body (what a cross-site form can send without a preflight).
      const plain = await fetch(`${t.baseUrl}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie: `lc_session=${editor.cookies.get('lc_session')}`,
          'content-type': 'text/plain',
          origin: t.baseUrl,
        },
        body: `_csrf=${editor.csrf}&title=Forged`,
      });
      assert.ok([403, 415].includes(plain.status), `text/plain -> ${plain.status}`);
      assert.equal(await snapshotOf(t.database.db, staff.a.id), before);
      const ok = await editor.post(path, { ...form, title: 'Real title' });
      assert.equal(ok.response.status, 303, 'the real form still works');
    });

    it('refuses a sign-in form posted from another site', async () => {
      const client = new StaffClient(t.baseUrl);
      await client.get('/en/login');
      const { response } = await client.post(
        '/en/login',
        { username: staff.user('a', 'editor'), password: 'correct horse battery staple' },
        { headers: { origin: 'http://evil.test' } },
      );
      assert.equal(response.status, 403);
      assert.equal(client.cookies.get('lc_session'), undefined);
    });

    it('changes nothing on any GET of any role (GET is safe)', async () => {
      const paths = [
        '/en/workspace',
        '/en/workspace/works',
        '/en/workspace/works/new',
        `/en/workspace/works/${staff.a.draftWorkId}`,
        `/en/workspace/works/${staff.a.draftWorkId}/editions/new`,
        `/en/workspace/editions/${staff.a.draftEditionId}`,
        `/en/workspace/editions/${staff.a.draftEditionOfPublishedId}`,
        '/en/workspace/translations',
        '/en/workspace/audit',
        '/en/workspace/account/password',
      ];
      for (const role of ['org_admin', 'editor', 'translator', 'trainer'] as const) {
        const client = await signedIn(t.baseUrl, staff.user('a', role));
        const counts = await tableCounts(t.database.db);
        const snapshot = await snapshotOf(t.database.db, staff.a.id);
        for (const path of paths) {
          const { response } = await client.get(path);
          assert.ok(
            [200, 403].includes(response.status),
            `${role} GET ${path} -> ${response.status}`,
          );
          assert.equal(response.headers.get('cache-control'), 'no-store', path);
        }
        assert.deepEqual(await tableCounts(t.database.db), counts, role);
        assert.equal(await snapshotOf(t.database.db, staff.a.id), snapshot, role);
      }
    });

    it('shows hostile titles typed in the workspace as text, on every page, in three scripts', async () => {
      const title =
        'دليل "><svg onload=alert(1)> راهنما </script><script>alert(2)</script> {{7*7}}';
      const summary = 'Резюме <img src=x onerror=alert(3)> javascript:alert(4) خلاصه';
      const editor = await signedIn(t.baseUrl, staff.user('b', 'editor'));
      const id = staff.b.publishedEditionId;
      const form = await editor.get(`/en/workspace/editions/${id}`);
      const version = /name="version" value="(\d+)"/.exec(form.html)![1]!;
      const saved = await editor.post(`/en/workspace/editions/${id}`, { title, summary, version });
      assert.equal(saved.response.status, 303);
      for (const lang of ['en', 'ar', 'fa']) {
        for (const path of [
          `/${lang}/workspace/editions/${id}`,
          `/${lang}/workspace/works`,
          `/${lang}/workspace/works/${staff.b.publishedWorkId}`,
          `/${lang}/workspace/translations`,
          `/${lang}/workspace/audit`,
          `/${lang}/works/org-b-published/en`,
        ]) {
          const { response, html } = await editor.get(path);
          assert.ok([200, 403].includes(response.status), `${path} -> ${response.status}`);
          // Our own scripts only: the upload form's and the offline shelf's on edition pages.
          assertNoActiveMarkup(html, path, [assetUrl('upload.js'), assetUrl('offline.js')]);
        }
      }
      const page = await editor.get(`/fa/works/org-b-published/en`);
      const h1 = elements(page.html).find((e) => e.tagName === 'h1')!;
      assert.equal(h1.childNodes.map((c) => ('value' in c ? c.value : '')).join(''), title);
    });

    it('renders the workspace right-to-left in Arabic and Persian, every control labelled', async () => {
      const client = await signedIn(t.baseUrl, staff.user('a', 'editor'));
      for (const lang of ['ar', 'fa']) {
        const { response, html } = await client.get(
          `/${lang}/workspace/editions/${staff.a.draftEditionId}`,
        );
        assert.equal(response.status, 200);
        assert.match(html, new RegExp(`<html lang="${lang}" dir="rtl"`));
        assert.doesNotMatch(html, /lang="en" dir="ltr">[^<]*<\/span>/, 'no English fallback');
        const inputs = html.match(/<(input|textarea|select)\b(?![^>]*type="hidden")[^>]*>/g) ?? [];
        assert.ok(inputs.length >= 2);
      }
    });
  });
}
