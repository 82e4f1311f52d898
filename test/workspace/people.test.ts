import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, signedIn, StaffClient, type StaffFixture } from '../helpers/staff.js';

const handedOver = (html: string) => /data-password[^>]*>([^<]+)</.exec(html)?.[1] ?? '';

for (const dialect of dialects()) {
  describe(`people: organisation admins manage their staff (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    let admin: StaffClient;
    const idOf = async (username: string) =>
      (
        await t.database.db
          .selectFrom('users')
          .select('id')
          .where('username', '=', username)
          .executeTakeFirstOrThrow()
      ).id;

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
      admin = await signedIn(t.baseUrl, staff.user('a', 'org_admin'));
      await admin.get('/en/workspace/people');
    });
    after(() => t.close());

    it('adds a person with a one-time password that works, and lists only its own people', async () => {
      const page = await admin.get('/en/workspace/people');
      assert.match(page.html, /data-person="editor-a"/);
      assert.doesNotMatch(page.html, /data-person="editor-b"/);
      const added = await admin.post('/en/workspace/people', {
        username: 'Farida',
        name: 'فریده',
        organisation: staff.a.id,
        role: 'translator',
      });
      assert.equal(added.response.status, 200);
      const password = handedOver(added.html);
      assert.ok(password.length >= 20);
      const farida = new StaffClient(t.baseUrl);
      assert.equal((await farida.signIn('farida', password)).response.status, 303);
      const taken = await admin.post('/en/workspace/people', {
        username: 'farida',
        organisation: staff.a.id,
        role: 'editor',
      });
      assert.equal(taken.response.status, 400);
      assert.match(taken.html, /already taken/);
    });

    it('refuses roles above theirs and organisations not theirs', async () => {
      const tooHigh = await admin.post('/en/workspace/people', {
        username: 'boss',
        organisation: staff.a.id,
        role: 'network_admin',
      });
      assert.equal(tooHigh.response.status, 400);
      assert.match(tooHigh.html, /Choose a role you may give/);
      const elsewhere = await admin.post('/en/workspace/people', {
        username: 'spy',
        organisation: staff.b.id,
        role: 'editor',
      });
      assert.equal(elsewhere.response.status, 403);
      const otherPerson = await admin.post(
        `/en/workspace/people/${await idOf('editor-b')}/disable`,
        {},
      );
      assert.equal(otherPerson.response.status, 404);
      const networkAdmin = await admin.post(
        `/en/workspace/people/${await idOf('network_admin-hub')}/reset`,
        {},
      );
      assert.equal(networkAdmin.response.status, 404);
    });

    it('disables (ending sessions), re-enables and resets accounts', async () => {
      const editor = await signedIn(t.baseUrl, staff.user('a', 'editor'));
      const id = await idOf('editor-a');
      assert.equal(
        (await admin.post(`/en/workspace/people/${id}/disable`, {})).response.status,
        303,
      );
      assert.equal((await editor.get('/en/workspace')).response.status, 303, 'signed out at once');
      assert.equal((await new StaffClient(t.baseUrl).signIn('editor-a')).response.status, 401);
      await admin.get('/en/workspace/people');
      assert.equal(
        (await admin.post(`/en/workspace/people/${id}/enable`, {})).response.status,
        303,
      );
      await admin.get('/en/workspace/people');
      const reset = await admin.post(`/en/workspace/people/${id}/reset`, {});
      const password = handedOver(reset.html);
      assert.ok(password);
      assert.equal(
        (await new StaffClient(t.baseUrl).signIn('editor-a')).response.status,
        401,
        'old password',
      );
      assert.equal(
        (await new StaffClient(t.baseUrl).signIn('editor-a', password)).response.status,
        303,
      );
      const audit = await t.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', id)
        .execute();
      for (const action of ['user.disable', 'user.enable', 'user.password']) {
        assert.ok(
          audit.some((a) => a.action === action),
          action,
        );
      }
    });

    it('is closed to editors, translators and trainers', async () => {
      for (const role of ['editor', 'translator', 'trainer'] as const) {
        const client = await signedIn(t.baseUrl, staff.user('b', role));
        assert.equal((await client.get('/en/workspace/people')).response.status, 403, role);
      }
    });
  });
}
