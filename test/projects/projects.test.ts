import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, get, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, signedIn, type StaffFixture } from '../helpers/staff.js';
import { slugFrom } from '../../src/features/programmes/texts.js';
import { cipherFor, insertEvent, insertRegistration } from '../impact/fixtures.js';

const projectIdFrom = (location: string | null) =>
  /\/projects\/([0-9a-f-]{36})/.exec(location ?? '')?.[1] ?? '';

for (const dialect of dialects()) {
  describe(`advocacy projects (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    let eventA: string;
    let eventB: string;
    let topicId: string;
    const team: string[] = [];

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      const db = t.database.db;
      staff = await seedStaff(db);
      const cipher = cipherFor(t.dataDir);
      eventA = await insertEvent(db, {
        organisationId: staff.a.id,
        title: 'Digital safety workshop',
      });
      eventB = await insertEvent(db, {
        organisationId: staff.b.id,
        title: 'Festival B',
        country: 'NG',
      });
      team.push(
        await insertRegistration(db, cipher, eventA, { name: 'Amina Listed', listed: true }),
      );
      team.push(await insertRegistration(db, cipher, eventA, { name: 'Bahar Private' }));
      team.push(await insertRegistration(db, cipher, eventA, { name: 'Chloé Private' }));
      await insertRegistration(db, cipher, eventB, { name: 'Other Org Person', listed: true });
      topicId = randomUUID();
      await db.insertInto('topics').values({ id: topicId, slug: 'online-safety' }).execute();
      await db
        .insertInto('topic_labels')
        .values([
          { topic_id: topicId, language: 'en', label: 'Online safety' },
          { topic_id: topicId, language: 'ar', label: 'الأمان على الإنترنت' },
        ])
        .execute();
    });
    after(() => t.close());

    it('publishes only with consent, and names only consenting members', async () => {
      const trainer = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      const base = `/en/workspace/events/${eventA}/projects`;
      const list = await trainer.get(base);
      assert.equal(list.response.status, 200);
      assert.match(list.html, /Amina Listed/);
      assert.match(list.html, /Bahar Private/);

      const bad = await trainer.post(base, {
        title: 'Safe streets map',
        description: 'A map.',
        link: 'javascript:alert(1)',
        topic: topicId,
        language: 'en',
        team: '1',
      });
      assert.equal(bad.response.status, 400);
      assert.match(bad.html, /must be a web address starting with http/);
      const forged = await trainer.post(base, {
        title: 'Safe streets map',
        description: 'A map.',
        language: 'en',
        team: '1',
        member: randomUUID(),
      });
      assert.equal(forged.response.status, 400);
      assert.equal(
        Number(
          (
            await t.database.db
              .selectFrom('projects')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
        0,
      );

      const body = new URLSearchParams({
        title: 'Safe streets map',
        description: 'A map of safe places.\n\nMade by the team.',
        link: 'https://example.org/map',
        topic: topicId,
        language: 'en',
        team: '1',
        _csrf: trainer.csrf,
      });
      for (const r of team) body.append('member', r);
      const cookie = [...trainer.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const created = await fetch(`${t.baseUrl}${base}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie,
          origin: t.baseUrl,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body,
      });
      assert.equal(created.status, 303);
      const id = projectIdFrom(created.headers.get('location'));
      assert.ok(id);
      const page = await trainer.get(`${base}/${id}`);
      assert.equal(page.response.status, 200);
      const updatedAt = /name="updated_at" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
      const { slug } = await t.database.db
        .selectFrom('projects')
        .select('slug')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(
        (
          await t.database.db
            .selectFrom('project_members')
            .selectAll()
            .where('project_id', '=', id)
            .execute()
        ).length,
        3,
      );

      // Publishing without recorded consent is refused, with a message.
      const refused = await trainer.post(`${base}/${id}/publish`, {
        to: 'published',
        updated_at: updatedAt,
      });
      assert.equal(refused.response.status, 409);
      assert.match(refused.html, /record the team.s agreement to publication first/);
      assert.equal((await get(t.baseUrl, `/en/projects/${encodeURIComponent(slug)}`)).status, 404);

      const consent = await trainer.post(`${base}/${id}/consent`, {
        consent: 'yes',
        updated_at: updatedAt,
      });
      assert.equal(consent.response.status, 303);
      const afterConsent = await trainer.get(`${base}/${id}`);
      assert.match(afterConsent.html, /The team agreed to publication/);
      const fresh = /name="updated_at" value="([^"]+)"/.exec(afterConsent.html)?.[1] ?? '';
      // A stale form is a conflict, not a silent overwrite.
      const stale = await trainer.post(`${base}/${id}/publish`, {
        to: 'published',
        updated_at: updatedAt,
      });
      assert.equal(stale.response.status, 409);
      const published = await trainer.post(`${base}/${id}/publish`, {
        to: 'published',
        updated_at: fresh,
      });
      assert.equal(published.response.status, 303);

      const publicPage = await get(t.baseUrl, `/en/projects/${encodeURIComponent(slug)}`);
      assert.equal(publicPage.status, 200);
      const html = await publicPage.text();
      assert.match(html, /Amina Listed/);
      assert.doesNotMatch(html, /Bahar|Chloé/);
      assert.match(html, /and 2 others/);
      assert.match(
        html,
        /<a href="https:\/\/example.org\/map" rel="nofollow noopener" dir="ltr">https:\/\/example.org\/map<\/a>/,
      );
      assert.match(html, /<h1 lang="en" dir="ltr">Safe streets map<\/h1>/);
      assert.match(html, /Digital safety workshop/);
      assert.match(html, /Org org-a/);
      assert.doesNotMatch(html, /<script/);
      const size = gzipSync(Buffer.from(html), { level: 6 }).length;
      assert.ok(size <= 14_600, `${size} bytes gzipped`);

      const actions = (
        await t.database.db
          .selectFrom('audit_log')
          .select('action')
          .where('entity_id', '=', id)
          .orderBy('at')
          .execute()
      ).map((a) => a.action);
      assert.deepEqual(actions, ['project.create', 'project.consent', 'project.publish']);

      // Browsable by country and topic.
      const byCountry = await (await get(t.baseUrl, '/en/projects?country=KE')).text();
      assert.match(byCountry, /Safe streets map/);
      assert.match(byCountry, /1 project/);
      const otherCountry = await get(t.baseUrl, '/en/projects?country=NG');
      assert.equal(otherCountry.status, 200);
      assert.doesNotMatch(await otherCountry.text(), /Safe streets map/);
      const byTopic = await (await get(t.baseUrl, '/en/projects?topic=online-safety')).text();
      assert.match(byTopic, /Safe streets map/);
      const arabic = await get(t.baseUrl, '/ar/projects?topic=online-safety');
      const arabicHtml = await arabic.text();
      assert.match(arabicHtml, /dir="rtl"/);
      assert.match(arabicHtml, /الأمان على الإنترنت/);
      assert.match(arabicHtml, /<bdi lang="en" dir="ltr">Safe streets map<\/bdi>/);
      assert.ok(gzipSync(Buffer.from(arabicHtml), { level: 6 }).length <= 14_600);
      assert.doesNotMatch(
        await (await get(t.baseUrl, '/en/projects?topic=no-such-topic')).text(),
        /Safe streets map/,
      );
      assert.equal((await get(t.baseUrl, '/en/projects?country=kenya')).status, 400);

      // Unpublished again: gone from the public pages.
      const current = await trainer.get(`${base}/${id}`);
      const now = /name="updated_at" value="([^"]+)"/.exec(current.html)?.[1] ?? '';
      await trainer.post(`${base}/${id}/publish`, { to: 'draft', updated_at: now });
      assert.equal((await get(t.baseUrl, `/en/projects/${encodeURIComponent(slug)}`)).status, 404);
      assert.doesNotMatch(await (await get(t.baseUrl, '/en/projects')).text(), /Safe streets map/);
    });

    it("answers 404 to another organisation's trainer and hides names without participant rights", async () => {
      const project = await t.database.db
        .insertInto('projects')
        .values({
          id: randomUUID(),
          slug: 'theirs-1a2b3c',
          event_id: eventA,
          language: 'en',
          title: 'Theirs',
          description: 'Not yours.',
          link: null,
          topic_id: null,
          consent_recorded_at: null,
          consent_recorded_by: null,
          published_at: null,
          created_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const other = await signedIn(t.baseUrl, staff.user('b', 'trainer'));
      assert.equal(
        (await other.get(`/en/workspace/events/${eventA}/projects`)).response.status,
        404,
      );
      assert.equal(
        (await other.get(`/en/workspace/events/${eventA}/projects/${project.id}`)).response.status,
        404,
      );
      const deleted = await other.post(
        `/en/workspace/events/${eventA}/projects/${project.id}/delete`,
        {
          confirm: '1',
        },
      );
      assert.equal(deleted.response.status, 404);
      // Her own event does not reach another event's project either.
      assert.equal(
        (await other.get(`/en/workspace/events/${eventB}/projects/${project.id}`)).response.status,
        404,
      );
      // A translator of the organisation may not run events: 403.
      const translator = await signedIn(t.baseUrl, staff.user('a', 'translator'));
      assert.equal(
        (await translator.get(`/en/workspace/events/${eventA}/projects`)).response.status,
        403,
      );
      // The network admin runs events everywhere but sees no participant names of partners.
      const network = await signedIn(t.baseUrl, staff.user('a', 'network_admin'));
      const page = await network.get(`/en/workspace/events/${eventA}/projects/${project.id}`);
      assert.equal(page.response.status, 200);
      assert.doesNotMatch(page.html, /Amina|Bahar|name="member"/);

      // A title in Arabic makes an Arabic slug, which the public page answers to.
      const arabicSlug = slugFrom('خريطة الأمان');
      await t.database.db
        .insertInto('projects')
        .values({
          id: randomUUID(),
          slug: arabicSlug,
          event_id: eventA,
          language: 'ar',
          title: 'خريطة الأمان',
          description: 'وصف المشروع.',
          link: null,
          topic_id: null,
          consent_recorded_at: new Date().toISOString(),
          consent_recorded_by: null,
          published_at: new Date().toISOString(),
          created_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
        })
        .execute();
      const arabicPage = await get(t.baseUrl, `/fr/projects/${encodeURIComponent(arabicSlug)}`);
      assert.equal(arabicPage.status, 200);
      assert.match(await arabicPage.text(), /<h1 lang="ar" dir="rtl">خريطة الأمان<\/h1>/);
      assert.equal((await get(t.baseUrl, '/en/projects/%3Cscript%3E')).status, 404);

      // Deleting needs the confirmation box, then removes the project.
      const trainer = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      const form = await trainer.get(`/en/workspace/events/${eventA}/projects/${project.id}`);
      const updatedAt = /name="updated_at" value="([^"]+)"/.exec(form.html)?.[1] ?? '';
      const unconfirmed = await trainer.post(
        `/en/workspace/events/${eventA}/projects/${project.id}/delete`,
        { updated_at: updatedAt },
      );
      assert.equal(unconfirmed.response.status, 400);
      const done = await trainer.post(
        `/en/workspace/events/${eventA}/projects/${project.id}/delete`,
        {
          updated_at: updatedAt,
          confirm: '1',
        },
      );
      assert.equal(done.response.status, 303);
      assert.equal(
        await t.database.db
          .selectFrom('projects')
          .select('id')
          .where('id', '=', project.id)
          .executeTakeFirst(),
        undefined,
      );
    });
  });
}
