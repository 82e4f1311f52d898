import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, CORPUS_DIR, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { downloadHref } from '../../src/features/downloads/links.js';
import { seedStaff, signedIn, type StaffClient, type StaffFixture } from '../helpers/staff.js';
import { upload } from '../helpers/uploads.js';

const PDF = fs.readFileSync(path.join(CORPUS_DIR, 'manuals-pdf/lshort-fa.pdf'));
const SRT = fs.readFileSync(path.join(CORPUS_DIR, 'video/popeye-clip1.en.srt'));

/** Every file under the blob store: placed blobs and anything left in tmp/. */
function filesOnDisk(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

for (const dialect of dialects()) {
  describe(`uploads (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    let editor: StaffClient;
    let editionId: string;

    const blobRows = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('blobs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
      editor = await signedIn(t.baseUrl, staff.user('a', 'editor'));
      editionId = staff.a.draftEditionOfPublishedId;
      await editor.get(`/en/workspace/editions/${editionId}`);
    });
    after(() => t.close());

    it('stores a PDF by its content hash, once, and lists it with its size', async () => {
      const before = await t.database.db
        .selectFrom('editions')
        .select('version')
        .where('id', '=', editionId)
        .executeTakeFirstOrThrow();
      const first = await upload(editor, editionId, {
        name: 'راهنما.pdf',
        data: PDF,
        type: 'text/html',
      });
      assert.equal(first.response.status, 303, first.html.slice(0, 200));
      const again = await upload(editor, editionId, { name: 'copy.pdf', data: PDF });
      assert.equal(again.response.status, 303);
      const rows = await t.database.db
        .selectFrom('edition_files as f')
        .innerJoin('blobs as b', 'b.sha256', 'f.blob_sha256')
        .select(['f.filename', 'b.media_type', 'b.size', 'b.sha256'])
        .where('f.edition_id', '=', editionId)
        .execute();
      assert.deepEqual(rows.map((r) => r.filename).sort(), ['copy.pdf', 'راهنما.pdf']);
      assert.equal(
        rows[0]!.media_type,
        'application/pdf',
        'the sniffed type, not the client-sent one',
      );
      assert.equal(rows[0]!.size, PDF.length);
      const placed = filesOnDisk(t.blobs.root).filter((f) => f.endsWith(rows[0]!.sha256));
      assert.equal(placed.length, 1, 'one blob for the same content');
      const after = await t.database.db
        .selectFrom('editions')
        .select('version')
        .where('id', '=', editionId)
        .executeTakeFirstOrThrow();
      assert.equal(
        after.version,
        before.version + 2,
        'new content: a new version (translations go stale)',
      );
      const page = await editor.get(`/en/workspace/editions/${editionId}`);
      assert.match(page.html, /راهنما\.pdf/);
      assert.match(page.html, /application\/pdf/);
    });

    it('refuses disguised, unknown and oversized files, leaving no row and no file behind', async () => {
      const rowsBefore = await blobRows();
      const diskBefore = filesOnDisk(t.blobs.root).length;
      const cases: [string, { name: string; data: Uint8Array | string }, RegExp][] = [
        [
          'HTML named .pdf',
          { name: 'report.pdf', data: '<!doctype html><script>alert(1)</script>' },
          /does not match its name/,
        ],
        [
          'SVG named .png',
          { name: 'logo.png', data: '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>' },
          /does not match its name/,
        ],
        ['an SVG', { name: 'logo.svg', data: '<svg onload="alert(1)"/>' }, /cannot be uploaded/],
        [
          'double extension',
          { name: 'report.pdf.html', data: '<html></html>' },
          /cannot be uploaded/,
        ],
        [
          'GIF/JS polyglot',
          { name: 'x.gif', data: 'GIF89a/*\u0000*/=alert(1)//' },
          /cannot be uploaded/,
        ],
        ['PDF named .epub', { name: 'book.epub', data: PDF }, /does not match its name/],
        [
          'HTML in a .txt',
          { name: 'notes.txt', data: '<html><body onload=alert(1)>' },
          /does not match its name/,
        ],
        [
          'Latin-1 subtitles',
          { name: 'sub.vtt', data: Buffer.from([0x57, 0x45, 0x42, 0x56, 0x54, 0x54, 0x0a, 0xe9]) },
          /UTF-8/,
        ],
        [
          'oversized subtitles',
          { name: 'big.srt', data: Buffer.alloc(3 * 1024 * 1024, 0x41) },
          /larger than allowed/,
        ],
        [
          'an executable with a bidi trick',
          { name: '\u202Efdp.exe', data: 'MZ' },
          /cannot be uploaded/,
        ],
      ];
      for (const [name, file, message] of cases) {
        const { response, html } = await upload(editor, editionId, file, {
          role: name.includes('subtitles') ? 'subtitles' : 'original',
          language: 'fa',
        });
        assert.equal(response.status, 400, name);
        assert.match(/<p class="error"[^>]*>([^<]*)/.exec(html)?.[1] ?? '', message, name);
      }
      assert.equal(await blobRows(), rowsBefore);
      assert.equal(filesOnDisk(t.blobs.root).length, diskBefore, 'nothing staged or placed');
    });

    it('refuses an upload without its form token before writing anything', async () => {
      const diskBefore = filesOnDisk(t.blobs.root).length;
      const { response } = await upload(
        editor,
        editionId,
        { name: 'a.pdf', data: PDF },
        { csrf: null },
      );
      assert.equal(response.status, 403);
      const forged = await upload(
        editor,
        editionId,
        { name: 'a.pdf', data: PDF },
        { csrf: 'forged' },
      );
      assert.equal(forged.response.status, 403);
      assert.equal(filesOnDisk(t.blobs.root).length, diskBefore);
    });

    it('adds a WebVTT version to SRT subtitles, in the language given', async () => {
      const missing = await upload(
        editor,
        editionId,
        { name: 'popeye.srt', data: SRT },
        { role: 'subtitles' },
      );
      assert.equal(missing.response.status, 400);
      assert.match(missing.html, /Subtitles need their language code/);
      const ok = await upload(
        editor,
        editionId,
        { name: 'popeye.srt', data: SRT },
        { role: 'subtitles', language: 'en' },
      );
      assert.equal(ok.response.status, 303);
      const subs = await t.database.db
        .selectFrom('edition_files as f')
        .innerJoin('blobs as b', 'b.sha256', 'f.blob_sha256')
        .select(['f.filename', 'f.language', 'b.media_type'])
        .where('f.edition_id', '=', editionId)
        .where('f.role', '=', 'subtitles')
        .orderBy('f.position')
        .execute();
      assert.deepEqual(subs, [
        { filename: 'popeye.srt', language: 'en', media_type: 'application/x-subrip' },
        { filename: 'popeye.vtt', language: 'en', media_type: 'text/vtt' },
      ]);
    });

    it('serves uploaded files as sandboxed attachments with a safe name, once published', async () => {
      const name = 'a"\r\nSet-Cookie: x=1 تقرير-ورشة.pdf';
      const { response } = await upload(editor, staff.a.publishedEditionId, { name, data: PDF });
      assert.equal(response.status, 303);
      const file = await t.database.db
        .selectFrom('edition_files')
        .select(['id', 'filename'])
        .where('edition_id', '=', staff.a.publishedEditionId)
        .executeTakeFirstOrThrow();
      assert.doesNotMatch(file.filename, /[\r\n"]/);
      const download = await fetch(`${t.baseUrl}${downloadHref(file)}`, { redirect: 'manual' });
      assert.equal(download.status, 200);
      const disposition = download.headers.get('content-disposition') ?? '';
      assert.match(disposition, /^attachment;/);
      assert.match(disposition, /filename\*=UTF-8''/);
      assert.doesNotMatch(disposition, /[\r\n]/);
      assert.equal(download.headers.get('set-cookie'), null);
      assert.equal(download.headers.get('x-content-type-options'), 'nosniff');
      assert.match(download.headers.get('content-security-policy') ?? '', /sandbox/);
      assert.equal(download.headers.get('content-type'), 'application/pdf');
      assert.equal(Buffer.from(await download.arrayBuffer()).length, PDF.length);
    });

    it('does not let a translator add files to a published edition, nor anyone to another organisation', async () => {
      const translator = await signedIn(t.baseUrl, staff.user('a', 'translator'));
      await translator.get(`/en/workspace/editions/${staff.a.draftEditionId}`);
      const published = await upload(translator, staff.a.publishedEditionId, {
        name: 'x.pdf',
        data: PDF,
      });
      assert.equal(published.response.status, 403);
      const other = await upload(editor, staff.b.draftEditionId, { name: 'x.pdf', data: PDF });
      assert.equal(other.response.status, 404);
    });
  });
}
