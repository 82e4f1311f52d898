import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { derivedJobHandlers } from '../../src/features/derived/handlers.js';
import { claimJob, enqueueJob, JobWorker } from '../../src/platform/jobs/queue.js';
import { buildTestApp, CORPUS_DIR, get, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, signedIn, type StaffClient, type StaffFixture } from '../helpers/staff.js';
import { upload } from '../helpers/uploads.js';

const PDF = fs.readFileSync(path.join(CORPUS_DIR, 'manuals-pdf/lshort-fa.pdf'));
const SILENT_VIDEO = fs.readFileSync(path.join(CORPUS_DIR, 'video/popeye-clip1.mp4'));

/** A 3-second test video with sound (the corpus clips are silent). */
function videoWithSound(): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-video-'));
  try {
    const out = path.join(dir, 'talk.mp4');
    execFileSync('ffmpeg', [
      '-nostdin',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=640x480:rate=15:duration=3',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=3',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-c:a',
      'aac',
      '-shortest',
      out,
    ]);
    return fs.readFileSync(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

for (const dialect of dialects()) {
  describe(`background jobs for derived files (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    let editor: StaffClient;
    let worker: JobWorker;

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
      editor = await signedIn(t.baseUrl, staff.user('a', 'editor'));
      worker = new JobWorker(t.database, derivedJobHandlers(t.database, t.blobs));
    });
    after(() => t.close());

    it('extracts the text of a Persian PDF and makes its thumbnail, showing progress', async () => {
      const id = staff.a.draftEditionOfPublishedId;
      await editor.get(`/en/workspace/editions/${id}`);
      assert.equal(
        (await upload(editor, id, { name: 'lshort-fa.pdf', data: PDF })).response.status,
        303,
      );
      const waiting = await editor.get(`/en/workspace/editions/${id}`);
      assert.match(waiting.html, /data-job="text" data-state="queued"/);
      assert.match(waiting.html, /data-job="thumbnail" data-state="queued"/);
      assert.equal(await worker.drain(), 2);
      const file = await t.database.db
        .selectFrom('edition_files')
        .select('id')
        .where('edition_id', '=', id)
        .where('filename', '=', 'lshort-fa.pdf')
        .executeTakeFirstOrThrow();
      const text = await t.database.db
        .selectFrom('file_texts')
        .selectAll()
        .where('file_id', '=', file.id)
        .executeTakeFirstOrThrow();
      assert.equal(text.usable, 1);
      assert.match(text.text, /لاتک|مقدمه/, 'Persian words come out in logical order');
      assert.doesNotMatch(text.text, /[\u202a-\u202e]/, 'no bidi embedding controls');
      const thumb = await t.database.db
        .selectFrom('file_thumbnails')
        .selectAll()
        .where('file_id', '=', file.id)
        .executeTakeFirstOrThrow();
      const png = fs.readFileSync(t.blobs.pathOf(thumb.blob_sha256));
      assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG');
      const done = await editor.get(`/en/workspace/editions/${id}`);
      assert.match(done.html, /data-job="text" data-state="done"/);
      assert.match(done.html, /data-job="thumbnail" data-state="done"/);
    });

    it('makes a 240p video and an audio-only version, offered first on the public page', async () => {
      const id = staff.a.publishedEditionId;
      await editor.get(`/en/workspace/editions/${id}`);
      assert.equal(
        (await upload(editor, id, { name: 'talk.mp4', data: videoWithSound() })).response.status,
        303,
      );
      assert.equal(await worker.drain(), 3);
      const unfinished = await t.database.db
        .selectFrom('jobs')
        .select(['kind', 'state', 'last_error'])
        .where('state', '!=', 'done')
        .execute();
      assert.deepEqual(unfinished, []);
      const files = await t.database.db
        .selectFrom('edition_files as f')
        .innerJoin('blobs as b', 'b.sha256', 'f.blob_sha256')
        .select(['f.filename', 'f.role', 'f.derived_from_id', 'b.sha256', 'b.size', 'b.media_type'])
        .where('f.edition_id', '=', id)
        .execute();
      const low = files.find((f) => f.role === 'low')!;
      const audio = files.find((f) => f.role === 'audio')!;
      const original = files.find((f) => f.role === 'original')!;
      assert.equal(low.filename, 'talk-240p.mp4');
      assert.equal(audio.media_type, 'audio/ogg');
      assert.ok(low.derived_from_id && audio.derived_from_id);
      const height = execFileSync('ffprobe', [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=height',
        '-of',
        'csv=p=0',
        t.blobs.pathOf(low.sha256),
      ])
        .toString()
        .trim();
      assert.equal(height, '240');
      assert.ok(audio.size < original.size / 3, `audio ${audio.size} vs ${original.size}`);
      const html = await (await get(t.baseUrl, '/en/works/org-a-published/en')).text();
      // What the reader sees: the page body (the JSON-LD in the head names the original first).
      const page = html.slice(html.indexOf('<main'));
      const lowAt = page.indexOf('talk-240p.mp4');
      assert.ok(lowAt > 0, 'the light version is offered');
      assert.ok(lowAt < page.indexOf('talk.mp4'), 'before the original');
    });

    it('makes no audio-only version of a silent video, and still finishes', async () => {
      const id = staff.a.draftEditionId;
      await editor.get(`/en/workspace/editions/${id}`);
      assert.equal(
        (await upload(editor, id, { name: 'popeye.mp4', data: SILENT_VIDEO })).response.status,
        303,
      );
      assert.equal(await worker.drain(), 3);
      const roles = await t.database.db
        .selectFrom('edition_files')
        .select('role')
        .where('edition_id', '=', id)
        .execute();
      assert.deepEqual(roles.map((r) => r.role).sort(), ['low', 'original']);
      const states = await t.database.db
        .selectFrom('jobs')
        .select('state')
        .where('state', '!=', 'done')
        .execute();
      assert.deepEqual(states, []);
    });

    it('flags a PDF without a text layer to editors instead of indexing noise', async () => {
      const { default: PDFDocument } = await import('pdfkit');
      const doc = new PDFDocument();
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));
      const ended = new Promise((r) => doc.on('end', r));
      doc.rect(50, 50, 400, 600).fill('#777'); // a "scanned page": pixels, no text
      doc.end();
      await ended;
      const id = staff.a.draftEditionId;
      await editor.get(`/en/workspace/editions/${id}`);
      const sent = await upload(editor, id, { name: 'scan.pdf', data: Buffer.concat(chunks) });
      assert.equal(sent.response.status, 303);
      await worker.drain();
      const page = await editor.get(`/en/workspace/editions/${id}`);
      assert.match(page.html, /could not be read[^]*scan\.pdf/);
    });

    it('takes over a job whose instance died, and gives up on one that keeps failing', async () => {
      let now = new Date('2026-11-30T10:00:00Z');
      const clock = () => now;
      await enqueueJob(t.database.db, 'no-such-kind', null, now);
      const crashed = await claimJob(t.database, now);
      assert.equal(crashed?.kind, 'no-such-kind', 'claimed by an instance that then dies');
      assert.equal(
        await claimJob(t.database, now),
        undefined,
        'not claimed twice while its lease runs',
      );
      const survivor = new JobWorker(t.database, {}, { clock });
      now = new Date(now.getTime() + 11 * 60_000);
      assert.equal((await survivor.runOnce())?.id, crashed.id, 'taken over after the lease lapsed');
      now = new Date(now.getTime() + 60 * 60_000);
      await survivor.runOnce();
      const job = await t.database.db
        .selectFrom('jobs')
        .selectAll()
        .where('id', '=', crashed.id)
        .executeTakeFirstOrThrow();
      assert.equal(job.state, 'failed');
      assert.equal(job.attempts, 3);
      assert.match(job.last_error ?? '', /no handler/);
    });
  });
}

describe('text extraction', () => {
  it('reads the text of an EPUB, and flags text that is not language', async () => {
    const { extractText, looksUsable } = await import('../../src/features/derived/extract-text.js');
    const text = await extractText(
      path.join(CORPUS_DIR, 'epub/calibre-quick-start-fra.epub'),
      'application/epub+zip',
    );
    assert.ok(text && text.length > 1000);
    assert.match(text, /calibre/i);
    assert.doesNotMatch(text, /<\/?[a-z]+[ >]/, 'no markup left');
    assert.ok(looksUsable(text));
    assert.equal(looksUsable('%%% ### 123 456 789 ... ;;; ||| ^^^ 000 111 222'), false);
  });
});
