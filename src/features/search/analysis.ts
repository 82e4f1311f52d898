/**
 * One text analysis for indexing and for queries, so that what a reader types meets what was
 * written: NFKC, case folding (Turkish i correct), Arabic-script folding, ё -> е, Latin and Greek
 * diacritics removed, words found by Intl.Segmenter (Chinese, Japanese, Thai, Khmer, Lao,
 * Burmese have no spaces), and a Snowball stem where a maintained stemmer exists.
 */
import { stemmer as ar } from '@orama/stemmers/arabic';
import { stemmer as da } from '@orama/stemmers/danish';
import { stemmer as de } from '@orama/stemmers/german';
import { stemmer as el } from '@orama/stemmers/greek';
import { stemmer as en } from '@orama/stemmers/english';
import { stemmer as es } from '@orama/stemmers/spanish';
import { stemmer as fi } from '@orama/stemmers/finnish';
import { stemmer as fr } from '@orama/stemmers/french';
import { stemmer as ga } from '@orama/stemmers/irish';
import { stemmer as hu } from '@orama/stemmers/hungarian';
import { stemmer as hy } from '@orama/stemmers/armenian';
import { stemmer as id } from '@orama/stemmers/indonesian';
import { stemmer as it } from '@orama/stemmers/italian';
import { stemmer as lt } from '@orama/stemmers/lithuanian';
import { stemmer as ne } from '@orama/stemmers/nepali';
import { stemmer as nl } from '@orama/stemmers/dutch';
import { stemmer as no } from '@orama/stemmers/norwegian';
import { stemmer as pt } from '@orama/stemmers/portuguese';
import { stemmer as ro } from '@orama/stemmers/romanian';
import { stemmer as ru } from '@orama/stemmers/russian';
import { stemmer as sr } from '@orama/stemmers/serbian';
import { stemmer as sv } from '@orama/stemmers/swedish';
import { stemmer as ta } from '@orama/stemmers/tamil';
import { stemmer as tr } from '@orama/stemmers/turkish';
import { stemmer as uk } from '@orama/stemmers/ukrainian';

type Stemmer = (word: string) => string;

/**
 * Snowball-family stemmers by primary language subtag; other languages are folded only.
 * (@orama/stemmers' Bulgarian one writes into a string and throws in strict mode: left out.)
 */
const STEMMERS: Readonly<Record<string, Stemmer>> = {
  ar,
  da,
  de,
  el,
  en,
  es,
  fi,
  fr,
  ga,
  hu,
  hy,
  id,
  it,
  lt,
  ne,
  nl,
  no,
  nb: no,
  nn: no,
  pt,
  ro,
  ru,
  sr,
  sv,
  ta,
  tr,
  uk,
};

export function primaryLanguage(tag: string | undefined): string {
  return (tag ?? '').split('-')[0]!.toLowerCase();
}

export function hasStemmer(tag: string | undefined): boolean {
  return primaryLanguage(tag) in STEMMERS;
}

// Arabic script: harakat and Quranic marks, superscript alef, tatweel go; letter variants meet.
const ARABIC_MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;
const ARABIC_LETTERS: Readonly<Record<string, string>> = {
  آ: 'ا',
  أ: 'ا',
  إ: 'ا',
  ٱ: 'ا',
  ى: 'ي',
  ی: 'ي',
  ې: 'ي',
  ئ: 'ي',
  ک: 'ك',
  ڪ: 'ك',
  ة: 'ه',
  ۀ: 'ه',
  ە: 'ه',
  ؤ: 'و',
};
const ARABIC_LETTER = new RegExp(`[${Object.keys(ARABIC_LETTERS).join('')}]`, 'g');
// Arabic-Indic (٠-٩) and Persian (۰-۹) digits become ASCII digits.
const EASTERN_DIGIT = /[\u0660-\u0669\u06f0-\u06f9]/g;
// Marks on Latin and Greek letters go (é -> e, ά -> α); Cyrillic keeps й, only ё is folded.
const LATIN_GREEK_MARKS = /([\p{Script=Latin}\p{Script=Greek}])\p{M}+/gu;
const FORMAT_CHARACTERS = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Folds text (or a query) to the form both sides of search compare. */
export function fold(text: string, lang?: string): string {
  const primary = primaryLanguage(lang);
  let s = text.normalize('NFKC');
  // ZWNJ (U+200C) joins Persian word parts: "می‌شود" is typed "میشود" as often.
  s = s.replace(FORMAT_CHARACTERS, '').replace(/\u200c/g, '');
  s = primary === 'tr' || primary === 'az' ? s.toLocaleLowerCase('tr') : s.toLowerCase();
  // Whatever the language, dotless ı meets i: a reader without a Turkish keyboard types i.
  s = s.replace(/ı/g, 'i');
  s = s.replace(ARABIC_MARKS, '').replace(ARABIC_LETTER, (c) => ARABIC_LETTERS[c]!);
  s = s.replace(EASTERN_DIGIT, (d) => String((d.charCodeAt(0) - 0x0660) % 0x90));
  s = s.replace(/ё/g, 'е');
  s = s.normalize('NFD').replace(LATIN_GREEK_MARKS, '$1').normalize('NFC');
  return s;
}

