import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { importDirectory, type ImportProgress } from '../../src/features/imports/importer.js';
import { MAX_SECTION_BYTES, topLevelBlocks } from '../../src/features/imports/sanitize-html.js';
import { readContentVersion } from '../../src/platform/db/content-version.js';
import { canonicalTag } from '../../src/platform/i18n/languages.js';
import { dialects } from '../helpers/databases.js';
import { blobFiles, corpusDir, repoRoot, rowCounts, withLibrary } from './helpers.js';

/**
 * The real multilingual corpus in ../shared/corpus, imported in place with the manifest in
 * test/fixtures/corpus-manifest.yaml (the files are never copied into this repository).
 */
const CORPUS = corpusDir();
const FIXTURE = path.join(repoRoot(), 'test/fixtures/corpus-manifest.yaml');
const present = fs.existsSync(path.join(CORPUS, 'udhr/index.json'));

interface IndexEntry {
  file: string;
  bcp47: string;
  direction: 'ltr' | 'rtl';
  title: string;
}

const UDHR = 'universal-declaration-of-human-rights';

for (const dialect of dialects()) {
  describe(
    `import of the shared corpus (${dialect})`,
    { skip: present ? false : `no corpus at ${CORPUS}` },
    () => {
      it('imports every file, idempotently, and versions changed editions', async () => {
        await withLibrary(dialect, async ({ database, blobs }) => {
          const db = database.db;
          const progress: ImportProgress[] = [];
          const first = await importDirectory(database, blobs, CORPUS, {
            manifestPath: FIXTURE,
            onProgress: (p) => progress.push(p),
          });
          // 11 files in the manifest, plus the WebVTT version made from the SRT subtitles.
          assert.deepEqual(first, {
            works: 4,
            editions: 54,
            files: 12,
            created: 54,
            updated: 0,
            unchanged: 0,
          });

          // Progress: ends at the total, never goes back.
          const last = progress.at(-1)!;
          assert.equal(last.done, last.total);
          assert.equal(last.total, 45 + 12 + 54);
          for (let i = 1; i < progress.length; i++)
            assert.ok(progress[i]!.done >= progress[i - 1]!.done);

          // UDHR: one edition per translation in index.json, with its tag and title.
          const index = JSON.parse(
            fs.readFileSync(path.join(CORPUS, 'udhr/index.json'), 'utf8'),
          ) as {
            declarations: IndexEntry[];
          };
          const editions = await db
            .selectFrom('editions as e')
            .innerJoin('works as w', 'w.id', 'e.work_id')
            .innerJoin('languages as l', 'l.tag', 'e.language')
            .select([
              'e.id',
              'e.language',
              'e.title',
              'e.version',
              'e.status',
              'e.published_at',
              'l.direction',
              'w.slug',
            ])
            .where('w.slug', '=', UDHR)
            .execute();
          assert.equal(editions.length, 45);
          for (const d of index.declarations) {
            // Tags are stored canonical: the corpus's tl is fil.
            const e = editions.find((x) => x.language === canonicalTag(d.bcp47));
            assert.ok(e, `edition ${d.bcp47}`);
            assert.equal(e.title, d.title.normalize('NFC'), 'titles are stored in NFC');
            assert.equal(e.status, 'published');
            assert.ok(e.published_at);
            assert.equal(e.direction, d.direction, `direction of ${d.bcp47}`);
          }
          for (const rtl of ['ar', 'fa', 'ur', 'he']) {
            assert.equal(editions.find((e) => e.language === rtl)?.direction, 'rtl', rtl);
          }

          // Sections: every UDHR edition has them, small enough, NFC, sanitised, without the <h1>.
          const sections = await db
            .selectFrom('edition_sections as s')
            .innerJoin('editions as e', 'e.id', 's.edition_id')
            .select(['e.language', 's.position', 's.heading', 's.html'])
            .orderBy('e.language')
            .orderBy('s.position')
            .execute();
          const byLanguage = new Map<string, typeof sections>();
          for (const s of sections)
            byLanguage.set(s.language, [...(byLanguage.get(s.language) ?? []), s]);
          assert.equal(byLanguage.size, 45);
          for (const [language, list] of byLanguage) {
            assert.deepEqual(
              list.map((s) => s.position),
              list.map((_s, i) => i),
              `positions of ${language}`,
            );
            const all = list.map((s) => s.html).join('\n');
            assert.equal((all.match(/<article>/g) ?? []).length, 30, `30 articles in ${language}`);
            assert.doesNotMatch(all, /<h1|<script|data-number|<html|<body/);
            for (const s of list) {
              const bytes = Buffer.byteLength(s.html, 'utf8');
              if (bytes > MAX_SECTION_BYTES) assert.equal(topLevelBlocks(s.html).length, 1);
              assert.equal(s.html, s.html.normalize('NFC'), `NFC in ${language}`);
            }
          }
          assert.equal(byLanguage.get('en')![0]!.heading, 'Preamble');
          assert.ok(
            byLanguage
              .get('fa')!
              .map((s) => s.html)
              .join('')
              .includes('\u200c'),
            'Persian keeps its ZWNJ',
          );

          // Files: stored once each, with media types and roles.
          const files = await db
            .selectFrom('edition_files as f')
            .innerJoin('blobs as b', 'b.sha256', 'f.blob_sha256')
            .select(['f.filename', 'f.role', 'f.language', 'b.media_type', 'b.size', 'b.sha256'])
            .execute();
          assert.equal(files.length, 12);
          const byName = new Map(files.map((f) => [f.filename, f]));
          assert.deepEqual(
            [
              byName.get('popeye-clip1.en.vtt')?.media_type,
              byName.get('popeye-clip1.en.vtt')?.language,
            ],
            ['text/vtt', 'en'],
          );
          assert.equal(byName.get('lshort-fa.pdf')?.media_type, 'application/pdf');
          assert.equal(
            byName.get('calibre-quick-start-fra.epub')?.media_type,
            'application/epub+zip',
          );
          assert.equal(byName.get('popeye-clip1.mp4')?.media_type, 'video/mp4');
          assert.deepEqual(
            [byName.get('popeye-clip1.en.srt')?.role, byName.get('popeye-clip1.en.srt')?.language],
            ['subtitles', 'en'],
          );
          for (const f of files.filter((x) => x.media_type !== 'text/vtt')) {
            assert.equal(
              f.size,
              fs.statSync(path.join(CORPUS, dirOf(f.filename), f.filename)).size,
            );
            assert.ok(await blobs.has(f.sha256), `blob of ${f.filename}`);
          }
          const stored = blobFiles(blobs).filter(
            (f) => !path.relative(blobs.root, f).startsWith(`tmp${path.sep}`),
          );
          assert.equal(stored.length, 12);

          // Topics, publisher, collection.
          const collection = await db
            .selectFrom('collection_works as cw')
            .innerJoin('works as w', 'w.id', 'cw.work_id')
            .select(['w.slug', 'cw.position'])
            .orderBy('cw.position')
            .execute();
          assert.deepEqual(
            collection.map((c) => c.slug),
            [UDHR, 'not-so-short-introduction-to-latex', 'calibre-quick-start', 'popeye-clip'],
          );

          // Re-import: nothing changes, not even the content version or a timestamp.
          const counts = await rowCounts(database);
          const version = await readContentVersion(db);
          assert.notEqual(version, 'initial');
          const worksBefore = await db.selectFrom('works').selectAll().orderBy('slug').execute();
          const again = await importDirectory(database, blobs, CORPUS, { manifestPath: FIXTURE });
          assert.deepEqual(again, {
            works: 4,
            editions: 54,
            files: 12,
            created: 0,
            updated: 0,
            unchanged: 54,
          });
          assert.equal(again.unchanged, again.editions);
          assert.deepEqual(await rowCounts(database), counts);
          assert.equal(await readContentVersion(db), version);
          assert.deepEqual(
            await db.selectFrom('works').selectAll().orderBy('slug').execute(),
            worksBefore,
          );

          // A changed title: that edition gets a new version, its work a new updated_at.
          const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-corpus-'));
          try {
            const changed = path.join(tmp, 'changed.yaml');
            const original = fs.readFileSync(FIXTURE, 'utf8');
            const edited = original.replace(
              /title: (['"]?)Déclaration universelle des droits de l’homme\1/,
              'title: "Déclaration universelle des droits humains"',
            );
            assert.notEqual(edited, original);
            fs.writeFileSync(changed, edited);
            await new Promise((resolve) => setTimeout(resolve, 5)); // a later timestamp
            const third = await importDirectory(database, blobs, CORPUS, { manifestPath: changed });
            assert.deepEqual(third, {
              works: 4,
              editions: 54,
              files: 12,
              created: 0,
              updated: 1,
              unchanged: 53,
            });
            const fr = await db
              .selectFrom('editions as e')
              .innerJoin('works as w', 'w.id', 'e.work_id')
              .select([
                'e.title',
                'e.version',
                'e.id',
                'e.created_at',
                'e.updated_at',
                'e.published_at',
              ])
              .where('w.slug', '=', UDHR)
              .where('e.language', '=', 'fr')
              .executeTakeFirstOrThrow();
            const before = editions.find((e) => e.language === 'fr')!;
            assert.equal(fr.title, 'Déclaration universelle des droits humains');
            assert.equal(fr.version, 2);
            assert.equal(fr.id, before.id, 'updated in place');
            assert.equal(fr.published_at, before.published_at);
            assert.notEqual(fr.updated_at, fr.created_at);
            assert.notEqual(await readContentVersion(db), version);
            assert.deepEqual(withoutState(await rowCounts(database)), withoutState(counts));
            const worksAfter = await db.selectFrom('works').selectAll().orderBy('slug').execute();
            for (const w of worksAfter) {
              const old = worksBefore.find((x) => x.slug === w.slug)!;
              if (w.slug === UDHR)
                assert.ok(w.updated_at > old.updated_at, 'the changed work is newer');
              else assert.equal(w.updated_at, old.updated_at, `${w.slug} did not change`);
            }
            const others = await db
              .selectFrom('editions')
              .select(({ fn }) => fn.max<number>('version').as('max'))
              .where('id', '!=', fr.id)
              .executeTakeFirstOrThrow();
            assert.equal(Number(others.max), 1);
          } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
          }
        });
      });
    },
  );
}

/** Row counts without app_state, which gains a content_version row on the first change. */
function withoutState(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([table]) => table !== 'app_state'));
}

function dirOf(filename: string): string {
  if (filename.endsWith('.pdf')) return 'manuals-pdf';
  if (filename.endsWith('.epub')) return 'epub';
  return 'video';
}

describe('SRT subtitles get a WebVTT version browsers can play', () => {
  it('drops the byte order mark and uses dots before milliseconds', async () => {
    const { srtToWebVtt } = await import('../../src/features/imports/subtitles.js');
    const srt = fs.readFileSync(path.join(CORPUS, 'video/popeye-clip1.en.srt'), 'utf8');
    assert.ok(srt.startsWith('\uFEFF'));
    const vtt = srtToWebVtt(srt);
    assert.ok(vtt.startsWith('WEBVTT\n\n'));
    assert.doesNotMatch(vtt, /\uFEFF/);
    assert.match(vtt, /\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}/);
    assert.doesNotMatch(vtt, /\d{2}:\d{2}:\d{2},\d{3}/);
    assert.doesNotMatch(vtt, /\r/);
  });
});
