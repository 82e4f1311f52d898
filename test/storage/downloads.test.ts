/**
 * Files stored in object storage (Swift) and on local disk behind nginx, through the public
 * interfaces: the upload form, the download route (Range, 206, 304, If-Range), presigned
 * redirects, X-Accel-Redirect, and a store that cannot be reached.
 */
import { settledValue } from '../helpers/eventually.js';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { downloadCount } from '../../src/features/downloads/repository.js';
import { downloadHref } from '../../src/features/downloads/links.js';
import { CORPUS_DIR } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, signedIn, StaffClient, type StaffFixture } from '../helpers/staff.js';
import { upload } from '../helpers/uploads.js';
import {
  buildStorageApp,
  createTestBucket,
  fileRowCounts,
  s3Env,
  s3Skip,
  type StorageTestApp,
  type TestBucket,
} from './helpers.js';

const PDF = fs.readFileSync(path.join(CORPUS_DIR, 'manuals-pdf/lshort-fa.pdf'));
const SHA = createHash('sha256').update(PDF).digest('hex');
const KEY = `blobs/${SHA.slice(0, 2)}/${SHA.slice(2, 4)}/${SHA}`;

/** The same signed-in person, talking to another instance of the site. */
function onInstance(client: StaffClient, baseUrl: string): StaffClient {
  const other = new StaffClient(baseUrl);
  for (const [k, v] of client.cookies) other.cookies.set(k, v);
  other.csrf = client.csrf;
  return other;
}

async function uploadPdf(t: StorageTestApp, admin: StaffClient, editionId: string) {
  const sent = await upload(admin, editionId, { name: 'راهنما.pdf', data: PDF });
  assert.equal(sent.response.status, 303, sent.html.slice(0, 300));
  const file = await t.database.db
    .selectFrom('edition_files')
    .select(['id', 'filename', 'edition_id'])
    .where('edition_id', '=', editionId)
    .where('blob_sha256', '=', SHA)
    .executeTakeFirstOrThrow();
  return { ...file, href: downloadHref(file) };
}

const tmpEntries = (t: StorageTestApp) => fs.readdirSync(path.join(t.dataDir, 'blobs', 'tmp'));

