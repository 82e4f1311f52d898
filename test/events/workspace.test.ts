import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, signedIn, type StaffFixture } from '../helpers/staff.js';
import {
  eventCount,
  eventFields,
  idFrom,
  seedCurriculum,
  type CurriculumFixture,
} from './fixtures.js';

for (const dialect of dialects()) {
  describe(`events in the workspace (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    let curriculum: CurriculumFixture;

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
      curriculum = await seedCurriculum(t.database.db, staff.a.publishedWorkId);
    });
    after(() => t.close());

    const eventRow = (id: string) =>
      t.database.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    it('lets a trainer create an event through the forms, in the event’s own time zone', async () => {
      const trainer = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      const list = await trainer.get('/en/workspace/events');
      assert.equal(list.response.status, 200);
      assert.match(list.html, /href="\/en\/workspace\/events\/new"/);
      const form = await trainer.get('/en/workspace/events/new');
      assert.equal(form.response.status, 200);
      assert.match(form.html, /type="datetime-local"/);
      // Only organisations where the trainer may run events are offered.
      assert.ok(form.html.includes(staff.a.id));
      assert.ok(!form.html.includes(staff.b.id));

      const created = await trainer.post(
        '/en/workspace/events',
        eventFields(staff.a.id, { curriculum: curriculum.id }),
      );
      assert.equal(created.response.status, 303);
      const id = idFrom(created.response.headers.get('location'));
      assert.ok(id);
      const row = await eventRow(id);
      // 09:00 in Kabul (UTC+4:30) is 04:30 UTC.
      assert.equal(row.starts_at, '2026-12-10T04:30:00.000Z');
      assert.equal(row.ends_at, '2026-12-11T12:30:00.000Z');
      assert.equal(row.time_zone, 'Asia/Kabul');
      assert.equal(row.country, 'AF');
      assert.equal(row.capacity, 20);
      assert.equal(row.published_at, null);
      const languages = await t.database.db
        .selectFrom('event_languages')
        .select('language')
        .where('event_id', '=', id)
        .orderBy('language')
        .execute();
      assert.deepEqual(
        languages.map((l) => l.language),
        ['en', 'fa-AF'],
      );
      const audit = await t.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', id)
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['event.create'],
      );

      const page = await trainer.get(`/en/workspace/events/${id}`);
      assert.equal(page.response.status, 200);
      for (const sub of [
        'agenda',
        'participants',
        'attendance',
        'roster',
        'certificates',
        'surveys',
        'projects',
      ])
        assert.ok(page.html.includes(`/en/workspace/events/${id}/${sub}`), sub);
      assert.match(page.html, /value="2026-12-10T09:00"/);

      // A translation, then publishing.
      const fa = await trainer.post(`/en/workspace/events/${id}/texts`, {
        version: '1',
        language: 'fa',
        title: 'کارگاه امنیت دیجیتال',
        description: '',
      });
      assert.equal(fa.response.status, 303);
      const published = await trainer.post(`/en/workspace/events/${id}/publish`, {
        version: '2',
        to: 'published',
      });
      assert.equal(published.response.status, 303);
      assert.ok((await eventRow(id)).published_at);
    });

    it('answers 404 to another organisation’s trainer and changes nothing', async () => {
      const owner = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      await owner.get('/en/workspace/events/new');
      const created = await owner.post('/en/workspace/events', eventFields(staff.a.id));
      const id = idFrom(created.response.headers.get('location'));
      const before = JSON.stringify(await eventRow(id));

      const other = await signedIn(t.baseUrl, staff.user('b', 'trainer'));
      assert.equal((await other.get(`/en/workspace/events/${id}`)).response.status, 404);
      assert.equal((await other.get(`/en/workspace/events/${id}/agenda`)).response.status, 404);
      const list = await other.get('/en/workspace/events');
      assert.ok(!list.html.includes(id));
      await other.get('/en/workspace/events/new');
      const edit = await other.post(`/en/workspace/events/${id}`, {
        ...eventFields(staff.b.id, { capacity: '5' }),
        version: '1',
      });
      assert.equal(edit.response.status, 404);
      const publish = await other.post(`/en/workspace/events/${id}/publish`, {
        version: '1',
        to: 'published',
      });
      assert.equal(publish.response.status, 404);
      const agenda = await other.post(`/en/workspace/events/${id}/agenda/items`, {
        day: '2026-12-10',
        title: 'Break',
        minutes: '15',
      });
      assert.equal(agenda.response.status, 404);
      // Nor may they create events in organisation a.
      const foreign = await other.post('/en/workspace/events', eventFields(staff.a.id));
      assert.equal(foreign.response.status, 400);
      assert.equal(JSON.stringify(await eventRow(id)), before);
      const items = await t.database.db
        .selectFrom('event_agenda_items')
        .select('id')
        .where('event_id', '=', id)
        .execute();
      assert.equal(items.length, 0);
      // A translator of organisation a sees the event but may not change it.
      const translator = await signedIn(t.baseUrl, staff.user('a', 'translator'));
      assert.equal((await translator.get(`/en/workspace/events/${id}`)).response.status, 200);
      const refused = await translator.post(`/en/workspace/events/${id}/publish`, {
        version: '1',
        to: 'published',
      });
      assert.equal(refused.response.status, 403);
      assert.equal(JSON.stringify(await eventRow(id)), before);
    });

    it('refuses bad input with a message in the page’s language and writes nothing', async () => {
      const trainer = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      await trainer.get('/en/workspace/events/new');
      const count = await eventCount(t.database.db);
      const auditBefore = await t.database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const cases: [Record<string, string>, RegExp][] = [
        [{ time_zone: 'Mars/Olympus' }, /Choose a time zone from the list/],
        [{ starts: '2026-13-45T25:00' }, /Enter a real date and time/],
        [
          { starts: '2026-12-11T09:00', ends: '2026-12-10T09:00' },
          /The end must be after the start/,
        ],
        [{ capacity: '0' }, /Enter a number of seats from 1 to 10,000/],
        [{ online_url: 'javascript:alert(1)' }, /Enter a web address starting with https:\/\//],
        [{ languages: 'en, not a tag!' }, /Enter language codes/],
        [{ country: 'QQ' }, /Choose a country from the list/],
      ];
      for (const [override, message] of cases) {
        const { response, html } = await trainer.post(
          '/en/workspace/events',
          eventFields(staff.a.id, override),
        );
        assert.equal(response.status, 400, JSON.stringify(override));
        assert.match(html, message);
        assert.doesNotMatch(html, /Internal|stack/i);
      }
      // The same in Arabic: the page speaks Arabic.
      await trainer.get('/ar/workspace/events/new');
      const ar = await trainer.post(
        '/ar/workspace/events',
        eventFields(staff.a.id, { time_zone: 'Mars/Olympus', capacity: '0' }),
      );
      assert.equal(ar.response.status, 400);
      assert.match(ar.html, /<html lang="ar" dir="rtl"/);
      assert.match(ar.html, /اختر منطقة زمنية من القائمة/);
      assert.match(ar.html, /أدخل عدد مقاعد من 1 إلى 10000/);
      // The form comes back filled in.
      assert.match(ar.html, /Herat women/);
      assert.equal(await eventCount(t.database.db), count);
      const auditAfter = await t.database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(auditAfter.n), Number(auditBefore.n));
    });

    it('answers 409 to a stale form and refuses a capacity below the seats taken', async () => {
      const trainer = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      await trainer.get('/en/workspace/events/new');
      const created = await trainer.post('/en/workspace/events', eventFields(staff.a.id));
      const id = idFrom(created.response.headers.get('location'));
      const first = await trainer.post(`/en/workspace/events/${id}`, {
        ...eventFields(staff.a.id, { capacity: '30' }),
        version: '1',
      });
      assert.equal(first.response.status, 303);
      const stale = await trainer.post(`/en/workspace/events/${id}`, {
        ...eventFields(staff.a.id, { capacity: '40', place: 'Kabul' }),
        version: '1',
      });
      assert.equal(stale.response.status, 409);
      const row = await eventRow(id);
      assert.equal(row.capacity, 30);
      assert.equal(row.version, 2);

      await t.database.db
        .updateTable('events')
        .set({ seats_taken: 12 })
        .where('id', '=', id)
        .execute();
      const lower = await trainer.post(`/en/workspace/events/${id}`, {
        ...eventFields(staff.a.id, { capacity: '10' }),
        version: '2',
      });
      assert.equal(lower.response.status, 400);
      assert.match(lower.html, /More people have already registered than this number of seats/);
      assert.equal((await eventRow(id)).capacity, 30);
      const enough = await trainer.post(`/en/workspace/events/${id}`, {
        ...eventFields(staff.a.id, { capacity: '12' }),
        version: '2',
      });
      assert.equal(enough.response.status, 303);
      assert.equal((await eventRow(id)).capacity, 12);
    });

    it('builds an agenda from curriculum sessions and free items, in order', async () => {
      const trainer = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      await trainer.get('/en/workspace/events/new');
      const created = await trainer.post(
        '/en/workspace/events',
        eventFields(staff.a.id, { curriculum: curriculum.id }),
      );
      const id = idFrom(created.response.headers.get('location'));
      const page = await trainer.get(`/en/workspace/events/${id}/agenda`);
      assert.equal(page.response.status, 200);
      assert.match(page.html, /Digital safety basics/);
      assert.match(page.html, /value="2026-12-11"/);

      const welcome = await trainer.post(`/en/workspace/events/${id}/agenda/items`, {
        day: '2026-12-10',
        start_time: '09:00',
        title: 'Welcome',
        minutes: '15',
      });
      assert.equal(welcome.response.status, 303);
      // Ticked in reverse order: added in the curriculum's order, with its durations.
      const sessions = new URLSearchParams();
      sessions.append('session', curriculum.sessions[2]!.id);
      sessions.append('session', curriculum.sessions[0]!.id);
      sessions.set('day', '2026-12-10');
      sessions.set('_csrf', trainer.csrf);
      const added = await fetch(`${t.baseUrl}/en/workspace/events/${id}/agenda/sessions`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie: [...trainer.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'content-type': 'application/x-www-form-urlencoded',
          origin: t.baseUrl,
        },
        body: sessions,
      });
      assert.equal(added.status, 303);
      const lunch = await trainer.post(`/en/workspace/events/${id}/agenda/items`, {
        day: '2026-12-10',
        start_time: '',
        title: 'Lunch',
        minutes: '60',
      });
      assert.equal(lunch.response.status, 303);
      const items = () =>
        t.database.db
          .selectFrom('event_agenda_items')
          .selectAll()
          .where('event_id', '=', id)
          .orderBy('day')
          .orderBy('position')
          .execute();
      let rows = await items();
      assert.deepEqual(
        rows.map((r) => [r.title, r.session_id, r.minutes]),
        [
          ['Welcome', null, 15],
          [null, curriculum.sessions[0]!.id, 90],
          [null, curriculum.sessions[2]!.id, 60],
          ['Lunch', null, 60],
        ],
      );
      const view = await trainer.get(`/en/workspace/events/${id}/agenda`);
      const order = ['Welcome', 'Digital safety basics', 'Safer phones', 'Lunch'].map((s) =>
        view.html.indexOf(s, view.html.indexOf('<h2')),
      );
      assert.deepEqual(
        [...order].sort((a, b) => a - b),
        order,
      );
      assert.match(view.html, /Total: 225 minutes/);

      // Move Lunch up, move Welcome to the second day, delete a session.
      const lunchId = rows[3]!.id;
      assert.equal(
        (
          await trainer.post(`/en/workspace/events/${id}/agenda/items/${lunchId}/move`, {
            direction: 'up',
          })
        ).response.status,
        303,
      );
      rows = await items();
      assert.deepEqual(
        rows.map((r) => r.title ?? r.session_id),
        ['Welcome', curriculum.sessions[0]!.id, 'Lunch', curriculum.sessions[2]!.id],
      );
      const moved = await trainer.post(`/en/workspace/events/${id}/agenda/items/${rows[0]!.id}`, {
        day: '2026-12-11',
        start_time: '08:30',
        minutes: '20',
      });
      assert.equal(moved.response.status, 303);
      const deleted = await trainer.post(
        `/en/workspace/events/${id}/agenda/items/${rows[3]!.id}/delete`,
        {},
      );
      assert.equal(deleted.response.status, 303);
      rows = await items();
      assert.deepEqual(
        rows.map((r) => [r.day, r.start_time, r.title ?? r.session_id]),
        [
          ['2026-12-10', null, curriculum.sessions[0]!.id],
          ['2026-12-10', null, 'Lunch'],
          ['2026-12-11', '08:30', 'Welcome'],
        ],
      );
      // A day outside the event, or no title: 400 with the message, nothing added.
      const bad = await trainer.post(`/en/workspace/events/${id}/agenda/items`, {
        day: '2027-01-01',
        title: '',
        minutes: '0',
      });
      assert.equal(bad.response.status, 400);
      assert.match(bad.html, /Choose one of the days of the event/);
      assert.equal((await items()).length, 3);
    });

    it('assigns trainers from the organisation’s staff', async () => {
      const admin = await signedIn(t.baseUrl, staff.user('a', 'org_admin'));
      await admin.get('/en/workspace/events/new');
      const created = await admin.post('/en/workspace/events', eventFields(staff.a.id));
      const id = idFrom(created.response.headers.get('location'));
      const trainer = await t.database.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', staff.user('a', 'trainer'))
        .executeTakeFirstOrThrow();
      const outsider = await t.database.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', staff.user('b', 'trainer'))
        .executeTakeFirstOrThrow();
      await admin.get(`/en/workspace/events/${id}`);
      const ok = await admin.post(`/en/workspace/events/${id}/trainers`, {
        user: trainer.id,
        to: 'on',
      });
      assert.equal(ok.response.status, 303);
      const no = await admin.post(`/en/workspace/events/${id}/trainers`, {
        user: outsider.id,
        to: 'on',
      });
      assert.equal(no.response.status, 404);
      const rows = await t.database.db
        .selectFrom('event_trainers')
        .select('user_id')
        .where('event_id', '=', id)
        .execute();
      assert.deepEqual(
        rows.map((r) => r.user_id),
        [trainer.id],
      );
    });
  });
}
