import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ReachDeps } from '../../src/features/reach-deps.js';
import { registerOaiRoutes } from '../../src/features/oai/routes.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { all, errorCodes, first, oai, type Node, type OaiResponse } from './helpers.js';

const DATESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const UDHR = 'universal-declaration-of-human-rights';

/** Every response of the file, validated: the test fails on the first invalid one. */
const validations: { query: string; output: string }[] = [];

function valid(r: OaiResponse, query: string): OaiResponse {
  validations.push({ query, output: r.validation.output });
  assert.equal(
    r.validation.status,
    0,
    `xmllint rejected ${query}:\n${r.validation.output}\n${r.xml}`,
  );
  assert.equal(r.status, 200, query);
  assert.equal(r.contentType, 'text/xml; charset=utf-8', query);
  assert.equal(r.cacheControl, 'public, max-age=60', query);
  assert.match(first(r.doc, 'responseDate')!.text, DATESTAMP);
  return r;
}

async function call(baseUrl: string, query: string, method: 'GET' | 'POST' = 'GET') {
  return valid(await oai(baseUrl, query, method), `${method} ${query}`);
}

/** An error response: its code, and a request element that echoes only what it should. */
async function expectError(
  baseUrl: string,
  query: string,
  code: string,
  method: 'GET' | 'POST' = 'GET',
) {
  const r = await call(baseUrl, query, method);
  assert.deepEqual(errorCodes(r), [code], `${query}: ${r.xml}`);
  const request = first(r.doc, 'request')!;
  if (code === 'badVerb' || code === 'badArgument') {
    assert.deepEqual(request.attrs, {}, `${query}: the request element must carry no arguments`);
  }
  assert.equal(r.doc.children.length, 3, 'responseDate, request, error');
  return r;
}

const identifiers = (r: OaiResponse) =>
  all(r.doc, 'header').map((h) => first(h, 'identifier')!.text);
const dc = (record: Node, name: string) => all(record, `dc:${name}`).map((n) => n.text);

async function publicEditions(t: TestApp) {
  return t.database.db
    .selectFrom('editions as e')
    .innerJoin('works as w', 'w.id', 'e.work_id')
    .where('e.status', '=', 'published')
    .where('w.published_at', 'is not', null)
    .select(['e.id', 'e.language', 'w.slug', 'w.type'])
    .execute();
}

