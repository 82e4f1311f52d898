import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { seedStaff, signedIn, type StaffClient, type StaffFixture } from '../helpers/staff.js';
import {
  cipherFor,
  insertEvent,
  insertInstrument,
  insertRegistration,
  insertResponse,
  markPresent,
} from './fixtures.js';

const EVIL_TITLE = '=HYPERLINK("http://evil.example/?x","Click me")';

/** The text of each <tr> of the report table, tags removed. */
function tableRows(html: string): string[] {
  const table = /<table>([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

async function download(client: StaffClient, path: string) {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return fetch(`${client.baseUrl}${path}`, { redirect: 'manual', headers: { cookie } });
}

for (const dialect of dialects()) {
  describe(`impact reports (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      const db = t.database.db;
      staff = await seedStaff(db);
      const cipher = cipherFor(t.dataDir);
      const instrument = await insertInstrument(db);
      // Organisation a: one two-day workshop in Kenya, 18 participants.
      const a = await insertEvent(db, { organisationId: staff.a.id, title: EVIL_TITLE });
      for (let i = 0; i < 18; i++) {
        const gender = i < 8 ? 'woman' : i < 12 ? 'man' : null;
        const r = await insertRegistration(db, cipher, a, {
          name: `Secret Name ${i}`,
          gender,
          ageBand: '18-24',
        });
        await markPresent(
          db,
          r,
          i % 2 === 0 ? ['day:2025-03-10', 'day:2025-03-11'] : ['day:2025-03-10'],
        );
        // Skills change i % 3 (mean 1), confidence change i % 2 (mean 0.5).
        await insertResponse(db, instrument, r, 'pre', { skills: 2, confidence: 3 });
        await insertResponse(db, instrument, r, 'post', {
          skills: 2 + (i % 3),
          confidence: 3 + (i % 2),
        });
      }
      // Not counted: a waitlisted person, and a cancelled event.
      await insertRegistration(db, cipher, a, { name: 'Waiting', status: 'waitlisted' });
      const cancelled = await insertEvent(db, { organisationId: staff.a.id, title: 'Cancelled' });
      await db
        .updateTable('events')
        .set({ cancelled_at: new Date().toISOString() })
        .where('id', '=', cancelled)
        .execute();
      await insertRegistration(db, cipher, cancelled, { name: 'Nobody' });
      // Organisation b: a festival in Nigeria in 2026, 7 participants.
      const b = await insertEvent(db, {
        organisationId: staff.b.id,
        title: 'Festival B',
        kind: 'festival',
        country: 'NG',
        startsAt: '2026-05-01T08:00:00.000Z',
        endsAt: '2026-05-01T16:00:00.000Z',
      });
      for (let i = 0; i < 7; i++) {
        const r = await insertRegistration(db, cipher, b, { name: `B ${i}`, gender: 'woman' });
        await markPresent(db, r, ['day:2026-05-01']);
      }
    });
    after(() => t.close());

    it('shows the paired change and suppresses a cell of 4 and its complement', async () => {
      const admin = await signedIn(t.baseUrl, staff.user('a', 'org_admin'));
      const { response, html } = await admin.get('/en/workspace/reports?by=gender');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const rows = tableRows(html);
      // Header, Woman, Man, Not said, Total.
      assert.equal(rows.length, 5, rows.join('\n'));
      assert.match(rows[1]!, /^Woman 8 75% 50% /);
      assert.equal(rows[2], 'Man fewer than 5');
      assert.equal(rows[3], 'Not said fewer than 5');
      // Total: 18 people, 27 of 36 slots, 9 completed; skills +1.00 [0.58, 1.42] on 18 pairs,
      // confidence +0.50 [0.24, 0.76] (hand-computed with t(0.975, 17) = 2.1098).
      assert.match(rows[4]!, /^Total 18 75% 50% \+1\.00 \(95% CI \+0\.58 to \+1\.42\); 18 pairs/);
      assert.match(rows[4]!, /\+0\.50 \(95% CI \+0\.24 to \+0\.76\); 18 pairs$/);
      // No names, no other organisation.
      assert.doesNotMatch(html, /Secret Name|Waiting|Nobody/);
      assert.doesNotMatch(html, /Org org-b|Festival B/);
      // The chart: server-side SVG with title and description, left to right in English.
      assert.match(html, /<svg[^>]*role="img"[^>]*direction="ltr"/);
      assert.match(html, /<title id="impact-chart-title">Mean change in skills and confidence/);
      assert.match(html, /<desc id="impact-chart-desc">/);
      assert.match(html, /class="zero"/);
      assert.doesNotMatch(html, /<script/);
    });

    it("shows a partner's admin only her organisation; another's id is a 404", async () => {
      const admin = await signedIn(t.baseUrl, staff.user('a', 'org_admin'));
      const own = await admin.get('/en/workspace/reports?by=organisation');
      const rows = tableRows(own.html);
      assert.equal(rows.length, 3, rows.join('\n'));
      assert.match(rows[1]!, /^Org org-a 18 /);
      assert.match(rows[2]!, /^Total 18 /);
      assert.doesNotMatch(own.html, /Org org-b/);
      const other = await admin.get(`/en/workspace/reports?organisation=${staff.b.id}`);
      assert.equal(other.response.status, 404);
      const bad = await admin.get('/en/workspace/reports?by=names');
      assert.equal(bad.response.status, 400);

      const network = await signedIn(t.baseUrl, staff.user('a', 'network_admin'));
      const all = await network.get('/en/workspace/reports?by=organisation');
      const allRows = tableRows(all.html);
      assert.equal(allRows.length, 4, allRows.join('\n'));
      assert.match(allRows[2]!, /^Org org-b 7 100% 100% fewer than 5 pairs fewer than 5 pairs$/);
      assert.match(allRows[3]!, /^Total 25 /);
      // Filters: the festival kind and the year 2026 select organisation b's event only.
      const festival = tableRows(
        (await network.get('/en/workspace/reports?kind=festival&year=2026&by=country')).html,
      );
      assert.deepEqual(festival.slice(1), [
        'Nigeria 7 100% 100% fewer than 5 pairs fewer than 5 pairs',
        'Total 7 100% 100% fewer than 5 pairs fewer than 5 pairs',
      ]);
    });

    it('draws the chart from the right in Arabic', async () => {
      const admin = await signedIn(t.baseUrl, staff.user('a', 'org_admin'));
      const { html } = await admin.get('/ar/workspace/reports?by=gender');
      const svg = /<svg[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
      assert.match(svg, /direction="rtl"/);
      assert.match(svg, /role="img"/);
      assert.match(svg, /<title id="impact-chart-title">[^<]*[\u0600-\u06ff]/);
      // Row labels sit at the right edge; bars grow leftwards from the zero line.
      const labels = [...svg.matchAll(/<text x="([\d.]+)"[^>]*text-anchor="end">/g)].map((m) =>
        Number(m[1]),
      );
      assert.ok(labels.length > 0 && labels.every((x) => x > 320), labels.join(','));
      const zero = Number(/<line x1="([\d.]+)"[^>]*class="zero"/.exec(svg)?.[1]);
      const en = (await admin.get('/en/workspace/reports?by=gender')).html;
      const zeroEn = Number(/<line x1="([\d.]+)"[^>]*class="zero"/.exec(en)?.[1]);
      assert.equal(zero, 640 - zeroEn);
    });

    it('exports CSV and XLSX safe from formula injection, with the same suppression', async () => {
      const admin = await signedIn(t.baseUrl, staff.user('a', 'org_admin'));
      const csv = await download(admin, '/en/workspace/reports/export.csv?by=gender');
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
      assert.match(
        csv.headers.get('content-disposition') ?? '',
        /^attachment; filename="[^"]+\.csv"$/,
      );
      const bytes = Buffer.from(await csv.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString('utf8');
      assert.ok(text.includes(`"'=HYPERLINK(""http://evil.example/?x"",""Click me"")"`), text);
      for (const line of text.split('\r\n')) {
        for (const field of line.split(',')) assert.doesNotMatch(field, /^"?[=+@-]/, line);
      }
      assert.match(text, /\r\n"Man","fewer than 5",,,,,,,,,,\r\n/);
      assert.match(text, /\r\n"Not said","fewer than 5",/);
      assert.match(text, /\r\n"Total",18,75,50,18,1,0\.582,1\.418,18,0\.5,0\.244,0\.756\r\n/);
      assert.doesNotMatch(text, /Secret Name/);

      const xlsx = await download(admin, '/en/workspace/reports/export.xlsx?by=gender');
      assert.equal(xlsx.status, 200);
      assert.match(
        xlsx.headers.get('content-disposition') ?? '',
        /^attachment; filename="[^"]+\.xlsx"$/,
      );
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
      const values: unknown[] = [];
      book.eachSheet((sheet) =>
        sheet.eachRow((row) =>
          row.eachCell((cell) => {
            assert.notEqual(cell.type, ExcelJS.ValueType.Formula);
            values.push(cell.value);
          }),
        ),
      );
      assert.ok(values.includes(`'${EVIL_TITLE}`));
      for (const v of values) if (typeof v === 'string') assert.doesNotMatch(v, /^[=+@-]/);
      const report = book.worksheets[0]!;
      let man: unknown[] | undefined;
      let total: unknown[] | undefined;
      report.eachRow((row) => {
        const cells = (row.values as unknown[]).slice(1);
        if (cells[0] === 'Man') man = cells;
        if (cells[0] === 'Total') total = cells;
      });
      assert.deepEqual(
        man?.filter((c) => c !== undefined && c !== null),
        ['Man', 'fewer than 5'],
      );
      assert.equal(total?.[1], 18);
      assert.equal(typeof total?.[5], 'number');
    });

    it('limits report builds per person', async () => {
      const trainer = await signedIn(t.baseUrl, staff.user('a', 'trainer'));
      let last = 0;
      for (let i = 0; i < 31; i++) {
        last = (await download(trainer, '/en/workspace/reports/export.csv')).status;
        if (i < 30) assert.equal(last, 200);
      }
      assert.equal(last, 429);
    });
  });
}
