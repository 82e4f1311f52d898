import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FieldCipher } from '../../src/platform/crypto/field-encryption.js';
import { loadKeyRing } from '../../src/platform/crypto/key-ring.js';
import { certificateHtml, loadCertificate } from '../../src/features/registration/certificates.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, signedIn, StaffClient, type StaffFixture } from '../helpers/staff.js';
import { counts, makeEvent, moveToPast, registerVia } from './helpers.js';

/** The text of a PDF as pdftotext reads it, with Arabic presentation forms folded back. */
function pdfText(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-cert-'));
  try {
    const file = path.join(dir, 'c.pdf');
    fs.writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).normalize('NFKC');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ARABIC_NAME = 'ليلى حداد';

for (const dialect of dialects()) {
  describe(`attendance, paper roster and certificates (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    let eventId: string;
    const codes: Record<string, string> = {};

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
      const event = await makeEvent(t.database.db, {
        organisationId: staff.a.id,
        days: 2,
        languages: ['ar', 'en'],
      });
      eventId = event.id;
      for (const [key, fields, lang] of [
        [
          'layla',
          { display_name: ARABIC_NAME, contact: '+961 1 234 567', consent_contact: '1' },
          'ar',
        ],
        ['sam', { display_name: 'Sam Partial', contact: 'sam@example.org' }, 'en'],
      ] as const) {
        const r = await registerVia(t.baseUrl, event.slug, fields, lang);
        assert.equal(r.status, 201);
        codes[key] = r.code!;
      }
      // The workshop took place.
      await moveToPast(t.database.db, eventId, 2);
    });
    after(() => t.close());

    /** A participant's registration id, read from the trainer's attendance form. */
    const registrationOf = async (name: 'layla' | 'sam') => {
      const trainer = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      const { html } = await trainer.get(`/en/workspace/events/${eventId}/attendance`);
      const shown = name === 'layla' ? ARABIC_NAME : 'Sam Partial';
      return new RegExp(`value="([0-9a-f-]{36})"[^>]*/> <bdi>${shown}</bdi>`).exec(html)?.[1] ?? '';
    };

    it('lists participants for their organisation only, contacts only with consent', async () => {
      const trainer = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      const list = await trainer.get(`/en/workspace/events/${eventId}/participants`);
      assert.equal(list.response.status, 200);
      assert.match(list.html, new RegExp(ARABIC_NAME));
      assert.match(list.html, /Sam Partial/);
      assert.match(list.html, /\+961 1 234 567/);
      assert.doesNotMatch(list.html, /sam@example\.org/, 'no contact without consent');
      assert.match(list.response.headers.get('cache-control') ?? '', /no-store/);

      const otherTrainer = await signedIn(t.baseUrl, staff.user('b', 'trainer'));
      for (const page of ['participants', 'attendance', 'roster', 'certificates']) {
        const { response, html } = await otherTrainer.get(
          `/en/workspace/events/${eventId}/${page}`,
        );
        assert.equal(response.status, 404, page);
        assert.doesNotMatch(html, /Sam Partial/);
      }
      const refused = await otherTrainer.post(`/en/workspace/events/${eventId}/attendance`, {
        slot: 'day:2000-01-01',
      });
      assert.equal(refused.response.status, 404);
      const editor = await signedIn(t.baseUrl, staff.user('a', 'editor'));
      assert.equal(
        (await editor.get(`/en/workspace/events/${eventId}/participants`)).response.status,
        403,
      );
      assert.equal(
        (await editor.get(`/en/workspace/events/${eventId}/attendance`)).response.status,
        403,
      );
    });

    it('a trainer marks attendance per day, for past days too, and prints the roster', async () => {
      const trainer = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      const page = await trainer.get(`/en/workspace/events/${eventId}/attendance`);
      assert.equal(page.response.status, 200);
      const slots = [...page.html.matchAll(/<option value="(day:\d{4}-\d{2}-\d{2})"/g)].map(
        (m) => m[1]!,
      );
      assert.equal(slots.length, 2);
      const layla = await registrationOf('layla');
      const sam = await registrationOf('sam');
      assert.ok(layla && sam);

      // Day one: both present. Day two: only Layla (one request per slot, the whole slot).
      const day1 = await trainer.get(`/en/workspace/events/${eventId}/attendance?slot=${slots[0]}`);
      assert.match(day1.html, /type="checkbox" name="present"/);
      const body = new URLSearchParams({ _csrf: trainer.csrf, slot: slots[0]! });
      body.append('present', layla);
      body.append('present', sam);
      const saved = await fetch(`${t.baseUrl}/en/workspace/events/${eventId}/attendance`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie: [...trainer.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'content-type': 'application/x-www-form-urlencoded',
          origin: t.baseUrl,
        },
        body,
      });
      assert.equal(saved.status, 303);
      const second = await trainer.post(`/en/workspace/events/${eventId}/attendance`, {
        slot: slots[1]!,
        present: layla,
      });
      assert.equal(second.response.status, 303);
      const shown = await trainer.get(second.response.headers.get('location')!);
      assert.match(shown.html, /Attendance saved/);
      assert.match(shown.html, new RegExp(`value="${layla}" checked`));
      assert.doesNotMatch(shown.html, new RegExp(`value="${sam}" checked`));

      const rows = await t.database.db
        .selectFrom('attendance')
        .selectAll()
        .where('registration_id', 'in', [layla, sam])
        .execute();
      assert.equal(rows.length, 4);
      assert.equal(rows.filter((r) => r.present === 1).length, 3);
      const trainerId = (
        await t.database.db
          .selectFrom('users')
          .select('id')
          .where('username', '=', staff.user('a', 'trainer'))
          .executeTakeFirstOrThrow()
      ).id;
      assert.ok(rows.every((r) => r.marked_by === trainerId && r.marked_at));

      const before = await counts(t.database.db);
      const badSlot = await trainer.post(`/en/workspace/events/${eventId}/attendance`, {
        slot: 'day:1999-01-01',
        present: layla,
      });
      assert.equal(badSlot.response.status, 404);
      assert.deepEqual(await counts(t.database.db), before);

      const roster = await trainer.get(`/ar/workspace/events/${eventId}/roster`);
      assert.equal(roster.response.status, 200);
      assert.match(roster.html, /<html lang="ar" dir="rtl">/);
      assert.match(roster.html, /@page\{size:A4/);
      assert.match(roster.html, new RegExp(ARABIC_NAME));
      assert.match(roster.html, /Sam Partial/);
      assert.doesNotMatch(roster.html, /961|example\.org/, 'no contacts on paper');
      assert.equal((roster.html.match(/<td class="box">/g) ?? []).length, 2 * (2 + 5));
      assert.match(
        roster.response.headers.get('content-security-policy') ?? '',
        /style-src 'sha256-/,
      );
      assert.match(roster.response.headers.get('cache-control') ?? '', /no-store/);
    });

    it('issues an Arabic certificate to who completed, checkable and revocable', async () => {
      const trainer = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      const layla = await registrationOf('layla');
      const sam = await registrationOf('sam');
      const page = await trainer.get(`/en/workspace/events/${eventId}/certificates`);
      assert.equal(page.response.status, 200);
      assert.match(page.html, /Not completed/); // Sam: 1 of 2 days
      assert.match(page.html, /<option value="ar" selected/); // the event's first language

      const before = await counts(t.database.db);
      const refused = await trainer.post(`/en/workspace/events/${eventId}/certificates`, {
        registration: sam,
        language: 'en',
      });
      assert.equal(refused.response.status, 409);
      assert.match(refused.html, /has not completed the event/);
      assert.deepEqual(await counts(t.database.db), before);

      const issued = await trainer.post(`/en/workspace/events/${eventId}/certificates`, {
        registration: layla,
        language: 'ar',
      });
      assert.equal(issued.response.status, 303);
      const twice = await trainer.post(`/en/workspace/events/${eventId}/certificates`, {
        registration: layla,
        language: 'ar',
      });
      assert.equal(twice.response.status, 409);
      const cert = await t.database.db
        .selectFrom('certificates')
        .selectAll()
        .where('registration_id', '=', layla)
        .executeTakeFirstOrThrow();
      assert.match(
        cert.verification_code,
        /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/,
      );
      assert.equal(cert.language, 'ar');

      // The participant downloads it with her code.
      const visitor = new StaffClient(t.baseUrl);
      await visitor.get('/ar/participant');
      const mine = await visitor.post('/ar/participant', { code: codes.layla! });
      assert.match(mine.html, /name="certificate" value="/);
      const download = await fetch(`${t.baseUrl}/ar/participant/certificate`, {
        method: 'POST',
        headers: {
          cookie: [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'content-type': 'application/x-www-form-urlencoded',
          origin: t.baseUrl,
        },
        body: new URLSearchParams({
          _csrf: visitor.csrf,
          code: codes.layla!,
          certificate: cert.id,
        }),
      });
      assert.equal(download.status, 200);
      assert.equal(download.headers.get('content-type'), 'application/pdf');
      const pdf = Buffer.from(await download.arrayBuffer());
      assert.equal(pdf.subarray(0, 4).toString('latin1'), '%PDF');
      const text = pdfText(pdf);
      const words = ARABIC_NAME.split(' ');
      assert.ok(
        words.every((w) => text.includes(w) || text.includes([...w].reverse().join(''))),
        `the Arabic name is in the PDF text: ${text.slice(0, 300)}`,
      );
      // pdftotext mangles Latin text and digits set inside Arabic runs (WeasyPrint's ToUnicode
      // maps), though the page shows them right: check the document the PDF is made from.
      const facts = await loadCertificate(
        t.database.db,
        new FieldCipher(loadKeyRing({}, t.dataDir)),
        { id: cert.id },
      );
      const html = certificateHtml(facts!, t.baseUrl);
      assert.match(html, /<html lang="ar" dir="rtl">/);
      assert.ok(html.includes(cert.verification_code));
      assert.ok(html.includes(`${t.baseUrl}/ar/certificates/verify`));
      assert.ok(html.includes(ARABIC_NAME));
      assert.match(html, /شهادة مشاركة/);

      // Someone else's code does not open it.
      const stranger = await visitor.post('/ar/participant/certificate', {
        code: codes.sam!,
        certificate: cert.id,
      });
      assert.notEqual(stranger.response.headers.get('content-type'), 'application/pdf');

      // Staff download, too.
      const staffPdf = await fetch(
        `${t.baseUrl}/en/workspace/events/${eventId}/certificates/${cert.id}/pdf`,
        { headers: { cookie: [...trainer.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } },
      );
      assert.equal(staffPdf.status, 200);
      assert.equal(
        Buffer.from(await staffPdf.arrayBuffer())
          .subarray(0, 4)
          .toString('latin1'),
        '%PDF',
      );

      // Public check: valid (typed sloppily), then revoked; unknown codes are not found.
      const sloppy = cert.verification_code.toLowerCase().replace(/-/g, ' ');
      const valid = await fetch(
        `${t.baseUrl}/en/certificates/verify?code=${encodeURIComponent(sloppy)}`,
      );
      assert.equal(valid.status, 200);
      const validHtml = await valid.text();
      assert.match(validHtml, /This certificate is valid/);
      assert.match(validHtml, new RegExp(ARABIC_NAME));
      assert.match(validHtml, /Digital safety workshop/);
      assert.match(validHtml, /Org org-a/);
      assert.doesNotMatch(validHtml, /961/);
      const unknown = await fetch(`${t.baseUrl}/en/certificates/verify?code=AAAA-BBBB-CC`);
      assert.equal(unknown.status, 404);
      assert.match(await unknown.text(), /No certificate has this code/);
      const checker = new StaffClient(t.baseUrl);
      await checker.get('/en/certificates/verify');
      const posted = await checker.post('/en/certificates/verify', {
        code: cert.verification_code,
      });
      assert.match(posted.html, /This certificate is valid/);

      const revoked = await trainer.post(
        `/en/workspace/events/${eventId}/certificates/${cert.id}/revoke`,
        {},
      );
      assert.equal(revoked.response.status, 303);
      const after = await fetch(
        `${t.baseUrl}/en/certificates/verify?code=${encodeURIComponent(cert.verification_code)}`,
      );
      const afterHtml = await after.text();
      assert.match(afterHtml, /This certificate has been revoked/);
      assert.doesNotMatch(afterHtml, new RegExp(ARABIC_NAME));
      const audit = await t.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', 'in', ['certificate.issue', 'certificate.revoke', 'attendance.save'])
        .execute();
      assert.equal(audit.length, 4);
    });
  });
}