async function editionId(t: TestApp, slug: string, language: string) {
  const row = await t.database.db
    .selectFrom('editions as e')
    .innerJoin('works as w', 'w.id', 'e.work_id')
    .where('w.slug', '=', slug)
    .where('e.language', '=', language)
    .select('e.id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Follows resumption tokens to the end; checks cursor and completeListSize on every page. */
async function harvest(
  baseUrl: string,
  verb: string,
  args: string,
  method: 'GET' | 'POST' = 'GET',
) {
  const pages: OaiResponse[] = [];
  let query = `verb=${verb}&${args}`;
  for (;;) {
    const r = await call(baseUrl, query, method);
    assert.deepEqual(errorCodes(r), [], r.xml);
    pages.push(r);
    const token = first(r.doc, 'resumptionToken');
    if (!token || token.text === '') break;
    query = `verb=${verb}&resumptionToken=${encodeURIComponent(token.text)}`;
    assert.ok(pages.length < 100, 'the harvest ends');
  }
  return pages;
}

/** The OAI routes alone on a small page size, over the same database as `t`. */
async function smallPageServer(t: TestApp, pageSize: number) {
  const app: FastifyInstance = Fastify();
  // Only db and publicUrl are used by the OAI routes.
  const deps = { db: t.database.db, database: t.database, blobs: t.blobs, publicUrl: undefined };
  registerOaiRoutes(app, deps as unknown as ReachDeps, { pageSize });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, address };
}

for (const dialect of dialects()) {
  describe(`OAI-PMH 2.0 at /oai (${dialect})`, () => {
    let t: TestApp;
    let host: string;
    let small: { app: FastifyInstance; address: string };
    before(async () => {
      t = await buildTestApp(dialect);
      host = new URL(t.baseUrl).hostname;
      small = await smallPageServer(t, 7);
    });
    after(async () => {
      await small.app.close();
      await t.close();
    });

    it('Identify, by GET and by POST', async () => {
      for (const method of ['GET', 'POST'] as const) {
        const r = await call(t.baseUrl, 'verb=Identify', method);
        const identify = first(r.doc, 'Identify')!;
        const field = (name: string) => first(identify, name)!.text;
        assert.equal(first(r.doc, 'request')!.text, `${t.baseUrl}/oai`);
        assert.deepEqual(first(r.doc, 'request')!.attrs, { verb: 'Identify' });
        assert.equal(field('baseURL'), `${t.baseUrl}/oai`);
        assert.equal(field('protocolVersion'), '2.0');
        assert.equal(field('adminEmail'), `webmaster@${host}`);
        assert.equal(field('deletedRecord'), 'no');
        assert.equal(field('granularity'), 'YYYY-MM-DDThh:mm:ssZ');
        assert.match(field('earliestDatestamp'), DATESTAMP);
        assert.equal(field('repositoryIdentifier'), host);
        assert.equal(field('scheme'), 'oai');
        assert.match(field('sampleIdentifier'), new RegExp(`^oai:${host}:edition/[0-9a-f-]{36}$`));
        const stamps = all(
          (await call(t.baseUrl, 'verb=ListIdentifiers&metadataPrefix=oai_dc')).doc,
          'datestamp',
        );
        assert.equal(field('earliestDatestamp'), stamps.map((s) => s.text).sort()[0]);
        const responseDate = Date.parse(first(r.doc, 'responseDate')!.text);
        assert.ok(Math.abs(responseDate - Date.now()) < 60_000);
      }
    });

    it('POST accepts a form with a charset; other bodies are a badArgument', async () => {
      const r = await fetch(`${t.baseUrl}/oai`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
        body: 'verb=ListMetadataFormats',
      });
      assert.equal(r.status, 200);
      assert.match(await r.text(), /<metadataPrefix>oai_dc<\/metadataPrefix>/);
      const json = await fetch(`${t.baseUrl}/oai`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"verb":"Identify"}',
      });
      const xml = await json.text();
      assert.equal(json.status, 200);
      assert.match(xml, /<error code="badArgument">/);
      assert.match(xml, /<request>http/);
    });

    it('ListMetadataFormats, for the repository and for one item', async () => {
      const id = `oai:${host}:edition/${await editionId(t, UDHR, 'ar')}`;
      for (const query of [
        'verb=ListMetadataFormats',
        `verb=ListMetadataFormats&identifier=${id}`,
      ]) {
        const r = await call(t.baseUrl, query);
        const formats = all(r.doc, 'metadataFormat');
        assert.equal(formats.length, 1);
        assert.equal(first(formats[0]!, 'metadataPrefix')!.text, 'oai_dc');
        assert.equal(
          first(formats[0]!, 'schema')!.text,
          'http://www.openarchives.org/OAI/2.0/oai_dc.xsd',
        );
        assert.equal(
          first(formats[0]!, 'metadataNamespace')!.text,
          'http://www.openarchives.org/OAI/2.0/oai_dc/',
        );
      }
      const missing = await expectError(
        t.baseUrl,
        `verb=ListMetadataFormats&identifier=oai:${host}:edition/${randomUUID()}`,
        'idDoesNotExist',
      );
      assert.equal(first(missing.doc, 'request')!.attrs.verb, 'ListMetadataFormats');
    });

    it('ListSets: types, languages and collections under their roots', async () => {
      const r = await call(t.baseUrl, 'verb=ListSets');
      const sets = new Map(all(r.doc, 'set').map((s) => [first(s, 'setSpec')!.text, s]));
      for (const spec of [
        'type',
        'language',
        'collection',
        'type:video',
        'type:manual',
        'type:guide',
        'type:other',
        'language:ar',
        'language:fa',
        'language:pt-BR',
        'language:sr-Cyrl',
        'collection:corpus',
      ]) {
        assert.ok(sets.has(spec), spec);
      }
      assert.equal(first(sets.get('language:ar')!, 'setName')!.text, 'Language: Arabic (العربية)');
      assert.equal(
        first(sets.get('collection:corpus')!, 'setName')!.text,
        'Collection: Test corpus',
      );
      const titles = all(sets.get('collection:corpus')!, 'dc:title').map(
        (n) => `${n.attrs['xml:lang']}:${n.text}`,
      );
      assert.deepEqual(titles.sort(), ['en:Test corpus', 'fr:Corpus de test']);
      assert.ok(!sets.has('type:poster'), 'no set without public records');
      await expectError(t.baseUrl, 'verb=ListSets&resumptionToken=abc', 'badResumptionToken');
      await expectError(t.baseUrl, 'verb=ListSets&metadataPrefix=oai_dc', 'badArgument');
    });

    it('ListIdentifiers and ListRecords: every published edition once, with oai_dc', async () => {
      const expected = await publicEditions(t);
      const heads = await call(t.baseUrl, 'verb=ListIdentifiers&metadataPrefix=oai_dc');
      const ids = identifiers(heads);
      assert.equal(ids.length, expected.length);
      assert.deepEqual([...ids].sort(), expected.map((e) => `oai:${host}:edition/${e.id}`).sort());
      assert.equal(first(heads.doc, 'resumptionToken'), undefined, 'one page, no token');
      const records = await call(t.baseUrl, 'verb=ListRecords&metadataPrefix=oai_dc', 'POST');
      assert.deepEqual(identifiers(records), ids, 'same order');
      for (const record of all(records.doc, 'record')) {
        const id = first(record, 'identifier')!.text.split('/').pop();
        const edition = expected.find((e) => e.id === id)!;
        assert.deepEqual(dc(record, 'language'), [edition.language]);
        const sets = all(record, 'setSpec').map((s) => s.text);
        assert.ok(
          sets.includes(`language:${edition.language}`) && sets.includes(`type:${edition.type}`),
        );
        assert.match(first(record, 'datestamp')!.text, DATESTAMP);
        assert.equal(
          dc(record, 'identifier')[0]!.split('/works/')[1],
          `${edition.slug}/${edition.language}`,
        );
        assert.ok(dc(record, 'identifier')[0]!.startsWith(`${t.baseUrl}/`));
        assert.ok(
          dc(record, 'relation').includes(dc(record, 'identifier')[0]!.replace(/\/[^/]+$/, '')),
        );
      }
    });

    it('GetRecord of the Arabic edition: language, title, relations, rights', async () => {
      const id = await editionId(t, UDHR, 'ar');
      const r = await call(
        t.baseUrl,
        `verb=GetRecord&identifier=oai:${host}:edition/${id}&metadataPrefix=oai_dc`,
      );
      assert.deepEqual(first(r.doc, 'request')!.attrs, {
        verb: 'GetRecord',
        identifier: `oai:${host}:edition/${id}`,
        metadataPrefix: 'oai_dc',
      });
      const record = first(r.doc, 'record')!;
      const title = first(record, 'dc:title')!;
      assert.equal(title.text, 'الإعلان العالمي لحقوق الإنسان');
      assert.equal(title.attrs['xml:lang'], 'ar');
      assert.deepEqual(dc(record, 'language'), ['ar']);
      assert.deepEqual(dc(record, 'identifier'), [`${t.baseUrl}/ar/works/${UDHR}/ar`]);
      assert.deepEqual(dc(record, 'type'), ['Text', 'other']);
      assert.deepEqual(dc(record, 'format'), ['text/html']);
      assert.deepEqual(dc(record, 'date'), ['1948']);
      assert.deepEqual(dc(record, 'subject'), ['حقوق الإنسان']);
      assert.deepEqual(dc(record, 'publisher'), [
        'Office of the United Nations High Commissioner for Human Rights',
      ]);
      assert.match(dc(record, 'rights')[0]!, /Freely reproducible/);
      const siblings = (await publicEditions(t)).filter((e) => e.slug === UDHR && e.id !== id);
      const relations = dc(record, 'relation');
      assert.equal(relations[0], `${t.baseUrl}/ar/works/${UDHR}`);
      assert.deepEqual(
        relations.slice(1).sort(),
        siblings.map((e) => `oai:${host}:edition/${e.id}`).sort(),
      );
      assert.deepEqual(
        all(record, 'setSpec').map((s) => s.text),
        ['type:other', 'language:ar', 'collection:corpus'],
      );
    });

    it('GetRecord of the video: moving image, its formats and summary', async () => {
      const id = await editionId(t, 'popeye-clip', 'en');
      const r = await call(
        t.baseUrl,
        `verb=GetRecord&identifier=oai:${host}:edition/${id}&metadataPrefix=oai_dc`,
      );
      const record = first(r.doc, 'record')!;
      assert.deepEqual(dc(record, 'type'), ['MovingImage', 'video']);
      for (const format of ['video/mp4', 'video/webm'])
        assert.ok(dc(record, 'format').includes(format));
      assert.deepEqual(dc(record, 'description'), ['A 65-second excerpt, used as test data only.']);
      assert.deepEqual(dc(record, 'relation'), [`${t.baseUrl}/en/works/popeye-clip`]);
    });

    it('selective harvesting by set, including a set and its subsets', async () => {
      const expected = await publicEditions(t);
      const count = async (set: string) =>
        identifiers(await call(t.baseUrl, `verb=ListIdentifiers&metadataPrefix=oai_dc&set=${set}`))
          .length;
      assert.equal(await count('language:ar'), expected.filter((e) => e.language === 'ar').length);
      assert.equal(await count('language:fa'), 2);
      assert.equal(await count('type:video'), 1);
      assert.equal(await count('type:manual'), 5);
      assert.equal(await count('type'), expected.length);
      assert.equal(await count('collection:corpus'), expected.length);
      await expectError(
        t.baseUrl,
        'verb=ListRecords&metadataPrefix=oai_dc&set=language:xx',
        'noRecordsMatch',
      );
      await expectError(
        t.baseUrl,
        'verb=ListIdentifiers&metadataPrefix=oai_dc&set=collection:none',
        'noRecordsMatch',
      );
    });

    it('a full harvest over pages of 7 returns every published edition exactly once', async () => {
      const expected = (await publicEditions(t)).map((e) => `oai:${host}:edition/${e.id}`).sort();
      for (const [verb, method] of [
        ['ListRecords', 'GET'],
        ['ListIdentifiers', 'POST'],
      ] as const) {
        const pages = await harvest(small.address, verb, 'metadataPrefix=oai_dc', method);
        assert.equal(pages.length, Math.ceil(expected.length / 7));
        const seen = pages.flatMap(identifiers);
        assert.equal(seen.length, expected.length, 'no duplicates');
        assert.deepEqual([...seen].sort(), expected);
        pages.forEach((page, index) => {
          const token = first(page.doc, 'resumptionToken')!;
          assert.equal(token.attrs.cursor, String(index * 7));
          assert.equal(token.attrs.completeListSize, String(expected.length));
          assert.equal(
            token.text === '',
            index === pages.length - 1,
            'only the last token is empty',
          );
          if (index > 0) {
            const attrs = first(page.doc, 'request')!.attrs;
            assert.deepEqual(Object.keys(attrs).sort(), ['resumptionToken', 'verb']);
          }
        });
      }
      // A set and a date range travel inside the token.
      const pages = await harvest(
        small.address,
        'ListIdentifiers',
        'metadataPrefix=oai_dc&set=type:other&from=2000-01-01&until=2999-12-31',
      );
      assert.equal(
        pages.flatMap(identifiers).length,
        (await publicEditions(t)).filter((e) => e.type === 'other').length,
      );
    });

    it('resumption tokens are stateless, and a change mid-harvest skips nothing', async () => {
      const expected = (await publicEditions(t)).map((e) => `oai:${host}:edition/${e.id}`).sort();
      const firstPage = await call(small.address, 'verb=ListIdentifiers&metadataPrefix=oai_dc');
      const token = first(firstPage.doc, 'resumptionToken')!.text;
      // Another instance (the full app, page size 100) continues the harvest.
      const rest = await call(
        t.baseUrl,
        `verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`,
      );
      const restToken = first(rest.doc, 'resumptionToken')!;
      assert.equal(restToken.text, '');
      assert.equal(restToken.attrs.cursor, '7');
      assert.deepEqual([...identifiers(firstPage), ...identifiers(rest)].sort(), expected);
      // An edition of the first page changes: it comes again at the end, nothing is skipped.
      const changed = identifiers(firstPage)[0]!.split('/').pop()!;
      await t.database.db
        .updateTable('editions')
        .set({ updated_at: new Date(Date.now() + 5_000).toISOString() })
        .where('id', '=', changed)
        .execute();
      const again = await call(
        small.address,
        `verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`,
      );
      const remaining = (
        await harvest(
          small.address,
          'ListIdentifiers',
          `resumptionToken=${encodeURIComponent(token)}`,
        )
      ).flatMap(identifiers);
      assert.equal(identifiers(again).length, 7);
      assert.equal(remaining[remaining.length - 1], `oai:${host}:edition/${changed}`);
      assert.deepEqual([...new Set([...identifiers(firstPage), ...remaining])].sort(), expected);
    });

    it('bad resumption tokens', async () => {
      const page = await call(small.address, 'verb=ListRecords&metadataPrefix=oai_dc');
      const token = first(page.doc, 'resumptionToken')!.text;
      const [payload, mac] = token.split('.') as [string, string];
      const flipped = payload.slice(0, -2) + (payload.at(-2) === 'A' ? 'B' : 'A') + payload.at(-1);
      for (const bad of [
        'abc',
        `${flipped}.${mac}`,
        `${payload}.${mac.slice(1)}x`,
        `${payload}`,
        `${token}x`,
        '%E2%82%AC',
      ]) {
        const r = await expectError(
          t.baseUrl,
          `verb=ListRecords&resumptionToken=${bad.startsWith('%') ? bad : encodeURIComponent(bad)}`,
          'badResumptionToken',
        );
        assert.equal(first(r.doc, 'request')!.attrs.verb, 'ListRecords');
        assert.ok(first(r.doc, 'request')!.attrs.resumptionToken);
      }
      // A token belongs to the verb that issued it.
      await expectError(
        t.baseUrl,
        `verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`,
        'badResumptionToken',
      );
      // Exclusive: not with other arguments.
      await expectError(
        t.baseUrl,
        `verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=${encodeURIComponent(token)}`,
        'badArgument',
      );
    });

    it('badVerb: missing, unknown, empty or repeated verb', async () => {
      for (const query of [
        '',
        'verb=Foo',
        'verb=',
        'verb=identify',
        'verb=Identify&verb=Identify',
        'verb=Identify&verb=ListSets',
        'metadataPrefix=oai_dc',
      ]) {
        await expectError(t.baseUrl, query, 'badVerb');
      }
      await expectError(t.baseUrl, 'verb=Foo', 'badVerb', 'POST');
    });

    it('badArgument: illegal, missing, repeated, empty or malformed arguments', async () => {
      const id = `oai:${host}:edition/${await editionId(t, UDHR, 'ar')}`;
      for (const query of [
        'verb=Identify&foo=bar',
        'verb=Identify&set=type',
        'verb=ListRecords',
        'verb=ListIdentifiers&set=type:video',
        'verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc',
        'verb=ListRecords&metadataPrefix=',
        'verb=ListRecords&metadataPrefix=oai%20dc',
        'verb=ListRecords&metadataPrefix=oai_dc&identifier=x',
        'verb=GetRecord&metadataPrefix=oai_dc',
        `verb=GetRecord&identifier=${id}`,
        `verb=GetRecord&identifier=${id}&metadataPrefix=oai_dc&from=2020-01-01`,
        'verb=GetRecord&identifier=not%20a%20uri&metadataPrefix=oai_dc',
        'verb=GetRecord&identifier=x%25zz&metadataPrefix=oai_dc',
        'verb=ListMetadataFormats&identifier=a%23b%23c',
        'verb=ListRecords&metadataPrefix=oai_dc&from=2024-13-01',
        'verb=ListRecords&metadataPrefix=oai_dc&from=2023-02-29',
        'verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T00:00:00',
        'verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T00:00:00.5Z',
        'verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T00:00:00%2B01:00',
        'verb=ListRecords&metadataPrefix=oai_dc&until=yesterday',
        'verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-02-01T00:00:00Z',
        'verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-01&until=2024-01-31',
        'verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T00:00:01Z&until=2024-01-01T00:00:00Z',
        'verb=ListRecords&metadataPrefix=oai_dc&set=language:',
        'verb=ListRecords&metadataPrefix=oai_dc&set=a%20b',
        'verb=ListRecords&metadataPrefix=oai_dc&set=type::video',
        'verb=ListSets&foo=%zz',
      ]) {
        await expectError(t.baseUrl, query, 'badArgument');
      }
      await expectError(t.baseUrl, 'verb=ListRecords&from=2024-01-01', 'badArgument', 'POST');
    });

    it('cannotDisseminateFormat, idDoesNotExist and noRecordsMatch echo the request', async () => {
      const id = `oai:${host}:edition/${await editionId(t, UDHR, 'ar')}`;
      for (const verb of ['ListRecords', 'ListIdentifiers']) {
        const r = await expectError(
          t.baseUrl,
          `verb=${verb}&metadataPrefix=marc21&set=type`,
          'cannotDisseminateFormat',
        );
        assert.deepEqual(first(r.doc, 'request')!.attrs, {
          verb,
          metadataPrefix: 'marc21',
          set: 'type',
        });
      }
      await expectError(
        t.baseUrl,
        `verb=GetRecord&identifier=${id}&metadataPrefix=mods`,
        'cannotDisseminateFormat',
      );
      for (const identifier of [
        `oai:${host}:edition/${randomUUID()}`,
        `oai:example.org:edition/${id.split('/').pop()}`,
        `oai:${host}:work/${UDHR}`,
        'urn:isbn:9780000000000',
      ]) {
        const r = await expectError(
          t.baseUrl,
          `verb=GetRecord&identifier=${encodeURIComponent(identifier)}&metadataPrefix=oai_dc`,
          'idDoesNotExist',
        );
        assert.equal(first(r.doc, 'request')!.attrs.identifier, identifier);
      }
      const r = await expectError(
        t.baseUrl,
        'verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01',
        'noRecordsMatch',
      );
      assert.deepEqual(first(r.doc, 'request')!.attrs, {
        verb: 'ListRecords',
        metadataPrefix: 'oai_dc',
        from: '2999-01-01',
      });
      await expectError(
        t.baseUrl,
        'verb=ListIdentifiers&metadataPrefix=oai_dc&until=1999-12-31T23:59:59Z',
        'noRecordsMatch',
      );
    });

    it('drafts, editions in review and editions of unpublished works never appear', async () => {
      const now = new Date().toISOString();
      await t.database.db
        .insertInto('languages')
        .values({
          tag: 'kl',
          endonym: 'kalaallisut',
          english_name: 'Kalaallisut',
          script: 'Latn',
          direction: 'ltr',
        })
        .execute();
      const udhr = await t.database.db
        .selectFrom('works')
        .select('id')
        .where('slug', '=', UDHR)
        .executeTakeFirstOrThrow();
      const hiddenWork = randomUUID();
      await t.database.db
        .insertInto('works')
        .values({
          id: hiddenWork,
          slug: 'unpublished-poster',
          type: 'poster',
          publisher_id: null,
          licence: null,
          year: null,
          original_language: null,
          published_at: null,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const hidden = { draft: randomUUID(), review: randomUUID(), unpublishedWork: randomUUID() };
      const edition = (
        id: string,
        workId: string,
        language: string,
        status: 'draft' | 'in_review' | 'published',
      ) => ({
        id,
        work_id: workId,
        language,
        title: `Hidden ${status}`,
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
      await t.database.db
        .insertInto('editions')
        .values([
          edition(hidden.draft, udhr.id, 'kl', 'draft'),
          edition(hidden.review, udhr.id, 'de', 'in_review'),
          edition(hidden.unpublishedWork, hiddenWork, 'en', 'published'),
        ])
        .execute();
      const records = await call(t.baseUrl, 'verb=ListRecords&metadataPrefix=oai_dc');
      for (const id of Object.values(hidden)) {
        assert.ok(!records.xml.includes(id), `${id} is not listed nor related`);
        await expectError(
          t.baseUrl,
          `verb=GetRecord&identifier=oai:${host}:edition/${id}&metadataPrefix=oai_dc`,
          'idDoesNotExist',
        );
      }
      assert.doesNotMatch(records.xml, /Hidden/);
      const sets = await call(t.baseUrl, 'verb=ListSets');
      assert.doesNotMatch(sets.xml, /language:kl|type:poster/);
      await expectError(
        t.baseUrl,
        'verb=ListIdentifiers&metadataPrefix=oai_dc&set=language:kl',
        'noRecordsMatch',
      );
      const all = await harvest(small.address, 'ListIdentifiers', 'metadataPrefix=oai_dc');
      assert.equal(all.flatMap(identifiers).length, (await publicEditions(t)).length);
    });

    it('from and until, in both granularities, inclusive', async () => {
      const total = (await publicEditions(t)).length;
      const ar = await editionId(t, UDHR, 'ar');
      const fa = await editionId(t, UDHR, 'fa');
      const set = (id: string, updated: string) =>
        t.database.db
          .updateTable('editions')
          .set({ updated_at: updated })
          .where('id', '=', id)
          .execute();
      await set(ar, '2031-03-04T05:06:07.123Z');
      await set(fa, '2031-03-05T00:00:00.000Z');
      const list = async (args: string) => {
        const r = await call(t.baseUrl, `verb=ListIdentifiers&metadataPrefix=oai_dc&${args}`);
        return errorCodes(r).length > 0
          ? errorCodes(r)
          : identifiers(r).map((i) => i.split('/').pop());
      };
      assert.deepEqual(await list('from=2031-03-04'), [ar, fa]);
      assert.deepEqual(await list('from=2031-03-04T05:06:07Z'), [ar, fa]);
      assert.deepEqual(await list('from=2031-03-04T05:06:08Z'), [fa]);
      assert.deepEqual(await list('from=2031-03-04&until=2031-03-04'), [ar]);
      assert.deepEqual(await list('until=2031-03-05T00:00:00Z&from=2031-03-04T05:06:07Z'), [
        ar,
        fa,
      ]);
      assert.deepEqual(await list('from=2031-03-04T00:00:00Z&until=2031-03-04T05:06:06Z'), [
        'noRecordsMatch',
      ]);
      assert.deepEqual(await list('from=2031-03-06'), ['noRecordsMatch']);
      assert.equal((await list('until=2031-03-03')).length, total - 2);
      assert.equal((await list('until=2031-03-04T05:06:07Z')).length, total - 1);
      const record = await call(
        t.baseUrl,
        `verb=GetRecord&identifier=oai:${host}:edition/${ar}&metadataPrefix=oai_dc`,
      );
      assert.equal(first(record.doc, 'datestamp')!.text, '2031-03-04T05:06:07Z');
      // A change to the work changes every record of it (they repeat its type, licence, topics).
      const udhr = await t.database.db
        .selectFrom('works')
        .select('id')
        .where('slug', '=', UDHR)
        .executeTakeFirstOrThrow();
      await t.database.db
        .updateTable('works')
        .set({ updated_at: '2032-01-01T00:00:00.000Z' })
        .where('id', '=', udhr.id)
        .execute();
      const udhrCount = (await publicEditions(t)).filter((e) => e.slug === UDHR).length;
      assert.equal((await list('from=2032-01-01')).length, udhrCount);
      const earliest = first(
        (await call(t.baseUrl, 'verb=Identify')).doc,
        'earliestDatestamp',
      )!.text;
      assert.ok(earliest < '2031-01-01T00:00:00Z');
    });
  });
}

for (const dialect of dialects()) {
  describe(`OAI-PMH with PUBLIC_URL and an empty library (${dialect})`, () => {
    let t: TestApp;
    const base = 'https://library.example.org';
    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty', env: { PUBLIC_URL: base } });
    });
    after(() => t.close());

    it('answers with the public address, an empty set hierarchy and noRecordsMatch', async () => {
      const identify = await call(t.baseUrl, 'verb=Identify');
      assert.equal(first(identify.doc, 'request')!.text, `${base}/oai`);
      assert.equal(first(identify.doc, 'baseURL')!.text, `${base}/oai`);
      assert.equal(first(identify.doc, 'adminEmail')!.text, 'webmaster@library.example.org');
      assert.equal(first(identify.doc, 'repositoryIdentifier')!.text, 'library.example.org');
      assert.match(
        first(identify.doc, 'sampleIdentifier')!.text,
        /^oai:library\.example\.org:edition\//,
      );
      const sets = await call(t.baseUrl, 'verb=ListSets');
      assert.deepEqual(
        all(sets.doc, 'setSpec').map((s) => s.text),
        ['type', 'language', 'collection'],
      );
      for (const verb of ['ListRecords', 'ListIdentifiers']) {
        await expectError(t.baseUrl, `verb=${verb}&metadataPrefix=oai_dc`, 'noRecordsMatch');
      }
      await expectError(
        t.baseUrl,
        `verb=GetRecord&identifier=oai:library.example.org:edition/${randomUUID()}&metadataPrefix=oai_dc`,
        'idDoesNotExist',
      );
    });
  });
}

describe('xmllint over every response', () => {
  it('every response of this file was valid against OAI-PMH.xsd', (context) => {
    const outputs = new Map<string, number>();
    for (const v of validations) outputs.set(v.output, (outputs.get(v.output) ?? 0) + 1);
    for (const [output, n] of outputs)
      context.diagnostic(`xmllint: ${JSON.stringify(output)} x ${n}`);
    assert.deepEqual([...outputs.keys()], ['- validates']);
  });
});
