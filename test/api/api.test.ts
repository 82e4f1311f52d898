/**
 * The read-only JSON API (/api/v1) over the shared corpus, on both databases: each endpoint's
 * shape and values, paging, filters, JSON errors, caching headers, CORS, that drafts and
 * participants never appear, and that the OpenAPI document is valid and covers every route.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { recordBlob } from '../../src/features/uploads/file-rows.js';
import { buildTestApp, get, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { cipherOf, insertEvent, insertParticipant } from '../helpers/programmes.js';
import { seedCurriculum } from '../events/fixtures.js';

const UDHR = 'universal-declaration-of-human-rights';
const LATEX = 'not-so-short-introduction-to-latex';
const SECRET_NAMES = ['Zainab Secretname', 'Leila Hiddenperson'];
const MEETING_LINK = 'https://meet.example.org/secret-room-4711';
const DRAFT_TITLE = 'SECRET DRAFT EDITION TITLE';
const UNPUBLISHED_TITLE = 'UNPUBLISHED WORK TITLE';
/** A 1x1 PNG, as a thumbnail made by the background job would be. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are checked field by field */
type Json = any;

for (const dialect of dialects()) {
  describe(`JSON API /api/v1 (${dialect})`, () => {
    let t: TestApp;
    const events: Record<string, { id: string; slug: string }> = {};
    const personal: string[] = [...SECRET_NAMES, MEETING_LINK];
    /** Every JSON body fetched, with the operation it answers, for the schema check at the end. */
    const seen: { operationId: string; path: string; body: Json }[] = [];

    const json = async (path: string, headers: Record<string, string> = {}) => {
      const response = await get(t.baseUrl, path, headers);
      const text = await response.text();
      return { response, text, body: text ? (JSON.parse(text) as Json) : undefined };
    };
    /** A 200 answer, remembered for the schema check. */
    const ok = async (operationId: string, path: string) => {
      const r = await json(path);
      assert.equal(r.response.status, 200, `${path}: ${r.text.slice(0, 300)}`);
      seen.push({ operationId, path, body: r.body });
      return r.body as Json;
    };
    const problem = async (path: string, status: 400 | 404) => {
      const r = await json(path);
      assert.equal(r.response.status, status, `${path}: ${r.text.slice(0, 300)}`);
      assert.equal(r.response.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(r.response.headers.get('access-control-allow-origin'), '*');
      assert.equal(r.body.error.code, status === 404 ? 'not_found' : 'bad_request');
      assert.equal(typeof r.body.error.message, 'string');
      assert.ok(r.body.error.message.length > 5, r.body.error.message);
      return r.body.error.message as string;
    };

    before(async () => {
      t = await buildTestApp(dialect);
      const db = t.database.db;
      const now = new Date().toISOString();
      const workId = async (slug: string) =>
        (
          await db
            .selectFrom('works')
            .select('id')
            .where('slug', '=', slug)
            .executeTakeFirstOrThrow()
        ).id;

      // A draft edition of a published work, and a published edition of an unpublished work.
      await db
        .insertInto('editions')
        .values({
          id: randomUUID(),
          work_id: await workId('popeye-clip'),
          language: 'fr',
          title: DRAFT_TITLE,
          summary: null,
          status: 'draft',
          version: 1,
          source_hash: null,
          translated_from_id: null,
          translated_from_version: null,
          published_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const hiddenWork = randomUUID();
      await db
        .insertInto('works')
        .values({
          id: hiddenWork,
          slug: 'unpublished-work',
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
        .values({
          id: randomUUID(),
          work_id: hiddenWork,
          language: 'en',
          title: UNPUBLISHED_TITLE,
          summary: null,
          status: 'published',
          version: 1,
          source_hash: null,
          translated_from_id: null,
          translated_from_version: null,
          published_at: now,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const corpus = await db
        .selectFrom('collections')
        .select('id')
        .where('slug', '=', 'corpus')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('collection_works')
        .values({ collection_id: corpus.id, work_id: hiddenWork, position: 99 })
        .execute();

      // A thumbnail of the video, a PNG as the thumbnail job would have made; and one of the
      // WebM whose blob is no image, which is never linked (the thumbnail route would not serve it).
      const videoFile = (filename: string) =>
        db
          .selectFrom('edition_files as f')
          .innerJoin('editions as e', 'e.id', 'f.edition_id')
          .innerJoin('works as w', 'w.id', 'e.work_id')
          .where('w.slug', '=', 'popeye-clip')
          .where('f.filename', '=', filename)
          .select(['f.id'])
          .executeTakeFirstOrThrow();
      const staged = await t.blobs.stage(Readable.from([PNG]));
      await recordBlob(db, staged, 'image/png', now);
      await t.blobs.commitStaged(staged);
      const srt = await db
        .selectFrom('edition_files')
        .select('blob_sha256')
        .where('filename', '=', 'popeye-clip1.en.srt')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('file_thumbnails')
        .values([
          {
            file_id: (await videoFile('popeye-clip1.mp4')).id,
            blob_sha256: staged.sha256,
            created_at: now,
          },
          {
            file_id: (await videoFile('popeye-clip1.webm')).id,
            blob_sha256: srt.blob_sha256,
            created_at: now,
          },
        ])
        .execute();

      // Events: two upcoming, one past, and three that must never show.
      const org = await db
        .selectFrom('organisations')
        .select('id')
        .where('slug', '=', 'ohchr')
        .executeTakeFirstOrThrow();
      const curriculum = await seedCurriculum(db, await workId(UDHR), 'api-curriculum');
      events.later = await insertEvent(db, org.id, {
        title: 'Later workshop',
        startsAt: '2099-03-01T08:00:00.000Z',
        endsAt: '2099-03-02T16:00:00.000Z',
        capacity: 2,
        country: 'JO',
      });
      await db
        .updateTable('events')
        .set({ online_url: MEETING_LINK, curriculum_id: curriculum.id })
        .where('id', '=', events.later.id)
        .execute();
      await db
        .insertInto('event_texts')
        .values({
          event_id: events.later.id,
          language: 'ar',
          title: 'ورشة لاحقة',
          description: 'وصف الورشة',
        })
        .execute();
      await db
        .insertInto('event_languages')
        .values([
          { event_id: events.later.id, language: 'ar' },
          { event_id: events.later.id, language: 'en' },
        ])
        .execute();
      await db
        .insertInto('event_agenda_items')
        .values([
          {
            id: randomUUID(),
            event_id: events.later.id,
            day: '2099-03-01',
            start_time: '10:00',
            position: 0,
            session_id: null,
            minutes: 30,
            title: 'Opening',
          },
          {
            id: randomUUID(),
            event_id: events.later.id,
            day: '2099-03-01',
            start_time: null,
            position: 1,
            session_id: curriculum.sessions[0]!.id,
            minutes: 90,
            title: null,
          },
        ])
        .execute();
      events.sooner = await insertEvent(db, org.id, {
        title: 'Sooner webinar',
        kind: 'webinar',
        startsAt: '2098-01-10T09:00:00.000Z',
        endsAt: '2098-01-10T11:00:00.000Z',
        capacity: 1,
        country: 'FR',
      });
      events.past = await insertEvent(db, org.id, {
        title: 'Past workshop',
        startsAt: '2020-05-02T07:00:00.000Z',
        endsAt: '2020-05-03T15:00:00.000Z',
      });
      events.cancelled = await insertEvent(db, org.id, { title: 'Cancelled one' });
      await db
        .updateTable('events')
        .set({ cancelled_at: now })
        .where('id', '=', events.cancelled.id)
        .execute();
      events.invite = await insertEvent(db, org.id, { title: 'Invite only' });
      await db
        .updateTable('events')
        .set({ visibility: 'invite' })
        .where('id', '=', events.invite.id)
        .execute();
      events.draft = await insertEvent(db, org.id, { title: 'Draft event' });
      await db
        .updateTable('events')
        .set({ published_at: null })
        .where('id', '=', events.draft.id)
        .execute();

      const cipher = cipherOf(t.dataDir);
      const a = await insertParticipant(db, cipher, events.later.id, {
        name: SECRET_NAMES[0]!,
        contact: 'zainab@example.org',
        note: 'needs a ride',
      });
      const b = await insertParticipant(db, cipher, events.sooner.id, { name: SECRET_NAMES[1]! });
      const c = await insertParticipant(db, cipher, events.sooner.id, {
        name: 'Third Person',
        status: 'waitlisted',
      });
      for (const p of [a, b, c]) personal.push(p.code, p.participantId, p.registrationId);
      personal.push('zainab@example.org', 'needs a ride', 'Third Person');
    });

    after(() => t.close());

    it('indexes its resources with absolute links', async () => {
      const body = await ok('index', '/api/v1');
      assert.equal(body.version, '1');
      assert.deepEqual(Object.keys(body.links).sort(), [
        'collections',
        'events',
        'openapi',
        'self',
        'works',
      ]);
      for (const href of Object.values(body.links) as string[]) {
        assert.ok(href.startsWith(`${t.baseUrl}/api/v1`), href);
        assert.equal((await get(t.baseUrl, href.slice(t.baseUrl.length))).status, 200, href);
      }
    });

    it('lists published works in pages, following next links to the end', async () => {
      const all = await ok('listWorks', '/api/v1/works');
      assert.equal(all.meta.total, 4);
      assert.equal(all.meta.pages, 1);
      assert.equal(all.meta.per_page, 20);
      assert.equal(all.links.next, null);
      assert.equal(all.links.prev, null);
      const order = all.data.map((w: Json) => w.slug);
      assert.deepEqual([...order].sort(), ['calibre-quick-start', LATEX, 'popeye-clip', UDHR]);

      const walked: string[] = [];
      let next: string | null = `${t.baseUrl}/api/v1/works?per_page=1`;
      let pages = 0;
      while (next) {
        const page: Json = await ok('listWorks', next.slice(t.baseUrl.length));
        pages++;
        assert.equal(page.meta.total, 4);
        assert.equal(page.meta.pages, 4);
        assert.equal(page.meta.page, pages);
        assert.equal(page.data.length, 1);
        if (pages > 1)
          assert.ok(page.links.prev.includes(pages === 2 ? 'per_page=1' : `page=${pages - 1}`));
        walked.push(page.data[0].slug);
        next = page.links.next;
        if (next) assert.match(next, new RegExp(`[?&]page=${pages + 1}(&|$)`));
        assert.ok(pages <= 4);
      }
      assert.deepEqual(walked, order, 'paging keeps the order of the full list');
      const beyond = await ok('listWorks', '/api/v1/works?page=9&per_page=2');
      assert.deepEqual(beyond.data, []);
      assert.equal(beyond.meta.total, 4);
      assert.equal(beyond.links.next, null);
    });

    it('filters works by type, language, topic and collection', async () => {
      const slugs = async (query: string) =>
        ((await ok('listWorks', `/api/v1/works?${query}`)).data as Json[])
          .map((w) => w.slug)
          .sort();
      assert.deepEqual(await slugs('type=video'), ['popeye-clip']);
      assert.deepEqual(await slugs('language=fa'), [LATEX, UDHR]);
      assert.deepEqual(await slugs('topic=human-rights'), [UDHR]);
      assert.deepEqual(await slugs('collection=corpus'), [
        'calibre-quick-start',
        LATEX,
        'popeye-clip',
        UDHR,
      ]);
      assert.deepEqual(await slugs('collection=no-such-collection'), []);
      const filtered = await ok('listWorks', '/api/v1/works?language=fa&per_page=1');
      assert.match(filtered.links.next, /language=fa/);
      assert.match(filtered.links.next, /per_page=1/);
    });

    it('shows a work with its published editions, languages and titles by language', async () => {
      const work = await ok('getWork', `/api/v1/works/${UDHR}`);
      assert.equal(work.slug, UDHR);
      assert.equal(work.year, 1948);
      assert.equal(work.type, 'other');
      assert.equal(work.titles.ar, 'الإعلان العالمي لحقوق الإنسان');
      assert.equal(work.titles.en, 'Universal Declaration of Human Rights');
      assert.equal(work.topics[0].slug, 'human-rights');
      assert.equal(work.topics[0].labels.fa, 'حقوق بشر');
      const ar = work.editions.find((e: Json) => e.language.tag === 'ar');
      assert.deepEqual(ar.language, {
        tag: 'ar',
        endonym: 'العربية',
        english_name: 'Arabic',
        direction: 'rtl',
      });
      assert.equal(ar.url, `${t.baseUrl}/api/v1/works/${UDHR}/editions/ar`);
      assert.equal(ar.html_url, `${t.baseUrl}/ar/works/${UDHR}/ar`);
      assert.equal(work.languages.length, work.editions.length);
      assert.deepEqual(
        work.collections.map((c: Json) => c.slug),
        ['corpus'],
      );
      const popeye = await ok('getWork', '/api/v1/works/popeye-clip');
      assert.deepEqual(
        popeye.editions.map((e: Json) => e.language.tag),
        ['en'],
      );
      assert.equal(popeye.titles.fr, undefined);
    });

    it('details an edition: the Arabic UDHR read online', async () => {
      const edition = await ok('getEdition', `/api/v1/works/${UDHR}/editions/ar`);
      assert.equal(edition.title, 'الإعلان العالمي لحقوق الإنسان');
      assert.equal(edition.language.direction, 'rtl');
      assert.equal(edition.language.endonym, 'العربية');
      assert.equal(edition.work.slug, UDHR);
      assert.ok(edition.pages >= 1);
      assert.equal(edition.read_url, `${t.baseUrl}/ar/works/${UDHR}/ar/read`);
      const read = await get(t.baseUrl, `/ar/works/${UDHR}/ar/read`);
      assert.equal(read.status, 200);
      assert.deepEqual(edition.files, []);
    });

    it('details an edition: file sizes, types, roles and download URLs match the blobs', async () => {
      const edition = await ok('getEdition', `/api/v1/works/${LATEX}/editions/fa`);
      assert.equal(edition.language.direction, 'rtl');
      assert.equal(edition.pages, 0);
      assert.equal(edition.read_url, null);
      assert.equal(edition.files.length, 1);
      const file = edition.files[0];
      assert.equal(file.role, 'original');
      assert.equal(file.media_type, 'application/pdf');
      const blob = await t.database.db
        .selectFrom('blobs')
        .select(['size', 'media_type'])
        .where('sha256', '=', file.sha256)
        .executeTakeFirstOrThrow();
      assert.equal(file.size, Number(blob.size));
      assert.ok(file.download_url.startsWith(`${t.baseUrl}/download/${file.id}/`));
      const download = await get(t.baseUrl, file.download_url.slice(t.baseUrl.length), {
        range: 'bytes=0-3',
      });
      assert.equal(download.status, 206);
      assert.equal(download.headers.get('content-range'), `bytes 0-3/${file.size}`);
      assert.equal(await download.text(), '%PDF');
    });

    it('details a video edition: subtitles with their language, and thumbnails', async () => {
      const edition = await ok('getEdition', '/api/v1/works/popeye-clip/editions/en');
      assert.deepEqual(edition.files.map((f: Json) => [f.media_type, f.role]).sort(), [
        ['video/mp4', 'original'],
        ['video/webm', 'original'],
      ]);
      // The imported SRT, and the WebVTT made from it for browsers.
      assert.deepEqual(
        edition.subtitles.map((s: Json) => [s.filename, s.media_type, s.language.tag]).sort(),
        [
          ['popeye-clip1.en.srt', 'application/x-subrip', 'en'],
          ['popeye-clip1.en.vtt', 'text/vtt', 'en'],
        ],
      );
      for (const subtitles of edition.subtitles) {
        const file = await get(t.baseUrl, subtitles.download_url.slice(t.baseUrl.length));
        assert.equal(file.status, 200);
        assert.equal((await file.arrayBuffer()).byteLength, subtitles.size);
      }

      const mp4 = edition.files.find((f: Json) => f.media_type === 'video/mp4');
      assert.ok(mp4.thumbnail, 'the mp4 has a thumbnail');
      // The site's thumbnail address: the API has no thumbnail route of its own.
      assert.equal(mp4.thumbnail.url, `${t.baseUrl}/thumbnails/${mp4.id}.png`);
      assert.equal(mp4.thumbnail.media_type, 'image/png');
      const thumb = await get(t.baseUrl, `/thumbnails/${mp4.id}.png`);
      assert.equal(thumb.status, 200);
      assert.equal(thumb.headers.get('content-type'), mp4.thumbnail.media_type);
      assert.equal(thumb.headers.get('access-control-allow-origin'), '*');
      const bytes = Buffer.from(await thumb.arrayBuffer());
      assert.ok(bytes.equals(PNG));
      assert.equal(bytes.length, mp4.thumbnail.size);
      const webm = edition.files.find((f: Json) => f.media_type === 'video/webm');
      assert.equal(webm.thumbnail, null);
      assert.equal((await get(t.baseUrl, `/thumbnails/${webm.id}.png`)).status, 404);
      await problem(`/api/v1/files/${mp4.id}/thumbnail`, 404);
    });

    it('lists collections and shows one with its published works in order', async () => {
      const list = await ok('listCollections', '/api/v1/collections');
      assert.equal(list.data.length, 1);
      const corpus = list.data[0];
      assert.deepEqual(corpus.titles, { en: 'Test corpus', fr: 'Corpus de test' });
      assert.deepEqual(corpus.descriptions, { en: 'Real documents in many languages.' });
      assert.equal(corpus.work_count, 4);
      const detail = await ok('getCollection', '/api/v1/collections/corpus');
      assert.deepEqual(
        detail.works.map((w: Json) => w.slug),
        [UDHR, LATEX, 'calibre-quick-start', 'popeye-clip'],
      );
      assert.equal(detail.html_url, `${t.baseUrl}/en/collections/corpus`);
    });

    it('never shows drafts or unpublished works', async () => {
      await problem('/api/v1/works/unpublished-work', 404);
      await problem('/api/v1/works/popeye-clip/editions/fr', 404);
      for (const path of [
        '/api/v1/works?per_page=100',
        '/api/v1/works?language=fr&per_page=100',
        '/api/v1/works/popeye-clip',
        '/api/v1/collections',
        '/api/v1/collections/corpus',
      ]) {
        const { text } = await json(path);
        assert.ok(!text.includes(DRAFT_TITLE), path);
        assert.ok(!text.includes(UNPUBLISHED_TITLE), path);
        assert.ok(!text.includes('unpublished-work'), path);
      }
    });

    it('lists public events, upcoming first, with seats and no private data', async () => {
      const list = await ok('listEvents', '/api/v1/events');
      assert.deepEqual(
        list.data.map((e: Json) => e.slug),
        [events.sooner!.slug, events.later!.slug, events.past!.slug],
      );
      assert.equal(list.meta.total, 3);
      const [sooner, later, past] = list.data;
      assert.deepEqual(sooner.seats, {
        state: 'full',
        capacity: 1,
        seats_left: 0,
        waiting_list: true,
      });
      assert.deepEqual(later.seats, {
        state: 'open',
        capacity: 2,
        seats_left: 1,
        waiting_list: false,
      });
      assert.equal(past.seats.state, 'closed');
      assert.equal(later.starts_at, '2099-03-01T11:00:00+03:00');
      assert.equal(later.time_zone, 'Asia/Amman');
      assert.equal(later.place, 'Amman');
      assert.equal(later.online, true);
      assert.deepEqual(later.titles, { ar: 'ورشة لاحقة', en: 'Later workshop' });
      assert.deepEqual(later.languages, ['ar', 'en']);
      assert.equal(sooner.online, false);

      const paged = await ok('listEvents', '/api/v1/events?per_page=2');
      assert.equal(paged.meta.pages, 2);
      assert.match(paged.links.next, /page=2/);
      const second = await ok('listEvents', paged.links.next.slice(t.baseUrl.length));
      assert.deepEqual(
        second.data.map((e: Json) => e.slug),
        [events.past!.slug],
      );
    });

    it('filters events by country, language, kind and dates', async () => {
      const slugs = async (query: string) =>
        ((await ok('listEvents', `/api/v1/events?${query}`)).data as Json[]).map((e) => e.slug);
      assert.deepEqual(await slugs('country=fr'), [events.sooner!.slug]);
      assert.deepEqual(await slugs('country=JO&kind=workshop'), [
        events.later!.slug,
        events.past!.slug,
      ]);
      assert.deepEqual(await slugs('kind=webinar'), [events.sooner!.slug]);
      assert.deepEqual(await slugs('language=ar'), [events.later!.slug]);
      assert.deepEqual(await slugs('from=2099-01-01'), [events.later!.slug]);
      assert.deepEqual(await slugs('to=2098-12-31'), [events.sooner!.slug, events.past!.slug]);
      assert.deepEqual(await slugs('from=2098-01-10&to=2098-01-10'), [events.sooner!.slug]);
      assert.deepEqual(await slugs('from=2099-03-02&to=2099-03-02'), [events.later!.slug]);
      assert.deepEqual(await slugs('from=2099-03-03'), []);
    });

    it('shows an event with its agenda and curriculum links, and nothing about participants', async () => {
      const event = await ok('getEvent', `/api/v1/events/${events.later!.slug}`);
      assert.equal(event.titles.en, 'Later workshop');
      assert.equal(event.descriptions.ar, 'وصف الورشة');
      assert.equal(event.ends_at, '2099-03-02T19:00:00+03:00');
      assert.equal(event.curriculum.slug, 'api-curriculum');
      assert.equal(event.agenda.length, 2);
      const [opening, session] = event.agenda;
      assert.equal(opening.title, 'Opening');
      assert.equal(opening.starts_at, '2099-03-01T10:00:00+03:00');
      assert.equal(opening.session, null);
      assert.equal(session.starts_at, null);
      assert.equal(session.session.titles.en, 'Digital safety basics');
      assert.equal(session.session.titles.fa, 'مبانی امنیت دیجیتال');
      assert.equal(
        session.session.html_url,
        `${t.baseUrl}/en/curricula/api-curriculum/sessions/api-curriculum-safety`,
      );
      assert.equal(event.calendar_url, `${t.baseUrl}/en/events/${events.later!.slug}/calendar.ics`);

      for (const path of [
        '/api/v1/events',
        `/api/v1/events/${events.later!.slug}`,
        `/api/v1/events/${events.sooner!.slug}`,
      ]) {
        const { text } = await json(path);
        for (const secret of personal) assert.ok(!text.includes(secret), `${path}: ${secret}`);
        // No field about people either: not even counts of who registered, only seats.
        const keys = new Set<string>();
        const walk = (value: unknown): void => {
          if (Array.isArray(value)) value.forEach(walk);
          else if (value && typeof value === 'object')
            for (const [k, v] of Object.entries(value)) {
              keys.add(k);
              walk(v);
            }
        };
        walk(JSON.parse(text));
        const personish = [...keys].filter((k) =>
          /participant|registr|trainer|invite|contact|attend|name_enc|online_url|meeting/i.test(k),
        );
        assert.deepEqual(personish, [], path);
      }
      for (const hidden of ['cancelled', 'invite', 'draft'])
        await problem(`/api/v1/events/${events[hidden]!.slug}`, 404);
    });

    it('answers JSON 404 for unknown slugs and paths', async () => {
      await problem('/api/v1/works/no-such-work', 404);
      await problem(`/api/v1/works/${UDHR}/editions/xx`, 404);
      await problem('/api/v1/collections/no-such-collection', 404);
      await problem('/api/v1/events/no-such-event', 404);
      await problem('/api/v1/no-such-thing', 404);
      await problem('/api/v1/works/a/b/c/d', 404);
      const post = await fetch(`${t.baseUrl}/api/v1/works`, { method: 'POST' });
      assert.equal(post.status, 404);
      assert.equal((await post.json()).error.code, 'not_found');
    });

    it('answers JSON 400 with a message for bad parameters', async () => {
      assert.match(await problem('/api/v1/works?per_page=1000', 400), /per_page/);
      assert.match(await problem('/api/v1/works?page=0', 400), /page/);
      assert.match(await problem('/api/v1/works?page=abc', 400), /page/);
      assert.match(await problem('/api/v1/works?type=novel', 400), /type/);
      await problem('/api/v1/works?perpage=5', 400);
      await problem('/api/v1/works/NOT_A_SLUG', 400);
      assert.match(await problem('/api/v1/events?from=notadate', 400), /from/);
      assert.match(await problem('/api/v1/events?to=2026-02-31', 400), /to/);
      assert.match(await problem('/api/v1/events?from=2026-03-02&to=2026-03-01', 400), /from/);
      await problem('/api/v1/events?country=FRA', 400);
      await problem('/api/v1/events?per_page=0', 400);
      await problem('/api/v1?x=1', 400);
    });

    it('answers JSON 400 for addresses the router rejects (bad percent-encoding, long segments)', async () => {
      await problem('/api/v1/works/%E0%A4%A', 400);
      await problem(`/api/v1/events/${'a'.repeat(300)}`, 400);
    });

    it('sends caching, CORS and content-type headers, ETags and 304s, and no cookies', async () => {
      for (const path of ['/api/v1', '/api/v1/works', `/api/v1/events/${events.later!.slug}`]) {
        const first = await get(t.baseUrl, path);
        assert.equal(first.status, 200);
        assert.equal(first.headers.get('content-type'), 'application/json; charset=utf-8');
        assert.equal(first.headers.get('cache-control'), 'public, max-age=60');
        assert.equal(first.headers.get('access-control-allow-origin'), '*');
        assert.equal(first.headers.get('set-cookie'), null);
        const etag = first.headers.get('etag');
        assert.match(etag ?? '', /^W\/"[A-Za-z0-9_-]+"$/);
        assert.equal(first.headers.get('etag'), (await get(t.baseUrl, path)).headers.get('etag'));

        const again = await get(t.baseUrl, path, { 'if-none-match': etag! });
        assert.equal(again.status, 304);
        assert.equal(await again.text(), '');
        assert.equal(again.headers.get('etag'), etag);
        const listed = await get(t.baseUrl, path, {
          'if-none-match': `"other", ${etag!.replace(/^W\//, '')}`,
        });
        assert.equal(listed.status, 304);
        const stale = await get(t.baseUrl, path, { 'if-none-match': 'W/"stale"' });
        assert.equal(stale.status, 200);
      }
      const error = await get(t.baseUrl, '/api/v1/works/nope');
      assert.equal(error.headers.get('access-control-allow-origin'), '*');
      assert.equal(error.headers.get('set-cookie'), null);
      assert.equal(error.headers.get('etag'), null);

      const preflight = await fetch(`${t.baseUrl}/api/v1/works`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://partner.example',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'if-none-match',
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
      assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /GET/);
      assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /If-None-Match/i);
    });

    it('publishes a valid OpenAPI 3.1 document covering every route and every answer', async () => {
      const doc = await ok('openapi', '/api/v1/openapi.json');
      assert.equal(doc.openapi, '3.1.0');
      assert.equal(doc.servers[0].url, t.baseUrl);

      const validator = new Validator();
      const result = await validator.validate(structuredClone(doc));
      assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
      assert.equal(validator.version, '3.1');
      // The validator does reject a broken document (it is not a rubber stamp).
      const broken = structuredClone(doc);
      broken.paths['/api/v1/works'].get.responses = { '200': { content: {} } };
      assert.equal((await new Validator().validate(broken)).valid, false);

      // Every /api/v1 route the application registered is described (HEAD mirrors GET).
      const routes = t.app.routeTable.filter((r) => r.url.startsWith('/api/v1'));
      assert.ok(routes.length >= 10);
      for (const route of routes) {
        assert.ok(['GET', 'HEAD'].includes(route.method), `${route.method} ${route.url}`);
        const path = route.url.replace(/:([A-Za-z_]+)/g, '{$1}');
        assert.ok(doc.paths[path]?.get, `${route.url} is in the OpenAPI document`);
      }
      assert.equal(
        Object.keys(doc.paths).length,
        new Set(routes.map((r) => r.url)).size,
        'and nothing else',
      );
      // Every parameter the document names is one the route accepts, and vice versa.
      const works = doc.paths['/api/v1/works'].get.parameters.map((p: Json) => p.name);
      assert.deepEqual(works.sort(), [
        'If-None-Match',
        'collection',
        'language',
        'page',
        'per_page',
        'topic',
        'type',
      ]);
      const events = doc.paths['/api/v1/events'].get.parameters.map((p: Json) => p.name);
      assert.deepEqual(events.sort(), [
        'If-None-Match',
        'country',
        'from',
        'kind',
        'language',
        'page',
        'per_page',
        'to',
      ]);

      // Every answer seen in these tests matches its documented schema (JSON Schema 2020-12).
      const ajv = new Ajv2020.default({ allErrors: true, strict: true });
      addFormats.default(ajv);
      const byOperation = new Map<string, Json>();
      for (const item of Object.values(doc.paths) as Json[])
        byOperation.set(item.get.operationId, item.get.responses['200'].content);
      const checked = new Set<string>();
      for (const answer of seen) {
        const content = byOperation.get(answer.operationId);
        assert.ok(content, answer.operationId);
        const schema = content['application/json']?.schema;
        if (!schema || schema.contentMediaType) continue; // the document itself
        const validate = ajv.compile(schema);
        assert.ok(
          validate(answer.body),
          `${answer.path}: ${JSON.stringify(validate.errors?.slice(0, 3))}`,
        );
        checked.add(answer.operationId);
      }
      assert.deepEqual([...checked].sort(), [
        'getCollection',
        'getEdition',
        'getEvent',
        'getWork',
        'index',
        'listCollections',
        'listEvents',
        'listWorks',
      ]);
      const error = doc.components.schemas.Error;
      const validateError = ajv.compile(error);
      const { body } = await json('/api/v1/works?page=0');
      assert.ok(validateError(body));
    });
  });
}
