import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, get, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, signedIn, type StaffClient, type StaffFixture } from '../helpers/staff.js';
import { eventFields, idFrom, seedCurriculum, type CurriculumFixture } from './fixtures.js';

const ONE_ROUND_TRIP = 14_600;

for (const dialect of dialects()) {
  describe(`public event pages (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    let curriculum: CurriculumFixture;
    let trainer: StaffClient;
    const slugs: Record<string, string> = {};
    let inviteToken = '';

    const slugOf = async (id: string) =>
      (
        await t.database.db
          .selectFrom('events')
          .select('slug')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).slug;

    /** Creates an event through the forms and publishes it (unless told not to). */
    const createEvent = async (
      name: string,
      fields: Record<string, string>,
      publish = true,
    ): Promise<string> => {
      await trainer.get('/en/workspace/events/new');
      const created = await trainer.post('/en/workspace/events', fields);
      let id = idFrom(created.response.headers.get('location'));
      if (created.response.status === 201) {
        inviteToken = /\?invite=([A-Za-z0-9_-]+)/.exec(created.html)?.[1] ?? '';
        id = /action="\/en\/workspace\/events\/([0-9a-f-]{36})\//.exec(created.html)?.[1] ?? '';
      } else assert.equal(created.response.status, 303, name);
      assert.ok(id, name);
      if (publish) {
        const published = await trainer.post(`/en/workspace/events/${id}/publish`, {
          version: '1',
          to: 'published',
        });
        assert.equal(published.response.status, 303, name);
      }
      slugs[name] = await slugOf(id);
      return id;
    };

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
      curriculum = await seedCurriculum(t.database.db, staff.a.publishedWorkId);
      trainer = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      const kabul = await createEvent(
        'kabul',
        eventFields(staff.a.id, { curriculum: curriculum.id }),
      );
      await trainer.post(`/en/workspace/events/${kabul}/agenda/items`, {
        day: '2026-12-10',
        start_time: '09:00',
        title: 'Welcome',
        minutes: '15',
      });
      await trainer.post(`/en/workspace/events/${kabul}/agenda/sessions`, {
        day: '2026-12-10',
        session: curriculum.sessions[1]!.id,
      });
      await createEvent(
        'paris',
        eventFields(staff.a.id, {
          title: 'Symposium on online safety',
          kind: 'symposium',
          country: 'FR',
          languages: 'fr',
          time_zone: 'Europe/Paris',
          starts: '2026-12-20T10:00',
          ends: '2026-12-20T18:00',
        }),
      );
      await createEvent(
        'webinar',
        eventFields(staff.a.id, {
          title: 'Webinar in Arabic',
          kind: 'webinar',
          country: '',
          place: '',
          online_url: 'https://meet.example.org/abc',
          languages: 'ar',
          time_zone: 'Asia/Amman',
          starts: '2026-12-15T18:00',
          ends: '2026-12-15T19:30',
        }),
      );
      await createEvent(
        'past',
        eventFields(staff.a.id, {
          title: 'Last winter’s workshop',
          starts: '2026-01-10T09:00',
          ends: '2026-01-10T17:00',
        }),
      );
      await createEvent('draft', eventFields(staff.a.id, { title: 'Unpublished draft' }), false);
      await createEvent(
        'secret',
        eventFields(staff.a.id, { title: 'Invitation-only circle', visibility: 'invite' }),
      );
      assert.ok(inviteToken.length >= 32);
    });
    after(() => t.close());

    it('lists published public events, upcoming first and past apart, with filters', async () => {
      const response = await get(t.baseUrl, '/en/events');
      assert.equal(response.status, 200);
      const html = await response.text();
      const upcoming = html.slice(0, html.indexOf('>Past<'));
      const past = html.slice(html.indexOf('>Past<'));
      assert.ok(
        upcoming.indexOf('Digital safety workshop') < upcoming.indexOf('Webinar in Arabic') &&
          upcoming.indexOf('Webinar in Arabic') < upcoming.indexOf('Symposium on online safety'),
        'upcoming sorted by start',
      );
      assert.ok(upcoming.includes('Digital safety workshop'));
      assert.ok(!upcoming.includes('Last winter'));
      assert.ok(past.includes('Last winter'));
      assert.ok(!html.includes('Unpublished draft'));
      assert.ok(!html.includes('Invitation-only circle'));

      const byCountry = await (await get(t.baseUrl, '/en/events?country=FR')).text();
      assert.ok(byCountry.includes('Symposium on online safety'));
      assert.ok(!byCountry.includes('Digital safety workshop'));
      const byLanguage = await (
        await get(t.baseUrl, '/en/events?language=ar&country=&kind=')
      ).text();
      assert.ok(byLanguage.includes('Webinar in Arabic'));
      assert.ok(!byLanguage.includes('Symposium on online safety'));
      const byKind = await (await get(t.baseUrl, '/en/events?kind=workshop')).text();
      assert.ok(byKind.includes('Digital safety workshop'));
      assert.ok(!byKind.includes('Webinar in Arabic'));
      assert.equal((await get(t.baseUrl, '/en/events?kind=party')).status, 400);
      assert.equal((await get(t.baseUrl, '/en/events?page=9')).status, 404);
    });

    it('shows an event page with dates, languages, seats, agenda and links', async () => {
      const response = await get(t.baseUrl, `/en/events/${slugs.kabul}`);
      assert.equal(response.status, 200);
      const html = await response.text();
      assert.match(html, /Digital safety workshop/);
      assert.match(html, /December 10, 2026/);
      assert.match(html, /Asia\/Kabul/);
      assert.match(html, /20 seats left/);
      assert.match(html, /Afghanistan/);
      assert.match(html, /lang="fa-AF"[^>]*>دری</);
      assert.match(html, /Welcome/);
      assert.ok(
        html.includes(`/en/curricula/${curriculum.slug}/sessions/${curriculum.sessions[1]!.slug}`),
      );
      assert.ok(html.includes(`/en/events/${slugs.kabul}/register"`));
      assert.ok(html.includes(`/en/events/${slugs.kabul}/calendar.ics"`));
      assert.ok(html.includes(`/en/events/${slugs.kabul}/agenda/pdf"`));
      const gz = gzipSync(Buffer.from(html), { level: 6 }).length;
      assert.ok(gz <= ONE_ROUND_TRIP, `event page is ${gz} bytes gzipped`);
      const list = await (await get(t.baseUrl, '/fa/events')).arrayBuffer();
      const listGz = gzipSync(Buffer.from(list), { level: 6 }).length;
      assert.ok(listGz <= ONE_ROUND_TRIP, `events list is ${listGz} bytes gzipped`);
      // The online address is not shown publicly.
      const webinar = await (await get(t.baseUrl, `/en/events/${slugs.webinar}`)).text();
      assert.match(webinar, /Online/);
      assert.ok(!webinar.includes('meet.example.org'));
    });

    it('shows Persian readers the Solar Hijri date with the Gregorian one', async () => {
      const response = await get(t.baseUrl, `/fa/events/${slugs.kabul}`);
      assert.equal(response.status, 200);
      const html = await response.text();
      assert.match(html, /<html lang="fa" dir="rtl"/);
      assert.match(html, /۱۴۰۵/); // 10 December 2026 is 19 Azar 1405
      assert.match(html, /آذر/);
      assert.match(html, /دسامبر ۲۰۲۶/);
      // The title is English: shown as a fallback, marked with its language.
      assert.match(html, /<bdi lang="en" dir="ltr">Digital safety workshop<\/bdi>/);
      // Persian session title in the agenda.
      assert.match(html, /گذرواژه‌های قوی/);
    });

    it('hides invite-only events without the token, and unpublished ones', async () => {
      assert.equal((await get(t.baseUrl, `/en/events/${slugs.secret}`)).status, 404);
      assert.equal(
        (await get(t.baseUrl, `/en/events/${slugs.secret}?invite=${'x'.repeat(32)}`)).status,
        404,
      );
      assert.equal((await get(t.baseUrl, `/en/events/${slugs.secret}/calendar.ics`)).status, 404);
      assert.equal((await get(t.baseUrl, `/en/events/${slugs.secret}/agenda/pdf`)).status, 404);
      const ok = await get(t.baseUrl, `/en/events/${slugs.secret}?invite=${inviteToken}`);
      assert.equal(ok.status, 200);
      const html = await ok.text();
      assert.match(html, /Invitation-only circle/);
      assert.ok(html.includes(`/en/events/${slugs.secret}/register?invite=${inviteToken}"`));
      const ics = await get(
        t.baseUrl,
        `/en/events/${slugs.secret}/calendar.ics?invite=${inviteToken}`,
      );
      assert.equal(ics.status, 200);
      assert.equal((await get(t.baseUrl, `/en/events/${slugs.draft}`)).status, 404);
      assert.equal((await get(t.baseUrl, '/en/events/no-such-event')).status, 404);
      // Only the hash is stored.
      const row = await t.database.db
        .selectFrom('events')
        .select('invite_token_hash')
        .where('slug', '=', slugs.secret!)
        .executeTakeFirstOrThrow();
      assert.match(row.invite_token_hash ?? '', /^[0-9a-f]{64}$/);
      assert.notEqual(row.invite_token_hash, inviteToken);
      // The organisation's feed lists public events only.
      const feed = await get(t.baseUrl, `/en/organisations/${staff.a.slug}/events.ics`);
      assert.equal(feed.status, 200);
      const text = await feed.text();
      assert.equal((text.match(/BEGIN:VEVENT/g) ?? []).length, 4);
      assert.ok(!text.includes('Invitation-only'));
      assert.ok(!text.includes('Unpublished'));
    });

    it('serves an iCalendar file that parses', async () => {
      const response = await get(t.baseUrl, `/en/events/${slugs.kabul}/calendar.ics`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/calendar; charset=utf-8');
      const text = await response.text();
      const lines = text.replace(/\r\n[ \t]/g, '').split(/\r\n/);
      assert.equal(lines[0], 'BEGIN:VCALENDAR');
      assert.equal(lines.filter((l) => l === 'BEGIN:VEVENT').length, 1);
      assert.ok(lines.includes('DTSTART;TZID=Asia/Kabul:20261210T090000'), text);
      assert.ok(lines.includes('DTEND;TZID=Asia/Kabul:20261211T170000'));
      assert.ok(lines.includes('SUMMARY:Digital safety workshop'));
      assert.ok(lines.some((l) => l.startsWith('LOCATION:Herat women')));
      assert.ok(lines.some((l) => l.startsWith('URL') && l.endsWith(`/en/events/${slugs.kabul}`)));
      assert.ok(lines.includes('END:VCALENDAR'));
    });

    it('makes the agenda PDF in the reader’s language', async () => {
      for (const lang of ['en', 'ar']) {
        const response = await get(t.baseUrl, `/${lang}/events/${slugs.kabul}/agenda/pdf`);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-type'), 'application/pdf');
        const body = Buffer.from(await response.arrayBuffer());
        assert.equal(body.subarray(0, 4).toString('latin1'), '%PDF');
      }
    });

    it('answers 503 with a translated page when the PDF cannot be made', async () => {
      const path = process.env.PATH;
      process.env.PATH = '/nonexistent';
      try {
        const response = await get(t.baseUrl, `/fa/events/${slugs.kabul}/agenda/pdf`);
        assert.equal(response.status, 503);
        const html = await response.text();
        assert.match(html, /<html lang="fa" dir="rtl"/);
      } finally {
        process.env.PATH = path;
      }
    });

    it('says when an event is full, closed or cancelled', async () => {
      const db = t.database.db;
      await db
        .updateTable('events')
        .set({ seats_taken: 20 })
        .where('slug', '=', slugs.kabul!)
        .execute();
      assert.match(
        await (await get(t.baseUrl, `/en/events/${slugs.kabul}`)).text(),
        /Full: waiting list/,
      );
      const past = await (await get(t.baseUrl, `/en/events/${slugs.past}`)).text();
      assert.match(past, /Registration closed/);
      assert.ok(!past.includes('/register"'));
      const id = await db
        .selectFrom('events')
        .select(['id', 'version'])
        .where('slug', '=', slugs.paris!)
        .executeTakeFirstOrThrow();
      await trainer.get(`/en/workspace/events/${id.id}/cancel`);
      const cancelled = await trainer.post(`/en/workspace/events/${id.id}/cancel`, {
        version: String(id.version),
      });
      assert.equal(cancelled.response.status, 303);
      const page = await (await get(t.baseUrl, `/en/events/${slugs.paris}`)).text();
      assert.match(page, /This event has been cancelled/);
      assert.ok(
        !(await (await get(t.baseUrl, '/en/events')).text()).includes('Symposium on online'),
      );
    });
  });
}