for (const dialect of dialects()) {
  describe(`downloads from object storage (${dialect})`, { skip: s3Skip() }, () => {
    let bucket: TestBucket;
    let t: StorageTestApp;
    let staff: StaffFixture;
    let admin: StaffClient;
    let file: { id: string; edition_id: string; href: string };
    const others: StorageTestApp[] = [];

    before(async () => {
      bucket = await createTestBucket();
      t = await buildStorageApp(dialect, { env: s3Env(bucket.config) });
      staff = await seedStaff(t.database.db);
      admin = await signedIn(t.baseUrl, staff.user('a', 'org_admin'));
      await admin.get(`/en/workspace/editions/${staff.a.publishedEditionId}`);
      file = await uploadPdf(t, admin, staff.a.publishedEditionId);
    });
    after(async () => {
      for (const o of others) await o.close();
      await t.close();
      await bucket.remove();
    });

    it('stores an upload under its content-addressed key, not on local disk', async () => {
      assert.equal(t.blobs.kind, 's3');
      assert.ok((await bucket.keys()).includes(KEY), 'blobs/ab/cd/<sha256>');
      const local = fs.readdirSync(path.join(t.dataDir, 'blobs')).filter((n) => n !== 'tmp');
      assert.deepEqual(local, []);
      assert.deepEqual(tmpEntries(t), []);
    });

    it('streams the file with its validators, ranges, 304 and If-Range', async () => {
      const whole = await fetch(`${t.baseUrl}${file.href}`);
      assert.equal(whole.status, 200);
      assert.ok(Buffer.from(await whole.arrayBuffer()).equals(PDF));
      assert.equal(whole.headers.get('content-length'), String(PDF.length));
      assert.equal(whole.headers.get('etag'), `"${SHA}"`);
      assert.equal(whole.headers.get('accept-ranges'), 'bytes');

      const part = await fetch(`${t.baseUrl}${file.href}`, {
        headers: { range: 'bytes=100-1123' },
      });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 100-1123/${PDF.length}`);
      assert.ok(Buffer.from(await part.arrayBuffer()).equals(PDF.subarray(100, 1124)));

      const tail = await fetch(`${t.baseUrl}${file.href}`, { headers: { range: 'bytes=-10' } });
      assert.equal(tail.status, 206);
      assert.ok(Buffer.from(await tail.arrayBuffer()).equals(PDF.subarray(PDF.length - 10)));

      const cached = await fetch(`${t.baseUrl}${file.href}`, {
        headers: { 'if-none-match': `"${SHA}"` },
      });
      assert.equal(cached.status, 304);

      const same = await fetch(`${t.baseUrl}${file.href}`, {
        headers: { range: 'bytes=0-9', 'if-range': `"${SHA}"` },
      });
      assert.equal(same.status, 206);
      assert.ok(Buffer.from(await same.arrayBuffer()).equals(PDF.subarray(0, 10)));
      const changed = await fetch(`${t.baseUrl}${file.href}`, {
        headers: { range: 'bytes=0-9', 'if-range': '"something-else"' },
      });
      assert.equal(changed.status, 200, 'a changed validator gets the whole file');
      assert.equal(Buffer.from(await changed.arrayBuffer()).length, PDF.length);

      const head = await fetch(`${t.baseUrl}${file.href}`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('content-length'), String(PDF.length));
    });

    it('redirects to a short-lived presigned address after counting, when configured', async () => {
      const r = await buildStorageApp(dialect, {
        shareWith: t,
        env: s3Env({ ...bucket.config, downloads: 'redirect', presignSeconds: 60 }),
      });
      others.push(r);
      const before = await downloadCount(t.database.db, file.edition_id);
      const answer = await fetch(`${r.baseUrl}${file.href}`, { redirect: 'manual' });
      assert.equal(answer.status, 302);
      assert.equal(answer.headers.get('cache-control'), 'no-store');
      const location = new URL(answer.headers.get('location')!);
      assert.equal(location.origin, new URL(bucket.config.endpoint).origin);
      assert.equal(location.searchParams.get('X-Amz-Expires'), '60');
      assert.equal(await downloadCount(t.database.db, file.edition_id), before + 1);
      const fetched = await fetch(location);
      assert.equal(fetched.status, 200);
      assert.ok(Buffer.from(await fetched.arrayBuffer()).equals(PDF));
      assert.match(fetched.headers.get('content-disposition') ?? '', /^attachment;/);
      assert.equal(fetched.headers.get('content-type'), 'application/pdf');
      const ranged = await fetch(location, { headers: { range: 'bytes=5-9' } });
      assert.equal(ranged.status, 206);
      assert.ok(Buffer.from(await ranged.arrayBuffer()).equals(PDF.subarray(5, 10)));
    });

    it('answers 503 with Retry-After when the store cannot be reached, and adds no row', async () => {
      const dead = await buildStorageApp(dialect, {
        shareWith: t,
        env: s3Env({ ...bucket.config, endpoint: 'http://127.0.0.1:1' }),
      });
      others.push(dead);
      const counts = await fileRowCounts(t.database.db);
      const keys = (await bucket.keys()).sort();
      const other = Buffer.concat([PDF, Buffer.from('\n%% another file\n')]);
      const sent = await upload(onInstance(admin, dead.baseUrl), staff.a.publishedEditionId, {
        name: 'other.pdf',
        data: other,
      });
      assert.equal(sent.response.status, 503);
      assert.ok(Number(sent.response.headers.get('retry-after')) > 0);
      assert.doesNotMatch(sent.html, /ECONNREFUSED|at .*\.ts:\d+/, 'no internals shown');
      assert.deepEqual(await fileRowCounts(t.database.db), counts);
      assert.deepEqual((await bucket.keys()).sort(), keys);
      assert.deepEqual(tmpEntries(dead), []);

      const download = await fetch(`${dead.baseUrl}${file.href}`);
      assert.equal(download.status, 503, 'not a truncated 200');
      assert.ok(Number(download.headers.get('retry-after')) > 0);
      await download.arrayBuffer();
    });
  });
}

describe('downloads through nginx with X-Accel-Redirect (local disk)', () => {
  let t: StorageTestApp;
  let file: { id: string; edition_id: string; href: string };

  before(async () => {
    t = await buildStorageApp('sqlite', { env: { X_ACCEL_REDIRECT: '/_blobs/' } });
    const staff = await seedStaff(t.database.db);
    const admin = await signedIn(t.baseUrl, staff.user('a', 'org_admin'));
    await admin.get(`/en/workspace/editions/${staff.a.publishedEditionId}`);
    file = await uploadPdf(t, admin, staff.a.publishedEditionId);
  });
  after(() => t.close());

  it('authorises and counts, then hands the file to nginx with our headers and no body', async () => {
    const before = await downloadCount(t.database.db, file.edition_id);
    const r = await fetch(`${t.baseUrl}${file.href}`);
    assert.equal(r.status, 200);
    assert.equal(
      r.headers.get('x-accel-redirect'),
      `/_blobs/${SHA.slice(0, 2)}/${SHA.slice(2, 4)}/${SHA}`,
    );
    assert.equal((await r.arrayBuffer()).byteLength, 0);
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    assert.match(r.headers.get('content-disposition') ?? '', /^attachment;/);
    assert.equal(r.headers.get('etag'), `"${SHA}"`);
    assert.ok(r.headers.get('last-modified'));
    assert.match(r.headers.get('cache-control') ?? '', /max-age/);
    assert.match(r.headers.get('content-security-policy') ?? '', /sandbox/);
    assert.equal(r.headers.get('accept-ranges'), 'bytes');
    assert.equal(
      await settledValue(() => downloadCount(t.database.db, file.edition_id), before + 1),
      before + 1,
    );
    // The path nginx's internal location maps onto DATA_DIR/blobs/ holds exactly these bytes.
    const served = path.join(t.dataDir, 'blobs', r.headers.get('x-accel-redirect')!.slice(8));
    assert.ok(fs.readFileSync(served).equals(PDF));
  });

  it('keeps 304 and unsatisfiable ranges for itself, and hands ranges to nginx', async () => {
    const cached = await fetch(`${t.baseUrl}${file.href}`, {
      headers: { 'if-none-match': `"${SHA}"` },
    });
    assert.equal(cached.status, 304);
    assert.equal(cached.headers.get('x-accel-redirect'), null);
    const ranged = await fetch(`${t.baseUrl}${file.href}`, { headers: { range: 'bytes=10-19' } });
    assert.ok(ranged.headers.get('x-accel-redirect'));
    assert.equal((await ranged.arrayBuffer()).byteLength, 0);
    const beyond = await fetch(`${t.baseUrl}${file.href}`, {
      headers: { range: `bytes=${PDF.length + 10}-` },
    });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('x-accel-redirect'), null);
  });

  it('answers 503 rather than sending nginx to a file that is not there', async () => {
    fs.rmSync(path.join(t.dataDir, 'blobs', SHA.slice(0, 2), SHA.slice(2, 4), SHA));
    const r = await fetch(`${t.baseUrl}${file.href}`);
    assert.equal(r.status, 503);
    assert.equal(r.headers.get('x-accel-redirect'), null);
    await r.arrayBuffer();
  });
});
