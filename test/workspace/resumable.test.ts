import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, CORPUS_DIR, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, signedIn, type StaffClient, type StaffFixture } from '../helpers/staff.js';

const PDF = fs.readFileSync(path.join(CORPUS_DIR, 'manuals-pdf/lshort-ru.pdf'));

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A tus 1.0 client in a few lines: enough to cut an upload in the middle and resume it. */
function tus(client: StaffClient, options: { csrf?: string | null } = {}) {
  const headers = (extra: Record<string, string> = {}) => ({
    'tus-resumable': '1.0.0',
    cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    ...(options.csrf === null ? {} : { 'x-csrf-token': options.csrf ?? client.csrf }),
    ...extra,
  });
  return {
    create: (length: number, meta: Record<string, string>) =>
      fetch(`${client.baseUrl}/tus/uploads`, {
        method: 'POST',
        headers: headers({
          'upload-length': String(length),
          'upload-metadata': Object.entries(meta)
            .map(([k, v]) => `${k} ${b64(v)}`)
            .join(','),
        }),
      }),
    patch: (location: string, offset: number, data: Uint8Array) =>
      fetch(`${client.baseUrl}${location}`, {
        method: 'PATCH',
        headers: headers({
          'upload-offset': String(offset),
          'content-type': 'application/offset+octet-stream',
        }),
        body: new Uint8Array(data),
      }),
    head: (location: string) =>
      fetch(`${client.baseUrl}${location}`, { method: 'HEAD', headers: headers() }),
  };
}

for (const dialect of dialects()) {
  describe(`resumable uploads with tus (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    let editor: StaffClient;

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
      editor = await signedIn(t.baseUrl, staff.user('a', 'editor'));
    });
    after(() => t.close());

    it('resumes an interrupted upload where it stopped, then adds the file to the edition', async () => {
      const id = staff.a.draftEditionId;
      const client = tus(editor);
      const created = await client.create(PDF.length, {
        edition: id,
        filename: 'краткое-введение.pdf',
        role: 'original',
      });
      assert.equal(created.status, 201);
      const location = created.headers.get('location')!;
      assert.match(location, /^\/tus\/uploads\/[0-9a-f]{32}$/);
      const half = Math.floor(PDF.length / 2);
      const first = await client.patch(location, 0, PDF.subarray(0, half));
      assert.equal(first.status, 204);
      // The connection drops; later the browser asks how far the server got.
      const head = await client.head(location);
      assert.equal(head.headers.get('upload-offset'), String(half));
      const rest = await client.patch(location, half, PDF.subarray(half));
      assert.equal(rest.status, 204);
      const file = await t.database.db
        .selectFrom('edition_files as f')
        .innerJoin('blobs as b', 'b.sha256', 'f.blob_sha256')
        .select(['f.filename', 'b.size', 'b.media_type'])
        .where('f.edition_id', '=', id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(file, {
        filename: 'краткое-введение.pdf',
        size: PDF.length,
        media_type: 'application/pdf',
      });
      assert.deepEqual(fs.readdirSync(path.join(t.dataDir, 'tus')), [], 'the partial file is gone');
    });

    it("refuses uploads without the token, to others' editions, and others' uploads", async () => {
      const noToken = await tus(editor, { csrf: null }).create(10, {
        edition: staff.a.draftEditionId,
        filename: 'a.pdf',
      });
      assert.equal(noToken.status, 403);
      const otherOrg = await tus(editor).create(10, {
        edition: staff.b.draftEditionId,
        filename: 'a.pdf',
      });
      assert.equal(otherOrg.status, 404);
      const svg = await tus(editor).create(10, {
        edition: staff.a.draftEditionId,
        filename: 'a.svg',
      });
      assert.equal(svg.status, 400);
      const big = await tus(editor).create(3 * 1024 * 1024, {
        edition: staff.a.draftEditionId,
        filename: 'a.srt',
        role: 'subtitles',
        language: 'fa',
      });
      assert.equal(big.status, 413);
      const deferred = await fetch(`${t.baseUrl}/tus/uploads`, {
        method: 'POST',
        headers: {
          'tus-resumable': '1.0.0',
          'upload-defer-length': '1',
          'upload-metadata': `edition ${b64(staff.a.draftEditionId)},filename ${b64('a.pdf')}`,
          cookie: [...editor.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'x-csrf-token': editor.csrf,
        },
      });
      assert.equal(deferred.status, 400, 'a length is required up front');

      const mine = await tus(editor).create(PDF.length, {
        edition: staff.a.draftEditionId,
        filename: 'b.pdf',
      });
      const location = mine.headers.get('location')!;
      const colleague = await signedIn(t.baseUrl, staff.user('a', 'org_admin'));
      const stolen = await tus(colleague).patch(location, 0, PDF.subarray(0, 100));
      assert.equal(stolen.status, 404, "another person's upload cannot be continued");
      assert.equal((await tus(colleague).head(location)).status, 404);
    });

    it('checks the finished content like a form upload, keeping nothing of a disguised file', async () => {
      const html = Buffer.from('<!doctype html><script>alert(1)</script>');
      const client = tus(editor);
      const created = await client.create(html.length, {
        edition: staff.a.draftEditionId,
        filename: 'report.pdf',
      });
      const done = await client.patch(created.headers.get('location')!, 0, html);
      assert.equal(done.status, 422);
      const rows = await t.database.db
        .selectFrom('edition_files')
        .select('filename')
        .where('filename', '=', 'report.pdf')
        .execute();
      assert.deepEqual(rows, []);
      const tusFiles = fs.readdirSync(path.join(t.dataDir, 'tus'));
      assert.ok(
        !tusFiles.some((f) => created.headers.get('location')!.endsWith(f.replace(/\.json$/, ''))),
      );
    });
  });
}
