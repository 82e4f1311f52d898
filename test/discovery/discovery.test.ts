import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  renderIndex,
  renderUrlset,
  sitemapFile,
  sitemapFileCount,
  type SitemapPage,
} from '../../src/features/discovery/sitemap.js';
import { scriptJson } from '../../src/platform/views/layout.js';
import { bumpContentVersion } from '../../src/platform/db/content-version.js';
import { UI_LANGUAGES } from '../../src/platform/i18n/languages.js';
import { buildTestApp, get, REPO_ROOT, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { insertEvent } from '../helpers/programmes.js';
import { seedCurriculum } from '../events/fixtures.js';

const SCHEMAS = path.resolve(REPO_ROOT, '../shared/schemas');
const SITEMAP_XSD = path.join(SCHEMAS, 'sitemap/sitemap-hreflang.xsd');
const ATOM_RNC = path.join(SCHEMAS, 'opds1/atom.rnc');
const UDHR = 'universal-declaration-of-human-rights';
const LATEX = 'not-so-short-introduction-to-latex';
const EVIL = 'Guide </script><script>alert(1)</script> & <!-- more';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-discovery-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Runs a validator on a document; returns its exit code and output (for the report). */
function validate(tool: 'xmllint' | 'jing', schema: string, body: string, name: string) {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, body);
  const args =
    tool === 'xmllint' ? ['--nonet', '--noout', '--schema', schema, file] : ['-c', schema, file];
  const run = spawnSync(tool, args, { encoding: 'utf8' });
  // jing's launcher warns on stderr about optional jars it cannot find: not about the document.
  const output = `${run.stdout}${run.stderr}`
    .split('\n')
    .filter((line) => !line.startsWith('[warning]'))
    .join('\n')
    .trim();
  return { status: run.status, output };
}

/** The page's JSON-LD block, parsed. */
function jsonLdOf(html: string): Record<string, unknown> {
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
  assert.equal(blocks.length, 1, 'one JSON-LD block');
  return JSON.parse(blocks[0]![1]!) as Record<string, unknown>;
}

describe('sitemap files (no database)', () => {
  it('splits into files under an index, each file valid', () => {
    const pages: SitemapPage[] = Array.from({ length: 7 }, (_, i) => ({
      path: `/works/w${i}`,
      lastmod: `2026-01-0${i + 1}T10:00:00.000Z`,
    }));
    assert.equal(sitemapFileCount(pages.length, 3), 3);
    assert.equal(sitemapFileCount(0, 3), 1);
    const files = [1, 2, 3].map((n) => sitemapFile(pages, n, 3));
    assert.deepEqual(
      files.map((f) => f.length),
      [3, 3, 1],
    );
    for (const [i, file] of files.entries()) {
      const xml = renderUrlset('https://library.example.org', file);
      const result = validate('xmllint', SITEMAP_XSD, xml, `part-${i + 1}.xml`);
      assert.equal(result.status, 0, result.output);
      assert.equal((xml.match(/<url>/g) ?? []).length, file.length * UI_LANGUAGES.length);
    }
    const index = renderIndex(
      'https://library.example.org',
      files.map((f) => ({ lastmod: f.at(-1)?.lastmod })),
    );
    assert.match(
      index,
      /<sitemapindex xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9">/,
    );
    assert.match(index, /<loc>https:\/\/library\.example\.org\/sitemaps\/3\.xml<\/loc>/);
    assert.match(index, /<lastmod>2026-01-07T10:00:00Z<\/lastmod>/);
    // ../shared/schemas has no sitemap-index XSD: check that the index is well-formed XML.
    fs.writeFileSync(path.join(scratch, 'index.xml'), index);
    const parsed = spawnSync('xmllint', ['--nonet', '--noout', path.join(scratch, 'index.xml')]);
    assert.equal(parsed.status, 0);
  });

  it('escapes JSON for a script data block', () => {
    const json = scriptJson({ name: EVIL, sep: '\u2028' });
    assert.doesNotMatch(json, /[<>&\u2028]/);
    assert.deepEqual(JSON.parse(json), { name: EVIL, sep: '\u2028' });
  });
});

