import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { seedDefaultInstrument } from '../../src/features/surveys/default-instrument.js';
import type { DB } from '../../src/platform/db/schema.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { PASSWORD, seedStaff, type StaffFixture } from '../helpers/staff.js';
import { cipherFor, insertRegistration, markPresent } from '../impact/fixtures.js';
import { launchBrowser, noScriptContext, PHONE } from './browser.js';

/**
 * A workshop from plan to donor report, in the product alone: a trainer builds a workshop whose
 * agenda comes from curriculum sessions and gives it the default pre and post surveys; a
 * participant registers in Arabic on a phone without JavaScript and answers the pre survey with
 * her code; after the workshop the trainer marks attendance on a phone, the participant answers
 * the post survey, and the impact report shows the paired change in skills with its interval
 * and the chart.
 */

const EVENT_TITLE = 'Digital safety workshop';
const PARTICIPANT = 'ليلى حسن';
const SESSIONS = [
  { en: 'Strong passwords', ar: 'كلمات مرور قوية', minutes: 60 },
  { en: 'Two-step verification', ar: 'التحقق بخطوتين', minutes: 45 },
  { en: 'Checking sources', ar: 'التحقق من المصادر', minutes: 90 },
] as const;
/** Before the workshop (registration and pre survey are open). */
const BEFORE = new Date('2026-03-01T08:00:00.000Z');
/** The workshop, on the event's own clock (Amman, UTC+3): 06:00-14:00 UTC. */
const STARTS = '2026-03-10T09:00';
const ENDS = '2026-03-10T17:00';
const ZONE = 'Asia/Amman';
/** The day after: attendance is entered and the post survey is open. */
const AFTER = new Date('2026-03-11T08:00:00.000Z');
/** Skills change (post - pre) of the four participants added in the database. */
const OTHER_CHANGES = [1, 2, 3, 1] as const;

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Clicks a submit button (or link) and waits until the page it leads to has loaded. */
async function submit(page: Page, button: Locator): Promise<void> {
  await Promise.all([page.waitForEvent('load'), button.click()]);
}

