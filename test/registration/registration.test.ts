import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { FieldCipher } from '../../src/platform/crypto/field-encryption.js';
import { loadKeyRing } from '../../src/platform/crypto/key-ring.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, StaffClient, type StaffFixture } from '../helpers/staff.js';
import { counts, makeEvent, registerVia } from './helpers.js';

for (const dialect of dialects()) {
  describe(`registration without an account (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
    });
    after(() => t.close());

    it('never overbooks: 100 parallel registrations for 20 seats', async () => {
      const event = await makeEvent(t.database.db, { organisationId: staff.a.id, capacity: 20 });
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          registerVia(t.baseUrl, event.slug, { display_name: `Person ${i}` }),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.status),
        Array.from({ length: 100 }, () => 201),
      );
      assert.equal(
        new Set(results.map((r) => r.code)).size,
        100,
        'every participant has her own code',
      );
      const rows = await t.database.db
        .selectFrom('registrations')
        .select('status')
        .where('event_id', '=', event.id)
        .execute();
      assert.equal(rows.filter((r) => r.status === 'registered').length, 20);
      assert.equal(rows.filter((r) => r.status === 'waitlisted').length, 80);
      const ev = await t.database.db
        .selectFrom('events')
        .select('seats_taken')
        .where('id', '=', event.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(ev.seats_taken), 20);
      assert.equal(results.filter((r) => /You are registered/.test(r.html)).length, 20);
      assert.equal(results.filter((r) => /You are on the waiting list/.test(r.html)).length, 80);
    });

    it('keeps no readable personal data in the rows, and ciphertexts stay in their row', async () => {
      const event = await makeEvent(t.database.db, { organisationId: staff.a.id });
      const name = 'Zaynab Secretname';
      const contact = 'zaynab.private@example.org';
      const note = 'Needs step-free access to the room';
      const first = await registerVia(t.baseUrl, event.slug, {
        display_name: name,
        contact,
        age_band: '25-34',
        gender: 'woman',
        note,
        consent_contact: '1',
      });
      assert.equal(first.status, 201);
      const second = await registerVia(t.baseUrl, event.slug, { display_name: 'Omar Othername' });
      assert.equal(second.status, 201);
      // The code is shown once, in the page, never in a URL or a cookie.
      assert.ok(first.code);
      assert.ok(![...first.visitor.cookies.values()].some((v) => v.includes(first.code!)));

      const registrations = await t.database.db
        .selectFrom('registrations')
        .selectAll()
        .where('event_id', '=', event.id)
        .execute();
      const participants = await t.database.db
        .selectFrom('participants')
        .selectAll()
        .where(
          'id',
          'in',
          registrations.map((r) => r.participant_id),
        )
        .execute();
      assert.equal(participants.length, 2);
      const raw = JSON.stringify({ registrations, participants });
      for (const secret of [
        name,
        'Zaynab',
        contact,
        note,
        'step-free',
        'Omar',
        first.code!,
        first.code!.replace(/-/g, ''),
      ])
        assert.ok(!raw.includes(secret), `${secret} is readable in the rows`);
      const zaynab = participants.find((p) => p.contact_enc !== null)!;
      for (const value of [
        zaynab.display_name_enc,
        zaynab.contact_enc,
        zaynab.age_band_enc,
        zaynab.gender_enc,
      ])
        assert.match(value ?? '', /^enc1\./);
      assert.match(
        registrations.find((r) => r.participant_id === zaynab.id)!.note_enc ?? '',
        /^enc1\./,
      );
      assert.match(zaynab.code_hmac, /^[0-9a-f]{64}$/);

      // With the app's keys the values read back; swapped between rows they do not.
      const cipher = new FieldCipher(loadKeyRing({}, t.dataDir));
      const place = (rowId: string) => ({
        table: 'participants',
        column: 'display_name_enc',
        rowId,
      });
      assert.equal(cipher.decrypt(zaynab.display_name_enc, place(zaynab.id)), name);
      const omar = participants.find((p) => p.id !== zaynab.id)!;
      await t.database.db
        .updateTable('participants')
        .set({ display_name_enc: omar.display_name_enc })
        .where('id', '=', zaynab.id)
        .execute();
      await t.database.db
        .updateTable('participants')
        .set({ display_name_enc: zaynab.display_name_enc })
        .where('id', '=', omar.id)
        .execute();
      const swapped = await t.database.db
        .selectFrom('participants')
        .select(['id', 'display_name_enc'])
        .where('id', 'in', [zaynab.id, omar.id])
        .execute();
      for (const row of swapped)
        assert.throws(
          () => cipher.decrypt(row.display_name_enc, place(row.id)),
          /authentication failed/,
        );
      // Put them back for the other tests.
      await t.database.db
        .updateTable('participants')
        .set({ display_name_enc: zaynab.display_name_enc })
        .where('id', '=', zaynab.id)
        .execute();
      await t.database.db
        .updateTable('participants')
        .set({ display_name_enc: omar.display_name_enc })
        .where('id', '=', omar.id)
        .execute();
    });

    it('refuses bad input with clear messages and writes nothing', async () => {
      const db = t.database.db;
      const open = await makeEvent(db, { organisationId: staff.a.id });
      const before = await counts(db);

      const missing = await registerVia(t.baseUrl, open.slug, {
        display_name: '   ',
        contact: 'x',
      });
      assert.equal(missing.status, 422);
      assert.match(missing.html, /Enter a name or pseudonym/);
      const long = await registerVia(t.baseUrl, open.slug, {
        display_name: 'n'.repeat(81),
        contact: 'c'.repeat(201),
        note: 'x'.repeat(1001),
        age_band: 'ancient',
      });
      assert.equal(long.status, 422);
      assert.match(long.html, /The name is too long/);
      assert.match(long.html, /The contact is too long/);
      assert.match(long.html, /The note is too long/);
      assert.match(long.html, /Choose one of the options/);

      const past = await makeEvent(db, { organisationId: staff.a.id, startsInDays: -1 });
      const late = await new StaffClient(t.baseUrl).get(`/en/events/${past.slug}/register`);
      assert.equal(late.response.status, 409);
      assert.match(late.html, /Registration is closed/);
      assert.doesNotMatch(late.html, /name="display_name"/);
      // A form kept open from before the start is refused too.
      const stale = new StaffClient(t.baseUrl);
      await stale.get(`/en/events/${open.slug}/register`);
      const lateForm = await stale.post(`/en/events/${past.slug}/register`, {
        display_name: 'Late',
      });
      assert.equal(lateForm.response.status, 409);
      assert.match(lateForm.html, /Registration is closed/);

      const cancelled = await makeEvent(db, { organisationId: staff.a.id, cancelled: true });
      const cancelledForm = await stale.post(`/en/events/${cancelled.slug}/register`, {
        display_name: 'Someone',
      });
      assert.equal(cancelledForm.response.status, 404);
      assert.match(cancelledForm.html, /This event has been cancelled/);

      const draft = await makeEvent(db, { organisationId: staff.a.id, published: false });
      assert.equal((await fetch(`${t.baseUrl}/en/events/${draft.slug}/register`)).status, 404);
      assert.equal((await fetch(`${t.baseUrl}/en/events/no-such-event/register`)).status, 404);
      const invite = await makeEvent(db, {
        organisationId: staff.a.id,
        inviteToken: 'secret-invite-42',
      });
      assert.equal((await fetch(`${t.baseUrl}/en/events/${invite.slug}/register`)).status, 404);
      assert.equal(
        (await fetch(`${t.baseUrl}/en/events/${invite.slug}/register?invite=wrong`)).status,
        404,
      );
      const noInvite = await stale.post(`/en/events/${invite.slug}/register`, {
        display_name: 'X',
      });
      assert.equal(noInvite.response.status, 404);

      const forged = await registerVia(t.baseUrl, open.slug, { code: 'WXYZ-2345-6789' });
      const malformed = await registerVia(t.baseUrl, open.slug, { code: 'hello' });
      assert.equal(forged.status, 422);
      assert.equal(malformed.status, 422);
      const message = /This participant code is not valid[^<]*/;
      assert.equal(message.exec(forged.html)?.[0], message.exec(malformed.html)?.[0]);
      assert.ok(message.test(forged.html));
      assert.doesNotMatch(forged.html, /WXYZ-2345-6789/);

      const noToken = new StaffClient(t.baseUrl);
      const refused = await noToken.post(`/en/events/${open.slug}/register`, { display_name: 'X' });
      assert.equal(refused.response.status, 403);

      assert.deepEqual(await counts(db), before);

      // With the right invitation it works.
      const invited = await registerVia(t.baseUrl, invite.slug, {
        display_name: 'Invited',
        invite: 'secret-invite-42',
      });
      assert.equal(invited.status, 201);
    });

    it('registers a returning participant by her code, once per event', async () => {
      const db = t.database.db;
      const first = await makeEvent(db, { organisationId: staff.a.id });
      const second = await makeEvent(db, { organisationId: staff.a.id });
      const made = await registerVia(t.baseUrl, first.slug, { display_name: 'Returning Rima' });
      assert.ok(made.code);
      const before = await counts(db);
      const again = await registerVia(t.baseUrl, first.slug, { code: made.code });
      assert.equal(again.status, 409);
      assert.match(again.html, /already registered for this event/);
      assert.deepEqual(await counts(db), before);
      // Typed sloppily: lower case, spaces, O for 0, Persian and Arabic-Indic digits.
      const persian = made
        .code!.toLowerCase()
        .replace(/-/g, ' ')
        .replace(/[0-9]/g, (d) => (d === '0' ? 'o' : String.fromCharCode(0x06f0 + Number(d))));
      const back = await registerVia(t.baseUrl, second.slug, { code: persian }, 'fa');
      assert.equal(back.status, 201, back.html.slice(0, 400));
      assert.equal(back.code, undefined, 'no new code for a returning participant');
      const after = await counts(db);
      assert.equal(after.participants, before.participants);
      assert.equal(after.registrations, before.registrations + 1);
    });

    it('serves the Arabic form right to left, without autocomplete on personal fields', async () => {
      const event = await makeEvent(t.database.db, { organisationId: staff.a.id });
      const { response, html } = await new StaffClient(t.baseUrl).get(
        `/ar/events/${event.slug}/register`,
      );
      assert.equal(response.status, 200);
      assert.match(response.headers.get('cache-control') ?? '', /no-store/);
      assert.match(html, /<html lang="ar" dir="rtl">/);
      for (const name of ['display_name', 'contact', 'note', 'code'])
        assert.match(html, new RegExp(`name="${name}"[^>]*autocomplete="off"`), name);
      assert.doesNotMatch(html, /type="checkbox"[^>]*checked/);
      // One round trip on a slow phone connection.
      assert.ok(gzipSync(Buffer.from(html), { level: 6 }).length <= 14_600);
      const done = await registerVia(t.baseUrl, event.slug, { display_name: 'ليلى' }, 'ar');
      assert.equal(done.status, 201);
      assert.match(done.html, /<html lang="ar" dir="rtl">/);
      assert.ok(done.code);
    });

    it('the participant page: her registrations, one message for forged codes, cancelling promotes the waiting list', async () => {
      const db = t.database.db;
      const event = await makeEvent(db, { organisationId: staff.a.id, capacity: 1 });
      const a = await registerVia(t.baseUrl, event.slug, { display_name: 'Amal' });
      const b = await registerVia(t.baseUrl, event.slug, { display_name: 'Bashir' });
      assert.match(a.html, /You are registered/);
      assert.match(b.html, /number 1 on the waiting list/);

      const visitor = new StaffClient(t.baseUrl);
      await visitor.get('/en/participant');
      const forged = await visitor.post('/en/participant', { code: 'ZZZZ-ZZZZ-ZZZZ' });
      const malformed = await visitor.post('/en/participant', { code: '<script>' });
      assert.equal(forged.response.status, 404);
      assert.equal(malformed.response.status, 404);
      assert.match(forged.html, /This participant code is not valid/);
      assert.match(malformed.html, /This participant code is not valid/);
      assert.doesNotMatch(malformed.html, /<script>/);

      const page = await visitor.post('/en/participant', { code: a.code! });
      assert.equal(page.response.status, 200);
      assert.match(page.html, /Digital safety workshop/);
      assert.match(page.html, /Registered/);
      // From here she finds her surveys and her data rights (each asks for the code again).
      assert.match(page.html, /href="\/en\/survey"/);
      assert.match(page.html, /href="\/en\/participant\/my-data"/);
      const registrationId = /name="registration" value="([0-9a-f-]{36})"/.exec(page.html)?.[1];
      assert.ok(registrationId);
      // Someone else's code cannot cancel her registration.
      const other = await visitor.post('/en/participant/cancel', {
        code: b.code!,
        registration: registrationId,
      });
      assert.match(other.html, /can no longer be cancelled/);
      const cancelled = await visitor.post('/en/participant/cancel', {
        code: a.code!,
        registration: registrationId,
      });
      assert.equal(cancelled.response.status, 200);
      assert.match(cancelled.html, /Your registration has been cancelled/);
      const rows = await db
        .selectFrom('registrations')
        .select(['status'])
        .where('event_id', '=', event.id)
        .orderBy('created_at')
        .execute();
      assert.deepEqual(
        rows.map((r) => r.status),
        ['cancelled', 'registered'],
      );
      const ev = await db
        .selectFrom('events')
        .select('seats_taken')
        .where('id', '=', event.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(ev.seats_taken), 1);
      const bPage = await visitor.post('/en/participant', { code: b.code! });
      assert.match(bPage.html, /Registered/);
      assert.doesNotMatch(bPage.html, /waiting list/);
    });
  });
}
