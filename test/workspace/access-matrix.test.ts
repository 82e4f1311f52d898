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

const PARTNER_ROLES: Role[] = ['org_admin', 'editor', 'translator', 'trainer'];

/** The other organisation's ids a route can be aimed at; drafts only for GET (published is public). */
function targets(
  url: string,
  method: string,
  b: StaffFixture['b'],
  bPeople: readonly string[],
): string[] {
  if (url.includes('/people/:id')) return [...bPeople];
  if (url.includes('/works/:id')) {
    return method === 'GET' ? [b.draftWorkId] : [b.draftWorkId, b.publishedWorkId];
  }
  if (url.includes('/editions/:id')) {
    return method === 'GET'
      ? [b.draftEditionId, b.draftEditionOfPublishedId]
      : [b.draftEditionId, b.draftEditionOfPublishedId, b.publishedEditionId];
  }
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

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
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
          for (const id of targets(route.url, route.method, staff.b, bPeople)) {
            const path = route.url.replace(':lang', 'en').replace(':id', id);
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
              /Org org-b|org-b draft|org-b پیش‌نویس/,
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
        const path = route.url.replace(':lang', 'en').replace(':id', staff.b.draftWorkId);
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