const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(lang: string | undefined): Intl.Segmenter {
  const key = lang ?? 'und';
  let s = segmenters.get(key);
  if (!s) {
    try {
      s = new Intl.Segmenter(key, { granularity: 'word' });
    } catch {
      s = new Intl.Segmenter('und', { granularity: 'word' });
    }
    segmenters.set(key, s);
  }
  return s;
}

const MAX_TOKEN_LENGTH = 64;

/** Pieces of at most about CHUNK characters, cut at line ends or spaces where there are any. */
const CHUNK = 1000;
export function chunks(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > CHUNK) {
      const cut = rest.lastIndexOf(' ', CHUNK);
      const at = cut > CHUNK / 2 ? cut : CHUNK;
      out.push(rest.slice(0, at));
      rest = rest.slice(at);
    }
    out.push(rest);
  }
  return out;
}

/**
 * The folded words of a text, in order. Long texts are segmented piece by piece: iterating
 * Intl.Segmenter over one long string costs time quadratic in its length (a 340,000-character
 * manual took 107 s whole, under a second in pieces).
 */
export function words(text: string, lang?: string): string[] {
  const out: string[] = [];
  const folded = fold(text, lang);
  for (const piece of folded.length > CHUNK ? chunks(folded) : [folded]) {
    collectWords(piece, lang, out);
  }
  return out;
}

function collectWords(text: string, lang: string | undefined, out: string[]) {
  for (const { segment, isWordLike } of segmenter(lang).segment(text)) {
    if (!isWordLike || segment.length > MAX_TOKEN_LENGTH) continue;
    // Elisions (l'homme, dell'uomo) are two words to a reader: each part is a term.
    if (/['’]/.test(segment)) {
      for (const part of segment.split(/['’]+/)) if (part) out.push(part);
    } else {
      out.push(segment);
    }
  }
}

export function stem(word: string, lang: string | undefined): string {
  const stemmer = STEMMERS[primaryLanguage(lang)];
  if (!stemmer) return word;
  try {
    return stemmer(word);
  } catch {
    // A stemmer's bug must not stop an import or a search: the folded word still matches.
    return word;
  }
}

/**
 * The terms to index for a text in `lang`: every folded word, plus its stem where it differs.
 * Joined by spaces, ready for FTS5 and to_tsvector('simple').
 */
export function indexTerms(text: string, lang: string | undefined, maxWords = 200_000): string {
  const out: string[] = [];
  const stems = hasStemmer(lang);
  const list = words(text, lang);
  for (let i = 0; i < list.length && i < maxWords; i++) {
    const word = list[i]!;
    out.push(word);
    if (stems) {
      const s = stem(word, lang);
      if (s !== word && s.length > 0) out.push(s);
    }
  }
  return out.join(' ');
}

/**
 * A query as alternatives per word: the folded word and its stems in the languages it may be in
 * (the reader's, and every stemmed language of the query's script). An edition matches when
 * each word matches one of its alternatives.
 */
export function queryTerms(query: string, languages: readonly string[], maxWords = 8): string[][] {
  const out: string[][] = [];
  for (const word of words(query, languages[0]).slice(0, maxWords)) {
    const alternatives = new Set([word]);
    for (const lang of languages) {
      if (hasStemmer(lang)) alternatives.add(stem(word, lang));
    }
    out.push([...alternatives].filter((a) => a.length > 0));
  }
  return out;
}

/** Languages to try stemming a query in, by the scripts its letters belong to. */
export function stemLanguagesFor(query: string, readerLanguage: string): string[] {
  const langs = new Set<string>([readerLanguage]);
  if (/\p{Script=Latin}/u.test(query))
    for (const l of [
      'en',
      'fr',
      'es',
      'pt',
      'de',
      'it',
      'nl',
      'id',
      'ro',
      'sv',
      'da',
      'no',
      'fi',
      'hu',
      'tr',
      'lt',
      'ga',
    ])
      langs.add(l);
  if (/\p{Script=Cyrillic}/u.test(query)) for (const l of ['ru', 'uk', 'sr']) langs.add(l);
  if (/\p{Script=Arabic}/u.test(query)) langs.add('ar');
  if (/\p{Script=Greek}/u.test(query)) langs.add('el');
  if (/\p{Script=Armenian}/u.test(query)) langs.add('hy');
  if (/\p{Script=Devanagari}/u.test(query)) langs.add('ne');
  if (/\p{Script=Tamil}/u.test(query)) langs.add('ta');
  return [...langs].filter(hasStemmer);
}
