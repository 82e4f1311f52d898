/**
 * The cross-organisation matrix: every signed-in route x every role of organisation A x the ids
 * of organisation B. Each must be refused (403/404, or the form refused with 400) and leave B's
 * works, editions and every table count as they were. Anonymous requests are sent to sign in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import {
  seedStaff,
  signedIn,
  snapshotOf,
  StaffClient,
  tableCounts,
  type StaffFixture,
} from '../helpers/staff.js';
import type { Role } from '../../src/platform/db/schema.js';
import { randomUUID } from 'node:crypto';
import { cipherOf, insertEvent, insertParticipant } from '../helpers/programmes.js';

const PARTNER_ROLES: Role[] = ['org_admin', 'editor', 'translator', 'trainer'];

/** B's programme things: an event with a participant, a curriculum of a draft work, a survey. */
interface BProgramme {
  eventId: string;
  curriculumId: string;
  moduleId: string;
  sessionId: string;
  activityId: string;
  instrumentId: string;
  itemId: string;
  registrationId: string;
  certificateId: string;
  projectId: string;
}

async function seedBProgramme(t: TestApp, b: StaffFixture['b']): Promise<BProgramme> {
  const db = t.database.db;
  const now = new Date().toISOString();
  const id = () => randomUUID();
  const event = await insertEvent(db, b.id, { title: 'Org org-b event' });
  const person = await insertParticipant(db, cipherOf(t.dataDir), event.id, { name: 'B person' });
  const p: BProgramme = {
    eventId: event.id,
    curriculumId: id(),
    moduleId: id(),
    sessionId: id(),
    activityId: id(),
    instrumentId: id(),
    itemId: id(),
    registrationId: person.registrationId,
    certificateId: id(),
    projectId: id(),
  };
  await db
    .insertInto('curricula')
    .values({
      id: p.curriculumId,
      slug: 'b-curriculum',
      work_id: b.draftWorkId,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('curriculum_texts')
    .values({
      curriculum_id: p.curriculumId,
      language: 'en',
      title: 'org-b draft curriculum',
      summary: null,
    })
    .execute();
  await db
    .insertInto('curriculum_modules')
    .values({ id: p.moduleId, curriculum_id: p.curriculumId, position: 0 })
    .execute();
  await db
    .insertInto('curriculum_sessions')
    .values({
      id: p.sessionId,
      module_id: p.moduleId,
      slug: 'b-session',
      position: 0,
      duration_minutes: 60,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('session_activities')
    .values({ id: p.activityId, session_id: p.sessionId, position: 0, minutes: 30 })
    .execute();
  await db
    .insertInto('survey_instruments')
    .values({
      id: p.instrumentId,
      slug: 'b-survey',
      organisation_id: b.id,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('survey_items')
    .values({
      id: p.itemId,
      instrument_id: p.instrumentId,
      position: 0,
      kind: 'likert',
      construct: 'skills',
    })
    .execute();
  await db
    .insertInto('certificates')
    .values({
      id: p.certificateId,
      registration_id: p.registrationId,
      verification_code: 'BBBB-BBBB-BB',
      language: 'en',
      issued_at: now,
      issued_by: null,
      revoked_at: null,
    })
    .execute();
  await db
    .insertInto('projects')
    .values({
      id: p.projectId,
      slug: 'b-project',
      event_id: p.eventId,
      language: 'en',
      title: 'B project',
      description: 'B',
      link: null,
      topic_id: null,
      consent_recorded_at: null,
      consent_recorded_by: null,
      published_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return p;
}

/** Fills a route's parameters with B's ids: the first `:id` from `id`, the others by name. */
function pathOf(url: string, id: string, p: BProgramme): string {
  const byName: Record<string, string> = {
    itemId: p.itemId,
    cid: p.certificateId,
    moduleId: p.moduleId,
    sessionId: p.sessionId,
    activityId: p.activityId,
    projectId: p.projectId,
    registrationId: p.registrationId,
  };
  return url
    .replace(':lang', 'en')
    .replace(':id', id)
    .replace(/:([A-Za-z]+)/g, (_, name: string) => byName[name] ?? p.eventId);
}

/** The other organisation's ids a route can be aimed at; drafts only for GET (published is public). */
function targets(
  url: string,
  method: string,
  b: StaffFixture['b'],
  bPeople: readonly string[],
  p: BProgramme,
): string[] {
  if (url.includes('/people/:id')) return [...bPeople];
  if (url.includes('/events/:id')) return [p.eventId];
  if (url.includes('/curricula/sessions/:id')) return [p.sessionId];
  if (url.includes('/curricula/modules/:id')) return [p.moduleId];
  if (url.includes('/curricula/activities/:id')) return [p.activityId];
  if (url.includes('/curricula/:id')) return [p.curriculumId];
  if (url.includes('/surveys/:id')) return [p.instrumentId];
  if (url.includes('/projects/:id')) return [p.projectId];
  if (url.includes('/works/:id')) {
    return method === 'GET' ? [b.draftWorkId] : [b.draftWorkId, b.publishedWorkId];
  }
  if (url.includes('/editions/:id')) {
    return method === 'GET'
      ? [b.draftEditionId, b.draftEditionOfPublishedId]
      : [b.draftEditionId, b.draftEditionOfPublishedId, b.publishedEditionId];
  }
  if (url.includes(':id')) throw new Error(`the matrix has no target for ${url}: add one`);
  return [''];
}

/** A body that would be accepted if the person were allowed: the refusal must come from policy. */
function plausibleBody(staff: StaffFixture): Record<string, string> {
  return {
    title: 'overwritten',
    summary: 'overwritten',
    language: 'ar',
    slug: 'hijacked-work',
    type: 'video',
    publisher: staff.b.id,
    version: '1',
    to: 'published',
    code: '000000',
    username: 'hijacker',
    organisation: staff.b.id,
    role: 'org_admin',
  };
}

for (const dialect of dialects()) {
  describe(`cross-organisation access matrix (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    let routes: { method: string; url: string }[];
    let aimed: { method: string; url: string }[];
    /** Ids of B's staff, for the routes that act on a person. */
    let bPeople: string[];
    let bProgramme: BProgramme;

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
      bProgramme = await seedBProgramme(t, staff.b);
      bPeople = (
        await t.database.db
          .selectFrom('memberships')
          .select('user_id')
          .where('organisation_id', '=', staff.b.id)
          .execute()
      ).map((m) => m.user_id);
      routes = t.app.routeTable.filter(
        (r) => r.url.startsWith('/:lang/workspace') && (r.method === 'GET' || r.method === 'POST'),
      );
      // Account pages take no ids: they act on the signed-in person only (accounts.test.ts).
      aimed = routes.filter((r) => !r.url.includes('/account/'));
    });
    after(() => t.close());

    it('covers the workspace routes', () => {
      assert.ok(routes.length >= 15, `found ${routes.length} routes`);
      assert.ok(routes.some((r) => r.method === 'POST' && r.url.includes('/editions/:id/status')));
    });

    for (const role of PARTNER_ROLES) {
      it(`refuses a ${role} of A every route aimed at B, changing nothing`, async () => {
        const client = await signedIn(t.baseUrl, staff.user('a', role));
        const counts = await tableCounts(t.database.db);
        const snapshot = await snapshotOf(t.database.db, staff.b.id);
        const failures: string[] = [];
        for (const route of aimed) {
          for (const id of targets(route.url, route.method, staff.b, bPeople, bProgramme)) {
            const path = pathOf(route.url, id, bProgramme);
            if (!route.url.includes(':id') && route.method === 'GET') continue; // lists: checked below
            await client.get('/en/workspace'); // a fresh, valid CSRF token
            const { response, html } =
              route.method === 'GET'
                ? await client.get(path)
                : await client.post(path, plausibleBody(staff));
            const refused =
              [403, 404].includes(response.status) ||
              (!route.url.includes(':id') && [400, 403, 404].includes(response.status));
            if (!refused) failures.push(`${route.method} ${path} -> ${response.status}`);
            assert.doesNotMatch(
              html,
              /Org org-b|org-b draft|org-b پیش‌نویس|B person|org-b event/,
              `${route.method} ${path} shows B's drafts`,
            );
          }
        }
        assert.deepEqual(failures, []);
        assert.equal(
          await snapshotOf(t.database.db, staff.b.id),
          snapshot,
          "B's works and editions unchanged",
        );
        const countsAfter = await tableCounts(t.database.db);
        assert.deepEqual(countsAfter, counts);
      });
    }

    it("lists none of B's drafts in A's works list or translation dashboard", async () => {
      const client = await signedIn(t.baseUrl, staff.user('a', 'org_admin'));
      for (const path of [
        '/en/workspace/works',
        `/en/workspace/translations?org=${staff.b.id}`,
        '/en/workspace/translations',
        '/en/workspace/audit',
      ]) {
        const { response, html } = await client.get(path);
        assert.equal(response.status, 200, path);
        assert.doesNotMatch(
          html,
          new RegExp(`${staff.b.draftWorkId}|${staff.b.draftEditionId}|org-b draft`),
          path,
        );
      }
    });

    it('sends anonymous requests to every workspace route to the sign-in page, changing nothing', async () => {
      const anonymous = new StaffClient(t.baseUrl);
      const counts = await tableCounts(t.database.db);
      for (const route of routes) {
        const path = pathOf(route.url, staff.b.draftWorkId, bProgramme);
        const { response } =
          route.method === 'GET'
            ? await anonymous.get(path)
            : await anonymous.post(path, plausibleBody(staff));
        assert.equal(response.status, 303, `${route.method} ${path}`);
        assert.match(response.headers.get('location') ?? '', /^\/en\/login/);
      }
      assert.deepEqual(await tableCounts(t.database.db), counts);
    });

    it('lets a network admin act in every organisation', async () => {
      const admin = await signedIn(t.baseUrl, staff.user('a', 'network_admin'));
      const page = await admin.get(`/en/workspace/editions/${staff.b.draftEditionId}`);
      assert.equal(page.response.status, 200);
      assert.match(page.html, /Send for review/);
    });
  });
}
