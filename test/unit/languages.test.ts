import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalTag,
  contentFallbackChain,
  directionOf,
  endonymOf,
  tagMatches,
} from '../../src/platform/i18n/languages.js';
import { negotiateUiLanguage } from '../../src/platform/i18n/negotiation.js';

describe('language direction comes from the script', () => {
  for (const tag of [
    'ar',
    'fa',
    'he',
    'ur',
    'ps',
    'yi',
    'ckb',
    'dv',
    'skr',
    'ff-Adlm',
    'nqo',
    'syr',
    'ug-Arab',
    'fa-AF',
  ]) {
    it(`${tag} is right-to-left`, () => assert.equal(directionOf(tag), 'rtl'));
  }
  for (const tag of ['en', 'ru', 'zh', 'hi', 'am', 'th', 'ja', 'az-Latn', 'uz-Cyrl', 'ff-Latn']) {
    it(`${tag} is left-to-right`, () => assert.equal(directionOf(tag), 'ltr'));
  }
  it('a language unknown to CLDR keeps the direction its source declared', () => {
    assert.equal(directionOf('und', 'rtl'), 'rtl');
    assert.equal(directionOf('und-x-udhr1', 'ltr'), 'ltr');
  });
});

describe('language names and tags', () => {
  it('names languages in themselves', () => {
    assert.equal(endonymOf('fa'), 'فارسی');
    assert.equal(endonymOf('ar'), 'العربية');
    assert.equal(endonymOf('ru'), 'русский');
    assert.equal(endonymOf('xyz'), undefined);
  });
  it('canonicalises well-formed tags and rejects the rest', () => {
    assert.equal(canonicalTag('EN-us'), 'en-US');
    assert.equal(canonicalTag('zh-hans'), 'zh-Hans');
    assert.equal(canonicalTag('not a tag'), undefined);
    assert.equal(canonicalTag('../../etc'), undefined);
    assert.equal(canonicalTag(''), undefined);
    assert.equal(canonicalTag('x'.repeat(100)), undefined);
  });
  it('puts the reader language first and English last', () => {
    assert.deepEqual(contentFallbackChain('ar'), ['ar', 'en']);
    assert.deepEqual(contentFallbackChain('fa').at(0), 'fa');
    assert.ok(contentFallbackChain('fa').includes('prs'));
    assert.deepEqual(contentFallbackChain('en'), ['en']);
  });
  it('matches regional and private-use variants of a language', () => {
    assert.ok(tagMatches('es-419', 'es'));
    assert.ok(tagMatches('es-x-spa1', 'es'));
    assert.ok(!tagMatches('est', 'es'));
  });
});

describe('Accept-Language negotiation', () => {
  const cases: [string | undefined, string][] = [
    [undefined, 'en'],
    ['', 'en'],
    ['fa-IR,fa;q=0.9,en;q=0.5', 'fa'],
    ['prs', 'fa'],
    ['de-DE,fr;q=0.8,ar;q=0.9', 'ar'],
    ['ru;q=0, es', 'es'],
    ['*', 'en'],
    ['garbage;;;,q=x', 'en'],
    ['x'.repeat(5000), 'en'],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)?.slice(0, 40)} -> ${expected}`, () =>
      assert.equal(negotiateUiLanguage(header), expected));
  }
});
