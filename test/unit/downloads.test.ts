import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import contentDisposition from 'content-disposition';
import fc from 'fast-check';
import { attachmentHeader, cleanFilename } from '../../src/features/downloads/filename.js';
import { decideRange } from '../../src/features/downloads/range.js';

const ETAG = '"abc"';
const MODIFIED = new Date('2026-01-01T00:00:00Z');

describe('Range decisions', () => {
  it('honours one satisfiable range', () => {
    assert.deepEqual(decideRange(100, 'bytes=0-9', undefined, ETAG, MODIFIED), {
      kind: 'partial',
      start: 0,
      end: 9,
    });
    assert.deepEqual(decideRange(100, 'bytes=-10', undefined, ETAG, MODIFIED), {
      kind: 'partial',
      start: 90,
      end: 99,
    });
    assert.deepEqual(decideRange(100, 'bytes=90-', undefined, ETAG, MODIFIED), {
      kind: 'partial',
      start: 90,
      end: 99,
    });
  });
  it('sends the whole file for many ranges, malformed headers or a stale If-Range', () => {
    const many = `bytes=${Array.from({ length: 500 }, (_, i) => `${i * 2}-${i * 2}`).join(',')}`;
    assert.equal(decideRange(10_000, many, undefined, ETAG, MODIFIED).kind, 'full');
    assert.equal(decideRange(100, 'bytes=0-1,50-60', undefined, ETAG, MODIFIED).kind, 'full');
    assert.equal(decideRange(100, 'lines=1-2', undefined, ETAG, MODIFIED).kind, 'full');
    assert.equal(decideRange(100, 'bytes=abc', undefined, ETAG, MODIFIED).kind, 'full');
    assert.equal(decideRange(100, 'bytes=0-9', '"other"', ETAG, MODIFIED).kind, 'full');
    assert.equal(decideRange(100, 'bytes=0-9', ETAG, ETAG, MODIFIED).kind, 'partial');
    assert.equal(
      decideRange(100, 'bytes=0-9', 'Wed, 01 Jan 2020 00:00:00 GMT', ETAG, MODIFIED).kind,
      'full',
    );
  });
  it('refuses ranges past the end', () => {
    assert.equal(
      decideRange(100, 'bytes=99999999999-', undefined, ETAG, MODIFIED).kind,
      'unsatisfiable',
    );
    assert.equal(
      decideRange(100, 'bytes=100-200', undefined, ETAG, MODIFIED).kind,
      'unsatisfiable',
    );
    assert.equal(decideRange(100, 'bytes=-0', undefined, ETAG, MODIFIED).kind, 'unsatisfiable');
  });
  it('never promises bytes outside the file, whatever the header', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.string({ maxLength: 80 }),
        (size, header) => {
          const d = decideRange(size, `bytes=${header}`, undefined, ETAG, MODIFIED);
          if (d.kind === 'partial') {
            assert.ok(d.start >= 0 && d.end < size && d.start <= d.end);
          }
        },
      ),
    );
  });
});

describe('file names in Content-Disposition', () => {
  it('keeps Arabic and Persian names through filename*', () => {
    for (const name of ['تقرير-ورشة.pdf', 'گزارش.pdf', 'Руководство.epub']) {
      const header = attachmentHeader(name);
      assert.equal(contentDisposition.parse(header).parameters.filename, name);
      assert.match(header, /filename\*=UTF-8''/);
    }
  });
  it('strips bidi controls, CR/LF, quotes and path separators', () => {
    assert.equal(cleanFilename('\u202Efdp.exe'), 'fdp.exe');
    const header = attachmentHeader('a"\r\nSet-Cookie: x=1.pdf');
    assert.doesNotMatch(header, /[\r\n]/);
    assert.equal(contentDisposition.parse(header).type, 'attachment');
    assert.equal(cleanFilename('../../etc/passwd'), 'etcpasswd');
    assert.equal(cleanFilename(''), 'download');
    assert.ok(cleanFilename('x'.repeat(300)).length <= 200);
  });
  it('always yields a header that parses, for any name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (name) => {
        const header = attachmentHeader(name);
        assert.doesNotMatch(header, /[\r\n\u202a-\u202e\u2066-\u2069]/);
        contentDisposition.parse(header);
      }),
    );
  });
});
