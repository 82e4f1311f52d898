/**
 * The data folder's disk fills up: an upload gets a clean 507 page in the reader's language, with
 * no partial blob and no row; reads go on; once space is freed, uploads work again without a
 * restart. The folder is a small tmpfs mounted in a private mount namespace of an unprivileged
 * user namespace, so no real disk is filled and no privilege is needed.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { CORPUS_DIR, REPO_ROOT } from '../helpers/app.js';
import { cliEntry } from '../helpers/cli.js';
import { seedStaff, StaffClient } from '../helpers/staff.js';
import { upload } from '../helpers/uploads.js';

const unshareWorks =
  spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'true']).status === 0;
const skip =
  !unshareWorks && process.env.CI !== 'true'
    ? 'unshare --user --mount is not permitted here (CI=true makes this a failure)'
    : false;

/** Files of a folder tree, by name. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

describe('a full disk', { skip }, () => {
  let seed: string;
  let mountPoint: string;
  let child: ChildProcess;
  let baseUrl: string;
  let editionId: string;
  let username: string;
  /** DATA_DIR as seen from outside the namespace. */
  let data: string;

  before(async () => {
    seed = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-full-seed-'));
    mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-full-data-'));
    const database = openDatabase(loadConfig({ DATA_DIR: seed }));
    try {
      await migrateToLatest(database);
      const staff = await seedStaff(database.db);
      editionId = staff.a.draftEditionId;
      username = staff.user('a', 'org_admin');
    } finally {
      await database.close();
    }
    // The key file is made by the first start; the database file is closed and checkpointed.
    child = spawn(
      'unshare',
      [
        '--user',
        '--map-root-user',
        '--mount',
        'sh',
        '-c',
        'mount -t tmpfs -o size=8m tmpfs "$DATA_DIR" && cp -a "$SEED_DIR"/. "$DATA_DIR"/ && exec "$@"',
        'sh',
        process.execPath,
        ...cliEntry(),
        'serve',
      ],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          DATA_DIR: mountPoint,
          SEED_DIR: seed,
          PORT: '0',
          SEED_DEMO: 'false',
          RUN_JOBS: 'false',
          LOG_LEVEL: 'silent',
          PAGE_CACHE_SECONDS: '0',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    baseUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const url = /running at (http:\/\/[^\s/]+)/.exec(out)?.[1];
        if (url) resolve(url);
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    // The server's view of DATA_DIR (its tmpfs), reached from outside through /proc.
    data = path.join(`/proc/${child.pid}/root`, mountPoint);
  });
  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(seed, { recursive: true, force: true });
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });

  it('answers an upload with a translated 507, keeps reads, and recovers once space is freed', async () => {
    const client = new StaffClient(baseUrl);
    assert.equal((await client.signIn(username)).response.status, 303);
    await client.get(`/fr/workspace/editions/${editionId}`);
    const pdf = fs.readFileSync(path.join(CORPUS_DIR, 'manuals-pdf/lshort-fr.pdf'));
    const filesBefore = filesUnder(path.join(data, 'blobs'));

    // Fill the disk, leaving a little room so that the database itself can still write.
    const filler = path.join(data, 'filler');
    const fd = fs.openSync(filler, 'w');
    try {
      const chunk = Buffer.alloc(256 * 1024, 1);
      for (;;) fs.writeSync(fd, chunk);
    } catch (error) {
      assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
    } finally {
      fs.closeSync(fd);
    }
    fs.truncateSync(filler, fs.statSync(filler).size - 512 * 1024);

    const { response, html } = await upload(client, editionId, { name: 'manuel.pdf', data: pdf })
      .then((r) => r)
      .catch(() => ({ response: undefined, html: '' }));
    assert.ok(response, 'the server answered (it did not just drop the connection)');
    assert.equal(response.status, 507);
    assert.ok(Number(response.headers.get('retry-after')) > 0);
    assert.match(html, /<html[^>]* lang="en"/);
    assert.ok(html.includes('disk is full'), 'the page says what happened');
    assert.deepEqual(filesUnder(path.join(data, 'blobs')), filesBefore, 'no partial blob');

    // The same in French, from the French form.
    const fr = await fetch(`${baseUrl}/fr/workspace/editions/${editionId}/files`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        origin: baseUrl,
      },
      body: (() => {
        const form = new FormData();
        form.append('_csrf', client.csrf);
        form.append('role', 'original');
        form.append('language', '');
        form.append('file', new Blob([new Uint8Array(pdf)]), 'manuel.pdf');
        return form;
      })(),
    });
    assert.equal(fr.status, 507);
    const frHtml = await fr.text();
    assert.match(frHtml, /<html[^>]* lang="fr"/);
    assert.ok(frHtml.includes('Le disque du serveur est plein'), 'the page is in French');

    // Reads go on.
    assert.equal((await fetch(`${baseUrl}/fr/library`)).status, 200);
    const page = await client.get(`/fr/workspace/editions/${editionId}`);
    assert.equal(page.response.status, 200);
    assert.ok(!page.html.includes('manuel.pdf'), 'no row was written');

    // Space comes back: the next upload works, without a restart.
    fs.rmSync(filler);
    const again = await upload(client, editionId, { name: 'manuel.pdf', data: pdf });
    assert.equal(again.response.status, 303);
    const shown = await client.get(`/fr/workspace/editions/${editionId}`);
    assert.ok(shown.html.includes('manuel.pdf'));
    assert.equal(
      filesUnder(path.join(data, 'blobs')).filter((f) => !f.startsWith('tmp')).length,
      filesBefore.filter((f) => !f.startsWith('tmp')).length + 1,
    );
  });
});
