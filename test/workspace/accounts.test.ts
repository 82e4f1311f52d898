import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import {
  PASSWORD,
  seedStaff,
  signedIn,
  StaffClient,
  totpCode,
  type StaffFixture,
} from '../helpers/staff.js';

for (const dialect of dialects()) {
  describe(`accounts and sessions (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    let now = new Date('2026-11-30T09:00:00Z');
    const clock = () => now;
    const later = (minutes: number) => {
      now = new Date(now.getTime() + minutes * 60_000);
    };

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty', clock });
      staff = await seedStaff(t.database.db);
    });
    after(() => t.close());

    it('signs in with the right password, with a generic message otherwise', async () => {
      const wrong = await new StaffClient(t.baseUrl).signIn(
        staff.user('a', 'editor'),
        'not the password',
      );
      assert.equal(wrong.response.status, 401);
      assert.match(wrong.html, /The username or password is not right/);
      const unknown = await new StaffClient(t.baseUrl).signIn('nobody-at-all', PASSWORD);
      assert.equal(unknown.response.status, 401);
      assert.match(unknown.html, /The username or password is not right/);
      const ok = await new StaffClient(t.baseUrl).signIn(staff.user('a', 'editor'));
      assert.equal(ok.response.status, 303);
      assert.equal(ok.response.headers.get('location'), '/en/workspace');
      const cookie = ok.response.headers.getSetCookie().find((c) => c.startsWith('lc_session='));
      assert.ok(cookie, 'a session cookie is set');
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.doesNotMatch(
        cookie,
        /Max-Age|Expires/,
        'a browser session cookie: the server decides expiry',
      );
    });

    it("sends /login to the sign-in page in the reader's language", async () => {
      const fa = await fetch(`${t.baseUrl}/login`, {
        redirect: 'manual',
        headers: { 'accept-language': 'fa-IR,fa;q=0.9' },
      });
      assert.equal(fa.headers.get('location'), '/fa/login');
      const chosen = await fetch(`${t.baseUrl}/login`, {
        redirect: 'manual',
        headers: { cookie: 'lc_lang=ru' },
      });
      assert.equal(chosen.headers.get('location'), '/ru/login');
    });

    it('marks the session cookie Secure with the __Host- prefix behind TLS', async () => {
      const proxied = await buildTestApp(dialect, {
        shareWith: t,
        env: { TRUST_PROXY: 'true' },
        clock,
      });
      try {
        const client = new StaffClient(proxied.baseUrl);
        await client.get('/en/login', { 'x-forwarded-proto': 'https' });
        const { response } = await client.post(
          '/en/login',
          { username: staff.user('a', 'editor'), password: PASSWORD },
          { headers: { 'x-forwarded-proto': 'https', origin: proxied.baseUrl } },
        );
        const cookie = response.headers
          .getSetCookie()
          .find((c) => c.startsWith('__Host-lc_session='));
        assert.ok(cookie, 'the __Host- cookie is set');
        assert.match(cookie, /Secure/);
        assert.match(cookie, /Path=\//);
      } finally {
        await proxied.app.close();
        await proxied.database.close();
      }
    });

    it('gives a new session id at sign-in, so a planted cookie is useless (fixation)', async () => {
      const client = new StaffClient(t.baseUrl);
      client.cookies.set('lc_session', 'planted-by-an-attacker');
      await client.signIn(staff.user('a', 'editor'));
      assert.notEqual(client.cookies.get('lc_session'), 'planted-by-an-attacker');
      const victim = await signedIn(t.baseUrl, staff.user('a', 'translator'));
      const before = victim.cookies.get('lc_session');
      await victim.signIn(staff.user('a', 'translator'));
      assert.notEqual(victim.cookies.get('lc_session'), before);
      const replay = new StaffClient(t.baseUrl);
      replay.cookies.set('lc_session', before!);
      assert.equal((await replay.get('/en/workspace')).response.status, 303);
    });

    it('sends signed-in pages with no-store, and signs out with Clear-Site-Data', async () => {
      const client = await signedIn(t.baseUrl, staff.user('a', 'editor'));
      const old = client.cookies.get('lc_session')!;
      const page = await client.get('/en/workspace');
      assert.equal(page.response.status, 200);
      assert.equal(page.response.headers.get('cache-control'), 'no-store');
      assert.match(
        page.response.headers.get('content-security-policy') ?? '',
        /frame-ancestors 'none'/,
      );
      const out = await client.post('/en/logout', {});
      assert.equal(out.response.status, 303);
      assert.match(out.response.headers.get('clear-site-data') ?? '', /"cookies"/);
      const replay = new StaffClient(t.baseUrl);
      replay.cookies.set('lc_session', old);
      const after = await replay.get('/en/workspace/works');
      assert.equal(after.response.status, 303);
      assert.equal(
        after.response.headers.get('location'),
        '/en/login?next=%2Fen%2Fworkspace%2Fworks',
      );
    });

    it('ends idle sessions, sooner for admins, and every session after the absolute limit', async () => {
      const editor = await signedIn(t.baseUrl, staff.user('a', 'editor'));
      const admin = await signedIn(t.baseUrl, staff.user('a', 'org_admin'));
      later(31); // admins: 90 / 3 = 30 minutes idle
      assert.equal((await editor.get('/en/workspace')).response.status, 200);
      assert.equal((await admin.get('/en/workspace')).response.status, 303);
      later(89);
      assert.equal(
        (await editor.get('/en/workspace')).response.status,
        200,
        'activity keeps it alive',
      );
      later(91);
      assert.equal((await editor.get('/en/workspace')).response.status, 303, 'idle for 91 minutes');

      const busy = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      for (let hour = 0; hour < 12; hour++) {
        later(60);
        if (hour < 11) assert.equal((await busy.get('/en/workspace')).response.status, 200);
      }
      assert.equal(
        (await busy.get('/en/workspace')).response.status,
        303,
        '12 hours after sign-in',
      );
    });

    it('ends the other sessions at a password change, and all at "sign out everywhere"', async () => {
      const user = staff.user('b', 'editor');
      const phone = await signedIn(t.baseUrl, user);
      const laptop = await signedIn(t.baseUrl, user);
      await laptop.get('/en/workspace/account/password');
      const bad = await laptop.post('/en/workspace/account/password', {
        current: PASSWORD,
        password: 'short',
        repeat: 'short',
      });
      assert.equal(bad.response.status, 400);
      assert.match(bad.html, /too short/);
      const newPassword = 'a much longer passphrase';
      const changed = await laptop.post('/en/workspace/account/password', {
        current: PASSWORD,
        password: newPassword,
        repeat: newPassword,
      });
      assert.equal(changed.response.status, 200);
      assert.equal(
        (await phone.get('/en/workspace')).response.status,
        303,
        'the other device is out',
      );
      assert.equal((await laptop.get('/en/workspace')).response.status, 200, 'this one stays');
      assert.equal(
        (await new StaffClient(t.baseUrl).signIn(user)).response.status,
        401,
        'old password',
      );
      const again = new StaffClient(t.baseUrl);
      assert.equal((await again.signIn(user, newPassword)).response.status, 303);

      await again.get('/en/workspace/account/password');
      const everywhere = await again.post('/en/workspace/account/sign-out-everywhere', {});
      assert.equal(everywhere.response.status, 303);
      assert.equal((await laptop.get('/en/workspace')).response.status, 303);
      assert.equal((await again.get('/en/workspace')).response.status, 303);
    });

    it('ends the sessions of a disabled account and refuses its sign-in', async () => {
      const { setDisabled, findUserByUsername } =
        await import('../../src/features/accounts/users.js');
      const { CLI_ACTOR } = await import('../../src/features/audit/log.js');
      const username = staff.user('b', 'trainer');
      const client = await signedIn(t.baseUrl, username);
      const user = await findUserByUsername(t.database.db, username);
      await setDisabled(t.database.db, CLI_ACTOR, user!.id, true);
      assert.equal((await client.get('/en/workspace')).response.status, 303);
      const retry = await new StaffClient(t.baseUrl).signIn(username);
      assert.equal(retry.response.status, 401);
      await setDisabled(t.database.db, CLI_ACTOR, user!.id, false);
    });

    it('throttles password guessing per account, whatever address the guesses claim to come from', async () => {
      const username = staff.user('b', 'translator');
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const client = new StaffClient(t.baseUrl);
        await client.get('/en/login');
        const { response } = await client.post(
          '/en/login',
          { username, password: `guess ${i}` },
          { headers: { 'x-forwarded-for': `203.0.113.${i}` } },
        );
        statuses.push(response.status);
      }
      assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401));
      assert.deepEqual(statuses.slice(10), [429, 429]);
      const right = await new StaffClient(t.baseUrl).signIn(username);
      assert.equal(right.response.status, 429, 'even the right password waits out the window');
      assert.ok(right.response.headers.get('retry-after'));
      const keys = await t.database.db.selectFrom('rate_limits').select('key').execute();
      for (const { key } of keys) {
        assert.doesNotMatch(
          key,
          /127\.0\.0\.1|::1|203\.0\.113/,
          'no client address in the limiter',
        );
      }
      later(16);
      assert.equal((await new StaffClient(t.baseUrl).signIn(username)).response.status, 303);
    });

    it('asks network admins for their code, and makes new admins set up two-step sign-in', async () => {
      const client = new StaffClient(t.baseUrl);
      const first = await client.signIn(staff.user('a', 'network_admin'));
      assert.match(first.response.headers.get('location') ?? '', /^\/en\/login\/code/);
      assert.equal((await client.get('/en/workspace')).response.status, 303, 'not signed in yet');
      await client.get('/en/login/code');
      const wrong = await client.post('/en/login/code', { code: '000000' });
      assert.equal(wrong.response.status, 401);
      const right = await client.post('/en/login/code', { code: await totpCode(undefined, now) });
      assert.equal(right.response.status, 303);
      assert.equal((await client.get('/en/workspace')).response.status, 200);

      const { createUser } = await import('../../src/features/accounts/users.js');
      const { CLI_ACTOR } = await import('../../src/features/audit/log.js');
      await createUser(t.database.db, CLI_ACTOR, {
        username: 'new-admin',
        displayName: 'New admin',
        password: PASSWORD,
        organisationId: staff.hub.id,
        role: 'network_admin',
      });
      const admin = await signedIn(t.baseUrl, 'new-admin');
      const home = await admin.get('/en/workspace/works');
      assert.equal(home.response.status, 303);
      assert.equal(home.response.headers.get('location'), '/en/workspace/account/two-factor');
      const setup = await admin.get('/en/workspace/account/two-factor');
      const secret = /<code class="secret">([^<]+)<\/code>/
        .exec(setup.html)?.[1]
        ?.replace(/\s/g, '');
      assert.ok(secret, 'the key is shown');
      const confirmed = await admin.post('/en/workspace/account/two-factor', {
        code: await totpCode(secret, now),
      });
      assert.equal(confirmed.response.status, 303);
      assert.equal((await admin.get('/en/workspace/works')).response.status, 200);
    });
  });
}
