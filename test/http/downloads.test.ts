import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import contentDisposition from 'content-disposition';
import { dialects } from '../helpers/databases.js';
import { buildTestApp, CORPUS_DIR, get, type TestApp } from '../helpers/app.js';

for (const dialect of dialects()) {
  describe(`downloads (${dialect})`, () => {
    let t: TestApp;
    let href: string;
    let expected: Buffer;
    before(async () => {
      t = await buildTestApp(dialect);
      const page = await (
        await get(t.baseUrl, '/fa/works/not-so-short-introduction-to-latex/fa')
      ).text();
      href = /href="(\/download\/[^"]+)"/.exec(page)![1]!;
      expected = fs.readFileSync(path.join(CORPUS_DIR, 'manuals-pdf/lshort-fa.pdf'));
    });
    after(() => t.close());

    it('sends the whole file with type, size, validators and a safe disposition, no account needed', async () => {
      const r = await get(t.baseUrl, href);
      assert.equal(r.status, 200);
      const body = Buffer.from(await r.arrayBuffer());
      assert.ok(body.equals(expected));
      assert.equal(r.headers.get('content-type'), 'application/pdf');
      assert.equal(r.headers.get('content-length'), String(expected.length));
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(r.headers.get('accept-ranges'), 'bytes');
      const sha = createHash('sha256').update(expected).digest('hex');
      assert.equal(r.headers.get('etag'), `"${sha}"`);
      assert.ok(r.headers.get('last-modified'));
      const disposition = contentDisposition.parse(r.headers.get('content-disposition')!);
      assert.equal(disposition.type, 'attachment');
      assert.match(r.headers.get('content-security-policy') ?? '', /sandbox/);
    });

    it('resumes with Range and If-Range', async () => {
      const etag = `"${createHash('sha256').update(expected).digest('hex')}"`;
      const part = await get(t.baseUrl, href, { range: 'bytes=100-199', 'if-range': etag });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 100-199/${expected.length}`);
      assert.ok(Buffer.from(await part.arrayBuffer()).equals(expected.subarray(100, 200)));
      const tail = await get(t.baseUrl, href, { range: 'bytes=-10' });
      assert.ok(
        Buffer.from(await tail.arrayBuffer()).equals(expected.subarray(expected.length - 10)),
      );
      const stale = await get(t.baseUrl, href, { range: 'bytes=100-199', 'if-range': '"stale"' });
      assert.equal(stale.status, 200);
      assert.equal((await stale.arrayBuffer()).byteLength, expected.length);
    });

    it('answers conditional requests with 304', async () => {
      const first = await get(t.baseUrl, href, { range: 'bytes=0-0' });
      await first.arrayBuffer();
      const etag = first.headers.get('etag')!;
      assert.equal((await get(t.baseUrl, href, { 'if-none-match': etag })).status, 304);
      const lastModified = first.headers.get('last-modified')!;
      assert.equal((await get(t.baseUrl, href, { 'if-modified-since': lastModified })).status, 304);
      const head = await fetch(`${t.baseUrl}${href}`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('content-length'), String(expected.length));
    });

    it('counts downloads per edition and day, and nothing about the reader', async () => {
      const before = await t.database.db.selectFrom('download_counts').selectAll().execute();
      const sum = (rows: { count: number }[]) => rows.reduce((n, r) => n + Number(r.count), 0);
      await (await get(t.baseUrl, href)).arrayBuffer();
      await (await get(t.baseUrl, href, { range: 'bytes=10-20' })).arrayBuffer(); // a resumed download is not a new one
      const afterRows = await t.database.db.selectFrom('download_counts').selectAll().execute();
      assert.equal(sum(afterRows) - sum(before), 1);
      assert.deepEqual(Object.keys(afterRows[0]!).sort(), ['count', 'day', 'edition_id']);
      assert.match(afterRows[0]!.day, /^\d{4}-\d{2}-\d{2}$/);
    });

    it('keeps Arabic and Persian file names', async () => {
      const file = await t.database.db
        .selectFrom('edition_files')
        .select(['id'])
        .limit(1)
        .executeTakeFirstOrThrow();
      await t.database.db
        .updateTable('edition_files')
        .set({ filename: 'گزارش\u202E-ورشة\r\n.pdf' })
        .where('id', '=', file.id)
        .execute();
      const r = await get(t.baseUrl, `/download/${file.id}/x`);
      await r.arrayBuffer();
      const header = r.headers.get('content-disposition')!;
      assert.doesNotMatch(header, /[\r\n\u202E]/);
      assert.equal(contentDisposition.parse(header).parameters.filename, 'گزارش-ورشة.pdf');
    });

    it('does not serve files of unpublished editions', async () => {
      const file = await t.database.db
        .selectFrom('edition_files')
        .select(['id', 'edition_id'])
        .offset(1)
        .limit(1)
        .executeTakeFirstOrThrow();
      await t.database.db
        .updateTable('editions')
        .set({ status: 'draft' })
        .where('id', '=', file.edition_id)
        .execute();
      const r = await get(t.baseUrl, `/download/${file.id}/x`);
      assert.equal(r.status, 404);
      await t.database.db
        .updateTable('editions')
        .set({ status: 'published' })
        .where('id', '=', file.edition_id)
        .execute();
    });
  });
}
