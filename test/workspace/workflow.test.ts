import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, get, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, signedIn, snapshotOf, type StaffFixture } from '../helpers/staff.js';

const idFrom = (location: string | null, kind: string) =>
  new RegExp(`/${kind}/([0-9a-f-]{36})`).exec(location ?? '')?.[1] ?? '';

for (const dialect of dialects()) {
  describe(`works, editions and the translation workflow (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
    });
    after(() => t.close());

    it('takes a work from creation to the public library, edition by edition', async () => {
      const editor = await signedIn(t.baseUrl, staff.user('a', 'editor'));
      await editor.get('/en/workspace/works/new');
      const invalid = await editor.post('/en/workspace/works', {
        slug: 'Bad Slug!',
        type: 'manual',
        publisher: staff.a.id,
        year: '20x4',
      });
      assert.equal(invalid.response.status, 400);
      assert.match(invalid.html, /Use 1 to 80 characters/);
      assert.match(invalid.html, /Enter a year/);
      const created = await editor.post('/en/workspace/works', {
        slug: 'digital-safety',
        type: 'toolkit',
        publisher: staff.a.id,
        licence: 'CC BY 4.0',
        year: '2026',
        original_language: 'en',
      });
      assert.equal(created.response.status, 303);
      const workId = idFrom(created.response.headers.get('location'), 'works');
      assert.ok(workId);

      await editor.get(`/en/workspace/works/${workId}/editions/new`);
      const en = await editor.post(`/en/workspace/works/${workId}/editions`, {
        language: 'en',
        title: 'Digital safety for activists',
        summary: 'Protect your phone and accounts.',
      });
      assert.equal(en.response.status, 303);
      const enId = idFrom(en.response.headers.get('location'), 'editions');

      const translator = await signedIn(t.baseUrl, staff.user('a', 'translator'));
      await translator.get(`/en/workspace/works/${workId}/editions/new`);
      const fa = await translator.post(`/en/workspace/works/${workId}/editions`, {
        language: 'fa',
        title: 'امنیت دیجیتال برای فعالان',
        summary: 'از تلفن و حساب‌هایتان محافظت کنید.',
        translated_from: enId,
      });
      assert.equal(fa.response.status, 303);
      const faId = idFrom(fa.response.headers.get('location'), 'editions');
      const duplicate = await translator.post(`/en/workspace/works/${workId}/editions`, {
        language: 'fa',
        title: 'again',
      });
      assert.equal(duplicate.response.status, 400);
      assert.match(duplicate.html, /already has an edition in this language/);

      // The translator may not edit the work, nor publish; she sends her edition for review.
      await translator.get(`/en/workspace/works/${workId}`);
      const refused = await translator.post(`/en/workspace/works/${workId}`, {
        type: 'video',
        publisher: staff.a.id,
        version: '1',
      });
      assert.equal(refused.response.status, 403);
      const page = await translator.get(`/en/workspace/editions/${faId}`);
      assert.match(page.html, /Send for review/);
      assert.doesNotMatch(page.html, />Publish</);
      const selfPublish = await translator.post(`/en/workspace/editions/${faId}/status`, {
        to: 'published',
        version: '1',
      });
      assert.equal(selfPublish.response.status, 403);
      const submitted = await translator.post(`/en/workspace/editions/${faId}/status`, {
        to: 'in_review',
        version: '1',
      });
      assert.equal(submitted.response.status, 303);

      // The editor publishes both editions and the work; readers find it.
      assert.equal(
        (await get(t.baseUrl, '/fa/works/digital-safety')).status,
        404,
        'not public yet',
      );
      await editor.get(`/en/workspace/editions/${faId}`);
      for (const id of [enId, faId]) {
        const moved = await editor.post(`/en/workspace/editions/${id}/status`, {
          to: 'published',
          version: '1',
        });
        assert.equal(moved.response.status, 303);
      }
      await editor.get(`/en/workspace/works/${workId}`);
      const published = await editor.post(`/en/workspace/works/${workId}/publish`, {
        to: 'published',
        version: '1',
      });
      assert.equal(published.response.status, 303);
      const reader = await get(t.baseUrl, '/fa/works/digital-safety');
      assert.equal(reader.status, 200);
      assert.match(await reader.text(), /امنیت دیجیتال برای فعالان/);

      // The English original changes: the Persian translation is stale until caught up.
      const enPage = await editor.get(`/en/workspace/editions/${enId}`);
      const version = /name="version" value="(\d+)"/.exec(enPage.html)?.[1];
      const edited = await editor.post(`/en/workspace/editions/${enId}`, {
        title: 'Digital safety for activists (2nd edition)',
        summary: 'Updated.',
        version: version!,
      });
      assert.equal(edited.response.status, 303);
      const board = await editor.get('/en/workspace/translations?lang=en,fa,ar');
      const row = board.html.slice(board.html.indexOf('Digital safety for activists'));
      assert.match(row, /data-state="published"[^]*data-state="stale"[^]*data-state="missing"/);
      const faPage = await translator.get(`/en/workspace/editions/${faId}`);
      assert.match(faPage.html, /has changed since/);

      // Unpublishing the work hides it again.
      const workPage = await editor.get(`/en/workspace/works/${workId}`);
      const workVersion = /name="to" value="unpublished"/.test(workPage.html)
        ? /name="version" value="(\d+)"/.exec(workPage.html)?.[1]
        : undefined;
      const hidden = await editor.post(`/en/workspace/works/${workId}/publish`, {
        to: 'unpublished',
        version: workVersion!,
      });
      assert.equal(hidden.response.status, 303);
      assert.equal((await get(t.baseUrl, '/fa/works/digital-safety')).status, 404);

      const audit = await t.database.db
        .selectFrom('audit_log')
        .select(['action', 'actor'])
        .where('organisation_id', '=', staff.a.id)
        .orderBy('at')
        .execute();
      const actions = audit.map((a) => `${a.actor}:${a.action}`);
      for (const expected of [
        'editor-a:work.create',
        'editor-a:edition.create',
        'translator-a:edition.create',
        'translator-a:edition.in_review',
        'editor-a:edition.published',
        'editor-a:work.publish',
        'editor-a:edition.update',
        'editor-a:work.unpublish',
      ]) {
        assert.ok(actions.includes(expected), `audit has ${expected}`);
      }
    });

    it('shows the second of two people saving the same edition a conflict, and keeps the first', async () => {
      const first = await signedIn(t.baseUrl, staff.user('b', 'editor'));
      const second = await signedIn(t.baseUrl, staff.user('b', 'translator'));
      const id = staff.b.draftEditionId;
      const formA = await first.get(`/en/workspace/editions/${id}`);
      const formB = await second.get(`/en/workspace/editions/${id}`);
      const versionA = /name="version" value="(\d+)"/.exec(formA.html)![1]!;
      const versionB = /name="version" value="(\d+)"/.exec(formB.html)![1]!;
      const savedA = await first.post(`/en/workspace/editions/${id}`, {
        title: 'Title from A',
        version: versionA,
      });
      assert.equal(savedA.response.status, 303);
      const before = await snapshotOf(t.database.db, staff.b.id);
      const savedB = await second.post(`/en/workspace/editions/${id}`, {
        title: 'Title from B',
        version: versionB,
      });
      assert.equal(savedB.response.status, 409);
      assert.match(savedB.html, /Someone else saved this first/);
      assert.match(savedB.html, /Title from A/);
      assert.match(savedB.html, /Title from B/);
      assert.equal(await snapshotOf(t.database.db, staff.b.id), before, 'nothing overwritten');
    });

    it('keeps two translators editing different languages of one work apart', async () => {
      const one = await signedIn(t.baseUrl, staff.user('b', 'translator'));
      const two = await signedIn(t.baseUrl, staff.user('b', 'editor'));
      const fa = staff.b.draftEditionOfPublishedId;
      const en = staff.b.publishedEditionId;
      const [p1, p2] = await Promise.all([
        one.get(`/en/workspace/editions/${fa}`),
        two.get(`/en/workspace/editions/${en}`),
      ]);
      const [r1, r2] = await Promise.all([
        one.post(`/en/workspace/editions/${fa}`, {
          title: 'ترجمهٔ تازه',
          version: /name="version" value="(\d+)"/.exec(p1.html)![1]!,
        }),
        two.post(`/en/workspace/editions/${en}`, {
          title: 'New English title',
          version: /name="version" value="(\d+)"/.exec(p2.html)![1]!,
        }),
      ]);
      assert.equal(r1.response.status, 303);
      assert.equal(r2.response.status, 303);
      const titles = await t.database.db
        .selectFrom('editions')
        .select('title')
        .where('id', 'in', [fa, en])
        .execute();
      assert.deepEqual(titles.map((r) => r.title).sort(), ['New English title', 'ترجمهٔ تازه']);
    });
  });
}
