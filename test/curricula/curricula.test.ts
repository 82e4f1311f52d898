import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { PRINT_CSP } from '../../src/features/curricula/print.js';
import { curriculumOutline } from '../../src/features/curricula/repository.js';
import {
  ensureLanguage,
  insertEdition,
  insertWork,
} from '../../src/features/workspace/repository.js';
import type { DB } from '../../src/platform/db/schema.js';
import { buildTestApp, get, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, signedIn, type StaffClient, type StaffFixture } from '../helpers/staff.js';

const ONE_ROUND_TRIP = 14_600;
const AR_CURRICULUM = 'دليل التدريب على الأمان الرقمي';
const AR_SESSION = 'البقاء آمنات على الإنترنت';

/** Everything in the curriculum tables, to prove that a refused request changed nothing. */
async function curriculaSnapshot(db: Kysely<DB>): Promise<string> {
  const tables = [
    'curricula',
    'curriculum_texts',
    'curriculum_modules',
    'curriculum_module_texts',
    'curriculum_sessions',
    'curriculum_session_texts',
    'session_activities',
    'session_activity_texts',
    'session_handouts',
  ] as const;
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = await db.selectFrom(table).selectAll().execute();
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return JSON.stringify(out);
}

/** A published work with published English and Arabic editions, to hand out. */
async function handoutWork(db: Kysely<DB>, publisherId: string): Promise<void> {
  const now = new Date().toISOString();
  await ensureLanguage(db, 'ar');
  const workId = await insertWork(
    db,
    'handout-ar',
    {
      type: 'toolkit',
      publisher_id: publisherId,
      licence: null,
      year: null,
      original_language: 'en',
    },
    now,
  );
  await db.updateTable('works').set({ published_at: now }).where('id', '=', workId).execute();
  for (const [language, title] of [
    ['en', 'Password checklist'],
    ['ar', 'قائمة كلمات المرور'],
  ] as const) {
    await insertEdition(
      db,
      { workId, language, title, summary: null, translatedFrom: undefined },
      now,
    );
  }
  await db
    .updateTable('editions')
    .set({ status: 'published', published_at: now })
    .where('work_id', '=', workId)
    .execute();
}

/**
 * Whether pdftotext's output holds `wanted`. Poppler writes a right-to-left line in visual
 * order when a glyph carries several letters (as WeasyPrint 57 writes Arabic runs), so each
 * line is also read reversed, without its bidi embedding marks.
 */
function pdfTextHas(text: string, wanted: string): boolean {
  return text
    .normalize('NFKC')
    .split('\n')
    .map((line) => line.replace(/[\u202a-\u202e]/g, ''))
    .some((line) => line.includes(wanted) || [...line].reverse().join('').includes(wanted));
}

const location = (r: { response: Response }) => r.response.headers.get('location') ?? '';
const idIn = (url: string, kind: string) =>
  new RegExp(`/${kind}/([0-9a-f-]{36})`).exec(url)?.[1] ?? '';

async function versionOf(db: Kysely<DB>, table: 'curricula' | 'curriculum_sessions', id: string) {
  const row = await db.selectFrom(table).select('version').where('id', '=', id).executeTakeFirst();
  return String(row?.version);
}

