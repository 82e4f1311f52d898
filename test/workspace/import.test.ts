import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import yazl from 'yazl';
import { buildTestApp, CORPUS_DIR, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import {
  seedStaff,
  signedIn,
  tableCounts,
  type StaffClient,
  type StaffFixture,
} from '../helpers/staff.js';

const PDF = fs.readFileSync(path.join(CORPUS_DIR, 'manuals-pdf/lshort-en.pdf'));

type Entry = { name: string; data: Buffer | string; mode?: number; store?: boolean };

/** A ZIP made in memory; `rename` rewrites names afterwards (yazl refuses unsafe ones). */
async function zip(entries: Entry[], rename: [string, string][] = []): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const e of entries) {
    z.addBuffer(Buffer.from(e.data), e.name, { mode: e.mode ?? 0o100644, compress: !e.store });
  }
  z.end();
  const chunks: Buffer[] = [];
  for await (const chunk of z.outputStream) chunks.push(chunk as Buffer);
  let out = Buffer.concat(chunks);
  for (const [from, to] of rename) {
    assert.equal(from.length, to.length);
    out = Buffer.from(out.toString('latin1').split(from).join(to), 'latin1');
  }
  return out;
}

function manifest(publisher: string, extra = ''): string {
  return `works:
  - slug: imported-toolkit
    type: toolkit
    publisher: ${publisher}
    original_language: en
    editions:
      - language: en
        title: Imported toolkit
        files:
          - path: toolkit.pdf
${extra}`;
}

async function postZip(client: StaffClient, data: Buffer, name = 'bundle.zip') {
  const form = new FormData();
  form.append('_csrf', client.csrf);
  form.append('file', new Blob([new Uint8Array(data)], { type: 'application/zip' }), name);
  const response = await fetch(`${client.baseUrl}/en/workspace/import`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      origin: client.baseUrl,
    },
    body: form,
  });
  const html = await response.text();
  return { response, html, error: /<p class="error"[^>]*>([^<]*)/.exec(html)?.[1] ?? '' };
}

for (const dialect of dialects()) {
  describe(`bulk import from the workspace (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    let editor: StaffClient;

    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
      staff = await seedStaff(t.database.db);
      editor = await signedIn(t.baseUrl, staff.user('a', 'editor'));
      await editor.get('/en/workspace/import');
    });
    after(() => t.close());

    it('imports a ZIP of a folder with a manifest, and again without changes', async () => {
      const data = await zip([
        { name: 'toolkit/manifest.yaml', data: manifest('org-a') },
        { name: 'toolkit/toolkit.pdf', data: PDF },
      ]);
      const first = await postZip(editor, data);
      assert.equal(first.response.status, 200, first.error);
      assert.match(first.html, /Imported 1 work and 1 edition: 1 new, 0 updated, 0 unchanged/);
      const again = await postZip(editor, data);
      assert.match(again.html, /0 new, 0 updated, 1 unchanged/);
      const work = await t.database.db
        .selectFrom('works')
        .select('publisher_id')
        .where('slug', '=', 'imported-toolkit')
        .executeTakeFirstOrThrow();
      assert.equal(work.publisher_id, staff.a.id);
    });

    it('reports every problem by line, and imports nothing', async () => {
      const counts = await tableCounts(t.database.db);
      const broken = `${manifest('org-b')}  - slug: Bad Slug
    type: nonsense
    editions: []
`;
      const { response, html } = await postZip(
        editor,
        await zip([{ name: 'manifest.yaml', data: broken }]),
      );
      assert.equal(response.status, 400);
      assert.match(html, /The manifest has \d+ problems/);
      const lines = [...html.matchAll(/data-line="(\d+)"/g)].map((m) => Number(m[1]));
      assert.ok(lines.includes(11), `line 11 (the bad work) is reported: ${lines.join(',')}`);
      assert.deepEqual(await tableCounts(t.database.db), counts);
    });

    it("refuses works of another organisation, or shared lists, from a partner's editor", async () => {
      const counts = await tableCounts(t.database.db);
      const other = await postZip(
        editor,
        await zip([
          { name: 'manifest.yaml', data: manifest('org-b') },
          { name: 'toolkit.pdf', data: PDF },
        ]),
      );
      assert.equal(other.response.status, 400);
      assert.match(other.html, /its publisher must be one of your organisations/);
      const topics = await postZip(
        editor,
        await zip([
          {
            name: 'manifest.yaml',
            data: `topics:\n  - slug: hijack\n    labels: { en: Hijack }\n${manifest('org-a')}`,
          },
          { name: 'toolkit.pdf', data: PDF },
        ]),
      );
      assert.equal(topics.response.status, 400);
      assert.match(topics.html, /only network administrators may import topics/);
      assert.deepEqual(await tableCounts(t.database.db), counts);
    });

    it('refuses zip bombs, zip slip, links, too many entries and non-ZIPs, writing nothing', async () => {
      const blobsBefore = fs.readdirSync(t.blobs.root, { recursive: true }).length;
      const counts = await tableCounts(t.database.db);
      const importDirs = () =>
        fs.readdirSync(path.join(t.blobs.root, 'tmp')).filter((n) => n.startsWith('zip-')).length;
      const tmpBefore = importDirs();
      const cases: [string, Buffer, RegExp][] = [
        [
          'a bomb',
          await zip([
            { name: 'manifest.yaml', data: 'works: []' },
            { name: 'zeros.bin', data: Buffer.alloc(64 * 1024 * 1024) },
          ]),
          /zip bomb/,
        ],
        [
          'zip slip',
          await zip(
            [{ name: 'zz/zz/evil.txt', data: 'x' }],
            [['zz/zz/evil.txt', '../../evil.txt']],
          ),
          /outside its folder/,
        ],
        [
          'absolute name',
          await zip([{ name: 'zetc/passwd', data: 'x' }], [['zetc/passwd', '/etc/passwd']]),
          /outside its folder/,
        ],
        [
          'a link',
          await zip([{ name: 'manifest.yaml', data: '/etc/passwd', mode: 0o120777 }]),
          /link/,
        ],
        [
          'too many entries',
          await zip(
            Array.from({ length: 10_001 }, (_, i) => ({
              name: `f${i}.txt`,
              data: '',
              store: true,
            })),
          ),
          /too many files/,
        ],
        ['not a ZIP', Buffer.from('%PDF-1.4 not a zip'), /cannot be read/],
      ];
      for (const [name, data, message] of cases) {
        const { response, error } = await postZip(editor, data);
        assert.equal(response.status, 400, name);
        assert.match(error, message, name);
      }
      assert.match((await postZip(editor, PDF, 'manual.pdf')).error, /Upload a \.zip file/);
      assert.equal(fs.readdirSync(t.blobs.root, { recursive: true }).length, blobsBefore);
      assert.deepEqual(await tableCounts(t.database.db), counts);
      assert.equal(fs.existsSync(path.resolve(t.dataDir, '..', 'evil.txt')), false);
      assert.equal(importDirs(), tmpBefore, 'every extraction folder removed');
    });

    it('is not offered to translators and trainers', async () => {
      for (const role of ['translator', 'trainer'] as const) {
        const client = await signedIn(t.baseUrl, staff.user('a', role));
        assert.equal((await client.get('/en/workspace/import')).response.status, 403);
      }
    });
  });
}
