import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { UI_LANGUAGES } from '../../src/platform/i18n/languages.js';
import { dialects } from '../helpers/databases.js';
import { buildTestApp, get, type TestApp } from '../helpers/app.js';

const UDHR = 'universal-declaration-of-human-rights';
const ONE_ROUND_TRIP = 14_600;

async function html(t: TestApp, path: string, headers: Record<string, string> = {}) {
  const response = await get(t.baseUrl, path, headers);
  return { response, body: await response.text() };
}

for (const dialect of dialects()) {
  describe(`public pages (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await buildTestApp(dialect);
    });
    after(() => t.close());

    it('sends a first visit to the language its browser asks for', async () => {
      for (const [header, lang] of [
        ['fa-IR,fa;q=0.9,en;q=0.5', 'fa'],
        ['ar', 'ar'],
        ['de-DE', 'en'],
      ] as const) {
        const response = await get(t.baseUrl, '/', { 'accept-language': header });
        assert.equal(response.status, 302);
        assert.equal(response.headers.get('location'), `/${lang}/`);
        assert.match(response.headers.get('vary') ?? '', /Accept-Language/);
      }
    });

    it('remembers a chosen language without an account and refuses open redirects', async () => {
      const chosen = await get(t.baseUrl, '/set-language?to=ru&next=%2Fru%2Flibrary');
      assert.equal(chosen.status, 303);
      assert.equal(chosen.headers.get('location'), '/ru/library');
      const cookie = chosen.headers.get('set-cookie') ?? '';
      assert.match(cookie, /lc_lang=ru/);
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Lax/i);
      const back = await get(t.baseUrl, '/', { cookie: 'lc_lang=ru', 'accept-language': 'fa' });
      assert.equal(back.headers.get('location'), '/ru/');
      const evil = await get(t.baseUrl, '/set-language?to=ru&next=%2F%2Fevil.test%2F');
      assert.equal(evil.headers.get('location'), '/ru/');
      const evil2 = await get(t.baseUrl, '/set-language?to=ru&next=https%3A%2F%2Fevil.test');
      assert.equal(evil2.headers.get('location'), '/ru/');
    });

    for (const lang of UI_LANGUAGES) {
      it(`home page in ${lang}: language, direction, headers`, async () => {
        const { response, body } = await html(t, `/${lang}/`);
        assert.equal(response.status, 200);
        const dir = lang === 'ar' || lang === 'fa' ? 'rtl' : 'ltr';
        assert.match(body, new RegExp(`<html lang="${lang}" dir="${dir}">`));
        assert.equal(response.headers.get('content-language'), lang);
        assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
        assert.doesNotMatch(
          response.headers.get('content-security-policy') ?? '',
          /upgrade-insecure-requests/,
        );
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
        assert.match(response.headers.get('cache-control') ?? '', /public, max-age=\d+/);
        for (const other of UI_LANGUAGES) assert.match(body, new RegExp(`hreflang="${other}"`));
      });
    }

    it('serves compressed pages with validators', async () => {
      const br = await get(t.baseUrl, '/en/library', { 'accept-encoding': 'br, gzip' });
      assert.equal(br.headers.get('content-encoding'), 'br');
      const gz = await get(t.baseUrl, '/en/library', { 'accept-encoding': 'gzip' });
      assert.equal(gz.headers.get('content-encoding'), 'gzip');
      const etag = gz.headers.get('etag');
      assert.ok(etag);
      const again = await get(t.baseUrl, '/en/library', { 'if-none-match': etag });
      assert.equal(again.status, 304);
    });

    it('library lists works with facets by language, type and topic', async () => {
      const all = await html(t, '/en/library');
      assert.equal(all.response.status, 200);
      assert.match(all.body, /4 resources/);
      assert.match(all.body, /Manuals \(1\)/);
      assert.match(all.body, /Videos \(1\)/);
      const fa = await html(t, '/en/library?language=fa');
      assert.match(fa.body, /2 resources/);
      assert.match(fa.body, /lang="fa" dir="rtl">مقدمه‌ای نه چندان کوتاه/);
      const manuals = await html(t, '/ar/library?type=manual');
      assert.match(manuals.body, /<html lang="ar" dir="rtl">/);
      // Unfiltered lists link the work, whose page picks the reader's edition (and says so)...
      assert.match(manuals.body, /href="\/ar\/works\/not-so-short-introduction-to-latex"/);
      // ...lists filtered by language link that language's edition.
      assert.match(fa.body, /href="\/en\/works\/not-so-short-introduction-to-latex\/fa"/);
      const topic = await html(t, '/en/library?topic=training');
      assert.match(topic.body, /2 resources/);
      const none = await html(t, '/en/library?language=zz');
      assert.equal(none.response.status, 200);
      assert.match(none.body, /No resources/);
    });

    it('shows a work in the reader language, or says it is not', async () => {
      const fa = await html(t, `/fa/works/${UDHR}`);
      assert.equal(fa.response.status, 200);
      assert.match(fa.body, /<h1 lang="fa" dir="rtl">/);
      assert.doesNotMatch(fa.body, /role="note"/);
      const fallback = await html(t, '/fa/works/calibre-quick-start');
      assert.match(fallback.body, /role="note"/);
      assert.match(fallback.body, /<h1 lang="en" dir="ltr">Quick Start Guide<\/h1>/);
    });

    it('lists other editions by their own names and switches edition', async () => {
      const { body } = await html(t, `/en/works/${UDHR}/en`);
      // The network's working languages come first, each named in itself.
      for (const endonym of ['العربية', 'فارسی', 'русский', 'español', 'français']) {
        assert.ok(body.includes(endonym), `missing ${endonym}`);
      }
      assert.match(body, /All 45 languages/);
      const ru = await html(t, `/ar/works/${UDHR}/ru`);
      assert.match(ru.body, /<html lang="ar" dir="rtl">/);
      assert.match(ru.body, /<h1 lang="ru" dir="ltr">/);
      assert.doesNotMatch(ru.body, /role="note"/);
      const list = await html(t, `/en/works/${UDHR}/en/languages`);
      assert.equal(list.response.status, 200);
      assert.match(list.body, /Available in 45 languages/);
      for (const endonym of ['中文', 'עברית', 'አማርኛ', 'ไทย', 'Kiswahili', 'isiZulu']) {
        assert.ok(list.body.includes(endonym), `missing ${endonym}`);
      }
    });

    it('reads an HTML edition online, page by page', async () => {
      const first = await html(t, `/en/works/${UDHR}/en/read`);
      assert.equal(first.response.status, 200);
      assert.match(first.body, /All human beings are born free and equal/);
      assert.match(first.body, /rel="next"/);
      const second = await html(t, `/en/works/${UDHR}/en/read?page=2`);
      assert.equal(second.response.status, 200);
      const beyond = await html(t, `/en/works/${UDHR}/en/read?page=500`);
      assert.equal(beyond.response.status, 404);
      const ar = await html(t, `/fa/works/${UDHR}/ar/read`);
      assert.match(ar.body, /<article class="reading" lang="ar" dir="rtl">/);
    });

    it('shows every download with format and size before the click', async () => {
      const { body } = await html(t, '/en/works/not-so-short-introduction-to-latex/en');
      assert.match(body, /Download PDF · 642 kB/);
      assert.match(body, /href="\/download\/[0-9a-f-]{36}\/lshort-en\.pdf"/);
    });

    it('plays video with subtitles, downloading nothing before play', async () => {
      const work = await html(t, '/en/works/popeye-clip/en');
      assert.match(work.body, /\/en\/works\/popeye-clip\/en\/watch/);
      const watch = await html(t, '/en/works/popeye-clip/en/watch');
      assert.equal(watch.response.status, 200);
      assert.match(watch.body, /<video controls="" preload="none"|<video controls preload="none"/);
      assert.match(watch.body, /<track kind="subtitles" src="\/download\/[^"]+\.vtt" srclang="en"/);
      assert.match(watch.body, /<source src="\/download\/[^"]+" type="video\/mp4"/);
      const notVideo = await html(t, `/en/works/${UDHR}/en/watch`);
      assert.equal(notVideo.response.status, 404);
    });

    it('has collection, topic and language pages', async () => {
      const topic = await html(t, '/ru/topics/human-rights');
      assert.equal(topic.response.status, 200);
      const languages = await html(t, '/es/languages');
      assert.equal(languages.response.status, 200);
      assert.match(languages.body, /Deutsch/);
      const missing = await html(t, '/en/collections/does-not-exist');
      assert.equal(missing.response.status, 404);
    });

    it('fits every page in one round trip (HTML and CSS at most 14,600 bytes gzipped)', async (ctx) => {
      const paths = [
        '/',
        ...UI_LANGUAGES.flatMap((l) => [
          `/${l}/`,
          `/${l}/library`,
          `/${l}/library?language=fa`,
          `/${l}/search?q=${encodeURIComponent('human rights')}`,
          `/${l}/search?q=${encodeURIComponent('حقوق بشر')}`,
          `/${l}/works/${UDHR}`,
          `/${l}/works/${UDHR}/en/languages`,
          `/${l}/languages`,
          `/${l}/topics/human-rights`,
          `/${l}/works/popeye-clip/en/watch`,
          `/${l}/works/nothing-here`,
        ]),
      ];
      const readPages = await t.database.db
        .selectFrom('edition_sections as s')
        .innerJoin('editions as e', 'e.id', 's.edition_id')
        .select(['e.language', 's.position'])
        .execute();
      for (const r of readPages)
        paths.push(`/en/works/${UDHR}/${r.language}/read?page=${r.position + 1}`);
      let largest = { path: '', size: 0 };
      for (const path of paths) {
        const response = await get(t.baseUrl, path);
        const size = gzipSync(Buffer.from(await response.arrayBuffer()), { level: 6 }).length;
        if (size > largest.size) largest = { path, size };
        assert.ok(size <= ONE_ROUND_TRIP, `${path} is ${size} bytes gzipped`);
      }
      ctx.diagnostic(
        `largest page: ${largest.path} ${largest.size} bytes gzipped, ${paths.length} pages checked`,
      );
    });

    it('never links or loads anything from another origin', async () => {
      for (const path of [
        '/en/',
        '/ar/library',
        `/fa/works/${UDHR}`,
        '/en/works/popeye-clip/en/watch',
      ]) {
        const { body } = await html(t, path);
        for (const m of body.matchAll(/(?:src|href|action|srcset)="([^"]*)"/g)) {
          assert.ok(m[1]!.startsWith('/') || m[1]!.startsWith('#'), `${path} links to ${m[1]}`);
        }
      }
    });
  });
}
