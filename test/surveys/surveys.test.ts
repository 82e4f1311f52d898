import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import {
  DEFAULT_INSTRUMENT_SLUG,
  seedDefaultInstrument,
} from '../../src/features/surveys/default-instrument.js';
import { normaliseParticipantCode } from '../../src/features/registration/codes.js';
import { FieldCipher } from '../../src/platform/crypto/field-encryption.js';
import { loadKeyRing } from '../../src/platform/crypto/key-ring.js';
import type { DB } from '../../src/platform/db/schema.js';
import { Catalogs } from '../../src/platform/i18n/catalog.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, signedIn, type StaffFixture } from '../helpers/staff.js';

const LANGS = ['en', 'ar', 'fa', 'fr', 'ru', 'es'];
const catalogs = new Catalogs();
const msg = (lang: string, key: string) => catalogs.translate(lang as 'en', key).text;
const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const shows = (html: string, lang: string, key: string) =>
  html.includes(escapeHtml(msg(lang, key)));

/** A phone without an account: keeps its cookies and the form token of the last page. */
class Visitor {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(readonly baseUrl: string) {}
  private remember(response: Response, html: string) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (token) this.csrf = token;
  }
  private cookie() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(path: string) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      redirect: 'manual',
      headers: { cookie: this.cookie() },
    });
    const html = await response.text();
    this.remember(response, html);
    return { response, html };
  }
  async post(path: string, fields: [string, string][], csrf: string | null = this.csrf) {
    const body = new URLSearchParams(fields);
    if (csrf !== null) body.set('_csrf', csrf);
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: this.cookie(),
        'content-type': 'application/x-www-form-urlencoded',
        origin: this.baseUrl,
      },
      body,
    });
    const html = await response.text();
    this.remember(response, html);
    return { response, html };
  }
}

async function count(db: Kysely<DB>, table: 'survey_responses' | 'survey_answers') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

