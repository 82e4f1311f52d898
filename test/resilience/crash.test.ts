/**
 * kill -9 during uploads and imports: after a restart the database is consistent, every file row
 * has its blob, every blob has its row, and nothing is left in the temporary folders.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import yazl from 'yazl';
import { openDatabase } from '../../src/platform/db/database.js';
import { LocalBlobStore } from '../../src/platform/storage/blob-store.js';
import { sweepBlobStore } from '../../src/server.js';
import { loadConfig } from '../../src/config.js';
import { CORPUS_DIR, REPO_ROOT } from '../helpers/app.js';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/databases.js';
import { PASSWORD, StaffClient } from '../helpers/staff.js';
import { cliEntry, runCli } from '../helpers/cli.js';

function env(db: TestDatabase, port = 0): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATA_DIR: db.dataDir,
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
    PORT: String(port),
    SEED_DEMO: 'false',
    RUN_JOBS: 'false',
    LOG_LEVEL: 'warn',
  };
}

function cli(db: TestDatabase, args: string[], input?: string) {
  const result = runCli(args, env(db) as Record<string, string>, input);
  assert.equal(result.status, 0, result.stderr);
}

async function start(db: TestDatabase): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, [...cliEntry(), 'serve'], {
    cwd: REPO_ROOT,
    env: env(db),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /running at (http:\/\/[^\s/]+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, baseUrl };
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Sends `body` slowly enough that the kill lands in the middle; errors are expected. */
async function slowPost(url: string, headers: Record<string, string>, body: Buffer): Promise<void> {
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (let i = 0; i < body.length; i += 256 * 1024) {
        controller.enqueue(new Uint8Array(body.subarray(i, i + 256 * 1024)));
        await new Promise((r) => setTimeout(r, 20));
      }
      controller.close();
    },
  });
  await fetch(url, { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit).catch(
    () => {},
  );
}

function multipart(csrf: string, name: string, data: Buffer): { body: Buffer; type: string } {
  const boundary = `----lc${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return {
    body: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

async function corpusZip(): Promise<Buffer> {
  const z = new yazl.ZipFile();
  z.addBuffer(
    Buffer.from(`works:
  - slug: crash-test
    type: manual
    publisher: crash-org
    editions:
${['en', 'es', 'fr', 'ru', 'fa'].map((l) => `      - language: ${l}\n        title: Manual ${l}\n        files:\n          - path: lshort-${l}.pdf\n`).join('')}`),
    'manifest.yaml',
  );
  for (const l of ['en', 'es', 'fr', 'ru', 'fa']) {
    z.addFile(path.join(CORPUS_DIR, `manuals-pdf/lshort-${l}.pdf`), `lshort-${l}.pdf`);
  }
  z.end();
  const chunks: Buffer[] = [];
  for await (const c of z.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Every file row has its blob on disk and every blob on disk has its row; tmp/ is swept. */
async function assertConsistent(db: TestDatabase) {
  const database = openDatabase(loadConfig(env(db)));
  try {
    if (database.dialect === 'sqlite') {
      const { sql } = await import('kysely');
      const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
        database.db,
      );
      assert.equal(check.rows[0]?.integrity_check, 'ok');
      const fk = await sql`pragma foreign_key_check`.execute(database.db);
      assert.deepEqual(fk.rows, []);
    }
    const rows = new Set(
      (await database.db.selectFrom('blobs').select('sha256').execute()).map((r) => r.sha256),
    );
    const blobsDir = path.join(db.dataDir, 'blobs');
    const onDisk = fs
      .readdirSync(blobsDir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && !path.relative(blobsDir, d.parentPath).startsWith('tmp'))
      .map((d) => d.name);
    for (const sha of rows) assert.ok(onDisk.includes(sha), `row without blob ${sha}`);
    for (const sha of onDisk) assert.ok(rows.has(sha), `orphan blob ${sha}`);
    const left = fs.readdirSync(path.join(blobsDir, 'tmp'));
    if (database.dialect === 'sqlite') {
      assert.deepEqual(left, [], 'tmp/ swept at boot');
    } else {
      // Several instances share the store: a fresh staged or partial file may be another's
      // upload or import in flight, so at boot only those a minute old go; the periodic sweep
      // takes the rest once they have settled. Run that sweep now as if the minute had passed:
      // every staged blob is then committed or discarded, and nothing is left.
      await sweepBlobStore(database, new LocalBlobStore(db.dataDir), 0);
      assert.deepEqual(fs.readdirSync(path.join(blobsDir, 'tmp')), [], 'tmp/ swept once settled');
      const rowsAfter = (await database.db.selectFrom('blobs').select('sha256').execute()).map(
        (r) => r.sha256,
      );
      const onDiskAfter = fs
        .readdirSync(blobsDir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile() && !path.relative(blobsDir, d.parentPath).startsWith('tmp'))
        .map((d) => d.name);
      assert.deepEqual(new Set(onDiskAfter), new Set(rowsAfter), 'every blob has its row');
    }
  } finally {
    await database.close();
  }
}

for (const dialect of dialects()) {
  describe(`kill -9 during uploads and imports (${dialect})`, () => {
    let db: TestDatabase;
    let zip: Buffer;

    before(async () => {
      db = await createTestDatabase(dialect);
      cli(db, ['migrate']);
      cli(db, ['org', 'add', 'crash-org', '--name', 'Crash test']);
      cli(
        db,
        [
          'user',
          'add',
          'crash-admin',
          '--org',
          'crash-org',
          '--role',
          'org_admin',
          '--password-stdin',
        ],
        PASSWORD,
      );
      zip = await corpusZip();
    });
    after(() => db.cleanup());

    for (const delayMs of [150, 400, 900]) {
      it(`leaves no half-written record or orphan file when killed after ${delayMs} ms`, async () => {
        const { child, baseUrl } = await start(db);
        const client = new StaffClient(baseUrl);
        assert.equal((await client.signIn('crash-admin')).response.status, 303);
        await client.get('/en/workspace/import');
        const form = multipart(client.csrf, 'bundle.zip', zip);
        const headers = {
          'content-type': form.type,
          cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          origin: baseUrl,
        };
        const sending = slowPost(`${baseUrl}/en/workspace/import`, headers, form.body);
        await new Promise((r) => setTimeout(r, delayMs));
        await kill9(child);
        await sending;
        // Restarting runs the boot sweep; then the state must be whole.
        const restarted = await start(db);
        await new Promise((r) => setTimeout(r, 200));
        await kill9(restarted.child);
        await assertConsistent(db);
      });
    }

    it('still imports completely after the crashes', async () => {
      const { child, baseUrl } = await start(db);
      try {
        const client = new StaffClient(baseUrl);
        await client.signIn('crash-admin');
        await client.get('/en/workspace/import');
        const form = multipart(client.csrf, 'bundle.zip', zip);
        const response = await fetch(`${baseUrl}/en/workspace/import`, {
          method: 'POST',
          headers: {
            'content-type': form.type,
            cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            origin: baseUrl,
          },
          body: new Uint8Array(form.body),
        });
        assert.equal(response.status, 200);
        assert.match(await response.text(), /5 editions/);
      } finally {
        await kill9(child);
      }
      await assertConsistent(db);
    });
  });
}
