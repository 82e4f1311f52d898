import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../helpers/databases.js';
import { buildTestApp, get, type TestApp } from '../helpers/app.js';

/** Sends a raw path exactly as written (fetch would normalise dot segments and encodings). */
function rawGet(baseUrl: string, path: string, headers: Record<string, string> = {}) {
  const url = new URL(baseUrl);
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

function assertFriendly(path: string, r: { status: number; body: string }, statuses: number[]) {
  assert.ok(statuses.includes(r.status), `${path}: status ${r.status}`);
  assert.match(r.body, /<!doctype html>/i, `${path}: not an HTML page`);
  assert.doesNotMatch(r.body, /at .+\.(ts|js):\d+|Error:|stack/i, `${path}: leaks internals`);
}

for (const dialect of dialects()) {
  describe(`bad input gets a clear page in the reader's language (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await buildTestApp(dialect);
    });
    after(() => t.close());

    it('unknown interface languages are a 404 page in the negotiated language', async () => {
      const r = await rawGet(t.baseUrl, '/xx/library', { 'accept-language': 'fa' });
      assertFriendly('/xx/library', r, [404]);
      assert.match(r.body, /<html lang="fa" dir="rtl">/);
      assert.match(r.body, /صفحه پیدا نشد/);
    });

    it('bad paging and filter values are a 400 page, in the page language', async () => {
      for (const query of [
        'page=abc',
        'page=0',
        'page=-1',
        'page=99999999999',
        'page=1.5',
        'type=spaceship',
        'language=!!',
        'language=' + 'a'.repeat(300),
        'topic=../../etc',
        'unknown=1',
      ]) {
        const r = await rawGet(t.baseUrl, `/ar/library?${query}`);
        assertFriendly(query, r, [400, 404]);
        assert.match(r.body, /<html lang="ar" dir="rtl">/, query);
      }
      const beyond = await rawGet(t.baseUrl, '/en/library?page=50');
      assertFriendly('page beyond the end', beyond, [404]);
    });

    it('malformed URLs and traversal attempts never reach a file or a 500', async () => {
      for (const path of [
        '/en/works/%E0%A4%A',
        '/en/%00',
        '/en/works/..%2f..%2fetc%2fpasswd',
        '/download/../../etc/passwd',
        '/download/%2e%2e%2f%2e%2e%2fetc%2fpasswd/x',
        '/download/..%5c..%5cetc/x',
        '/download/%252e%252e%252f/x',
        '/download/00000000-0000-0000-0000-000000000000/x.pdf',
        '/download/not-an-id/x.pdf',
        '//en/library',
        '/EN/library',
        '/en/library;x',
        '/en/./library/.',
        '/en/works/UPPER-CASE',
        '/en/works/' + 'a'.repeat(500),
        '/en/works/universal-declaration-of-human-rights/not_a_tag',
        '/en/works/universal-declaration-of-human-rights/zz',
      ]) {
        const r = await rawGet(t.baseUrl, path);
        assertFriendly(path, r, [400, 404]);
        assert.doesNotMatch(r.body, /root:x:0:0/);
      }
    });

    it('absurd Range headers are answered within the file', async () => {
      const page = await (
        await get(t.baseUrl, '/en/works/not-so-short-introduction-to-latex/en')
      ).text();
      const href = /href="(\/download\/[^"]+)"/.exec(page)![1]!;
      const size = 641763;
      // A range that ends before it starts is invalid; RFC 9110 allows 416 for it too.
      for (const range of ['bytes=99999999999-', 'bytes=-0', `bytes=${size}-`, 'bytes=5-1']) {
        const r = await get(t.baseUrl, href, { range });
        assert.equal(r.status, 416, range);
        assert.equal(r.headers.get('content-range'), `bytes */${size}`);
        assert.match(await r.text(), /<!doctype html>/i);
      }
      const many = `bytes=${Array.from({ length: 500 }, (_, i) => `${i * 10}-${i * 10}`).join(',')}`;
      for (const range of [many, 'bytes=0-0,5-5,10-10', 'bytes=abc', 'pages=1-2']) {
        const r = await get(t.baseUrl, href, { range });
        assert.equal(r.status, 200, range.slice(0, 40));
        assert.equal((await r.arrayBuffer()).byteLength, size);
      }
      // Overlapping ranges are coalesced into one: a single 206, never more bytes than the file.
      const overlapping = await get(t.baseUrl, href, { range: 'bytes=0-0,1-1,0-2' });
      assert.equal(overlapping.status, 206);
      assert.equal((await overlapping.arrayBuffer()).byteLength, 3);
    });

    it('methods a page does not support get a clear answer', async () => {
      const r = await fetch(`${t.baseUrl}/en/library`, { method: 'POST', body: 'x=1' });
      assert.ok([404, 405].includes(r.status));
      assert.match(await r.text(), /<!doctype html>/i);
    });
  });
}
