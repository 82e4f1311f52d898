/**
 * Another process holds SQLite's write lock (a CLI import, a backup, an operator's sqlite3): each
 * write waits busy_timeout, then gets a 503 with Retry-After in the reader's language, never the
 * words "database is locked"; once the lock goes, writes succeed again without a restart.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { SQLITE_FILE_NAME } from '../../src/platform/db/database.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { StaffClient } from '../helpers/staff.js';

const BUSY_TIMEOUT_MS = 150;

describe('a locked SQLite database', () => {
  let t: TestApp;
  let outsider: SQLite.Database;
  before(async () => {
    t = await buildTestApp('sqlite', {
      library: 'empty',
      env: { BUSY_TIMEOUT_MS: String(BUSY_TIMEOUT_MS) },
    });
    const nativeBinding = process.env.BETTER_SQLITE3_BINDING;
    outsider = new SQLite(
      path.join(t.dataDir, SQLITE_FILE_NAME),
      nativeBinding ? { nativeBinding } : {},
    );
  });
  after(async () => {
    if (outsider.inTransaction) outsider.exec('rollback');
    outsider.close();
    await t.close();
  });

  it('answers writes with a translated 503 and Retry-After, and recovers when the lock goes', async () => {
    const browsers = Array.from({ length: 20 }, () => new StaffClient(t.baseUrl));
    for (const browser of browsers) await browser.get('/fr/login');
    const attempt = (browser: StaffClient, i: number) =>
      browser.post('/fr/login', {
        username: `nobody-${i}`,
        password: 'wrong',
        next: '/fr/workspace',
      });

    outsider.exec('begin immediate');
    const started = Date.now();
    const answers = await Promise.all(browsers.map(attempt));
    const waited = Date.now() - started;
    for (const { response, html } of answers) {
      assert.equal(response.status, 503);
      assert.ok(Number(response.headers.get('retry-after')) > 0);
      assert.match(html, /<html[^>]* lang="fr"/);
      assert.ok(html.includes('Indisponible pour le moment'), 'the page is in French');
      assert.ok(!/locked|SQLITE|busy/i.test(html), 'no database wording reaches the reader');
    }
    // Each waited busy_timeout (better-sqlite3 waits synchronously, one request after another).
    assert.ok(waited >= answers.length * BUSY_TIMEOUT_MS * 0.9, `waited ${waited} ms`);
    // Reads do not need the write lock (WAL): the library stays readable meanwhile.
    assert.equal((await fetch(`${t.baseUrl}/fr/library`)).status, 200);

    outsider.exec('commit');
    const after = await Promise.all(browsers.slice(0, 5).map(attempt));
    for (const { response } of after) assert.equal(response.status, 401, 'a wrong password again');
  });
});
