import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { bumpContentVersion } from '../../src/platform/db/content-version.js';
import { dialects } from '../helpers/databases.js';
import { buildTestApp, get, type TestApp } from '../helpers/app.js';

const UDHR = '/en/works/universal-declaration-of-human-rights/en';

async function titleOf(t: TestApp, path: string) {
  const body = await (await get(t.baseUrl, path)).text();
  return /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1];
}

for (const dialect of dialects()) {
  describe(`two instances on one database and one file store (${dialect})`, () => {
    let a: TestApp;
    let b: TestApp;
    const logs: string[] = [];
    before(async () => {
      const stream = new PassThrough();
      stream.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
      a = await buildTestApp(dialect, {
        env: { PAGE_CACHE_SECONDS: '600', LOG_LEVEL: 'info' },
        logStream: stream,
      });
      b = await buildTestApp(dialect, { shareWith: a, env: { PAGE_CACHE_SECONDS: '600' } });
    });
    after(async () => {
      await b.close();
      await a.close();
    });

    it('serve the same library, and a change shows on both despite their page caches', async () => {
      assert.equal(await titleOf(a, UDHR), 'Universal Declaration of Human Rights');
      assert.equal(await titleOf(b, UDHR), 'Universal Declaration of Human Rights');
      await a.database.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('editions')
          .set({ title: 'UDHR (revised title)' })
          .where('language', '=', 'en')
          .where('title', '=', 'Universal Declaration of Human Rights')
          .execute();
        await bumpContentVersion(trx);
      });
      // Each instance re-reads the content version at most once a second.
      for (const instance of [a, b]) {
        let title: string | undefined;
        for (let i = 0; i < 50 && title !== 'UDHR (revised title)'; i++) {
          await new Promise((r) => setTimeout(r, 100));
          title = await titleOf(instance, UDHR);
        }
        assert.equal(title, 'UDHR (revised title)');
      }
    });

    it('share download counters', async () => {
      const page = await (
        await get(a.baseUrl, '/en/works/not-so-short-introduction-to-latex/en')
      ).text();
      const href = /href="(\/download\/[^"]+)"/.exec(page)![1]!;
      await (await get(a.baseUrl, href)).arrayBuffer();
      await (await get(b.baseUrl, href)).arrayBuffer();
      const rows = await b.database.db.selectFrom('download_counts').select('count').execute();
      assert.equal(
        rows.reduce((n, r) => n + Number(r.count), 0),
        2,
      );
    });

    it('log route templates and statuses, never addresses, query strings or cookies', async () => {
      await (
        await get(a.baseUrl, '/ar/library?language=fa&type=manual', { cookie: 'lc_lang=ar' })
      ).text();
      await (await get(a.baseUrl, '/nope?secret=1')).text();
      // The start-up line names the address the server itself listens on, not a reader's.
      const text = logs.filter((l) => !l.includes('Server listening at')).join('');
      assert.match(text, /"route":"\/:lang\/library"/);
      for (const leak of [
        '127.0.0.1',
        '::1',
        'remoteAddress',
        'language=fa',
        'secret=1',
        'lc_lang',
        'hostname',
      ]) {
        assert.ok(!text.includes(leak), `log contains ${leak}`);
      }
    });
  });
}
