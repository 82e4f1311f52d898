import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import yauzl from 'yauzl';
import {
  describeFsError,
  ExportOutputError,
  exportBundle,
  exportZim,
  writeZip,
} from '../../src/features/export/export.js';
import { libraryIcon } from '../../src/features/export/png.js';
import { ExportInputError, parseLanguageList } from '../../src/features/export/scope.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { launchBrowser, noScriptContext } from '../e2e/browser.js';
import { brokenLinks, htmlFiles, runCli, startKiwix } from './helpers.js';

const UDHR = 'universal-declaration-of-human-rights';
/** A few languages keep every export here to seconds; the full library is the bench's job. */
const LANGUAGES = ['ar', 'fa', 'ru', 'zh'];

function zipEntries(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

for (const dialect of dialects()) {
  describe(`export (${dialect})`, { timeout: 300_000 }, () => {
    let t: TestApp;
    let work: string;
    let bundle: string;

    before(async () => {
      t = await buildTestApp(dialect);
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-export-test-'));
      bundle = path.join(work, 'bundle');
      await exportBundle({
        app: t.app,
        database: t.database,
        blobs: t.blobs,
        out: bundle,
        filters: { languages: LANGUAGES },
      });
    });

    after(async () => {
      await t?.close();
      if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    it('writes a bundle whose every internal link names an existing file', () => {
      assert.ok(fs.existsSync(path.join(bundle, 'index.html')));
      assert.ok(!fs.existsSync(`${bundle}.tmp`), 'no temporary folder left');
      const pages = htmlFiles(bundle);
      assert.ok(pages.length > 50, `only ${pages.length} pages`);
      const problems = brokenLinks(bundle, [t.baseUrl, 'http://export.invalid']);
      assert.deepEqual(problems.slice(0, 20), []);
      // The filtered editions are there, in each kept interface language; the others are not.
      for (const ui of ['ar', 'fa', 'ru', 'en']) {
        for (const edition of LANGUAGES) {
          const read = path.join(bundle, ui, 'works', UDHR, edition, 'read', 'index.html');
          assert.ok(fs.existsSync(read), `${ui}/${edition} read page`);
        }
      }
      assert.ok(!fs.existsSync(path.join(bundle, 'fr')), 'French interface not exported');
      assert.ok(!fs.existsSync(path.join(bundle, 'en', 'works', UDHR, 'de-1996')));
      const text = pages.map((p) => fs.readFileSync(p, 'utf8')).join('\n');
      assert.ok(!text.includes('/search'), 'no search links');
      assert.ok(!text.includes('export.invalid'));
      // Downloads are copied under their display names.
      const files = fs.readdirSync(path.join(bundle, 'files'), { recursive: true }).map(String);
      assert.ok(
        files.some((f) => f.endsWith('.pdf')),
        `files: ${files.join(', ')}`,
      );
    });

    it('is browsable from file:// in Chromium without JavaScript or a server', async () => {
      const browser = await launchBrowser();
      try {
        const context = await noScriptContext(browser, 'ar');
        const page = await context.newPage();
        const requests: string[] = [];
        page.on('request', (r) => requests.push(r.url()));
        await page.goto(pathToFileURL(path.join(bundle, 'index.html')).href);
        assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
        await page.click(`a[href$="works/${UDHR}/ar/index.html"]`);
        assert.match(page.url(), new RegExp(`/ar/works/${UDHR}/ar/index.html$`));
        await page.click('a[href="read/index.html"]');
        assert.match((await page.textContent('article.reading')) ?? '', /لكل/);
        // The interface language switch leads to the same page in English.
        await page.click('footer a[hreflang="en"]');
        assert.match(page.url(), new RegExp(`/en/works/${UDHR}/ar/read/index.html$`));
        await page.click('header a.brand');
        assert.match(page.url(), /\/en\/index\.html$/);
        const outside = requests.filter((u) => !u.startsWith('file://'));
        assert.deepEqual(outside, []);
        await context.close();
      } finally {
        await browser.close();
      }
    });

    it('writes one collection as a ZIP through the CLI', async () => {
      const zip = path.join(work, 'corpus.zip');
      const run = await runCli(t, [
        'export',
        'bundle',
        '--out',
        zip,
        '--collection',
        'corpus',
        '--languages',
        'fr,es',
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(!fs.existsSync(`${zip}.tmp`));
      const names = await zipEntries(zip);
      assert.ok(names.includes('index.html'));
      assert.ok(names.includes(`fr/works/${UDHR}/fr/read/index.html`));
      assert.ok(names.includes('fr/collections/corpus/index.html'));
      assert.ok(!names.some((n) => n.startsWith('fr/library/')), 'library lists left out');
      assert.ok(!names.some((n) => n.startsWith('ar/')), 'Arabic interface left out');
    });

    it('writes a ZIM that zimcheck passes and kiwix-serve searches in four scripts', async () => {
      const zim = path.join(work, 'library.zim');
      process.env.XAPIAN_CJK_NGRAM = '1';
      const result = await exportZim({
        app: t.app,
        database: t.database,
        blobs: t.blobs,
        out: zim,
        filters: { languages: LANGUAGES },
      });
      assert.ok(fs.statSync(zim).size > 10_000);
      assert.ok(!fs.existsSync(`${zim}.tmp`));
      assert.match(result.zimcheck, /Overall Test Status: Pass/);
      const check = spawnSync('zimcheck', ['-A', zim], { encoding: 'utf8' });
      assert.equal(check.status, 0, check.stdout + check.stderr);
      console.error(check.stdout.trim());

      const kiwix = await startKiwix(zim);
      try {
        const catalog = await (await fetch(`${kiwix.url}/catalog/v2/entries`)).text();
        const book = /<link type="text\/html" href="\/([^"]+)"/.exec(catalog)?.[1];
        assert.ok(book, catalog);
        const home = await fetch(`${kiwix.url}/${book}/index.html`);
        assert.equal(home.status, 200);
        const words: [string, string][] = [
          ['لكل', 'ar'],
          ['اعلامیه', 'fa'],
          ['Всеобщая', 'ru'],
          ['人权', 'zh'],
        ];
        for (const [word, edition] of words) {
          const response: Response = await fetch(
            `${kiwix.url}/search?content=${encodeURIComponent(book)}&pattern=${encodeURIComponent(word)}`,
          );
          assert.equal(response.status, 200);
          const html = await response.text();
          assert.ok(
            html.includes(`/works/${UDHR}/${edition}/`),
            `search for ${word} found no ${edition} page`,
          );
        }
      } finally {
        await kiwix.stop();
      }
    });

    it('refuses an unwritable path with a clear message, exit 1 and nothing left', async () => {
      const run = await runCli(t, ['export', 'zim', '--out', '/proc/x.zim', '--no-check']);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /Cannot write \/proc\/x\.zim/);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
      assert.ok(!fs.existsSync('/proc/x.zim') && !fs.existsSync('/proc/x.zim.tmp'));

      const missing = path.join(work, 'no-such-folder', 'b.zip');
      await assert.rejects(
        exportBundle({ app: t.app, database: t.database, blobs: t.blobs, out: missing }),
        (e: Error) => e instanceof ExportOutputError && /does not exist/.test(e.message),
      );
      assert.ok(!fs.existsSync(path.dirname(missing)));
    });

    it('names an unknown collection and a non-empty target folder', async () => {
      const out = path.join(work, 'unknown');
      const run = await runCli(t, ['export', 'bundle', '--out', out, '--collection', 'nope']);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /No collection "nope"/);
      assert.match(run.stderr, /corpus/, 'lists the collections that exist');
      assert.ok(!fs.existsSync(out) && !fs.existsSync(`${out}.tmp`));

      assert.throws(() => parseLanguageList('a b'), ExportInputError);
      assert.deepEqual(parseLanguageList('AR, fa'), ['ar', 'fa']);

      await assert.rejects(
        exportBundle({ app: t.app, database: t.database, blobs: t.blobs, out: bundle }),
        (e: Error) => e instanceof ExportOutputError && /not empty/.test(e.message),
      );
      assert.ok(fs.existsSync(path.join(bundle, 'index.html')), 'the earlier bundle is untouched');
    });

    it('reports a full disk clearly (a ZIP written to /dev/full)', async () => {
      const dir = fs.mkdtempSync(path.join(work, 'small-'));
      fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><p>x</p>');
      const error = await writeZip(dir, '/dev/full').then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.equal((error as NodeJS.ErrnoException)?.code, 'ENOSPC');
      assert.equal(
        describeFsError(error, '/media/usb/x.zip'),
        'Cannot write /media/usb/x.zip: the disk is full.',
      );
    });
  });
}

describe('export illustration', () => {
  it('is a 48x48 PNG', () => {
    const png = libraryIcon(48);
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.equal(png.readUInt32BE(16), 48);
    assert.equal(png.readUInt32BE(20), 48);
  });
});