async function signIn(page: Page, t: TestApp, username: string) {
  await page.goto(`${t.baseUrl}/en/login`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(PASSWORD);
  await Promise.all([
    page.waitForURL(/\/en\/workspace$/),
    page.locator('main form button[type=submit]').click(),
  ]);
}

/** A curriculum on org a's published work: two modules, three sessions, English and Arabic. */
async function insertCurriculum(db: Kysely<DB>, workId: string, at: string) {
  const curriculumId = randomUUID();
  await db
    .insertInto('curricula')
    .values({
      id: curriculumId,
      slug: 'digital-safety-tot',
      work_id: workId,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('curriculum_texts')
    .values([
      { curriculum_id: curriculumId, language: 'en', title: 'Digital safety ToT', summary: null },
      { curriculum_id: curriculumId, language: 'ar', title: 'تدريب المدربين', summary: null },
    ])
    .execute();
  const modules = [randomUUID(), randomUUID()];
  await db
    .insertInto('curriculum_modules')
    .values(modules.map((id, i) => ({ id, curriculum_id: curriculumId, position: i + 1 })))
    .execute();
  // Module 1 holds the first two sessions, module 2 the third.
  const placement = [
    { module: modules[0]!, position: 1 },
    { module: modules[0]!, position: 2 },
    { module: modules[1]!, position: 1 },
  ];
  const ids: string[] = [];
  for (const [i, s] of SESSIONS.entries()) {
    const id = randomUUID();
    ids.push(id);
    await db
      .insertInto('curriculum_sessions')
      .values({
        id,
        module_id: placement[i]!.module,
        slug: `session-${i + 1}`,
        position: placement[i]!.position,
        duration_minutes: s.minutes,
        updated_at: at,
      })
      .execute();
    await db
      .insertInto('curriculum_session_texts')
      .values(
        (['en', 'ar'] as const).map((language) => ({
          session_id: id,
          language,
          title: s[language],
          objectives: '',
          materials: '',
          facilitator_notes: '',
        })),
      )
      .execute();
  }
  return { curriculumId, sessionIds: ids };
}

/** A pre or post response to the default instrument: `value` for every Likert item. */
async function insertAnswers(
  db: Kysely<DB>,
  instrumentId: string,
  likertItems: readonly string[],
  registrationId: string,
  phase: 'pre' | 'post',
  value: number,
  at: string,
) {
  const id = randomUUID();
  await db
    .insertInto('survey_responses')
    .values({
      id,
      registration_id: registrationId,
      phase,
      instrument_id: instrumentId,
      language: 'en',
      submitted_at: at,
    })
    .execute();
  await db
    .insertInto('survey_answers')
    .values(likertItems.map((item_id) => ({ response_id: id, item_id, value })))
    .execute();
}

/** Types the code at /ar/survey and answers the `phase` survey with `value` for every item. */
async function answerSurvey(
  page: Page,
  t: TestApp,
  code: string,
  phase: 'pre' | 'post',
  likertItems: readonly string[],
  value: number,
) {
  await page.goto(`${t.baseUrl}/ar/survey`);
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  await page.locator('main input[name=code]').fill(code);
  await submit(page, page.locator('main form[action$="/survey"] button[type=submit]'));
  const open = page.locator(
    `main form[action$="/survey/answer"]:has(input[name=phase][value=${phase}]) button`,
  );
  assert.equal(await open.count(), 1, `the ${phase} survey is open`);
  await submit(page, open);
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  for (const item of likertItems) {
    await page.locator(`input[name="a_${item}"][value="${value}"]`).check();
  }
  await Promise.all([
    page.waitForURL(/\/ar\/survey\/done$/),
    page.locator('main form[action$="/survey/submit"] button[type=submit]').click(),
  ]);
  assert.equal(await page.locator('main [role=status]').count(), 1);
}

for (const dialect of dialects()) {
  describe(`programme journey (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    let now = BEFORE;
    const contexts: BrowserContext[] = [];

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty', clock: () => now });
      staff = await seedStaff(t.database.db);
    });
    after(async () => {
      for (const c of contexts) await c.close();
      await t.close();
    });

    it('goes from a workshop agenda to the paired change in the report', async () => {
      const db = t.database.db;
      const at = now.toISOString();

      // 1. The default instrument and a curriculum on org a's published work.
      const instrumentId = await seedDefaultInstrument(db, now);
      const likertItems = (
        await db
          .selectFrom('survey_items')
          .select('id')
          .where('instrument_id', '=', instrumentId)
          .where('kind', '=', 'likert')
          .orderBy('position')
          .execute()
      ).map((r) => r.id);
      assert.ok(likertItems.length >= 2, 'the default instrument has Likert items');
      const { curriculumId, sessionIds } = await insertCurriculum(db, staff.a.publishedWorkId, at);

      // 2. The trainer creates the workshop, publishes it and builds its agenda.
      const trainerContext = await browser.newContext({ locale: 'en' });
      contexts.push(trainerContext);
      const trainer = await trainerContext.newPage();
      const scriptErrors: string[] = [];
      trainer.on('pageerror', (e) => scriptErrors.push(e.message));
      await signIn(trainer, t, staff.user('a', 'trainer'));
      await trainer.goto(`${t.baseUrl}/en/workspace/events/new`);
      const form = trainer.locator('main form[action$="/workspace/events"]');
      await form.locator('select[name=organisation]').selectOption(staff.a.id);
      await form.locator('select[name=kind]').selectOption('workshop');
      await form.locator('input[name=text_language]').fill('en');
      await form.locator('input[name=title]').fill(EVENT_TITLE);
      await form.locator('textarea[name=description]').fill('Passwords, two-step verification.');
      await form.locator('input[name=starts]').fill(STARTS);
      await form.locator('input[name=ends]').fill(ENDS);
      await form.locator('select[name=time_zone]').selectOption(ZONE);
      await form.locator('select[name=country]').selectOption('JO');
      await form.locator('input[name=place]').fill('Amman');
      await form.locator('input[name=capacity]').fill('20');
      await form.locator('select[name=visibility]').selectOption('public');
      await form.locator('input[name=languages]').fill('en, ar');
      await form.locator('select[name=curriculum]').selectOption(curriculumId);
      await form.locator('select[name=attendance_by]').selectOption('session');
      await Promise.all([
        trainer.waitForURL(/\/en\/workspace\/events\/[0-9a-f-]{36}\?saved=1$/),
        form.locator('button[type=submit]').click(),
      ]);
      const eventId = /\/events\/([0-9a-f-]{36})\?/.exec(trainer.url())![1]!;
      const stored = await db
        .selectFrom('events')
        .select(['slug', 'starts_at', 'ends_at', 'curriculum_id', 'published_at'])
        .where('id', '=', eventId)
        .executeTakeFirstOrThrow();
      assert.equal(stored.starts_at, '2026-03-10T06:00:00.000Z', 'Amman time stored as UTC');
      assert.equal(stored.ends_at, '2026-03-10T14:00:00.000Z');
      assert.equal(stored.curriculum_id, curriculumId);
      assert.equal(stored.published_at, null, 'a new event is a draft');
      const languages = await db
        .selectFrom('event_languages')
        .select('language')
        .where('event_id', '=', eventId)
        .orderBy('language')
        .execute();
      assert.deepEqual(
        languages.map((l) => l.language),
        ['ar', 'en'],
      );

      await Promise.all([
        trainer.waitForURL(/\?saved=1$/),
        trainer.locator('main form[action$="/publish"] button[type=submit]').click(),
      ]);
      const slug = (
        await db
          .selectFrom('events')
          .select(['slug', 'published_at'])
          .where('id', '=', eventId)
          .executeTakeFirstOrThrow()
      ).slug;
      assert.ok(
        (await trainer.locator(`main a[href="/en/events/${slug}"]`).count()) === 1,
        'the published event links to its public page',
      );

      await trainer.goto(`${t.baseUrl}/en/workspace/events/${eventId}/agenda`);
      const pick = trainer.locator('main form[action$="/agenda/sessions"]');
      // Ticked in reverse: the agenda follows the curriculum's order, not the clicks'.
      for (const id of [...sessionIds].reverse()) {
        await pick.locator(`input[name=session][value="${id}"]`).check();
      }
      await submit(trainer, pick.locator('button[type=submit]'));
      assert.match(trainer.url(), new RegExp(`/en/workspace/events/${eventId}/agenda$`));
      const agenda = trainer.locator('main section ol.items > li strong');
      assert.deepEqual(
        await agenda.allInnerTexts(),
        SESSIONS.map((s) => s.en),
      );
      const agendaItems = await db
        .selectFrom('event_agenda_items')
        .select(['id', 'session_id'])
        .where('event_id', '=', eventId)
        .orderBy('position')
        .execute();
      assert.deepEqual(
        agendaItems.map((i) => i.session_id),
        sessionIds,
      );

      await trainer.goto(`${t.baseUrl}/en/workspace/events/${eventId}/surveys`);
      await trainer.locator('main select[name=pre]').selectOption(instrumentId);
      await trainer.locator('main select[name=post]').selectOption(instrumentId);
      await Promise.all([
        trainer.waitForURL(/\/surveys\?saved=1$/),
        trainer.locator('main form[action$="/surveys"] button[type=submit]').click(),
      ]);
      assert.equal(
        await trainer.locator('main select[name=pre]').inputValue(),
        instrumentId,
        'the pre survey is kept',
      );
      assert.equal(await trainer.locator('main select[name=post]').inputValue(), instrumentId);
      assert.deepEqual(scriptErrors, []);

      // 3. The participant registers in Arabic on a phone, without JavaScript.
      const participantContext = await noScriptContext(browser, 'ar');
      contexts.push(participantContext);
      const participant = await participantContext.newPage();
      await participant.goto(`${t.baseUrl}/ar/events/${slug}`);
      assert.equal(await participant.locator('html').getAttribute('dir'), 'rtl');
      assert.equal(await participant.locator('html').getAttribute('lang'), 'ar');
      await Promise.all([
        participant.waitForURL(new RegExp(`/ar/events/${slug}/register$`)),
        participant.locator(`main a[href="/ar/events/${slug}/register"]`).click(),
      ]);
      assert.equal(await participant.locator('html').getAttribute('dir'), 'rtl');
      const register = participant.locator('main form[action$="/register"]');
      await register.locator('input[name=display_name]').fill(PARTICIPANT);
      await register.locator('select[name=age_band]').selectOption('25-34');
      await register.locator('select[name=gender]').selectOption('woman');
      await register.locator('input[name=consent_listed]').check();
      await register.locator('input[name=consent_contact]').check();
      await submit(participant, register.locator('button[type=submit]'));
      assert.equal(await participant.locator('html').getAttribute('dir'), 'rtl');
      const code = (await participant.locator('main .code-shown code').innerText()).trim();
      assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/, 'a participant code is shown');
      const registration = await db
        .selectFrom('registrations')
        .innerJoin('participants', 'participants.id', 'registrations.participant_id')
        .select([
          'registrations.id',
          'registrations.status',
          'registrations.consent_listed',
          'participants.display_name_enc',
        ])
        .where('registrations.event_id', '=', eventId)
        .executeTakeFirstOrThrow();
      assert.equal(registration.status, 'registered');
      assert.equal(registration.consent_listed, 1);
      assert.ok(!registration.display_name_enc.includes(PARTICIPANT), 'the name is encrypted');

      await answerSurvey(participant, t, code, 'pre', likertItems, 2);

      // 4. After the workshop the trainer (signed in again) marks attendance on a phone.
      now = AFTER;
      await trainer.goto(`${t.baseUrl}/en/workspace`);
      assert.match(trainer.url(), /\/en\/login/, 'the desktop session has expired');
      const phoneContext = await noScriptContext(browser, 'en', { viewport: PHONE });
      contexts.push(phoneContext);
      const phone = await phoneContext.newPage();
      await signIn(phone, t, staff.user('a', 'trainer'));
      await phone.goto(`${t.baseUrl}/en/workspace/events/${eventId}/attendance`);
      const slots = await phone
        .locator('main select[name=slot] option')
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
      assert.deepEqual(
        slots,
        agendaItems.map((i) => `item:${i.id}`),
        'one attendance slot per session',
      );
      for (const slot of slots) {
        await phone.goto(
          `${t.baseUrl}/en/workspace/events/${eventId}/attendance?slot=${encodeURIComponent(slot)}`,
        );
        const tick = phone.locator(`main input[name=present][value="${registration.id}"]`);
        assert.equal(await phone.locator('main label.tick', { hasText: PARTICIPANT }).count(), 1);
        await tick.check();
        await Promise.all([
          phone.waitForURL(/\/attendance\?slot=.+&saved=1$/),
          phone.locator('main form[method=post] button[type=submit]').click(),
        ]);
        assert.equal(await tick.isChecked(), true, `present in ${slot}`);
      }
      const present = await db
        .selectFrom('attendance')
        .select(['slot', 'present'])
        .where('registration_id', '=', registration.id)
        .execute();
      assert.equal(present.filter((p) => p.present === 1).length, slots.length);

      // 5. The participant answers the post survey with her code.
      await answerSurvey(participant, t, code, 'post', likertItems, 4);
      const phases = await db
        .selectFrom('survey_responses')
        .select('phase')
        .where('registration_id', '=', registration.id)
        .orderBy('phase')
        .execute();
      assert.deepEqual(
        phases.map((p) => p.phase),
        ['post', 'pre'],
      );

      // 6. Four more participants of the workshop, so that no cell falls under five people.
      const cipher = cipherFor(t.dataDir);
      for (const [i, change] of OTHER_CHANGES.entries()) {
        const id = await insertRegistration(db, cipher, eventId, { name: `Participant ${i}` });
        await markPresent(db, id, slots);
        await insertAnswers(db, instrumentId, likertItems, id, 'pre', 2, at);
        await insertAnswers(db, instrumentId, likertItems, id, 'post', 2 + change, at);
      }

      // 7. The trainer opens the impact report: the paired change in skills, and the chart.
      await phone.goto(`${t.baseUrl}/en/workspace/reports`);
      const total = phone.locator('main table tfoot tr td');
      assert.equal(await total.nth(0).innerText(), '5', 'five participants');
      assert.equal(await total.nth(1).innerText(), '100%', 'attendance rate');
      assert.equal(await total.nth(2).innerText(), '100%', 'completion');
      // Changes +2 (hers), +1, +2, +3, +1: mean 1.8, sd 0.837, t(4) = 2.776.
      const skills = await total.nth(3).innerText();
      assert.match(skills, /^\+1\.80 \(95% CI \+0\.76 to \+2\.84\); 5 pairs$/);
      const [, lower] = /CI ([+−-][\d.]+)/.exec(skills)!;
      assert.ok(Number(lower) > 0, 'the interval lies above zero');
      const chart = phone.locator('main figure svg[role=img]');
      assert.equal(await chart.count(), 1, 'a server-rendered chart');
      assert.match(
        (await chart.locator('title#impact-chart-title').textContent()) ?? '',
        /skills and confidence/i,
      );
      const bars = await chart.locator('g title').allTextContents();
      assert.ok(
        bars.includes('Skills: +1.80 (95% CI +0.76 to +2.84)'),
        `a bar with the skills change: ${bars.join(' | ')}`,
      );
    });
  });
}
