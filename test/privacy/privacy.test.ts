/**
 * Participants' rights and field encryption (security checklist 17 and 18): every table with
 * personal data has an export and erase provider; one participant who touched every feature is
 * exported whole and erased without a trace (tables, files, search index); ciphertexts are bound
 * to their row; keys rotate.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, signedIn, StaffClient, type StaffFixture } from '../helpers/staff.js';
import {
  cipherOf,
  insertEvent,
  insertParticipant,
  tablesAndColumns,
  type ParticipantFixture,
} from '../helpers/programmes.js';
import { PRIVACY_PROVIDERS } from '../../src/features/privacy/registry.js';
import {
  ENCRYPTED_COLUMNS,
  keyUsage,
  reencryptAll,
} from '../../src/features/privacy/encrypted-fields.js';
import { FieldCipher, FieldDecryptionError } from '../../src/platform/crypto/field-encryption.js';
import {
  defaultKeyFile,
  loadKeyRing,
  retireKeyFromFile,
  rotateKeyFile,
} from '../../src/platform/crypto/key-ring.js';

/** Columns that hold, or point at, a participant's data. */
function isPersonalColumn(column: string): boolean {
  return (
    column.endsWith('_enc') ||
    column === 'code_hmac' ||
    column === 'participant_id' ||
    column === 'registration_id'
  );
}

const NAME = 'Amina Qasim أمينة';
const CONTACT = 'amina.q@example.org';
const NOTE = 'needs childcare on Saturday';
const FREE_TEXT = 'I will build a site for our shelter';

/** Adds attendance, a pre and post survey with a free-text answer, a project and a certificate. */
async function touchEveryFeature(t: TestApp, organisationEvent: string, p: ParticipantFixture) {
  const db = t.database.db;
  const cipher = cipherOf(t.dataDir);
  const now = new Date().toISOString();
  await db
    .insertInto('attendance')
    .values({
      registration_id: p.registrationId,
      slot: 'day:2026-05-02',
      present: 1,
      marked_by: null,
      marked_at: now,
    })
    .execute();
  const instrumentId = randomUUID();
  await db
    .insertInto('survey_instruments')
    .values({
      id: instrumentId,
      slug: `i-${instrumentId.slice(0, 8)}`,
      organisation_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const likert = randomUUID();
  const text = randomUUID();
  await db
    .insertInto('survey_items')
    .values([
      { id: likert, instrument_id: instrumentId, position: 0, kind: 'likert', construct: 'skills' },
      { id: text, instrument_id: instrumentId, position: 1, kind: 'text', construct: null },
    ])
    .execute();
  for (const phase of ['pre', 'post'] as const) {
    const responseId = randomUUID();
    await db
      .insertInto('survey_responses')
      .values({
        id: responseId,
        registration_id: p.registrationId,
        phase,
        instrument_id: instrumentId,
        language: 'ar',
        submitted_at: now,
      })
      .execute();
    await db
      .insertInto('survey_answers')
      .values([
        {
          response_id: responseId,
          item_id: likert,
          value: phase === 'pre' ? 2 : 4,
          choices: null,
          text_enc: null,
        },
        {
          response_id: responseId,
          item_id: text,
          value: null,
          choices: null,
          text_enc: cipher.encrypt(`${FREE_TEXT} (${phase})`, {
            table: 'survey_answers',
            column: 'text_enc',
            rowId: `${responseId}/${text}`,
          }),
        },
      ])
      .execute();
  }
  const projectId = randomUUID();
  await db
    .insertInto('projects')
    .values({
      id: projectId,
      slug: `p-${projectId.slice(0, 8)}`,
      event_id: organisationEvent,
      language: 'en',
      title: 'Shelter website',
      description: 'A website',
      link: null,
      topic_id: null,
      consent_recorded_at: null,
      consent_recorded_by: null,
      published_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('project_members')
    .values({ project_id: projectId, registration_id: p.registrationId })
    .execute();
  await db
    .insertInto('certificates')
    .values({
      id: randomUUID(),
      registration_id: p.registrationId,
      verification_code: 'ABCD-EFGH-JK',
      language: 'ar',
      issued_at: now,
      issued_by: null,
      revoked_at: null,
    })
    .execute();
}

/** Every text value of every table, to search for what must be gone. */
async function everyValue(t: TestApp, dialect: 'sqlite' | 'postgres'): Promise<string> {
  const parts: string[] = [];
  for (const [table] of await tablesAndColumns(t.database.db, dialect)) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
      t.database.db,
    );
    parts.push(JSON.stringify(rows.rows));
  }
  return parts.join('\n');
}

function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (
        !entry.name.startsWith('learning-center.db') &&
        fs.readFileSync(full).includes(needle)
      )
        found.push(full);
    }
  };
  walk(dir);
  return found;
}

