/**
 * Two instances on one database count one client's sign-in attempts together: the day's salt
 * that names a client lives in the database, not in each process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { StaffClient } from '../helpers/staff.js';

for (const dialect of dialects()) {
  describe(`rate limits across instances (${dialect})`, () => {
    let a: TestApp;
    let b: TestApp;
    before(async () => {
      a = await buildTestApp(dialect, { library: 'empty' });
      b = await buildTestApp(dialect, { library: 'empty', shareWith: a });
    });
    after(async () => {
      await b.close();
      await a.close();
    });

    it('name one client alike on both instances when counting sign-in attempts', async () => {
      const browsers = [new StaffClient(a.baseUrl), new StaffClient(b.baseUrl)];
      for (const browser of browsers) await browser.get('/en/login');
      // Different accounts each time: only the per-client count grows.
      for (let i = 0; i < 4; i++) {
        const { response } = await browsers[i % 2]!.post('/en/login', {
          username: `nobody-${i}`,
          password: 'wrong',
          next: '/en/workspace',
        });
        assert.equal(response.status, 401, 'a wrong password, not a refusal');
      }
      const rows = await a.database.db
        .selectFrom('rate_limits')
        .select(['key', 'count'])
        .where('key', 'like', 'login-client:%')
        .execute();
      assert.equal(rows.length, 1, 'both instances named the client alike');
      assert.equal(Number(rows[0]!.count), 4);
      assert.ok(!rows[0]!.key.includes('127.0.0.1'));
      const salts = await a.database.db.selectFrom('rate_limit_salts').selectAll().execute();
      assert.equal(salts.length, 1);
      assert.equal(salts[0]!.day, new Date().toISOString().slice(0, 10));
    });

    it('refuse a client on either instance once its hits on both reach the limit', async () => {
      const browsers = [new StaffClient(a.baseUrl), new StaffClient(b.baseUrl)];
      for (const browser of browsers) await browser.get('/en/participant/my-data');
      // The data-rights form allows 10 requests per client in 15 minutes.
      for (let i = 0; i < 10; i++) {
        const { response } = await browsers[i % 2]!.post('/en/participant/my-data', {});
        assert.equal(response.status, 400, `request ${i + 1}`);
      }
      for (const browser of browsers) {
        const { response } = await browser.post('/en/participant/my-data', {});
        assert.equal(response.status, 429);
        assert.ok(Number(response.headers.get('retry-after')) > 0);
      }
    });
  });
}
