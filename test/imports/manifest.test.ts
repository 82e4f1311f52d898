import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importDirectory } from '../../src/features/imports/importer.js';
import {
  ManifestError,
  cleanFilename,
  parseManifest,
} from '../../src/features/imports/manifest.js';
import { dialects } from '../helpers/databases.js';
import { blobFiles, rowCounts, withLibrary, type Library } from './helpers.js';

/**
 * Broken manifests: every problem is reported with its file and line, and nothing is written.
 * Lines that must be reported carry a marker comment `# P: <text the message must contain>`.
 */

const BROKEN = `organisations:
  - { slug: hub, name: Hub, kind: hub }
  - { slug: hub, name: Hub again }                 # P: organisation "hub" is listed twice
  - { slug: p1, name: Partner, country: ZZ }        # P: ISO 3166-1 alpha-2
  - { slug: p2, name: Partner, kind: sponsor }      # P: kind must be one of hub, partner
languages:
  - { tag: fa, direction: sideways }                # P: direction must be one of ltr, rtl
topics:
  - slug: rights
    labels: { fr: Droits }                          # P: must include an English label
works:
  - slug: Bad Slug                                  # P: must be a slug
    type: pamphlet                                  # P: type must be one of manual
    colour: red                                     # P: unknown key "colour"
    publisher: nobody                               # P: unknown organisation "nobody"
    year: 3000                                      # P: year must be a whole number from 1000 to 2100
    topics: [rights, nothing]                       # P: unknown topic "nothing"
    editions:
      - language: en
        title: One
        html: doc.html
      - language: EN                                # P: two editions in language en
        title: Two
        html: doc.html
      - language: not_a_tag                         # P: well-formed BCP 47
        title: Three
        files: [{ path: missing.pdf }]              # P: file not found: "missing.pdf"
      - language: fr
        title: Four
        status: live                                # P: status must be one of draft, in_review, published
        files:
          - { path: ../outside.pdf }                # P: is outside the import folder
          - { path: /etc/hostname }                 # P: is an absolute path
          - { path: link.pdf }                      # P: leads outside the import folder
          - { path: sub }                           # P: is not a regular file
          - { path: doc.xyz }                       # P: unknown file type ".xyz"
          - { path: doc.html, role: poster }        # P: role must be one of original, low, audio, subtitles
          - { path: empty.pdf }                     # P: is empty
          - { path: doc.pdf, language: fr }         # P: language is only for subtitles
      - language: es
        title: ${'x'.repeat(501)}                   # P: title is too long
        html: doc.html
      - language: de                                # P: has neither html nor files
        title: Nothing
collections:
  - slug: c
    titles: { en: C, zz-invalid-tag-!: X }          # P: well-formed BCP 47
    works: [ghost]                                  # P: unknown work "ghost"
  - slug: d
    titles: { fr: D }                               # P: must include an English title
`;

function expectedProblems(text: string): { line: number; text: string }[] {
  return text.split('\n').flatMap((line, i) => {
    const m = /# P: (.*)$/.exec(line);
    return m ? [{ line: i + 1, text: m[1]!.trim() }] : [];
  });
}

interface Folder {
  dir: string;
  outside: string;
}

function makeFolder(files: Record<string, string>): Folder {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-manifest-'));
  const dir = path.join(root, 'library');
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(root, 'outside.pdf'), '%PDF-1.4 outside');
  fs.writeFileSync(path.join(dir, 'doc.html'), '<h1>T</h1><p>Text</p>');
  fs.writeFileSync(path.join(dir, 'doc.pdf'), '%PDF-1.4 inside');
  fs.writeFileSync(path.join(dir, 'doc.xyz'), 'unknown');
  fs.writeFileSync(path.join(dir, 'empty.pdf'), '');
  fs.symlinkSync(path.join(root, 'outside.pdf'), path.join(dir, 'link.pdf'));
  for (const [name, content] of Object.entries(files))
    fs.writeFileSync(path.join(dir, name), content);
  return { dir, outside: root };
}