async function publicPost(baseUrl: string, fields: Record<string, string>) {
  const client = new StaffClient(baseUrl);
  await client.get('/en/participant/my-data');
  return client.post('/en/participant/my-data', fields);
}

for (const dialect of dialects()) {
  describe(`participant privacy (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
    });
    after(() => t.close());

    it('every table with personal-data columns has an export and erase provider', async () => {
      const covered = new Set(PRIVACY_PROVIDERS.flatMap((p) => p.tables));
      const tables = await tablesAndColumns(t.database.db, dialect);
      const personal = [...tables]
        .filter(([, columns]) => columns.some(isPersonalColumn))
        .map(([name]) => name);
      assert.ok(personal.includes('participants') && personal.includes('survey_answers'));
      assert.deepEqual(
        personal.filter((table) => !covered.has(table)),
        [],
        'tables with participant data but no privacy provider',
      );
      const encrypted = [...tables].flatMap(([table, columns]) =>
        columns.filter((c) => c.endsWith('_enc')).map((c) => `${table}.${c}`),
      );
      const rotated = new Set(ENCRYPTED_COLUMNS.map((c) => `${c.table}.${c.column}`));
      assert.deepEqual(
        encrypted.filter((c) => !rotated.has(c)),
        [],
        'every encrypted column can be re-encrypted after a key rotation',
      );
    });

    it('exports everything about a participant, then erases it without a trace', async () => {
      const db = t.database.db;
      const event = await insertEvent(db, staff.a.id, { capacity: 1 });
      const amina = await insertParticipant(db, cipherOf(t.dataDir), event.id, {
        name: NAME,
        contact: CONTACT,
        ageBand: '18-24',
        gender: 'woman',
        note: NOTE,
      });
      const waiting = await insertParticipant(db, cipherOf(t.dataDir), event.id, {
        name: 'Waiting Person',
        status: 'waitlisted',
      });
      await touchEveryFeature(t, event.id, amina);

      const exported = await publicPost(t.baseUrl, { code: amina.code, action: 'export' });
      assert.equal(exported.response.status, 200);
      assert.match(exported.response.headers.get('content-disposition') ?? '', /attachment/);
      assert.equal(exported.response.headers.get('cache-control'), 'no-store');
      const document = JSON.parse(exported.html) as Record<string, never>;
      const text = JSON.stringify(document);
      for (const expected of [
        NAME,
        CONTACT,
        NOTE,
        `${FREE_TEXT} (pre)`,
        `${FREE_TEXT} (post)`,
        'Shelter website',
        'ABCD-EFGH-JK',
        'day:2026-05-02',
        '18-24',
        'woman',
      ]) {
        assert.ok(text.includes(expected), `export lacks ${expected}`);
      }

      // Erasing needs the confirmation; without it nothing goes.
      const unconfirmed = await publicPost(t.baseUrl, { code: amina.code, action: 'erase' });
      assert.equal(unconfirmed.response.status, 400);
      assert.ok(
        await db
          .selectFrom('participants')
          .select('id')
          .where('id', '=', amina.participantId)
          .executeTakeFirst(),
      );

      const erased = await publicPost(t.baseUrl, {
        code: amina.code,
        action: 'erase',
        confirm: 'yes',
      });
      assert.equal(erased.response.status, 200);
      assert.match(erased.html, /has been erased/);

      const everything = await everyValue(t, dialect);
      for (const gone of [
        NAME,
        CONTACT,
        NOTE,
        FREE_TEXT,
        amina.participantId,
        amina.registrationId,
      ]) {
        assert.ok(!everything.includes(gone), `"${gone}" survived the erasure`);
      }
      assert.deepEqual(filesContaining(t.dataDir, 'Amina'), [], 'a file names her');
      // Her seat went to the waiting list.
      const seats = await db
        .selectFrom('events')
        .select('seats_taken')
        .where('id', '=', event.id)
        .executeTakeFirstOrThrow();
      const waitingNow = await db
        .selectFrom('registrations')
        .select('status')
        .where('id', '=', waiting.registrationId)
        .executeTakeFirstOrThrow();
      assert.equal(waitingNow.status, 'registered');
      assert.equal(seats.seats_taken, 1);
      // The code is dead.
      const again = await publicPost(t.baseUrl, { code: amina.code, action: 'export' });
      assert.equal(again.response.status, 404);
    });

    it('refuses forged codes and forms from elsewhere, revealing nothing', async () => {
      const forged = await publicPost(t.baseUrl, { code: 'ZZZZ-ZZZZ-ZZZZ', action: 'export' });
      assert.equal(forged.response.status, 404);
      const malformed = await publicPost(t.baseUrl, { code: '<script>', action: 'export' });
      assert.equal(malformed.response.status, 404);
      assert.equal(
        forged.html.replace(/value="[^"]*"/g, ''),
        malformed.html.replace(/value="[^"]*"/g, ''),
      );
      const client = new StaffClient(t.baseUrl);
      const noToken = await client.post(
        '/en/participant/my-data',
        { code: 'x', action: 'export' },
        { csrf: null },
      );
      assert.equal(noToken.response.status, 403);
    });

    it("lets an org admin export her organisation's part with the password, and nobody else", async () => {
      const db = t.database.db;
      const event = await insertEvent(db, staff.a.id);
      const person = await insertParticipant(db, cipherOf(t.dataDir), event.id, {
        name: 'Layla Staff-Export',
        note: 'private note',
      });
      const admin = await signedIn(t.baseUrl, staff.user('a', 'org_admin'));
      await admin.get('/en/workspace/participant-rights');
      const wrong = await admin.post('/en/workspace/participant-rights', {
        code: person.code,
        action: 'export',
        password: 'not the password',
      });
      assert.equal(wrong.response.status, 403);
      const ok = await admin.post('/en/workspace/participant-rights', {
        code: person.code,
        action: 'export',
        password: 'correct horse battery staple',
      });
      assert.equal(ok.response.status, 200);
      assert.ok(ok.html.includes('Layla Staff-Export') && ok.html.includes('private note'));
      const audit = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'participant.exported')
        .execute();
      assert.equal(audit.length, 1);
      assert.ok(!JSON.stringify(audit).includes('Layla'));

      // Another organisation's admin, and a trainer of the same one, get "not found".
      for (const username of [staff.user('b', 'org_admin'), staff.user('a', 'trainer')]) {
        const other = await signedIn(t.baseUrl, username);
        await other.get('/en/workspace/participant-rights');
        const refused = await other.post('/en/workspace/participant-rights', {
          code: person.code,
          action: 'erase',
          confirm: 'yes',
          password: 'correct horse battery staple',
        });
        assert.equal(refused.response.status, 404, username);
      }
      assert.ok(
        await db
          .selectFrom('participants')
          .select('id')
          .where('id', '=', person.participantId)
          .executeTakeFirst(),
      );
    });

    it('stores ciphertexts bound to their row, and survives a key rotation', async () => {
      const db = t.database.db;
      const event = await insertEvent(db, staff.a.id);
      const cipher = cipherOf(t.dataDir);
      const one = await insertParticipant(db, cipher, event.id, {
        name: 'Nadia Raw-Row',
        contact: '+962 7 1234 5678',
      });
      const two = await insertParticipant(db, cipher, event.id, { name: 'Sara Other-Row' });
      const raw = await db
        .selectFrom('participants')
        .selectAll()
        .where('id', 'in', [one.participantId, two.participantId])
        .execute();
      const rawText = JSON.stringify(raw);
      assert.ok(
        !rawText.includes('Nadia') && !rawText.includes('1234'),
        'plaintext in the raw row',
      );
      for (const row of raw) assert.match(row.display_name_enc, /^enc1\./);

      // A ciphertext moved to another row does not decrypt (AAD binds it to its row).
      const first = raw.find((r) => r.id === one.participantId)!;
      assert.throws(
        () =>
          cipher.decrypt(first.display_name_enc, {
            table: 'participants',
            column: 'display_name_enc',
            rowId: two.participantId,
          }),
        FieldDecryptionError,
      );
      assert.throws(
        () =>
          cipher.decrypt(first.display_name_enc, {
            table: 'participants',
            column: 'contact_enc',
            rowId: one.participantId,
          }),
        FieldDecryptionError,
      );

      // Rotate: a new current key, re-encrypt everything, retire the old key, read back.
      const file = defaultKeyFile(t.dataDir);
      const oldId = loadKeyRing({}, t.dataDir).current;
      const newId = rotateKeyFile(file);
      const rotated = new FieldCipher(loadKeyRing({}, t.dataDir));
      assert.equal(rotated.currentKeyId, newId);
      assert.ok(((await keyUsage(db)).get(oldId) ?? 0) > 0);
      assert.ok((await reencryptAll(db, rotated)) > 0);
      assert.equal((await keyUsage(db)).get(oldId) ?? 0, 0);
      retireKeyFromFile(file, oldId);
      const onlyNew = new FieldCipher(loadKeyRing({}, t.dataDir));
      const back = await db
        .selectFrom('participants')
        .selectAll()
        .where('id', '=', one.participantId)
        .executeTakeFirstOrThrow();
      assert.equal(
        onlyNew.decrypt(back.display_name_enc, {
          table: 'participants',
          column: 'display_name_enc',
          rowId: one.participantId,
        }),
        'Nadia Raw-Row',
      );
      assert.throws(
        () =>
          onlyNew.decrypt(first.display_name_enc, {
            table: 'participants',
            column: 'display_name_enc',
            rowId: one.participantId,
          }),
        /not in the key ring/,
      );
    });
  });
}
