import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { render } from 'preact-render-to-string';
import { Catalogs, LOCALES_DIR } from '../../src/platform/i18n/catalog.js';
import { Msg } from '../../src/platform/views/components.js';
import { PageContext } from '../../src/platform/views/context.js';

describe('an untranslated interface string', () => {
  it('shows in English, marked as English and left-to-right, inside an RTL page', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-po-'));
    try {
      fs.copyFileSync(path.join(LOCALES_DIR, 'en.po'), path.join(dir, 'en.po'));
      fs.copyFileSync(path.join(LOCALES_DIR, 'fa.po'), path.join(dir, 'fa.po'));
      const po = fs.readFileSync(path.join(dir, 'fa.po'), 'utf8');
      // Drop the Persian translation of one string.
      fs.writeFileSync(
        path.join(dir, 'fa.po'),
        po.replace(
          /msgctxt "nav\.library"\nmsgid "Library"\nmsgstr "[^"]*"/,
          'msgctxt "nav.library"\nmsgid "Library"\nmsgstr ""',
        ),
      );
      const ctx = new PageContext('fa', new Catalogs(dir), '/');
      assert.equal(
        render(<Msg ctx={ctx} k="nav.library" />),
        '<span lang="en" dir="ltr">Library</span>',
      );
      assert.equal(render(<Msg ctx={ctx} k="nav.languages" />), 'زبان‌ها');
      assert.equal(ctx.dir, 'rtl');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