for (const dialect of dialects()) {
  describe(`surveys (${dialect})`, () => {
    let t: TestApp;
    let db: Kysely<DB>;
    let staff: StaffFixture;
    let cipher: FieldCipher;
    let defaultId: string;
    let eventId: string;
    let otherEventId: string;
    const CODE = 'K7M9-PQ2R-X4ZT';
    const WAITLISTED_CODE = 'W2X3-Y4Z5-A6B7';

    const addParticipant = async (
      code: string,
      status: 'registered' | 'waitlisted',
      event: string,
    ) => {
      const id = randomUUID();
      const now = new Date().toISOString();
      await db
        .insertInto('participants')
        .values({
          id,
          code_hmac: cipher.blindIndex('participant-code', normaliseParticipantCode(code)!),
          display_name_enc: cipher.encrypt('Samira', {
            table: 'participants',
            column: 'display_name_enc',
            rowId: id,
          }),
          created_at: now,
        })
        .execute();
      const registrationId = randomUUID();
      await db
        .insertInto('registrations')
        .values({
          id: registrationId,
          event_id: event,
          participant_id: id,
          status,
          created_at: now,
          updated_at: now,
        })
        .execute();
      return registrationId;
    };

    const addEvent = async (title: Record<string, string>) => {
      const id = randomUUID();
      const now = Date.now();
      await db
        .insertInto('events')
        .values({
          id,
          slug: `event-${id.slice(0, 8)}`,
          organisation_id: staff.a.id,
          kind: 'workshop',
          starts_at: new Date(now - 86_400_000).toISOString(),
          ends_at: new Date(now + 86_400_000).toISOString(),
          time_zone: 'Asia/Beirut',
          capacity: 20,
          visibility: 'public',
          created_at: new Date(now).toISOString(),
          updated_at: new Date(now).toISOString(),
        })
        .execute();
      await db
        .insertInto('event_texts')
        .values(
          Object.entries(title).map(([language, text]) => ({
            event_id: id,
            language,
            title: text,
            description: null,
          })),
        )
        .execute();
      return id;
    };

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      db = t.database.db;
      staff = await seedStaff(db);
      cipher = new FieldCipher(loadKeyRing({}, t.dataDir));
      defaultId = await seedDefaultInstrument(db);
      eventId = await addEvent({ en: 'Digital safety workshop', ar: 'ورشة الأمان الرقمي' });
      otherEventId = await addEvent({ en: 'Another workshop' });
    });
    after(() => t.close());

    it('seeds the default instrument once, complete in the six languages', async () => {
      assert.equal(await seedDefaultInstrument(db), defaultId);
      const instruments = await db
        .selectFrom('survey_instruments')
        .selectAll()
        .where('slug', '=', DEFAULT_INSTRUMENT_SLUG)
        .execute();
      assert.equal(instruments.length, 1);
      assert.equal(instruments[0]!.organisation_id, null);
      const texts = await db
        .selectFrom('survey_instrument_texts')
        .selectAll()
        .where('instrument_id', '=', defaultId)
        .execute();
      assert.deepEqual(texts.map((x) => x.language).sort(), [...LANGS].sort());
      const items = await db
        .selectFrom('survey_items')
        .selectAll()
        .where('instrument_id', '=', defaultId)
        .orderBy('position')
        .execute();
      const likert = (c: string) => items.filter((i) => i.kind === 'likert' && i.construct === c);
      assert.ok(likert('skills').length >= 5);
      assert.ok(likert('confidence').length >= 4);
      for (const kind of ['single', 'multiple', 'text'] as const)
        assert.ok(
          items.some((i) => i.kind === kind),
          kind,
        );
      const itemTexts = await db
        .selectFrom('survey_item_texts')
        .selectAll()
        .where(
          'item_id',
          'in',
          items.map((i) => i.id),
        )
        .execute();
      for (const item of items) {
        const own = itemTexts.filter((x) => x.item_id === item.id);
        assert.deepEqual(own.map((x) => x.language).sort(), [...LANGS].sort(), item.id);
        for (const text of own) {
          assert.ok(text.prompt.length > 5);
          const options = JSON.parse(text.options) as string[];
          assert.equal(options.length, item.option_count, `${item.id} ${text.language}`);
          const all = [text.prompt, ...options].join(' ');
          if (text.language === 'ar' || text.language === 'fa') {
            assert.doesNotMatch(all, /[A-Za-z]/, `${text.language}: ${all}`);
          }
          if (text.language === 'fa') assert.doesNotMatch(all, /[\u064A\u0643]/, all);
          if (text.language === 'ru') assert.match(all, /[а-я]/);
        }
      }
      for (const text of texts) {
        if (text.language === 'ar' || text.language === 'fa')
          assert.doesNotMatch(`${text.title} ${text.introduction}`, /[A-Za-z]/);
      }
      // Each of the six languages has its own prompts (no copy of the English).
      const first = itemTexts.filter((x) => x.item_id === items[0]!.id);
      assert.equal(new Set(first.map((x) => x.prompt)).size, 6);
    });

    let builtId = '';
    let orgAId = '';

    it('lets a network admin build an instrument with items and translations', async () => {
      const admin = await signedIn(t.baseUrl, staff.user('a', 'network_admin'));
      const list = await admin.get('/en/workspace/surveys');
      assert.equal(list.response.status, 200);
      assert.match(list.html, /ICT skills and confidence/);
      const created = await admin.post('/en/workspace/surveys', {
        owner: 'network',
        language: 'en',
        title: 'Campaigning online',
      });
      assert.equal(created.response.status, 303);
      builtId = /surveys\/([0-9a-f-]{36})/.exec(created.response.headers.get('location')!)![1]!;
      const page = () => admin.get(`/en/workspace/surveys/${builtId}?edit=en`);
      const version = async () =>
        String(
          (
            await db
              .selectFrom('survey_instruments')
              .select('version')
              .where('id', '=', builtId)
              .executeTakeFirstOrThrow()
          ).version,
        );
      await page();
      const likert = await admin.post(`/en/workspace/surveys/${builtId}/items`, {
        version: await version(),
        edit: 'en',
        language: 'en',
        kind: 'likert',
        construct: 'confidence',
        required: '1',
        prompt: 'I feel confident running a campaign online.',
      });
      assert.equal(likert.response.status, 303);
      await page();
      const wrongCount = await admin.post(`/en/workspace/surveys/${builtId}/items`, {
        version: await version(),
        language: 'en',
        kind: 'single',
        option_count: '3',
        prompt: 'Where do you campaign?',
        options: 'Streets\nOnline',
      });
      assert.equal(wrongCount.response.status, 400);
      assert.ok(shows(wrongCount.html, 'en', 'survey.error.options'));
      const single = await admin.post(`/en/workspace/surveys/${builtId}/items`, {
        version: await version(),
        language: 'en',
        kind: 'single',
        option_count: '3',
        prompt: 'Where do you campaign?',
        options: 'Streets\nOnline\nBoth',
      });
      assert.equal(single.response.status, 303);
      const items = await db
        .selectFrom('survey_items')
        .selectAll()
        .where('instrument_id', '=', builtId)
        .orderBy('position')
        .execute();
      assert.deepEqual(
        items.map((i) => [i.kind, i.construct, i.option_count, i.required]),
        [
          ['likert', 'confidence', 0, 1],
          ['single', null, 3, 0],
        ],
      );
      // Arabic texts for the instrument and the choice item.
      await admin.get(`/en/workspace/surveys/${builtId}?edit=ar`);
      const arTitle = await admin.post(`/en/workspace/surveys/${builtId}/texts`, {
        version: await version(),
        edit: 'ar',
        language: 'ar',
        title: 'الحملات عبر الإنترنت',
        introduction: 'أسئلة قصيرة.',
      });
      assert.equal(arTitle.response.status, 303);
      const arItem = await admin.post(
        `/en/workspace/surveys/${builtId}/items/${items[1]!.id}/texts`,
        {
          version: await version(),
          edit: 'ar',
          language: 'ar',
          prompt: 'أين تقوم بحملاتك؟',
          options: 'في الشارع\nعبر الإنترنت\nكلاهما',
        },
      );
      assert.equal(arItem.response.status, 303);
      const arTexts = await db
        .selectFrom('survey_item_texts')
        .selectAll()
        .where('item_id', '=', items[1]!.id)
        .where('language', '=', 'ar')
        .executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(arTexts.options), ['في الشارع', 'عبر الإنترنت', 'كلاهما']);
      // Move the choice item up; a stale version is a 409 that changes nothing.
      const stale = await version();
      const moved = await admin.post(
        `/en/workspace/surveys/${builtId}/items/${items[1]!.id}/move`,
        { version: stale, to: 'up' },
      );
      assert.equal(moved.response.status, 303);
      const again = await admin.post(
        `/en/workspace/surveys/${builtId}/items/${items[1]!.id}/move`,
        { version: stale, to: 'down' },
      );
      assert.equal(again.response.status, 409);
      const order = await db
        .selectFrom('survey_items')
        .select('id')
        .where('instrument_id', '=', builtId)
        .orderBy('position')
        .execute();
      assert.deepEqual(
        order.map((o) => o.id),
        [items[1]!.id, items[0]!.id],
      );
      const audit = await db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', builtId)
        .execute();
      assert.ok(audit.some((a) => a.action === 'survey.item.move'));
      assert.ok(audit.some((a) => a.action === 'survey.create'));
      const shown = await admin.get(`/ar/workspace/surveys/${builtId}?edit=ar`);
      assert.match(shown.html, /الحملات عبر الإنترنت/);
    });

    it('keeps other organisations out of an instrument', async () => {
      const adminA = await signedIn(t.baseUrl, staff.user('a', 'org_admin'));
      await adminA.get('/en/workspace/surveys');
      const created = await adminA.post('/en/workspace/surveys', {
        owner: staff.a.id,
        language: 'fr',
        title: 'Questionnaire de l’organisation A',
      });
      assert.equal(created.response.status, 303);
      orgAId = /surveys\/([0-9a-f-]{36})/.exec(created.response.headers.get('location')!)![1]!;
      // Org A's admin may not create network-wide instruments.
      await adminA.get('/en/workspace/surveys');
      const network = await adminA.post('/en/workspace/surveys', {
        owner: 'network',
        language: 'en',
        title: 'Sneaky',
      });
      assert.equal(network.response.status, 400);

      const snapshot = async () =>
        JSON.stringify([
          await db.selectFrom('survey_instruments').selectAll().orderBy('id').execute(),
          await db
            .selectFrom('survey_instrument_texts')
            .selectAll()
            .orderBy('instrument_id')
            .orderBy('language')
            .execute(),
          await db.selectFrom('survey_items').selectAll().orderBy('id').execute(),
        ]);
      const before = await snapshot();
      const adminB = await signedIn(t.baseUrl, staff.user('b', 'org_admin'));
      const list = await adminB.get('/en/workspace/surveys');
      assert.doesNotMatch(list.html, /organisation A/);
      assert.equal((await adminB.get(`/en/workspace/surveys/${orgAId}`)).response.status, 404);
      const forged = await adminB.post(`/en/workspace/surveys/${orgAId}/texts`, {
        version: '1',
        language: 'fr',
        title: 'Pris',
      });
      assert.equal(forged.response.status, 404);
      // The network's instruments are visible to all staff, editable only by network admins.
      assert.equal((await adminB.get(`/en/workspace/surveys/${builtId}`)).response.status, 200);
      const network2 = await adminB.post(`/en/workspace/surveys/${builtId}/texts`, {
        version: '1',
        language: 'en',
        title: 'Taken over',
      });
      assert.equal(network2.response.status, 403);
      const trainerA = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      await trainerA.get(`/en/workspace/surveys/${orgAId}`);
      const trainer = await trainerA.post(`/en/workspace/surveys/${orgAId}/items`, {
        version: '1',
        language: 'fr',
        kind: 'text',
        prompt: 'Non',
      });
      assert.equal(trainer.response.status, 403);
      assert.equal(await snapshot(), before);
    });

    it('lets the event staff choose the pre and post instruments, and refuses others', async () => {
      const trainer = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      const page = await trainer.get(`/en/workspace/events/${eventId}/surveys`);
      assert.equal(page.response.status, 200);
      const version = String(
        (
          await db
            .selectFrom('events')
            .select('version')
            .where('id', '=', eventId)
            .executeTakeFirstOrThrow()
        ).version,
      );
      const bad = await trainer.post(`/en/workspace/events/${eventId}/surveys`, {
        version,
        pre: randomUUID(),
        post: defaultId,
      });
      assert.equal(bad.response.status, 400);
      const saved = await trainer.post(`/en/workspace/events/${eventId}/surveys`, {
        version,
        pre: defaultId,
        post: defaultId,
      });
      assert.equal(saved.response.status, 303);
      const stale = await trainer.post(`/en/workspace/events/${eventId}/surveys`, {
        version,
        pre: '',
        post: '',
      });
      assert.equal(stale.response.status, 409);
      const event = await db
        .selectFrom('events')
        .selectAll()
        .where('id', '=', eventId)
        .executeTakeFirstOrThrow();
      assert.equal(event.pre_instrument_id, defaultId);
      assert.equal(event.post_instrument_id, defaultId);
      await db
        .updateTable('events')
        .set({ pre_instrument_id: defaultId, post_instrument_id: defaultId })
        .where('id', '=', otherEventId)
        .execute();
      const adminB = await signedIn(t.baseUrl, staff.user('b', 'org_admin'));
      assert.equal(
        (await adminB.get(`/en/workspace/events/${eventId}/surveys`)).response.status,
        404,
      );
    });

    it('takes a participant through the pre and post surveys in Arabic, by code only', async () => {
      const registrationId = await addParticipant(CODE, 'registered', eventId);
      const items = await db
        .selectFrom('survey_items')
        .selectAll()
        .where('instrument_id', '=', defaultId)
        .orderBy('position')
        .execute();
      const answers = (overrides: Record<string, string[]> = {}): [string, string][] => {
        const out: [string, string][] = [];
        for (const item of items) {
          const values =
            overrides[item.id] ??
            (item.kind === 'likert'
              ? [String((item.position % 5) + 1)]
              : item.kind === 'single'
                ? ['1']
                : item.kind === 'multiple'
                  ? ['0', '2']
                  : ['سأعلّم زملائي كيفية حماية حساباتهم']);
          for (const v of values) out.push([`a_${item.id}`, v]);
        }
        return out;
      };
      const phone = new Visitor(t.baseUrl);
      const start = await phone.get('/ar/survey');
      assert.equal(start.response.status, 200);
      assert.match(start.response.headers.get('cache-control') ?? '', /no-store/);
      assert.match(start.html, /dir="rtl"/);
      // Typed in lower case, with spaces and an Arabic-Indic digit.
      const typed = 'k7m٩ pq2r-x4zt';
      const list = await phone.post('/ar/survey', [['code', typed]]);
      assert.equal(list.response.status, 200);
      assert.match(list.html, /ورشة الأمان الرقمي/);
      assert.ok(shows(list.html, 'ar', 'survey.public.answer.pre'));
      const form = await phone.post('/ar/survey/answer', [
        ['code', typed],
        ['event', eventId],
        ['phase', 'pre'],
      ]);
      assert.equal(form.response.status, 200);
      assert.match(form.html, /أستطيع حماية حساباتي بالتحقق بخطوتين/);
      assert.ok(shows(form.html, 'ar', 'survey.likert.5'));
      const size = gzipSync(Buffer.from(form.html), { level: 6 }).length;
      assert.ok(size <= 14_600, `the Arabic survey form is ${size} bytes gzipped`);
      const submit = (phase: string, fields: [string, string][], code = typed) =>
        phone.post('/ar/survey/submit', [
          ['code', code],
          ['event', eventId],
          ['phase', phase],
          ...fields,
        ]);
      const pre = await submit('pre', answers());
      assert.equal(pre.response.status, 303);
      const location = pre.response.headers.get('location')!;
      assert.equal(location, '/ar/survey/done');
      assert.ok(!location.includes('K7M9'));
      const responses = await db
        .selectFrom('survey_responses')
        .selectAll()
        .where('registration_id', '=', registrationId)
        .execute();
      assert.deepEqual(
        responses.map((r) => [r.phase, r.language, r.instrument_id]),
        [['pre', 'ar', defaultId]],
      );
      const stored = await db
        .selectFrom('survey_answers')
        .selectAll()
        .where('response_id', '=', responses[0]!.id)
        .execute();
      assert.equal(stored.length, items.length);
      const textItem = items.find((i) => i.kind === 'text')!;
      const text = stored.find((a) => a.item_id === textItem.id)!;
      assert.ok(text.text_enc!.startsWith('enc1.'));
      assert.ok(!text.text_enc!.includes('سأعلّم'));
      assert.equal(text.value, null);
      assert.equal(
        cipher.decrypt(text.text_enc!, {
          table: 'survey_answers',
          column: 'text_enc',
          rowId: `${responses[0]!.id}/${textItem.id}`,
        }),
        'سأعلّم زملائي كيفية حماية حساباتهم',
      );
      const multiple = stored.find(
        (a) => a.item_id === items.find((i) => i.kind === 'multiple')!.id,
      )!;
      assert.deepEqual(JSON.parse(multiple.choices!), [0, 2]);
      const likertRow = stored.find((a) => a.item_id === items[0]!.id)!;
      assert.equal(likertRow.value, 1);

      // Twice: a clear message, nothing changed.
      const snapshot = async () => [
        await count(db, 'survey_responses'),
        await count(db, 'survey_answers'),
      ];
      const counted = await snapshot();
      const twice = await submit('pre', answers());
      assert.equal(twice.response.status, 409);
      assert.ok(shows(twice.html, 'ar', 'survey.error.answered'));
      assert.deepEqual(await snapshot(), counted);

      // Out of range and forged answers: the form again with messages, nothing written.
      const likertItem = items.find((i) => i.kind === 'likert')!;
      const single = items.find((i) => i.kind === 'single')!;
      const cases: [Record<string, string[]>, string, [string, string][]][] = [
        [{ [likertItem.id]: ['0'] }, 'survey.error.likert', []],
        [{ [likertItem.id]: ['6'] }, 'survey.error.likert', []],
        [{ [single.id]: [String(single.option_count)] }, 'survey.error.choice', []],
        [{ [textItem.id]: ['x'.repeat(2001)] }, 'survey.error.textLong', []],
        [{ [likertItem.id]: [] }, 'survey.error.required', []],
        [{}, 'survey.error.unknownItem', [[`a_${randomUUID()}`, '3']]],
      ];
      for (const [overrides, key, extra] of cases) {
        const bad = await submit('post', [...answers(overrides), ...extra]);
        assert.equal(bad.response.status, 422, key);
        assert.match(bad.html, /<form method="post" action="\/ar\/survey\/submit"/);
        if (key === 'survey.error.textLong') assert.match(bad.html, /2,?000|٢٬?٠٠٠/);
        else assert.ok(shows(bad.html, 'ar', key), key);
        assert.deepEqual(await snapshot(), counted, key);
      }

      const post = await submit('post', answers());
      assert.equal(post.response.status, 303);
      const both = await db
        .selectFrom('survey_responses')
        .select('phase')
        .where('registration_id', '=', registrationId)
        .orderBy('phase', 'desc')
        .execute();
      assert.deepEqual(
        both.map((r) => r.phase),
        ['pre', 'post'],
      );
      const done = await phone.post('/ar/survey', [['code', CODE]]);
      assert.ok(shows(done.html, 'ar', 'survey.public.state.answered'));

      // The staff page shows the counts, never the answers.
      const trainer = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      const counts = await trainer.get(`/en/workspace/events/${eventId}/surveys`);
      assert.match(counts.html, /Answered both<\/dt><dd>1</);
      assert.doesNotMatch(counts.html, /سأعلّم/);

      // An answered item cannot be deleted from the instrument.
      const admin = await signedIn(t.baseUrl, staff.user('a', 'network_admin'));
      await admin.get(`/en/workspace/surveys/${defaultId}`);
      const instrument = await db
        .selectFrom('survey_instruments')
        .select('version')
        .where('id', '=', defaultId)
        .executeTakeFirstOrThrow();
      const refused = await admin.post(
        `/en/workspace/surveys/${defaultId}/items/${textItem.id}/delete`,
        {
          version: String(instrument.version),
        },
      );
      assert.equal(refused.response.status, 409);
      assert.ok(shows(refused.html, 'en', 'survey.error.itemAnswered'));
      const still = await db
        .selectFrom('survey_instruments')
        .select('version')
        .where('id', '=', defaultId)
        .executeTakeFirstOrThrow();
      assert.equal(still.version, instrument.version);
      assert.ok(
        await db
          .selectFrom('survey_items')
          .select('id')
          .where('id', '=', textItem.id)
          .executeTakeFirst(),
      );
    });

    it('answers forged codes, foreign events and waitlisted registrations with nothing written', async () => {
      await addParticipant(WAITLISTED_CODE, 'waitlisted', eventId);
      const counted = [await count(db, 'survey_responses'), await count(db, 'survey_answers')];
      const phone = new Visitor(t.baseUrl);
      await phone.get('/en/survey');
      const generic = escapeHtml(msg('en', 'survey.error.code'));
      const forged = await phone.post('/en/survey', [['code', 'ZZZZ-ZZZZ-ZZZZ']]);
      assert.equal(forged.response.status, 400);
      assert.ok(forged.html.includes(generic));
      const forgedSubmit = await phone.post('/en/survey/submit', [
        ['code', 'ZZZZ-ZZZZ-ZZZ9'],
        ['event', eventId],
        ['phase', 'pre'],
      ]);
      assert.equal(forgedSubmit.response.status, 400);
      assert.ok(forgedSubmit.html.includes(generic));
      // A real code with an event it is not registered for: the same message.
      const foreign = await phone.post('/en/survey/answer', [
        ['code', CODE],
        ['event', otherEventId],
        ['phase', 'pre'],
      ]);
      assert.equal(foreign.response.status, 400);
      assert.ok(foreign.html.includes(generic));
      assert.doesNotMatch(foreign.html, /Another workshop/);

      const waitlisted = await phone.post('/en/survey/answer', [
        ['code', WAITLISTED_CODE],
        ['event', eventId],
        ['phase', 'pre'],
      ]);
      assert.equal(waitlisted.response.status, 409);
      assert.ok(shows(waitlisted.html, 'en', 'survey.error.notRegistered'));
      const item = await db
        .selectFrom('survey_items')
        .select('id')
        .where('instrument_id', '=', defaultId)
        .where('kind', '=', 'likert')
        .executeTakeFirstOrThrow();
      const waitlistedSubmit = await phone.post('/en/survey/submit', [
        ['code', WAITLISTED_CODE],
        ['event', eventId],
        ['phase', 'pre'],
        [`a_${item.id}`, '4'],
      ]);
      assert.equal(waitlistedSubmit.response.status, 409);
      // Without the form token: refused.
      const noToken = await phone.post('/en/survey', [['code', CODE]], null);
      assert.equal(noToken.response.status, 403);
      assert.deepEqual(
        [await count(db, 'survey_responses'), await count(db, 'survey_answers')],
        counted,
      );
      // Guessing codes is rate-limited per client.
      let status = 0;
      for (let i = 0; i < 25 && status !== 429; i++) {
        status = (await phone.post('/en/survey', [['code', `GUESS${i}XYZ`]])).response.status;
      }
      assert.equal(status, 429);
    });
  });
}
