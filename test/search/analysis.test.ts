import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  fold,
  indexTerms,
  queryTerms,
  stem,
  stemLanguagesFor,
  words,
} from '../../src/features/search/analysis.js';
import { CORPUS_DIR } from '../helpers/app.js';

/** The text of a corpus UDHR page, markup removed. */
function udhr(file: string): string {
  return fs.readFileSync(path.join(CORPUS_DIR, 'udhr', file), 'utf8').replace(/<[^>]+>/g, ' ');
}

/** Whether a query finds the text: every query word meets one of the text's terms. */
function finds(query: string, text: string, lang: string, reader = 'en'): boolean {
  const terms = new Set(indexTerms(text, lang).split(' '));
  return queryTerms(query, stemLanguagesFor(query, reader)).every((alts) =>
    alts.some((a) => terms.has(a)),
  );
}

describe('text analysis, script by script, with the corpus', () => {
  it('Arabic: with or without vowel marks, alef and yeh variants, Arabic-Indic digits', () => {
    const text = udhr('arb.html');
    assert.ok(text.includes('الإنسان'));
    assert.ok(finds('الإنسان', text, 'ar'));
    assert.ok(finds('الانسان', text, 'ar'), 'without hamza on the alef');
    assert.ok(finds('الإِنْسَانِ', text, 'ar'), 'with harakat');
    assert.equal(fold('مدرسة'), fold('مدرسه'), 'teh marbuta');
    assert.equal(fold('كتاب'), fold('کتاب'), 'Arabic and Persian kaf');
    assert.equal(fold('١٩٤٨'), '1948');
    assert.equal(fold('ــحــقــوق'), 'حقوق', 'tatweel');
  });

  it('Persian: Arabic keyboard letters, ZWNJ, Persian digits', () => {
    const text = udhr('pes_1.html');
    const word = text.match(
      /[\u0600-\u06ff]*ی[\u0600-\u06ff]*ک[\u0600-\u06ff]*|[\u0600-\u06ff]*ک[\u0600-\u06ff]*ی[\u0600-\u06ff]*/,
    )?.[0];
    assert.ok(word, 'a Persian word with ی and ک');
    const arabicKeyboard = word.replace(/ی/g, 'ي').replace(/ک/g, 'ك');
    assert.ok(finds(arabicKeyboard, text, 'fa'), `${arabicKeyboard} finds ${word}`);
    assert.equal(fold('می‌شود'), fold('میشود'), 'with or without ZWNJ');
    assert.equal(fold('۱۳۲۷'), '1327');
  });

  it('Russian: ё and е meet, and words meet their stems', () => {
    const text = udhr('rus.html');
    assert.ok(finds('человек', text, 'ru'));
    assert.ok(finds('права человека', text, 'ru'));
    assert.equal(fold('Её'), 'ее');
    assert.equal(stem('правами', 'ru'), stem('права', 'ru'));
    assert.ok(finds('декларацию', text, 'ru'), 'another case of the same noun');
  });

  it('Latin scripts: diacritics and case folded, elisions split, stems', () => {
    const fr = udhr('fra.html');
    assert.ok(finds('declaration', fr, 'fr'), 'without the accent');
    assert.ok(finds('DÉCLARATION', fr, 'fr'));
    assert.ok(finds('homme', fr, 'fr'), "l'homme");
    assert.ok(finds('droit', fr, 'fr', 'fr'), 'singular finds plural');
    const vi = udhr('vie.html');
    assert.ok(
      finds('nhan quyen', vi, 'vi') || finds('quyen', vi, 'vi'),
      'Vietnamese without tone marks',
    );
    assert.ok(finds('menschenrechte', udhr('deu_1996.html'), 'de'));
  });

  it('Turkish dotted and dotless i', () => {
    assert.equal(fold('İSTANBUL', 'tr'), 'istanbul');
    assert.equal(fold('ISPARTA', 'tr'), 'isparta');
    assert.equal(fold('KIRMIZI', 'tr'), fold('kırmızı', 'tr'));
    assert.equal(fold('Istanbul', 'en'), fold('İstanbul', 'tr'));
  });

  it('Chinese, Japanese and Thai: words without spaces', () => {
    const zh = udhr('cmn_hans.html');
    assert.ok(words('世界人权宣言', 'zh').length >= 2);
    assert.ok(finds('人权', zh, 'zh'));
    assert.ok(finds('宣言', zh, 'zh'));
    const th = udhr('tha.html');
    assert.ok(finds('สิทธิ', th, 'th'));
    const ja = udhr('jpn.html');
    assert.ok(finds('人権', ja, 'ja'));
  });

  it('Greek, Armenian, Devanagari, Tamil, Georgian and Amharic fold and match', () => {
    assert.equal(fold('Άρθρο'), fold('αρθρο'));
    for (const [file, lang, word] of [
      ['hye.html', 'hy', 'իրավունք'],
      ['hin.html', 'hi', 'अधिकार'],
      ['tam.html', 'ta', 'உரிமை'],
      ['kat.html', 'ka', 'უფლება'],
      ['amh.html', 'am', 'መብት'],
    ] as const) {
      const text = udhr(file);
      assert.ok(text.includes(word), `${file} has ${word}`);
      assert.ok(finds(word, text, lang), `${lang}: ${word}`);
    }
  });
});
