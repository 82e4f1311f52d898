import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkRequest,
  datestamp,
  OaiError,
  parsePairs,
  parseUtc,
} from '../../src/features/oai/arguments.js';
import { decodeToken, encodeToken } from '../../src/features/oai/token.js';
import { esc } from '../../src/features/oai/xml.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof OaiError) return error.code;
    throw error;
  }
  return 'ok';
};

describe('OAI-PMH protocol pieces (no database)', () => {
  it('normalises stored timestamps to UTC seconds', () => {
    assert.equal(datestamp('2024-05-01T10:11:12.345Z'), '2024-05-01T10:11:12Z');
    assert.equal(datestamp('2024-05-01 10:11:12'), '2024-05-01T10:11:12Z');
    assert.equal(datestamp('2024-05-01T12:11:12+02:00'), '2024-05-01T10:11:12Z');
  });

  it('reads from/until in both granularities and rejects the rest', () => {
    assert.deepEqual(parseUtc('2024-02-29', 'from'), {
      granularity: 'day',
      start: '2024-02-29T00:00:00Z',
      end: '2024-02-29T23:59:59Z',
    });
    assert.equal(parseUtc('0050-01-01T00:00:00Z', 'from').start, '0050-01-01T00:00:00Z');
    for (const bad of [
      '2023-02-29',
      '2024-1-01',
      '2024-01-01T24:00:00Z',
      '0000-01-01',
      '2024-01-01Z',
    ]) {
      assert.equal(
        code(() => parseUtc(bad, 'from')),
        'badArgument',
        bad,
      );
    }
  });

  it('keeps repeated arguments apart and decodes forms', () => {
    assert.deepEqual(parsePairs('verb=ListSets&a=1+2&a=%C3%A9&&b'), [
      ['verb', 'ListSets'],
      ['a', '1 2'],
      ['a', 'é'],
      ['b', ''],
    ]);
    assert.equal(
      code(() => checkRequest(parsePairs('verb=Identify&verb=Identify'))),
      'badVerb',
    );
    assert.equal(
      code(() =>
        checkRequest(parsePairs('verb=GetRecord&identifier=a&identifier=a&metadataPrefix=oai_dc')),
      ),
      'badArgument',
    );
  });

  it('round-trips resumption tokens and refuses altered ones', () => {
    const state = {
      verb: 'ListRecords' as const,
      metadataPrefix: 'oai_dc',
      from: '2024-01-01',
      until: '2024-12-31',
      set: 'language:ar',
      after: ['2024-05-01T10:11:12Z', 'abc'] as [string, string],
    };
    const token = encodeToken(state);
    assert.match(token, /^[A-Za-z0-9_.-]+$/);
    assert.deepEqual(decodeToken(token, 'ListRecords'), state);
    assert.equal(
      code(() => decodeToken(token, 'ListIdentifiers')),
      'badResumptionToken',
    );
    assert.equal(
      code(() =>
        decodeToken(
          token.replace(/^./, (c) => (c === 'W' ? 'X' : 'W')),
          'ListRecords',
        ),
      ),
      'badResumptionToken',
    );
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    assert.equal(
      esc('a & <b> "c" \'d\'\u0001\uFFFE\uD800 😀'),
      'a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos; 😀',
    );
  });
});
