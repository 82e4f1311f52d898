import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { recordBlob } from '../../src/features/uploads/file-rows.js';
import { buildTestApp, get, REPO_ROOT, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';

const SCHEMAS = path.resolve(REPO_ROOT, '../shared/schemas');
const OPDS_RNC = path.join(SCHEMAS, 'opds1/opds-1.2-fixed.rnc');
const OPDS2_DIR = path.join(SCHEMAS, 'opds2');
const UDHR = 'universal-declaration-of-human-rights';
const DRAFT_TITLE = 'Brouillon OPDS jamais publié';
const HIDDEN_WORK_TITLE = 'Edition of an unpublished work';
const OPEN_ACCESS = 'http://opds-spec.org/acquisition/open-access';
const NAV = 'application/atom+xml;profile=opds-catalog;kind=navigation; charset=utf-8';
const ACQ = 'application/atom+xml;profile=opds-catalog;kind=acquisition; charset=utf-8';
/** A 1x1 PNG, as a thumbnail made by the background job would be. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-opds-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Lines the Debian jing wrapper prints about optional jars: not the validator's output. */
const WRAPPER_NOISE = /^\[warning\] \/usr\/bin\/jing: Unable to locate .*$/gm;

/** jing over many documents in one run (one JVM start); returns its exit code and output. */
function jing(documents: Map<string, string>) {
  const files = [...documents].map(([name, body]) => {
    const file = path.join(scratch, name);
    fs.writeFileSync(file, body);
    return file;
  });
  const run = spawnSync('jing', ['-c', OPDS_RNC, ...files], { encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr.replace(WRAPPER_NOISE, '')}`.trim();
  return { status: run.status, output };
}

/** Ajv with every OPDS 2 and Readium schema loaded, as ../shared/schemas/README.md says. */
function opds2Validator(): ValidateFunction {
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory()
          ? walk(path.join(dir, e.name))
          : e.name.endsWith('.json')
            ? [path.join(dir, e.name)]
            : [],
      );
  for (const file of walk(OPDS2_DIR)) {
    ajv.addSchema(JSON.parse(fs.readFileSync(file, 'utf8')) as object);
  }
  return ajv.getSchema('https://drafts.opds.io/schema/feed.schema.json')!;
}

interface AtomLink {
  rel: string;
  href: string;
  type: string;
  length?: string;
  [name: string]: string | undefined;
}

function attributesOf(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:]+)="([^"]*)"/g)) {
    out[m[1]!] = m[2]!
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  }
  return out;
}

/** The feed's own links (outside entries), and each entry's id, title and links. */
function parseAtom(xml: string) {
  const entries = [...xml.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map((m) => {
    const body = m[1]!;
    return {
      id: /<id>([^<]*)<\/id>/.exec(body)![1]!,
      title: /<title[^>]*>([^<]*)<\/title>/.exec(body)![1]!,
      titleTag: /<title[^>]*>/.exec(body)![0],
      links: [...body.matchAll(/<link [^>]*\/>/g)].map((l) => attributesOf(l[0]) as AtomLink),
      body,
    };
  });
  const head = xml.replace(/<entry>[\s\S]*?<\/entry>/g, '');
  const links = [...head.matchAll(/<link [^>]*\/>/g)].map((l) => attributesOf(l[0]) as AtomLink);
  const total = /<opensearch:totalResults>(\d+)</.exec(head)?.[1];
  return {
    entries,
    link: (rel: string) => links.find((l) => l.rel === rel)?.href,
    total: total === undefined ? undefined : Number(total),
  };
}

const relative = (t: TestApp, href: string) => {
  assert.ok(href.startsWith(t.baseUrl), `${href} is absolute on this site`);
  return href.slice(t.baseUrl.length);
};

for (const dialect of dialects()) {
  describe(`OPDS catalogues (${dialect})`, () => {
    let t: TestApp;
    let publishedCount: number;
    let thumbnailFileId: string;

    before(async () => {
      t = await buildTestApp(dialect);
      const db = t.database.db;
      const now = new Date().toISOString();
      const udhr = await db
        .selectFrom('works')
        .select('id')
        .where('slug', '=', UDHR)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('languages')
        .values({
          tag: 'eo',
          endonym: 'Esperanto',
          english_name: 'Esperanto',
          script: 'Latn',
          direction: 'ltr',
        })
        .onConflict((oc) => oc.column('tag').doNothing())
        .execute();
      const edition = (
        work_id: string,
        language: string,
        title: string,
        status: 'draft' | 'published',
      ) => ({
        id: randomUUID(),
        work_id,
        language,
        title,
        summary: null,
        status,
        version: 1,
        source_hash: null,
        translated_from_id: null,
        translated_from_version: null,
        published_at: status === 'published' ? now : null,
        created_at: now,
        updated_at: now,
      });
      // A draft of a published work, and a published edition of a work that is not published.
      await db
        .insertInto('editions')
        .values(edition(udhr.id, 'eo', DRAFT_TITLE, 'draft'))
        .execute();
      const hiddenWork = randomUUID();
      await db
        .insertInto('works')
        .values({
          id: hiddenWork,
          slug: 'opds-hidden-work',
          type: 'manual',
          publisher_id: null,
          licence: null,
          year: null,
          original_language: 'en',
          published_at: null,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await db
        .insertInto('editions')
        .values(edition(hiddenWork, 'en', HIDDEN_WORK_TITLE, 'published'))
        .execute();

      // A thumbnail for the Persian PDF, as the thumbnail job would have made.
      const file = await db
        .selectFrom('edition_files as f')
        .innerJoin('editions as e', 'e.id', 'f.edition_id')
        .where('f.filename', '=', 'lshort-fa.pdf')
        .select('f.id')
        .executeTakeFirstOrThrow();
      thumbnailFileId = file.id;
      const staged = await t.blobs.stage(Readable.from([PNG]));
      await recordBlob(db, staged, 'image/png', now);
      await db
        .insertInto('file_thumbnails')
        .values({ file_id: file.id, blob_sha256: staged.sha256, created_at: now })
        .execute();
      await t.blobs.commitStaged(staged);

      const row = await db
        .selectFrom('editions as e')
        .innerJoin('works as w', 'w.id', 'e.work_id')
        .where('e.status', '=', 'published')
        .where('w.published_at', 'is not', null)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      publishedCount = Number(row.n);
    });
    after(() => t.close());

    it('every OPDS 1.2 feed kind validates with jing against opds-1.2-fixed.rnc', async (test) => {
      const feeds: [string, string][] = [
        ['/opds', NAV],
        ['/opds?lang=fa', NAV],
        ['/opds/languages', NAV],
        ['/opds/languages/ar', ACQ],
        ['/opds/languages/fa?lang=ar', ACQ],
        ['/opds/types', NAV],
        ['/opds/types/video', ACQ],
        ['/opds/topics', NAV],
        ['/opds/topics/human-rights', ACQ],
        ['/opds/new', ACQ],
        ['/opds/new?page=2', ACQ],
        ['/opds/all?page=3', ACQ],
        ['/opds/search?q=' + encodeURIComponent('حقوق'), ACQ],
        ['/opds/search?q=' + encodeURIComponent('declaration'), ACQ],
        ['/opds/search?q=nothingmatchesthisword', ACQ],
      ];
      const documents = new Map<string, string>();
      for (const [url, type] of feeds) {
        const r = await get(t.baseUrl, url);
        assert.equal(r.status, 200, url);
        assert.equal(r.headers.get('content-type'), type, url);
        assert.equal(r.headers.get('cache-control'), 'public, max-age=300');
        documents.set(`${dialect}-${documents.size}.xml`, await r.text());
      }
      const result = jing(documents);
      // Printed for the report: jing prints nothing and exits 0 when every document is valid.
      test.diagnostic(
        `jing -c opds-1.2-fixed.rnc (${documents.size} feeds, ${dialect}): exit ${result.status}, output: ${JSON.stringify(result.output)}`,
      );
      assert.equal(result.output, '');
      assert.equal(result.status, 0);
      // The check is not vacuous: an entry without its id is rejected.
      const broken = [...documents.values()][3]!.replace(/<id>urn:uuid:[^<]*<\/id>/, '');
      assert.notEqual(jing(new Map([[`${dialect}-broken.xml`, broken]])).status, 0);
    });

    it('every OPDS 2.0 feed validates with ajv against the OPDS 2 schemas', async (test) => {
      const validate = opds2Validator();
      const urls = [
        '/opds/v2',
        '/opds/v2?lang=ar',
        '/opds/v2/languages',
        '/opds/v2/languages/fa',
        '/opds/v2/types',
        '/opds/v2/types/video',
        '/opds/v2/topics',
        '/opds/v2/topics/training',
        '/opds/v2/new',
        '/opds/v2/new?page=2',
        '/opds/v2/all?page=3',
        '/opds/v2/search?q=' + encodeURIComponent('حقوق'),
        '/opds/v2/search?q=nothingmatchesthisword',
      ];
      const failures: string[] = [];
      for (const url of urls) {
        const r = await get(t.baseUrl, url);
        assert.equal(r.status, 200, url);
        assert.equal(r.headers.get('content-type'), 'application/opds+json; charset=utf-8');
        const json = (await r.json()) as unknown;
        if (!validate(json)) failures.push(`${url}: ${JSON.stringify(validate.errors)}`);
      }
      test.diagnostic(
        `ajv feed.schema.json (${urls.length} feeds, ${dialect}): ${failures.length} invalid${failures.length ? `: ${failures.join('; ')}` : ''}`,
      );
      assert.deepEqual(failures, []);
      // Nor is this one: a publication without an acquisition link is rejected.
      const feed = (await (await get(t.baseUrl, '/opds/v2/new')).json()) as {
        publications: { links: unknown[] }[];
      };
      feed.publications[0]!.links = [];
      assert.equal(validate(feed), false);
    });

    it('the root navigates by language, type, topic and new arrivals, and links to search', async () => {
      const feed = parseAtom(await (await get(t.baseUrl, '/opds')).text());
      const targets = feed.entries.map((e) => relative(t, e.links[0]!.href));
      assert.deepEqual(targets, [
        '/opds/new',
        '/opds/languages',
        '/opds/types',
        '/opds/topics',
        '/opds/all',
      ]);
      assert.equal(feed.entries[0]!.links[0]!.rel, 'http://opds-spec.org/sort/new');
      assert.equal(relative(t, feed.link('search')!), '/opds/search.xml');
      assert.equal(relative(t, feed.link('alternate')!), '/opds/v2');

      const description = await get(t.baseUrl, '/opds/search.xml');
      assert.equal(
        description.headers.get('content-type'),
        'application/opensearchdescription+xml; charset=utf-8',
      );
      const xml = await description.text();
      assert.ok(xml.includes(`template="${t.baseUrl}/opds/search?q={searchTerms}"`), xml);
      const file = path.join(scratch, `${dialect}-opensearch.xml`);
      fs.writeFileSync(file, xml);
      assert.equal(spawnSync('xmllint', ['--noout', file]).status, 0, 'well-formed');

      const json = (await (await get(t.baseUrl, '/opds/v2')).json()) as {
        links: { rel: string; href: string; templated?: boolean }[];
        navigation: { href: string }[];
        groups: { publications: unknown[] }[];
      };
      const search = json.links.find((l) => l.rel === 'search')!;
      assert.equal(search.href, `${t.baseUrl}/opds/v2/search{?q}`);
      assert.equal(search.templated, true);
      assert.equal(json.navigation.length, 5);
      assert.ok(json.groups[0]!.publications.length > 0);
    });

    it('lists each language once, named by its speakers, with counts that match its feed', async () => {
      const xml = await (await get(t.baseUrl, '/opds/languages')).text();
      const feed = parseAtom(xml);
      const titles = new Map(feed.entries.map((e) => [relative(t, e.links[0]!.href), e]));
      assert.equal(titles.get('/opds/languages/ar')!.title, 'العربية');
      assert.match(titles.get('/opds/languages/ar')!.titleTag, /xml:lang="ar"/);
      assert.equal(titles.get('/opds/languages/fa')!.title, 'فارسی');
      assert.equal(titles.get('/opds/languages/ru')!.title, 'русский');
      assert.ok(!titles.has('/opds/languages/eo'), 'a language with only a draft is not listed');
      const fa = titles.get('/opds/languages/fa')!;
      assert.equal(fa.links[0]!['thr:count'], '2');
      const faFeed = parseAtom(await (await get(t.baseUrl, '/opds/languages/fa')).text());
      assert.equal(faFeed.total, 2);
      assert.equal(faFeed.entries.length, 2);
      const sum = feed.entries.reduce((n, e) => n + Number(e.links[0]!['thr:count']), 0);
      assert.equal(sum, publishedCount);
    });

    it('writes Arabic and Persian titles as UTF-8 with their language', async () => {
      const r = await get(t.baseUrl, '/opds/languages/ar');
      const bytes = Buffer.from(await r.arrayBuffer());
      const xml = bytes.toString('utf8');
      assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
      const arTitle = 'الإعلان العالمي لحقوق الإنسان';
      assert.ok(bytes.includes(Buffer.from(`<title xml:lang="ar">${arTitle}</title>`, 'utf8')));
      const faXml = await (await get(t.baseUrl, '/opds/languages/fa')).text();
      assert.ok(faXml.includes('<title xml:lang="fa">اعلامیه جهانی حقوق بشر</title>'));
      assert.ok(
        faXml.includes('<title xml:lang="fa">مقدمه‌ای نه چندان کوتاه بر LaTeX2ε</title>'),
        'ZWNJ kept',
      );
      assert.ok(faXml.includes('<dc:language>fa</dc:language>'));
      // Labels in the feed language, asked with ?lang=.
      const inPersian = await (await get(t.baseUrl, '/opds/topics?lang=fa')).text();
      assert.ok(inPersian.includes('<title xml:lang="fa">حقوق بشر</title>'), inPersian);
      assert.ok(inPersian.includes(`href="${t.baseUrl}/opds/topics/human-rights?lang=fa"`));
      const json = (await (await get(t.baseUrl, '/opds/v2/languages/ar')).json()) as {
        publications: { metadata: { title: string; language: string } }[];
      };
      assert.deepEqual(json.publications[0]!.metadata, {
        ...json.publications[0]!.metadata,
        title: arTitle,
        language: 'ar',
      });
    });

    it('acquisition links give each file with its true type and length', async () => {
      const files = await t.database.db
        .selectFrom('edition_files as f')
        .innerJoin('blobs as b', 'b.sha256', 'f.blob_sha256')
        .select(['f.id', 'b.size', 'b.media_type'])
        .execute();
      const blobOf = new Map(files.map((f) => [f.id, f]));
      const seen = new Set<string>();
      let next: string | undefined = '/opds/all';
      while (next) {
        const feed = parseAtom(await (await get(t.baseUrl, next)).text());
        for (const entry of feed.entries) {
          const acquisitions = entry.links.filter((l) => l.rel === OPEN_ACCESS);
          assert.ok(acquisitions.length > 0, `${entry.title} can be acquired`);
          for (const link of acquisitions) {
            const id = /\/download\/([0-9a-f-]{36})\//.exec(link.href)?.[1];
            if (!id) {
              assert.equal(link.type, 'text/html', 'only read-online links are not downloads');
              continue;
            }
            const blob = blobOf.get(id)!;
            assert.equal(Number(link.length), Number(blob.size), link.href);
            assert.equal(link.type, blob.media_type, link.href);
            seen.add(id);
          }
        }
        next = feed.link('next') && relative(t, feed.link('next')!);
      }
      assert.equal(seen.size, files.length, 'every public file is offered');
      // The links work and the server agrees about size and type.
      for (const id of [...seen].slice(0, 4)) {
        const blob = blobOf.get(id)!;
        const r = await fetch(`${t.baseUrl}/download/${id}/x`, { method: 'HEAD' });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('content-length'), String(blob.size));
      }
      // OPDS 2 gives the same sizes.
      const json = (await (await get(t.baseUrl, '/opds/v2/types/video')).json()) as {
        publications: { links: { rel: string; href: string; type: string; size?: number }[] }[];
      };
      const videoLinks = json.publications[0]!.links.filter((l) => l.rel === OPEN_ACCESS);
      const videoFiles = await t.database.db
        .selectFrom('edition_files as f')
        .innerJoin('editions as e', 'e.id', 'f.edition_id')
        .innerJoin('works as w', 'w.id', 'e.work_id')
        .where('w.slug', '=', 'popeye-clip')
        .select('f.id')
        .execute();
      assert.ok(videoFiles.length >= 3, 'two videos and subtitles');
      assert.equal(videoLinks.length, videoFiles.length);
      for (const link of videoLinks) {
        const id = /\/download\/([0-9a-f-]{36})\//.exec(link.href)![1]!;
        assert.equal(link.size, Number(blobOf.get(id)!.size));
        assert.equal(link.type, blobOf.get(id)!.media_type);
      }
    });

    it('gives a thumbnail link when a file has a thumbnail, and serves it', async () => {
      const feed = parseAtom(await (await get(t.baseUrl, '/opds/languages/fa')).text());
      const entry = feed.entries.find((e) => e.title.includes('LaTeX'))!;
      const thumb = entry.links.find((l) => l.rel === 'http://opds-spec.org/image/thumbnail')!;
      // The site's own thumbnail address, absolute like every link of the feed.
      assert.equal(thumb.href, `${t.baseUrl}/thumbnails/${thumbnailFileId}.png`);
      assert.equal(thumb.type, 'image/png');
      const r = await get(t.baseUrl, relative(t, thumb.href));
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'image/png');
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      assert.ok(Buffer.from(await r.arrayBuffer()).equals(PNG));
      const other = feed.entries.find((e) => !e.title.includes('LaTeX'))!;
      assert.ok(!other.links.some((l) => l.rel.startsWith('http://opds-spec.org/image')));
      const json = (await (await get(t.baseUrl, '/opds/v2/languages/fa')).json()) as {
        publications: { metadata: { title: string }; images?: { href: string }[] }[];
      };
      const latex = json.publications.find((p) => p.metadata.title.includes('LaTeX'))!;
      assert.equal(latex.images![0]!.href, thumb.href);
      assert.equal((await get(t.baseUrl, `/thumbnails/${randomUUID()}.png`)).status, 404);
      // No second thumbnail route of the catalogue's own.
      assert.equal((await get(t.baseUrl, `/opds/thumbnails/${thumbnailFileId}`)).status, 404);
    });

    it('pages: next, previous, first and last links walk every edition once; totals match', async () => {
      for (const root of ['/opds/new', '/opds/all']) {
        const ids: string[] = [];
        let next: string | undefined = root;
        let pages = 0;
        let previousPage: string | undefined;
        while (next) {
          const feed = parseAtom(await (await get(t.baseUrl, next)).text());
          pages++;
          assert.equal(feed.total, publishedCount);
          assert.equal(relative(t, feed.link('first')!), root);
          assert.equal(feed.link('previous') && relative(t, feed.link('previous')!), previousPage);
          ids.push(...feed.entries.map((e) => e.id));
          previousPage = next;
          next = feed.link('next') && relative(t, feed.link('next')!);
          if (!next) assert.equal(relative(t, feed.link('last')!), previousPage);
        }
        assert.equal(pages, Math.ceil(publishedCount / 20));
        assert.equal(ids.length, publishedCount);
        assert.equal(new Set(ids).size, publishedCount, 'no edition twice');
        assert.ok(ids.every((id) => /^urn:uuid:[0-9a-f-]{36}$/.test(id)));
      }
      // New arrivals are newest first.
      const newest = parseAtom(await (await get(t.baseUrl, '/opds/new')).text());
      const dates = newest.entries.map((e) => /<published>([^<]+)</.exec(e.body)![1]!);
      assert.deepEqual(dates, [...dates].sort().reverse());

      // OPDS 2: the same walk.
      const ids: string[] = [];
      let next: string | undefined = '/opds/v2/all';
      while (next) {
        const json = (await (await get(t.baseUrl, next)).json()) as {
          metadata: { numberOfItems: number; itemsPerPage: number; currentPage: number };
          links: { rel: string; href: string }[];
          publications: { metadata: { identifier: string } }[];
        };
        assert.equal(json.metadata.numberOfItems, publishedCount);
        ids.push(...json.publications.map((p) => p.metadata.identifier));
        const link = json.links.find((l) => l.rel === 'next')?.href;
        next = link && relative(t, link);
      }
      assert.equal(new Set(ids).size, publishedCount);
    });

    it('bad paging gets a 400 with a short plain explanation, never a 500', async () => {
      const cases = [
        'page=0',
        'page=-1',
        'page=abc',
        'page=99999',
        'page=1.5',
        'page=',
        'page=01',
        'page=1e3',
        'page=%00',
        'page=99999999999999999999999',
        'page=1&page=2',
      ];
      for (const path of [
        '/opds/new',
        '/opds/v2/new',
        '/opds/languages/ar',
        '/opds/v2/all',
        '/opds/search',
      ]) {
        for (const query of cases) {
          const url = `${path}?${path.endsWith('search') ? 'q=rights&' : ''}${query}`;
          const r = await get(t.baseUrl, url);
          const body = await r.text();
          assert.equal(r.status, 400, url);
          assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8', url);
          assert.ok(body.length > 10 && body.length < 200, `${url}: ${body}`);
          assert.doesNotMatch(body, /Error|at .*\.ts/, 'no stack trace');
        }
      }
      const past = await get(t.baseUrl, '/opds/new?page=99999');
      assert.match(await past.text(), /past the end: this feed has 3 pages/);
      // Page 1 always exists, even for an empty result.
      const empty = await get(t.baseUrl, '/opds/search?q=nothingmatchesthisword&page=1');
      assert.equal(empty.status, 200);
      assert.equal(
        (await get(t.baseUrl, '/opds/search?q=nothingmatchesthisword&page=2')).status,
        400,
      );
      // Other bad arguments: plain answers too.
      assert.equal((await get(t.baseUrl, '/opds/search')).status, 400);
      assert.equal((await get(t.baseUrl, '/opds?lang=xx')).status, 400);
      assert.equal((await get(t.baseUrl, '/opds/languages/xx-nowhere')).status, 404);
      assert.equal((await get(t.baseUrl, '/opds/types/novel')).status, 404);
      assert.equal((await get(t.baseUrl, '/opds/v2/topics/no-such-topic')).status, 404);
      assert.equal((await get(t.baseUrl, '/opds/languages/eo')).status, 404, 'drafts only');
    });

    it('only published editions of published works appear, in feeds and in search', async () => {
      let all = '';
      let next: string | undefined = '/opds/all';
      while (next) {
        const xml = await (await get(t.baseUrl, next)).text();
        all += xml;
        const link = parseAtom(xml).link('next');
        next = link && relative(t, link);
      }
      assert.ok(all.includes('الإعلان العالمي لحقوق الإنسان'));
      assert.ok(!all.includes(DRAFT_TITLE));
      assert.ok(!all.includes(HIDDEN_WORK_TITLE));
      const v2 = await (await get(t.baseUrl, '/opds/v2/new?page=1')).text();
      assert.ok(!v2.includes(DRAFT_TITLE) && !v2.includes(HIDDEN_WORK_TITLE));
      const found = await (
        await get(t.baseUrl, `/opds/search?q=${encodeURIComponent('Brouillon')}`)
      ).text();
      assert.ok(!found.includes(DRAFT_TITLE));
    });

    it('search finds editions, in the reader language first, with totals and paging', async () => {
      const feed = parseAtom(
        await (await get(t.baseUrl, `/opds/search?q=${encodeURIComponent('حقوق')}&lang=ar`)).text(),
      );
      assert.ok(feed.entries.length > 0);
      assert.ok(feed.entries.some((e) => e.title === 'الإعلان العالمي لحقوق الإنسان'));
      assert.equal(feed.total, 1, 'one work matches');
      assert.ok(
        feed.link('self')!.includes(`q=${encodeURIComponent('حقوق')}`) &&
          feed.link('self')!.includes('lang=ar'),
      );
      const json = (await (await get(t.baseUrl, `/opds/v2/search?q=declaration`)).json()) as {
        publications: { metadata: { title: string } }[];
      };
      assert.ok(
        json.publications.some((p) => p.metadata.title === 'Universal Declaration of Human Rights'),
      );
    });

    it('answers conditional requests with 304, and compresses large feeds', async () => {
      const first = await get(t.baseUrl, '/opds/languages', { 'accept-encoding': 'gzip' });
      assert.equal(first.headers.get('content-encoding'), 'gzip');
      assert.equal(first.headers.get('vary'), 'Accept-Encoding');
      const etag = first.headers.get('etag')!;
      const again = await get(t.baseUrl, '/opds/languages', { 'if-none-match': etag });
      assert.equal(again.status, 304);
    });
  });
}