for (const dialect of dialects()) {
  describe(`discovery: sitemap, feeds, robots.txt, JSON-LD (${dialect})`, () => {
    let t: TestApp;
    const ids = { latexAr: '', calibreAr: '', draft: '', hidden: '' };
    let eventSlug = '';
    let onlineSlug = '';
    let curriculumSlug = '';
    let sessionSlug = '';

    before(async () => {
      t = await buildTestApp(dialect);
      const db = t.database.db;
      const workId = async (slug: string) =>
        (
          await db
            .selectFrom('works')
            .select('id')
            .where('slug', '=', slug)
            .executeTakeFirstOrThrow()
        ).id;
      const edition = async (
        work: string,
        language: string,
        title: string,
        status: 'published' | 'draft',
        publishedAt: string | null,
      ) => {
        const id = randomUUID();
        await db
          .insertInto('editions')
          .values({
            id,
            work_id: work,
            language,
            title,
            summary: null,
            status,
            version: 1,
            source_hash: null,
            translated_from_id: null,
            translated_from_version: null,
            published_at: publishedAt,
            created_at: '2030-01-01T00:00:00.000Z',
            updated_at: '2030-01-01T00:00:00.000Z',
          })
          .execute();
        return id;
      };
      // Two new Arabic editions, the XSS title the older of them; a draft; an unpublished work.
      ids.latexAr = await edition(
        await workId(LATEX),
        'ar',
        EVIL,
        'published',
        '2030-01-01T00:00:00.000Z',
      );
      ids.calibreAr = await edition(
        await workId('calibre-quick-start'),
        'ar',
        'دليل البدء السريع',
        'published',
        '2030-01-02T00:00:00.000Z',
      );
      ids.draft = await edition(
        await workId('popeye-clip'),
        'ar',
        'Draft only edition',
        'draft',
        null,
      );
      const hiddenWork = randomUUID();
      await db
        .insertInto('works')
        .values({
          id: hiddenWork,
          slug: 'hidden-work',
          type: 'guide',
          publisher_id: null,
          licence: null,
          year: null,
          original_language: 'ar',
          published_at: null,
          version: 1,
          created_at: '2030-01-01T00:00:00.000Z',
          updated_at: '2030-01-01T00:00:00.000Z',
        })
        .execute();
      ids.hidden = await edition(
        hiddenWork,
        'ar',
        'Unpublished work edition',
        'published',
        '2030-01-03T00:00:00.000Z',
      );

      const org = await db
        .selectFrom('organisations')
        .select('id')
        .orderBy('slug')
        .executeTakeFirstOrThrow();
      const inPerson = await insertEvent(db, org.id, { title: 'Digital safety workshop' });
      eventSlug = inPerson.slug;
      await db
        .insertInto('event_languages')
        .values([
          { event_id: inPerson.id, language: 'ar' },
          { event_id: inPerson.id, language: 'en' },
        ])
        .execute();
      const online = await insertEvent(db, org.id, { title: 'Online clinic' });
      onlineSlug = online.slug;
      await db
        .updateTable('events')
        .set({
          place: null,
          online_url: 'https://meet.example/secret-room',
          cancelled_at: '2026-04-01T00:00:00.000Z',
        })
        .where('id', '=', online.id)
        .execute();
      const invite = await insertEvent(db, org.id, { title: 'Invite only' });
      await db
        .updateTable('events')
        .set({ visibility: 'invite', invite_token_hash: 'x' })
        .where('id', '=', invite.id)
        .execute();
      const curriculum = await seedCurriculum(db, await workId(LATEX), 'tot-manual');
      curriculumSlug = curriculum.slug;
      sessionSlug = curriculum.sessions[0]!.slug;
      await bumpContentVersion(db);
      // The app polls the content version once a second.
      await new Promise((r) => setTimeout(r, 1200));
    });
    after(() => t.close());

    it('serves a valid sitemap of public pages with hreflang alternates', async (ctx) => {
      const response = await get(t.baseUrl, '/sitemap.xml');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/xml; charset=utf-8');
      assert.match(response.headers.get('cache-control') ?? '', /^public, max-age=\d+$/);
      const xml = await response.text();
      const result = validate('xmllint', SITEMAP_XSD, xml, `sitemap-${dialect}.xml`);
      ctx.diagnostic(`xmllint sitemap: exit ${result.status}: ${result.output}`);
      assert.equal(result.status, 0, result.output);

      const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
      ctx.diagnostic(`${locs.length} URLs, ${xml.length} bytes`);
      assert.ok(locs.length <= 50_000);
      assert.ok(Buffer.byteLength(xml) <= 50 * 1024 * 1024);
      for (const loc of locs) assert.ok(loc.startsWith(`${t.baseUrl}/`), loc);
      assert.equal(new Set(locs).size, locs.length, 'no URL twice');
      for (const lang of UI_LANGUAGES) {
        for (const p of [
          '/',
          '/library',
          `/works/${UDHR}`,
          `/works/${UDHR}/ar`,
          `/works/${UDHR}/zh`,
          `/works/${LATEX}/ar`,
          '/works/popeye-clip/en',
          '/collections/corpus',
          '/topics/human-rights',
          '/events',
          `/events/${eventSlug}`,
          '/curricula',
          `/curricula/${curriculumSlug}`,
          `/curricula/${curriculumSlug}/sessions/${sessionSlug}`,
        ])
          assert.ok(locs.includes(`${t.baseUrl}/${lang}${p}`), `${lang}${p}`);
      }
      // The alternates of one URL: every interface language and x-default.
      const entry = new RegExp(
        `<url><loc>${t.baseUrl}/fa/works/${UDHR}/ar</loc>(?:<lastmod>[^<]+</lastmod>)?(.*?)</url>`,
      ).exec(xml);
      assert.ok(entry);
      for (const lang of UI_LANGUAGES)
        assert.ok(
          entry[1]!.includes(
            `<xhtml:link rel="alternate" hreflang="${lang}" href="${t.baseUrl}/${lang}/works/${UDHR}/ar"/>`,
          ),
          lang,
        );
      assert.ok(entry[1]!.includes(`hreflang="x-default" href="${t.baseUrl}/en/works/${UDHR}/ar"`));
      assert.match(xml, /<lastmod>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/lastmod>/);
      // Nothing that is not public.
      assert.doesNotMatch(xml, /workspace|login|participant|survey|\/tus\//);
      assert.doesNotMatch(xml, /popeye-clip\/ar|hidden-work|invite/);
      assert.ok(!locs.some((l) => l.endsWith('/works/popeye-clip/ar')));

      // One file is also reachable as /sitemaps/1.xml; there is no second one.
      const first = await get(t.baseUrl, '/sitemaps/1.xml');
      assert.equal(first.status, 200);
      assert.equal(await first.text(), xml);
      assert.equal((await get(t.baseUrl, '/sitemaps/2.xml')).status, 404);
      assert.equal((await get(t.baseUrl, '/sitemaps/x.xml')).status, 404);
      assert.equal((await get(t.baseUrl, '/sitemap.xml?x=1')).status, 400);
    });

    it('serves an Atom feed of new Arabic editions, newest first, valid RFC 4287', async (ctx) => {
      const response = await get(t.baseUrl, '/feeds/ar.atom');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
      const xml = await response.text();
      const result = validate('jing', ATOM_RNC, xml, `ar-${dialect}.atom`);
      ctx.diagnostic(
        `jing -c atom.rnc ar.atom: exit ${result.status}${result.output ? `: ${result.output}` : ''}`,
      );
      assert.equal(result.status, 0, result.output);
      assert.match(xml, /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom" xml:lang="ar">/);
      assert.match(
        xml,
        new RegExp(
          `<link rel="self" type="application/atom\\+xml" href="${t.baseUrl}/feeds/ar\\.atom"/>`,
        ),
      );
      assert.match(xml, /<title type="text">إصدارات جديدة باللغة العربية<\/title>/);
      const entryIds = [...xml.matchAll(/<id>urn:uuid:([0-9a-f-]{36})<\/id>/g)].map((m) => m[1]);
      const udhrAr = await t.database.db
        .selectFrom('editions as e')
        .innerJoin('works as w', 'w.id', 'e.work_id')
        .select('e.id')
        .where('w.slug', '=', UDHR)
        .where('e.language', '=', 'ar')
        .executeTakeFirstOrThrow();
      assert.deepEqual(entryIds, [ids.calibreAr, ids.latexAr, udhrAr.id]);
      assert.match(xml, /<title type="text" xml:lang="ar">دليل البدء السريع<\/title>/);
      assert.ok(
        xml.includes(
          'Guide &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!-- more',
        ),
      );
      assert.match(
        xml,
        new RegExp(
          `<link rel="alternate" type="text/html" hreflang="ar" href="${t.baseUrl}/ar/works/calibre-quick-start/ar"/>`,
        ),
      );
      assert.doesNotMatch(xml, /Draft only|Unpublished work/);
      const updated = [...xml.matchAll(/<entry>[\s\S]*?<updated>([^<]+)<\/updated>/g)].map(
        (m) => m[1]!,
      );
      assert.deepEqual([...updated].sort().reverse(), updated);

      // Any BCP 47 tag with published editions; a canonical address; 404 otherwise.
      const zh = await get(t.baseUrl, '/feeds/zh.atom');
      assert.equal(zh.status, 200);
      const zhXml = await zh.text();
      assert.equal(validate('jing', ATOM_RNC, zhXml, `zh-${dialect}.atom`).status, 0);
      assert.match(zhXml, /xml:lang="en"/);
      const upper = await get(t.baseUrl, '/feeds/AR.atom');
      assert.equal(upper.status, 301);
      assert.equal(upper.headers.get('location'), '/feeds/ar.atom');
      for (const bad of [
        '/feeds/tlh.atom',
        '/feeds/ar.rss',
        '/feeds/..%2Fx.atom',
        '/feeds/a_b.atom',
      ])
        assert.equal((await get(t.baseUrl, bad)).status, 404, bad);
    });

    it('serves robots.txt that opens the library and closes private areas', async () => {
      const response = await get(t.baseUrl, '/robots.txt');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
      const text = await response.text();
      const lines = text.split('\n');
      assert.equal(lines[0], 'User-agent: *');
      assert.ok(lines.includes('Allow: /'));
      for (const p of [
        '/*/workspace',
        '/*/login',
        '/tus/',
        '/*/participant',
        '/*/survey',
        '/*/events/*/register',
      ])
        assert.ok(lines.includes(`Disallow: ${p}`), p);
      assert.ok(
        !lines.some((l) =>
          /^Disallow: \/(\*\/)?(library|works|collections|topics|events|curricula|download)?\/?$/.test(
            l,
          ),
        ),
      );
      assert.ok(lines.includes(`Sitemap: ${t.baseUrl}/sitemap.xml`));
    });

    it('describes a work edition with JSON-LD, translations and files', async () => {
      const page = await (await get(t.baseUrl, `/fr/works/${LATEX}/fa`)).text();
      const data = jsonLdOf(page);
      assert.equal(data['@context'], 'https://schema.org');
      assert.equal(data['@type'], 'Book');
      assert.equal(data.inLanguage, 'fa');
      assert.equal(data.url, `/fr/works/${LATEX}/fa`);
      assert.equal(data.license, 'GPL (see each translation)');
      assert.deepEqual(data.publisher, {
        '@type': 'Organization',
        name: 'Comprehensive TeX Archive Network',
      });
      assert.deepEqual(data.translationOfWork, {
        '@type': 'Book',
        '@id': `/fr/works/${LATEX}/en`,
        name: 'The Not So Short Introduction to LaTeX2ε',
        inLanguage: 'en',
      });
      const encoding = data.encoding as {
        encodingFormat: string;
        contentSize: string;
        contentUrl: string;
      }[];
      assert.equal(encoding[0]?.encodingFormat, 'application/pdf');
      assert.match(encoding[0]!.contentSize, /^\d+(\.\d)? (MB|kB|B)$/);
      assert.match(encoding[0]!.contentUrl, /^\/download\//);

      const original = jsonLdOf(await (await get(t.baseUrl, `/en/works/${UDHR}/en`)).text());
      assert.equal(original['@type'], 'CreativeWork');
      const translations = original.workTranslation as { inLanguage: string }[];
      assert.ok(translations.length > 5 && translations.length <= 24);
      assert.ok(!('translationOfWork' in original));
      assert.deepEqual(original.associatedMedia, [
        {
          '@type': 'WebPage',
          url: `/en/works/${UDHR}/en/read`,
          encodingFormat: 'text/html',
          inLanguage: 'en',
        },
      ]);
    });

    it('never lets a title break out of the JSON-LD block', async () => {
      for (const p of [`/en/works/${LATEX}/ar`, `/ar/works/${LATEX}/ar`]) {
        const response = await get(t.baseUrl, p);
        assert.equal(response.status, 200);
        const page = await response.text();
        assert.ok(!page.includes('<script>alert(1)'), p);
        const head = page.slice(0, page.indexOf('</head>'));
        assert.ok(!head.includes('</script><script>'), p);
        const data = jsonLdOf(page);
        assert.equal(data.name, EVIL);
        assert.equal(
          (data.translationOfWork as { name: string }).name,
          'The Not So Short Introduction to LaTeX2ε',
        );
      }
    });

    it('describes a video edition as a VideoObject with captions', async () => {
      const data = jsonLdOf(await (await get(t.baseUrl, '/en/works/popeye-clip/en')).text());
      assert.equal(data['@type'], 'VideoObject');
      assert.equal(data.name, 'Popeye the Sailor Meets Sinbad the Sailor (excerpt)');
      assert.equal(data.description, 'A 65-second excerpt, used as test data only.');
      assert.match(String(data.contentUrl), /^\/download\/.+\.(mp4|webm)$/);
      assert.match(String(data.encodingFormat), /^video\//);
      assert.match(String(data.uploadDate), /^\d{4}-\d\d-\d\dT/);
      assert.deepEqual(data.subtitleLanguage, ['en']);
      const caption = data.caption as { inLanguage: string; contentUrl: string }[];
      assert.equal(caption[0]?.inLanguage, 'en');
    });

    it('describes an event with its dates, place and status, never its meeting link', async () => {
      const data = jsonLdOf(await (await get(t.baseUrl, `/ar/events/${eventSlug}`)).text());
      assert.equal(data['@type'], 'Event');
      assert.equal(data.name, 'Digital safety workshop');
      // 07:00 UTC in Asia/Amman (UTC+3).
      assert.equal(data.startDate, '2026-05-02T10:00:00+03:00');
      assert.equal(data.endDate, '2026-05-03T18:00:00+03:00');
      assert.equal(data.eventAttendanceMode, 'https://schema.org/OfflineEventAttendanceMode');
      assert.equal(data.eventStatus, 'https://schema.org/EventScheduled');
      assert.deepEqual(data.location, {
        '@type': 'Place',
        name: 'Amman',
        address: { '@type': 'PostalAddress', addressLocality: 'Amman', addressCountry: 'JO' },
      });
      assert.deepEqual(data.inLanguage, ['ar', 'en']);
      assert.equal((data.organizer as { '@type': string })['@type'], 'Organization');

      const onlinePage = await (await get(t.baseUrl, `/en/events/${onlineSlug}`)).text();
      const online = jsonLdOf(onlinePage);
      assert.equal(online.eventAttendanceMode, 'https://schema.org/OnlineEventAttendanceMode');
      assert.equal(online.eventStatus, 'https://schema.org/EventCancelled');
      assert.deepEqual(online.location, { '@type': 'VirtualLocation' });
      assert.ok(!JSON.stringify(online).includes('meet.example'));
    });

    it('describes a curriculum as a Course and a session as a LearningResource', async () => {
      const course = jsonLdOf(
        await (await get(t.baseUrl, `/en/curricula/${curriculumSlug}`)).text(),
      );
      assert.equal(course['@type'], 'Course');
      assert.equal(course.name, 'Training of trainers manual');
      assert.equal(course.timeRequired, 'PT3H15M');
      const parts = course.hasPart as { '@type': string; timeRequired: string; name: string }[];
      assert.deepEqual(
        parts.map((p) => [p['@type'], p.name, p.timeRequired]),
        [
          ['LearningResource', 'Digital safety basics', 'PT1H30M'],
          ['LearningResource', 'Strong passwords', 'PT45M'],
          ['LearningResource', 'Safer phones', 'PT1H'],
        ],
      );
      const session = jsonLdOf(
        await (
          await get(t.baseUrl, `/fa/curricula/${curriculumSlug}/sessions/${sessionSlug}`)
        ).text(),
      );
      assert.equal(session['@type'], 'LearningResource');
      assert.equal(session.name, 'مبانی امنیت دیجیتال');
      assert.equal(session.timeRequired, 'PT1H30M');
      assert.deepEqual(session.isPartOf, {
        '@type': 'Course',
        '@id': `/fa/curricula/${curriculumSlug}`,
        name: 'Training of trainers manual',
      });
      assert.deepEqual(session.inLanguage, ['en', 'fa']);
    });
  });
}

for (const dialect of dialects()) {
  describe(`discovery behind PUBLIC_URL, empty library (${dialect})`, () => {
    let t: TestApp;
    const site = 'https://library.example.org/lc';
    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty', env: { PUBLIC_URL: site } });
    });
    after(() => t.close());

    it('uses the configured address and lists only the pages that exist', async () => {
      const xml = await (await get(t.baseUrl, '/sitemap.xml')).text();
      const result = validate('xmllint', SITEMAP_XSD, xml, `empty-${dialect}.xml`);
      assert.equal(result.status, 0, result.output);
      const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
      assert.ok(locs.length > 0);
      for (const loc of locs) assert.ok(loc.startsWith(`${site}/`), loc);
      assert.ok(locs.includes(`${site}/ar/library`));
      assert.doesNotMatch(xml, /\/works\/|\/curricula/);
      const robots = await (await get(t.baseUrl, '/robots.txt')).text();
      assert.match(robots, /^Sitemap: https:\/\/library\.example\.org\/lc\/sitemap\.xml$/m);
      assert.equal((await get(t.baseUrl, '/feeds/ar.atom')).status, 404);
    });
  });
}
