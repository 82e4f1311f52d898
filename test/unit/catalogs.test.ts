import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IntlMessageFormat } from 'intl-messageformat';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Catalogs, LOCALES_DIR, readCatalog } from '../../src/platform/i18n/catalog.js';
import { UI_LANGUAGES } from '../../src/platform/i18n/languages.js';

/** Names of real arguments ({count, plural...} or {page}), not words inside plural branches. */
function argumentsOf(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*(\w+)\s*[,}]/g)].map((m) => m[1]!))].sort();
}

const english = readCatalog('en');

describe('UI catalogues', () => {
  it('every English entry has a translator note', () => {
    for (const entry of english)
      assert.ok(entry.note.length > 10, `${entry.key} needs a translator note`);
  });
  for (const lang of UI_LANGUAGES.filter((l) => l !== 'en')) {
    it(`${lang}: every string is translated, valid ICU, same arguments`, () => {
      const entries = new Map(readCatalog(lang).map((e) => [e.key, e]));
      for (const source of english) {
        const entry = entries.get(source.key);
        assert.ok(entry?.translation, `${lang} lacks ${source.key}`);
        assert.equal(
          entry.source,
          source.source,
          `${lang} ${source.key} translates an outdated English text`,
        );
        assert.deepEqual(
          argumentsOf(entry.translation),
          argumentsOf(source.source),
          `${lang} ${source.key}`,
        );
        const format = new IntlMessageFormat(entry.translation, lang);
        for (const n of [0, 1, 2, 3, 5, 11, 101, 1_000_000]) {
          // Every argument the message names, as a number (plural and number need one).
          const values = Object.fromEntries(argumentsOf(source.source).map((name) => [name, n]));
          const text = format.format(values);
          assert.ok(String(text).length > 0);
        }
      }
    });
  }
  it('Persian uses Persian yeh and kaf', () => {
    for (const entry of readCatalog('fa'))
      assert.doesNotMatch(entry.translation, /[\u064A\u0643]/, entry.key);
  });
  it('formats plurals by CLDR rules', () => {
    const catalogs = new Catalogs();
    assert.equal(catalogs.translate('en', 'work.languageCount', { count: 1 }).text, '1 language');
    assert.equal(
      catalogs.translate('en', 'work.languageCount', { count: 532 }).text,
      '532 languages',
    );
    const ru = (n: number) => catalogs.translate('ru', 'work.languageCount', { count: n }).text;
    assert.notEqual(ru(2), ru(5)); // few vs many
  });
  it('falls back to English, and says so, when a language lacks a string', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-po-'));
    try {
      fs.copyFileSync(path.join(LOCALES_DIR, 'en.po'), path.join(dir, 'en.po'));
      // An Arabic catalogue that translates only the site name.
      fs.writeFileSync(
        path.join(dir, 'ar.po'),
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgctxt "site.name"\nmsgid "Learning Center"\nmsgstr "مركز التعلّم"\n',
      );
      const catalogs = new Catalogs(dir);
      assert.deepEqual(catalogs.translate('ar', 'site.name'), { text: 'مركز التعلّم', lang: 'ar' });
      assert.deepEqual(catalogs.translate('ar', 'nav.library'), { text: 'Library', lang: 'en' });
      // A language with no catalogue at all still works, entirely in English.
      assert.deepEqual(catalogs.translate('ru', 'nav.library'), { text: 'Library', lang: 'en' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('message keys in the code', () => {
  it('all exist in the English catalogue', () => {
    const keys = new Set(english.map((e) => e.key));
    const namespaces = new Set(english.map((e) => e.key.split('.')[0]!));
    const missing: string[] = [];
    const root = fileURLToPath(new URL('../../src', import.meta.url));
    for (const file of fs.readdirSync(root, { recursive: true }) as string[]) {
      if (!/\.tsx?$/.test(file)) continue;
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      // Literal keys: k="a.b", t('a.b'), messageKey: 'a.b', and message keys returned as values.
      for (const m of text.matchAll(
        /(?:k=|t\(|Key: |return |error: |problem = )['"]([a-z]+(?:\.[a-zA-Z-]+)+)['"]/g,
      )) {
        const key = m[1]!;
        if (!namespaces.has(key.split('.')[0]!)) continue; // SQL columns like e.id
        if (!keys.has(key)) missing.push(`${file}: ${key}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