for (const dialect of dialects()) {
  describe(`curricula (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    let db: Kysely<DB>;
    let editor: StaffClient;
    let curriculumId = '';
    let sessionId = '';
    let sessionSlug = '';

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      db = t.database.db;
      staff = await seedStaff(db);
      await handoutWork(db, staff.a.id);
      editor = await signedIn(t.baseUrl, staff.user('a', 'editor'));
    });
    after(() => t.close());

    it('builds a curriculum with modules, sessions, activities and handouts through the forms', async () => {
      const list = await editor.get('/en/workspace/curricula');
      assert.equal(list.response.status, 200);
      assert.match(list.html, new RegExp(`value="${staff.a.publishedWorkId}"`));
      assert.doesNotMatch(list.html, new RegExp(`value="${staff.b.publishedWorkId}"`));

      const before = await curriculaSnapshot(db);
      const empty = await editor.post('/en/workspace/curricula', {
        work: staff.a.publishedWorkId,
        language: 'en',
        title: '   ',
      });
      assert.equal(empty.response.status, 400);
      assert.match(empty.html, /Enter a title\./);
      assert.equal(await curriculaSnapshot(db), before);

      const created = await editor.post('/en/workspace/curricula', {
        work: staff.a.publishedWorkId,
        language: 'en',
        title: 'Digital safety training',
        summary: 'Six sessions for trainers.',
      });
      assert.equal(created.response.status, 303);
      curriculumId = idIn(location(created), 'curricula');
      assert.ok(curriculumId);
      const twice = await editor.post('/en/workspace/curricula', {
        work: staff.a.publishedWorkId,
        language: 'en',
        title: 'Again',
      });
      assert.equal(twice.response.status, 400);
      assert.equal(
        Number(
          (
            await db
              .selectFrom('curricula')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
        1,
      );

      const base = `/en/workspace/curricula/${curriculumId}`;
      const page = await editor.get(base);
      assert.equal(page.response.status, 200);
      assert.match(page.html, /Digital safety training/);

      // An Arabic translation of the title, then two modules, reordered, one renamed in Arabic.
      let r = await editor.post(base, {
        language: 'ar',
        title: AR_CURRICULUM,
        summary: '',
        version: await versionOf(db, 'curricula', curriculumId),
      });
      assert.equal(r.response.status, 303);
      for (const title of ['Module one', 'Module two']) {
        r = await editor.post(`${base}/modules`, {
          language: 'en',
          title,
          version: await versionOf(db, 'curricula', curriculumId),
        });
        assert.equal(r.response.status, 303);
      }
      const modules = async () =>
        db
          .selectFrom('curriculum_modules as m')
          .innerJoin('curriculum_module_texts as t', 't.module_id', 'm.id')
          .select(['m.id', 't.title'])
          .where('m.curriculum_id', '=', curriculumId)
          .where('t.language', '=', 'en')
          .orderBy('m.position')
          .execute();
      const [one, two] = await modules();
      r = await editor.post(`${base}/modules/${two!.id}/move`, {
        language: 'en',
        to: 'up',
        version: await versionOf(db, 'curricula', curriculumId),
      });
      assert.equal(r.response.status, 303);
      assert.deepEqual(
        (await modules()).map((m) => m.title),
        ['Module two', 'Module one'],
      );
      r = await editor.post(`${base}/modules/${two!.id}/move`, {
        language: 'en',
        to: 'down',
        version: await versionOf(db, 'curricula', curriculumId),
      });
      assert.deepEqual(
        (await modules()).map((m) => m.title),
        ['Module one', 'Module two'],
      );
      r = await editor.post(`${base}/modules/${one!.id}`, {
        language: 'ar',
        title: 'الوحدة الأولى',
        version: await versionOf(db, 'curricula', curriculumId),
      });
      assert.equal(r.response.status, 303);

      // Sessions: bad durations are refused with the message, and change nothing.
      for (const duration of ['0', '100000', 'ninety']) {
        const snapshot = await curriculaSnapshot(db);
        const bad = await editor.post(`${base}/modules/${one!.id}/sessions`, {
          language: 'en',
          title: 'Staying safe online',
          duration,
          version: await versionOf(db, 'curricula', curriculumId),
        });
        assert.equal(bad.response.status, 400, duration);
        assert.match(bad.html, /from 1 to 1440/);
        assert.equal(await curriculaSnapshot(db), snapshot);
      }
      const added = await editor.post(`${base}/modules/${one!.id}/sessions`, {
        language: 'en',
        title: 'Staying safe online',
        duration: '90',
        version: await versionOf(db, 'curricula', curriculumId),
      });
      assert.equal(added.response.status, 303);
      sessionId = idIn(location(added), 'sessions');
      assert.ok(sessionId, location(added));
      const second = await editor.post(`${base}/modules/${two!.id}/sessions`, {
        language: 'en',
        title: 'Planning a campaign',
        duration: '60',
        version: await versionOf(db, 'curricula', curriculumId),
      });
      assert.equal(second.response.status, 303);

      // The session's texts in English and Arabic.
      const s = `/en/workspace/curricula/sessions/${sessionId}`;
      assert.equal((await editor.get(s)).response.status, 200);
      r = await editor.post(s, {
        language: 'en',
        duration: '90',
        title: 'Staying safe online',
        objectives: 'Know the risks\n\n  Use strong passwords  ',
        materials: 'Flipchart\nMarkers',
        facilitator_notes: 'Ask before taking photos.',
        version: await versionOf(db, 'curriculum_sessions', sessionId),
      });
      assert.equal(r.response.status, 303);
      r = await editor.post(s, {
        language: 'ar',
        duration: '90',
        title: AR_SESSION,
        objectives: 'معرفة المخاطر\nاستخدام كلمات مرور قوية',
        materials: 'لوح ورقي',
        facilitator_notes: 'اطلبي الإذن قبل التصوير.',
        version: await versionOf(db, 'curriculum_sessions', sessionId),
      });
      assert.equal(r.response.status, 303);
      const bad = await editor.post(s, {
        language: 'en',
        duration: '90',
        title: '',
        version: await versionOf(db, 'curriculum_sessions', sessionId),
      });
      assert.equal(bad.response.status, 400);
      assert.match(bad.html, /Enter a title\./);

      // Activities: added, one refused, reordered.
      for (const [minutes, title, steps] of [
        ['15', 'Warm-up', 'Stand in a circle\nSay your name'],
        ['30', 'Threat mapping', 'Draw your day\nMark the risks'],
      ]) {
        r = await editor.post(`${s}/activities`, {
          language: 'en',
          minutes: minutes!,
          title: title!,
          steps: steps!,
          version: await versionOf(db, 'curriculum_sessions', sessionId),
        });
        assert.equal(r.response.status, 303);
      }
      const snapshot = await curriculaSnapshot(db);
      const zero = await editor.post(`${s}/activities`, {
        language: 'en',
        minutes: '0',
        title: 'Nothing',
        version: await versionOf(db, 'curriculum_sessions', sessionId),
      });
      assert.equal(zero.response.status, 400);
      assert.match(zero.html, /from 1 to 1440/);
      assert.equal(await curriculaSnapshot(db), snapshot);
      const activities = await db
        .selectFrom('session_activities')
        .select(['id', 'minutes'])
        .where('session_id', '=', sessionId)
        .orderBy('position')
        .execute();
      r = await editor.post(`${s}/activities/${activities[1]!.id}/move`, {
        language: 'en',
        to: 'up',
        version: await versionOf(db, 'curriculum_sessions', sessionId),
      });
      assert.equal(r.response.status, 303);
      r = await editor.post(`${s}/activities/${activities[0]!.id}`, {
        language: 'ar',
        minutes: '20',
        title: 'تمهيد',
        steps: 'قفن في دائرة',
        version: await versionOf(db, 'curriculum_sessions', sessionId),
      });
      assert.equal(r.response.status, 303);

      // Handouts: only published library works, by their slug, once.
      for (const [slug, message] of [
        ['no-such-work', /No published library work has this address name/],
        ['org-a-draft', /No published library work has this address name/],
      ] as const) {
        const before = await curriculaSnapshot(db);
        const refused = await editor.post(`${s}/handouts`, {
          language: 'en',
          slug,
          version: await versionOf(db, 'curriculum_sessions', sessionId),
        });
        assert.equal(refused.response.status, 400);
        assert.match(refused.html, message);
        assert.equal(await curriculaSnapshot(db), before);
      }
      for (const slug of ['handout-ar', 'org-a-published']) {
        r = await editor.post(`${s}/handouts`, {
          language: 'en',
          slug,
          version: await versionOf(db, 'curriculum_sessions', sessionId),
        });
        assert.equal(r.response.status, 303);
      }
      const again = await editor.post(`${s}/handouts`, {
        language: 'en',
        slug: 'handout-ar',
        version: await versionOf(db, 'curriculum_sessions', sessionId),
      });
      assert.equal(again.response.status, 400);

      const audit = await db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', 'in', [curriculumId, sessionId])
        .execute();
      for (const action of [
        'curriculum.create',
        'curriculum.update',
        'curriculum.module.add',
        'curriculum.module.move',
        'curriculum.module.rename',
        'curriculum.session.add',
        'curriculum.session.update',
        'curriculum.activity.add',
        'curriculum.activity.move',
        'curriculum.handout.add',
      ])
        assert.ok(
          audit.some((a) => a.action === action),
          action,
        );
      sessionSlug = (
        await db
          .selectFrom('curriculum_sessions')
          .select('slug')
          .where('id', '=', sessionId)
          .executeTakeFirstOrThrow()
      ).slug;

      const outline = await curriculumOutline(db, curriculumId, 'ar');
      assert.equal(outline.length, 2);
      assert.equal(outline[0]!.title, 'الوحدة الأولى');
      assert.equal(outline[0]!.fallbackLanguage, undefined);
      assert.equal(outline[0]!.sessions[0]!.title, AR_SESSION);
      assert.equal(outline[0]!.sessions[0]!.durationMinutes, 90);
      assert.equal(outline[1]!.title, 'Module two');
      assert.equal(outline[1]!.fallbackLanguage, 'en');
      assert.equal(outline[1]!.sessions[0]!.fallbackLanguage, 'en');
    });

    it('answers a stale form with 409 and keeps the newer text', async () => {
      const s = `/en/workspace/curricula/sessions/${sessionId}`;
      const current = await versionOf(db, 'curriculum_sessions', sessionId);
      const before = await curriculaSnapshot(db);
      const stale = await editor.post(s, {
        language: 'en',
        duration: '45',
        title: 'Overwritten',
        version: String(Number(current) - 1),
      });
      assert.equal(stale.response.status, 409);
      assert.match(stale.html, /Someone changed this meanwhile/);
      const staleCurriculum = await editor.post(`/en/workspace/curricula/${curriculumId}`, {
        language: 'en',
        title: 'Overwritten',
        version: '1',
      });
      assert.equal(staleCurriculum.response.status, 409);
      const forged = await editor.post(`/en/workspace/curricula/${curriculumId}/modules`, {
        language: 'en',
        title: 'Overwritten',
        version: 'x',
      });
      assert.equal(forged.response.status, 409);
      assert.equal(await curriculaSnapshot(db), before);
    });

    it('shows the curriculum publicly in the reader language, marking fallbacks', async () => {
      const list = await get(t.baseUrl, '/ar/curricula');
      assert.equal(list.status, 200);
      assert.match(await list.text(), new RegExp(AR_CURRICULUM));

      const page = await get(t.baseUrl, '/ar/curricula/org-a-published');
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<html lang="ar" dir="rtl">/);
      assert.match(html, new RegExp(`<h1>${AR_CURRICULUM}</h1>`));
      assert.match(html, /<h2>الوحدة الأولى<\/h2>/);
      // Module two and its session exist in English only: shown in English, marked as such.
      assert.match(html, /<h2 lang="en" dir="ltr">Module two<\/h2>/);
      assert.match(html, /<bdi lang="en" dir="ltr">Planning a campaign<\/bdi>/);
      assert.match(
        html,
        new RegExp(
          `href="/ar/curricula/org-a-published/sessions/${encodeURIComponent(sessionSlug)}"`,
        ),
      );
      assert.match(
        html,
        /href="\/ar\/curricula\/org-a-published\/pdf"[^>]*>[^<]+<\/a> <span class="meta">\(PDF\)/,
      );
      // Durations in the reader's language: 90 + 60 minutes.
      assert.match(html, /ساعتان و30 دقيقة/);

      const sessionPath = `/ar/curricula/org-a-published/sessions/${encodeURIComponent(sessionSlug)}`;
      const session = await get(t.baseUrl, sessionPath);
      assert.equal(session.status, 200);
      const body = await session.text();
      assert.match(body, new RegExp(`<h1>${AR_SESSION}</h1>`));
      assert.match(body, /<li>معرفة المخاطر<\/li>/);
      assert.match(body, /<li>لوح ورقي<\/li>/);
      // Activities with a running clock: Threat mapping (30) was moved first, then the warm-up.
      assert.match(
        body,
        /<strong class="clock">0:00<\/strong> <strong><bdi lang="en" dir="ltr">Threat mapping<\/bdi>/,
      );
      assert.match(body, /<strong class="clock">0:30<\/strong> <strong><bdi>تمهيد<\/bdi>/);
      assert.match(body, /<strong class="clock">0:50<\/strong>/);
      assert.match(body, /<ol lang="en" dir="ltr"><li>Draw your day<\/li>/);
      assert.match(body, /للميسّرين<\/h2><div><p>اطلبي الإذن قبل التصوير.<\/p>/);
      // Handouts: the Arabic edition when there is one, else the work's page (English, marked).
      assert.match(body, /href="\/ar\/works\/handout-ar\/ar"><bdi>قائمة كلمات المرور<\/bdi>/);
      assert.match(
        body,
        /href="\/ar\/works\/org-a-published"><bdi lang="en" dir="ltr">org-a published/,
      );

      const fr = await (await get(t.baseUrl, sessionPath.replace('/ar/', '/fr/'))).text();
      assert.match(fr, /<h1 lang="en" dir="ltr">Staying safe online<\/h1>/);
      assert.match(
        fr,
        /<ul lang="en" dir="ltr"><li>Know the risks<\/li><li>Use strong passwords<\/li>/,
      );
      const en = await (await get(t.baseUrl, sessionPath.replace('/ar/', '/en/'))).text();
      assert.match(en, /<h1>Staying safe online<\/h1>/);
      assert.match(en, /For facilitators/);
      assert.match(en, /1 hour 30 minutes/);

      for (const path of ['/ar/curricula', '/ar/curricula/org-a-published', sessionPath]) {
        for (const encoding of ['br', 'gzip']) {
          const response = await get(t.baseUrl, path, { 'accept-encoding': encoding });
          assert.equal(response.headers.get('content-encoding'), encoding);
          const size = (await response.arrayBuffer()).byteLength;
          assert.ok(size <= ONE_ROUND_TRIP, `${path} is ${size} bytes in ${encoding}`);
        }
      }
    });

    it('prints a session and an agenda, and makes real PDFs of them', async () => {
      const sessionPath = `/ar/curricula/org-a-published/sessions/${encodeURIComponent(sessionSlug)}`;
      const print = await get(t.baseUrl, `${sessionPath}/print`);
      assert.equal(print.status, 200);
      assert.match(print.headers.get('content-type') ?? '', /text\/html/);
      assert.equal(print.headers.get('content-security-policy'), PRINT_CSP);
      const printed = await print.text();
      assert.match(printed, /<html lang="ar" dir="rtl">/);
      assert.match(printed, /@media print/);
      assert.match(printed, new RegExp(AR_SESSION));
      const agenda = await get(t.baseUrl, '/en/curricula/org-a-published/print');
      assert.equal(agenda.status, 200);
      const agendaHtml = await agenda.text();
      assert.match(agendaHtml, /<th scope="col">Start<\/th>/);
      assert.match(agendaHtml, /<td class="clock">1:30<\/td><td><strong><bdi>Planning a campaign/);

      const pdf = await get(t.baseUrl, `${sessionPath}/pdf`);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      const disposition = pdf.headers.get('content-disposition') ?? '';
      assert.match(disposition, /^attachment; filename="[^"]+\.pdf"; filename\*=UTF-8''.+\.pdf$/);
      assert.match(decodeURIComponent(disposition.split("UTF-8''")[1]!), new RegExp(AR_SESSION));
      const bytes = Buffer.from(await pdf.arrayBuffer());
      assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF');
      const text = execFileSync('pdftotext', ['-', '-'], { input: bytes }).toString('utf8');
      assert.ok(
        pdfTextHas(text, AR_SESSION),
        `the PDF lacks the Arabic title: ${text.slice(0, 300)}`,
      );
      assert.ok(!pdfTextHas(text, 'Staying safe online'), 'the Arabic PDF is in Arabic');

      const agendaPdf = await get(t.baseUrl, '/en/curricula/org-a-published/pdf');
      assert.equal(agendaPdf.status, 200);
      const agendaBytes = Buffer.from(await agendaPdf.arrayBuffer());
      assert.equal(agendaBytes.subarray(0, 4).toString('latin1'), '%PDF');
      const agendaText = execFileSync('pdftotext', ['-', '-'], { input: agendaBytes }).toString();
      assert.match(agendaText, /Planning a campaign/);
      assert.match(agendaText, /Know the risks/);
    });

    it('answers 503 with the translated error page when WeasyPrint fails', async () => {
      const path = process.env.PATH;
      process.env.PATH = '/nonexistent';
      try {
        const response = await get(t.baseUrl, '/es/curricula/org-a-published/pdf');
        assert.equal(response.status, 503);
        assert.match(response.headers.get('content-type') ?? '', /text\/html/);
        assert.match(await response.text(), /<html lang="es"/);
      } finally {
        process.env.PATH = path;
      }
    });

    it('keeps curricula of unpublished works off the public pages', async () => {
      const created = await editor.post('/en/workspace/curricula', {
        work: staff.a.draftWorkId,
        language: 'en',
        title: 'Draft curriculum',
      });
      assert.equal(created.response.status, 303);
      const draftId = idIn(location(created), 'curricula');
      const moduleAdded = await editor.post(`/en/workspace/curricula/${draftId}/modules`, {
        language: 'en',
        title: 'Draft module',
        version: await versionOf(db, 'curricula', draftId),
      });
      assert.equal(moduleAdded.response.status, 303);
      const module = await db
        .selectFrom('curriculum_modules')
        .select('id')
        .where('curriculum_id', '=', draftId)
        .executeTakeFirstOrThrow();
      const added = await editor.post(
        `/en/workspace/curricula/${draftId}/modules/${module.id}/sessions`,
        {
          language: 'en',
          title: 'Draft session',
          duration: '30',
          version: await versionOf(db, 'curricula', draftId),
        },
      );
      const draftSession = idIn(location(added), 'sessions');
      const slug = (
        await db
          .selectFrom('curriculum_sessions')
          .select('slug')
          .where('id', '=', draftSession)
          .executeTakeFirstOrThrow()
      ).slug;
      for (const path of [
        '/en/curricula/org-a-draft',
        '/en/curricula/org-a-draft/print',
        '/en/curricula/org-a-draft/pdf',
        `/en/curricula/org-a-draft/sessions/${slug}`,
        `/en/curricula/org-a-draft/sessions/${slug}/pdf`,
        // A published curriculum does not lend its address to another's session.
        `/en/curricula/org-a-published/sessions/${slug}`,
      ]) {
        assert.equal((await get(t.baseUrl, path)).status, 404, path);
      }
      assert.doesNotMatch(await (await get(t.baseUrl, '/en/curricula')).text(), /Draft curriculum/);

      // Another organisation's editor: the draft is invisible (404), the published one read-only
      // (403 to every change), and nothing changes.
      const other = await signedIn(t.baseUrl, staff.user('b', 'editor'));
      const before = await curriculaSnapshot(db);
      assert.equal((await other.get(`/en/workspace/curricula/${draftId}`)).response.status, 404);
      assert.equal(
        (await other.get(`/en/workspace/curricula/sessions/${draftSession}`)).response.status,
        404,
      );
      const otherList = await other.get('/en/workspace/curricula');
      assert.doesNotMatch(otherList.html, /Draft curriculum/);
      assert.match(otherList.html, /Digital safety training/);
      const readOnly = await other.get(`/en/workspace/curricula/${curriculumId}`);
      assert.equal(readOnly.response.status, 200);
      assert.match(readOnly.html, /You may read this curriculum but not change it/);
      assert.doesNotMatch(readOnly.html, /action="\/en\/workspace\/curricula\/[^"]*\/modules"/);
      const version = await versionOf(db, 'curricula', curriculumId);
      const sessionVersion = await versionOf(db, 'curriculum_sessions', sessionId);
      const attempts: [string, Record<string, string>, number][] = [
        [
          `/en/workspace/curricula/${curriculumId}`,
          { language: 'en', title: 'Taken', version },
          403,
        ],
        [
          `/en/workspace/curricula/${curriculumId}/modules`,
          { language: 'en', title: 'X', version },
          403,
        ],
        [
          `/en/workspace/curricula/sessions/${sessionId}`,
          { language: 'en', title: 'Taken', duration: '5', version: sessionVersion },
          403,
        ],
        [
          `/en/workspace/curricula/sessions/${sessionId}/handouts`,
          { language: 'en', slug: 'org-b-published', version: sessionVersion },
          403,
        ],
        [
          `/en/workspace/curricula/${draftId}`,
          { language: 'en', title: 'Taken', version: '1' },
          404,
        ],
        [
          `/en/workspace/curricula/sessions/${draftSession}/activities`,
          { language: 'en', minutes: '5', title: 'X', version: '1' },
          404,
        ],
      ];
      for (const [path, fields, status] of attempts) {
        const r = await other.post(path, fields);
        assert.equal(r.response.status, status, path);
      }
      // Creating a curriculum for another organisation's work is refused too.
      const foreign = await other.post('/en/workspace/curricula', {
        work: staff.a.draftWorkId,
        language: 'en',
        title: 'Mine now',
      });
      assert.equal(foreign.response.status, 400);
      // A translator of the organisation itself may read but not change curricula.
      const translator = await signedIn(t.baseUrl, staff.user('a', 'translator'));
      assert.equal(
        (await translator.get(`/en/workspace/curricula/${draftId}`)).response.status,
        200,
      );
      const refused = await translator.post(`/en/workspace/curricula/${draftId}/modules`, {
        language: 'en',
        title: 'X',
        version: await versionOf(db, 'curricula', draftId),
      });
      assert.equal(refused.response.status, 403);
      assert.equal(await curriculaSnapshot(db), before);
    });

    it('deletes activities, handouts, sessions and modules', async () => {
      const s = `/en/workspace/curricula/sessions/${sessionId}`;
      const activity = await db
        .selectFrom('session_activities')
        .select('id')
        .where('session_id', '=', sessionId)
        .orderBy('position')
        .executeTakeFirstOrThrow();
      let r = await editor.post(`${s}/activities/${activity.id}/delete`, {
        language: 'en',
        version: await versionOf(db, 'curriculum_sessions', sessionId),
      });
      assert.equal(r.response.status, 303);
      r = await editor.post(`${s}/handouts/${staff.a.publishedWorkId}/delete`, {
        language: 'en',
        version: await versionOf(db, 'curriculum_sessions', sessionId),
      });
      assert.equal(r.response.status, 303);
      const left = await db
        .selectFrom('session_handouts')
        .select('work_id')
        .where('session_id', '=', sessionId)
        .execute();
      assert.equal(left.length, 1);
      const base = `/en/workspace/curricula/${curriculumId}`;
      const modules = await db
        .selectFrom('curriculum_modules')
        .select('id')
        .where('curriculum_id', '=', curriculumId)
        .orderBy('position')
        .execute();
      const other = await db
        .selectFrom('curriculum_sessions')
        .select('id')
        .where('module_id', '=', modules[1]!.id)
        .executeTakeFirstOrThrow();
      r = await editor.post(`${base}/sessions/${other.id}/delete`, {
        language: 'en',
        version: await versionOf(db, 'curricula', curriculumId),
      });
      assert.equal(r.response.status, 303);
      r = await editor.post(`${base}/modules/${modules[0]!.id}/delete`, {
        language: 'en',
        version: await versionOf(db, 'curricula', curriculumId),
      });
      assert.equal(r.response.status, 303);
      const remaining = await db.selectFrom('curriculum_sessions').select('id').execute();
      // The draft curriculum's session is all that is left; cascades took the rest.
      assert.equal(remaining.length, 1);
      assert.equal(
        (
          await db
            .selectFrom('session_activities')
            .select('id')
            .where('session_id', '=', sessionId)
            .execute()
        ).length,
        0,
      );
      const page = await get(t.baseUrl, '/en/curricula/org-a-published');
      assert.match(await page.text(), /Module two/);
      assert.equal(
        (await get(t.baseUrl, `/en/curricula/org-a-published/sessions/${sessionSlug}`)).status,
        404,
      );
    });
  });
}
