import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queryTerms, stemLanguagesFor, words } from '../../src/features/search/analysis.js';
import { searchEngine } from '../../src/features/search/engine.js';
import { buildTestApp, get, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, signedIn } from '../helpers/staff.js';

const UDHR = 'universal-declaration-of-human-rights';

/** Latin and Greek letters without their marks: what a reader without the keyboard types. */
const withoutMarks = (s: string) =>
  s.normalize('NFD').replace(/([\p{Script=Latin}\p{Script=Greek}])\p{M}+/gu, '$1');
/** The other keyboard's letters: Persian yeh and kaf for Arabic ones and the reverse; е for ё. */
const SWAP: Record<string, string> = { ی: 'ي', ي: 'ی', ک: 'ك', ك: 'ک', ё: 'е', Ё: 'Е' };
const keyboardVariant = (s: string) => s.replace(/[یيکكёЁ]/g, (c) => SWAP[c]!);

for (const dialect of dialects()) {
  describe(`search (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await buildTestApp(dialect);
    });
    after(() => t.close());

    it('finds each language edition of the UDHR in the top 3 by a word of its own title', async (ctx) => {
      const editions = await t.database.db
        .selectFrom('editions as e')
        .innerJoin('works as w', 'w.id', 'e.work_id')
        .where('w.slug', '=', UDHR)
        .select(['e.id', 'e.language', 'e.title'])
        .execute();
      // A distinctive title word: the longest one no other edition's title has.
      const titleWords = new Map(editions.map((e) => [e.id, words(e.title, e.language)]));
      const report: string[] = [];
      let tested = 0;
      for (const e of editions) {
        const others = new Set(
          editions.filter((o) => o.id !== e.id).flatMap((o) => titleWords.get(o.id)!),
        );
        const own = [...e.title.split(/[\s,.:;()«»"“”'’]+/)].filter((w) => w.length >= 2);
        const word = own
          .filter((w) => words(w, e.language).every((x) => !others.has(x)))
          .sort((a, b) => b.length - a.length)[0];
        if (!word) continue;
        tested += 1;
        for (const query of new Set([
          word,
          withoutMarks(word),
          keyboardVariant(word),
          word.toUpperCase(),
        ])) {
          const hits = await searchEngine(t.database.db).find(
            t.database.db,
            queryTerms(query, stemLanguagesFor(query, 'en')),
            3,
          );
          const ok = hits.some((h) => h.editionId === e.id);
          report.push(`${e.language}\t${query}\t${ok ? 'top 3' : 'MISSED'}`);
        }
      }
      const missed = report.filter((r) => r.endsWith('MISSED'));
      ctx.diagnostic(
        `relevance: ${tested} languages, ${report.length} queries, ${missed.length} missed`,
      );
      ctx.diagnostic(report.join('; '));
      assert.ok(tested >= 20, `only ${tested} languages had a distinctive title word`);
      assert.deepEqual(missed, []);
    });

    it('shows results grouped by work, the reader’s edition first, with highlighted snippets', async () => {
      const page = await (
        await get(t.baseUrl, `/fa/search?q=${encodeURIComponent('حقوق بشر')}`)
      ).text();
      assert.match(page, /<mark>/);
      const first = /<a class="t" href="([^"]+)"/.exec(page)?.[1];
      assert.equal(first, `/fa/works/${UDHR}/fa`, 'the Persian edition first for a Persian reader');
      assert.equal(
        (page.match(new RegExp(`href="/fa/works/${UDHR}/fa"`, 'g')) ?? []).length >= 1,
        true,
      );
      const arabic = await (
        await get(t.baseUrl, `/ar/search?q=${encodeURIComponent('الانسان')}`)
      ).text();
      assert.match(arabic, new RegExp(`/ar/works/${UDHR}/ar"`));
    });

    it('filters by language, says when it falls back to other languages, and keeps the query in the URL', async () => {
      const ru = await (
        await get(t.baseUrl, `/en/search?q=${encodeURIComponent('права')}&language=ru`)
      ).text();
      assert.match(ru, /value="права"/);
      assert.match(ru, new RegExp(`/en/works/${UDHR}/ru"`));
      const none = await (
        await get(t.baseUrl, `/en/search?q=${encodeURIComponent('права')}&language=zu`)
      ).text();
      assert.match(none, /Nothing was found in the language you chose/);
      const typed = await (await get(t.baseUrl, `/en/search?q=declaration&type=video`)).text();
      assert.match(typed, /Nothing was found|No resources found|0 resources/);
    });

    it('finds the words inside imported PDFs and EPUBs once their text is extracted', async () => {
      const queued = await t.database.db
        .selectFrom('jobs')
        .select(['kind'])
        .where('state', '=', 'queued')
        .execute();
      assert.ok(
        queued.some((j) => j.kind === 'text'),
        'the import queued text extraction',
      );
      const { JobWorker } = await import('../../src/platform/jobs/queue.js');
      const { derivedJobHandlers } = await import('../../src/features/derived/handlers.js');
      await new JobWorker(t.database, derivedJobHandlers(t.database, t.blobs)).drain();
      // "Lamport" appears in the LaTeX manual's text, not in any title or summary.
      const page = await (await get(t.baseUrl, '/en/search?q=lamport')).text();
      assert.match(page, /not-so-short-introduction-to-latex/);
      assert.match(page, /<mark>Lamport<\/mark>/i);
    });

    it('answers odd input with a page, never a 500 or a syntax error', async () => {
      for (const q of [
        '',
        '   ',
        'x'.repeat(10_000),
        '"unbalanced',
        'NEAR(a b)',
        'a* OR (b AND c):title',
        'title:^foo -bar',
        "'; drop table editions; --",
        'control\u0000\u0007chars',
        '!!! ??? ***',
      ]) {
        const response = await get(t.baseUrl, `/en/search?q=${encodeURIComponent(q)}`);
        assert.equal(response.status, 200, JSON.stringify(q.slice(0, 40)));
        assert.match(await response.text(), /<h1>Search<\/h1>/);
      }
      // A lone surrogate cannot be percent-encoded as UTF-8; its broken encoding is sent instead.
      for (const raw of ['%ED%A0%80lone', '%F0%9F', '%FF%FE']) {
        const response = await get(t.baseUrl, `/en/search?q=${raw}`);
        assert.ok([200, 400].includes(response.status), `${raw} -> ${response.status}`);
      }
      const tooLong = await get(t.baseUrl, `/en/search?q=${'y'.repeat(10_001)}`);
      assert.ok([400, 414].includes(tooLong.status), `too long -> ${tooLong.status}`);
      const badPage = await get(t.baseUrl, '/en/search?q=x&page=0');
      assert.equal(badPage.status, 400);
    });

    it('updates the index with the change that causes it: publish, edit, unpublish', async () => {
      const staff = await seedStaff(t.database.db);
      const editor = await signedIn(t.baseUrl, staff.user('a', 'editor'));
      const findable = async (q: string) =>
        (await (await get(t.baseUrl, `/en/search?q=${encodeURIComponent(q)}`)).text()).includes(
          'org-a-draft',
        );
      const id = staff.a.draftEditionId;
      await editor.get(`/en/workspace/editions/${id}`);
      await editor.post(`/en/workspace/editions/${id}`, {
        title: 'Zebra crossing manual',
        version: '1',
      });
      assert.equal(await findable('zebra'), false, 'a draft is not searchable');
      await editor.get(`/en/workspace/editions/${id}`);
      await editor.post(`/en/workspace/editions/${id}/status`, { to: 'published', version: '2' });
      await editor.get(`/en/workspace/works/${staff.a.draftWorkId}`);
      await editor.post(`/en/workspace/works/${staff.a.draftWorkId}/publish`, {
        to: 'published',
        version: '1',
      });
      assert.equal(await findable('zebra'), true, 'found once edition and work are published');
      assert.equal(await findable('zebras'), true, 'a plural finds it (English stem)');
      await editor.get(`/en/workspace/works/${staff.a.draftWorkId}`);
      await editor.post(`/en/workspace/works/${staff.a.draftWorkId}/publish`, {
        to: 'unpublished',
        version: '2',
      });
      assert.equal(await findable('zebra'), false, 'gone when the work is unpublished');
    });
  });
}