async function expectNothingWritten(
  library: Library,
  run: () => Promise<unknown>,
): Promise<ManifestError> {
  const rowsBefore = await rowCounts(library.database);
  const blobsBefore = blobFiles(library.blobs);
  const error = await run().then(
    () => assert.fail('the import should have failed'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ManifestError, `expected a ManifestError, got ${String(error)}`);
  assert.deepEqual(await rowCounts(library.database), rowsBefore, 'no rows may change');
  assert.deepEqual(blobFiles(library.blobs), blobsBefore, 'no blob may be written');
  return error;
}

const VALID = `organisations: [{ slug: hub, name: Hub, kind: hub }]
works:
  - slug: first
    type: guide
    publisher: hub
    editions:
      - { language: en, title: First, html: doc.html, files: [{ path: doc.pdf }] }
`;

for (const dialect of dialects()) {
  describe(`manifest validation (${dialect})`, () => {
    let folder: Folder;
    before(() => {
      folder = makeFolder({ 'manifest.yaml': BROKEN });
    });
    after(() => fs.rmSync(folder.outside, { recursive: true, force: true }));

    it('reports every problem with file and line, and writes nothing', async () => {
      await withLibrary(dialect, async (library) => {
        // Something already in the library, so that "nothing written" is not trivially true.
        const seed = makeFolder({ 'manifest.yaml': VALID });
        try {
          await importDirectory(library.database, library.blobs, seed.dir);
        } finally {
          fs.rmSync(seed.outside, { recursive: true, force: true });
        }
        const error = await expectNothingWritten(library, () =>
          importDirectory(library.database, library.blobs, folder.dir),
        );
        const file = path.join(folder.dir, 'manifest.yaml');
        for (const problem of error.problems) assert.equal(problem.file, file);
        const expected = expectedProblems(BROKEN);
        for (const want of expected) {
          const found = error.problems.find(
            (p) => p.line === want.line && p.message.includes(want.text),
          );
          assert.ok(
            found,
            `missing problem on line ${want.line} (“${want.text}”); got:\n${error.message}`,
          );
          assert.ok(
            error.message.includes(`${file}:${want.line}: `),
            'the message lists file:line',
          );
        }
        assert.ok(error.problems.length >= expected.length);
      });
    });

    it('reports a YAML syntax error with its line', async () => {
      await withLibrary(dialect, async (library) => {
        const f = makeFolder({
          'manifest.yaml':
            'works:\n  - slug: a\n    type: guide\n    editions:\n      - language: en\n        title: [unclosed\n        html: doc.html\n',
        });
        try {
          const error = await expectNothingWritten(library, () =>
            importDirectory(library.database, library.blobs, f.dir),
          );
          assert.equal(error.problems.length, 1);
          assert.match(error.problems[0]!.message, /YAML syntax error/);
          assert.ok(error.problems[0]!.line >= 6, `line ${error.problems[0]!.line}`);
        } finally {
          fs.rmSync(f.outside, { recursive: true, force: true });
        }
      });
    });

    it('reads manifest.json and reports JSON lines', async () => {
      await withLibrary(dialect, async (library) => {
        const json = JSON.stringify(
          {
            works: [
              {
                slug: 'a',
                type: 'book',
                editions: [{ language: 'en', title: 'A', html: 'missing.html' }],
              },
            ],
          },
          null,
          2,
        );
        const f = makeFolder({ 'manifest.json': json });
        try {
          const error = await expectNothingWritten(library, () =>
            importDirectory(library.database, library.blobs, f.dir),
          );
          const lines = json.split('\n');
          const typeLine = lines.findIndex((l) => l.includes('"book"')) + 1;
          const htmlLine = lines.findIndex((l) => l.includes('missing.html')) + 1;
          assert.ok(
            error.problems.some(
              (p) => p.line === typeLine && /type must be one of/.test(p.message),
            ),
            error.message,
          );
          assert.ok(
            error.problems.some((p) => p.line === htmlLine && /file not found/.test(p.message)),
            error.message,
          );
          assert.ok(error.problems.every((p) => p.file.endsWith('manifest.json')));
        } finally {
          fs.rmSync(f.outside, { recursive: true, force: true });
        }
      });
    });

    it('refuses HTML that is not UTF-8 before storing any file', async () => {
      await withLibrary(dialect, async (library) => {
        const f = makeFolder({
          'manifest.yaml':
            'works:\n  - slug: a\n    type: guide\n    editions:\n      - language: fa\n        title: الف\n        html: latin1.html\n        files: [{ path: doc.pdf }]\n',
        });
        fs.writeFileSync(
          path.join(f.dir, 'latin1.html'),
          Buffer.from([0x3c, 0x70, 0x3e, 0xe9, 0xe8, 0x3c, 0x2f, 0x70, 0x3e]),
        );
        try {
          const error = await expectNothingWritten(library, () =>
            importDirectory(library.database, library.blobs, f.dir),
          );
          assert.deepEqual(
            error.problems.map((p) => [p.line, p.message]),
            [[7, '"latin1.html" is not valid UTF-8 text']],
          );
        } finally {
          fs.rmSync(f.outside, { recursive: true, force: true });
        }
      });
    });

    it('reports a missing manifest', async () => {
      await withLibrary(dialect, async (library) => {
        const f = makeFolder({});
        try {
          const error = await expectNothingWritten(library, () =>
            importDirectory(library.database, library.blobs, f.dir),
          );
          assert.match(error.message, /no manifest\.yaml or manifest\.yml or manifest\.json/);
        } finally {
          fs.rmSync(f.outside, { recursive: true, force: true });
        }
      });
    });

    it('accepts references to organisations, topics and works already in the library', async () => {
      await withLibrary(dialect, async (library) => {
        const first = makeFolder({
          'manifest.yaml': `${VALID}topics: [{ slug: rights, labels: { en: Rights } }]\n`,
        });
        const second = makeFolder({
          'manifest.yaml':
            'collections: [{ slug: c, titles: { en: C }, works: [first] }]\nworks:\n  - slug: second\n    type: guide\n    publisher: hub\n    topics: [rights]\n    editions: [{ language: en-gb, title: Second, html: doc.html }]\n',
        });
        try {
          await importDirectory(library.database, library.blobs, first.dir);
          const result = await importDirectory(library.database, library.blobs, second.dir);
          assert.equal(result.created, 1);
          const edition = await library.database.db
            .selectFrom('editions')
            .select('language')
            .where('title', '=', 'Second')
            .executeTakeFirstOrThrow();
          assert.equal(edition.language, 'en-GB', 'tags are stored canonical');
        } finally {
          fs.rmSync(first.outside, { recursive: true, force: true });
          fs.rmSync(second.outside, { recursive: true, force: true });
        }
      });
    });
  });
}

describe('manifest helpers', () => {
  it('parses a manifest without touching the database', () => {
    const f = makeFolder({});
    try {
      const manifest = parseManifest(VALID, 'inline.yaml', f.dir);
      assert.equal(manifest.works[0]!.editions[0]!.files[0]!.mediaType, 'application/pdf');
      assert.equal(manifest.works[0]!.editions[0]!.status, 'published');
      assert.equal(manifest.organisations[0]!.kind, 'hub');
    } finally {
      fs.rmSync(f.outside, { recursive: true, force: true });
    }
  });

  it('cleans display file names', () => {
    assert.equal(cleanFilename('../../etc/passwd'), 'passwd');
    assert.equal(cleanFilename('C:\\docs\\report.pdf'), 'report.pdf');
    assert.equal(cleanFilename('\u202egpj.exe'), 'gpj.exe');
    assert.equal(cleanFilename('حقوق\u200f بشر.pdf'), 'حقوق بشر.pdf');
  });
});
