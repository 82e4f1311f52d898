/**
 * SIGTERM during downloads and uploads: the server stops accepting, lets what is in flight finish
 * within the grace period and cuts the rest so that the client sees an error (never a short body
 * passed off as complete), leaves no job claimed, checkpoints the WAL and exits 0.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.js';
import { openDatabase, SQLITE_FILE_NAME } from '../../src/platform/db/database.js';
import { CORPUS_DIR, REPO_ROOT } from '../helpers/app.js';
import { cliEntry, runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { PASSWORD, StaffClient } from '../helpers/staff.js';

const GRACE_SECONDS = 5;
const PADDING = 24 * 1024 * 1024;

function env(db: TestDatabase): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATA_DIR: db.dataDir,
    PORT: '0',
    SEED_DEMO: 'false',
    RUN_JOBS: 'true',
    LOG_LEVEL: 'warn',
    SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
  };
}

function cli(db: TestDatabase, args: string[], input?: string) {
  const result = runCli(args, env(db) as Record<string, string>, input);
  assert.equal(result.status, 0, result.stderr);
}

interface Outcome {
  status?: number;
  declared?: number;
  received: number;
  error?: string;
}

/** A download read at the pace `pace` sets (called after each chunk with the bytes so far). */
function download(
  url: string,
  pace: (received: number, response: http.IncomingMessage) => void,
): { answered: Promise<void>; done: Promise<Outcome> } {
  let answered!: () => void;
  const headers = new Promise<void>((resolve) => (answered = resolve));
  const done = new Promise<Outcome>((resolve) => {
    const outcome: Outcome = { received: 0 };
    const request = http.get(url, { agent: false }, (response) => {
      answered();
      outcome.status = response.statusCode;
      outcome.declared = Number(response.headers['content-length']);
      response.on('data', (chunk: Buffer) => {
        outcome.received += chunk.length;
        pace(outcome.received, response);
      });
      // Node reports a body cut short of its Content-Length as 'aborted' + an error.
      response.on('error', (e) => (outcome.error ??= e.message));
      response.on('aborted', () => (outcome.error ??= 'aborted'));
      response.on('close', () => resolve(outcome));
    });
    request.on('error', (e) => {
      outcome.error ??= e.message;
      answered();
      resolve(outcome);
    });
  });
  return { answered: headers, done };
}

/** A multipart upload sent in pieces over about `ms` milliseconds. */
async function slowUpload(
  client: StaffClient,
  editionId: string,
  data: Buffer,
  ms: number,
): Promise<{ status?: number; error?: string }> {
  const boundary = `----lcshutdown${Math.random().toString(16).slice(2)}`;
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body = Buffer.concat([
    Buffer.from(
      field('_csrf', client.csrf) +
        field('role', 'original') +
        field('language', '') +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="extra.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const pieces = 10;
  const size = Math.ceil(body.length / pieces);
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (let i = 0; i < body.length; i += size) {
        controller.enqueue(new Uint8Array(body.subarray(i, i + size)));
        await new Promise((r) => setTimeout(r, ms / pieces));
      }
      controller.close();
    },
  });
  try {
    const response = await fetch(`${client.baseUrl}/en/workspace/editions/${editionId}/files`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        origin: client.baseUrl,
      },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await response.arrayBuffer();
    return { status: response.status };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('graceful shutdown on SIGTERM', () => {
  let db: TestDatabase;
  let source: string;
  let editionId: string;
  let child: ChildProcess;
  let baseUrl: string;
  let stdout = '';

  before(async () => {
    db = await createTestDatabase('sqlite');
    source = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-shutdown-src-'));
    // A real PDF padded after its end: big enough that kernel buffers cannot hide a slow reader.
    fs.writeFileSync(
      path.join(source, 'big.pdf'),
      Buffer.concat([
        fs.readFileSync(path.join(CORPUS_DIR, 'manuals-pdf/lshort-en.pdf')),
        Buffer.alloc(PADDING, 0x20),
      ]),
    );
    fs.writeFileSync(
      path.join(source, 'manifest.yaml'),
      `organisations:
  - { slug: shut-org, name: Shutdown test, kind: partner }
works:
  - slug: big-manual
    type: manual
    publisher: shut-org
    original_language: en
    editions:
      - language: en
        title: Big manual
        files: [{ path: big.pdf }]
`,
    );
    cli(db, ['migrate']);
    cli(db, ['import', source]);
    cli(
      db,
      ['user', 'add', 'shut-admin', '--org', 'shut-org', '--role', 'org_admin', '--password-stdin'],
      PASSWORD,
    );
    const database = openDatabase(loadConfig(env(db)));
    try {
      const row = await database.db
        .selectFrom('editions')
        .innerJoin('works', 'works.id', 'editions.work_id')
        .select('editions.id')
        .where('works.slug', '=', 'big-manual')
        .executeTakeFirstOrThrow();
      editionId = row.id;
    } finally {
      await database.close();
    }
    child = spawn(process.execPath, [...cliEntry(), 'serve'], {
      cwd: REPO_ROOT,
      env: env(db),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    baseUrl = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const url = /running at (http:\/\/[^\s/]+)/.exec(stdout)?.[1];
        if (url) resolve(url);
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
  });
  after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(source, { recursive: true, force: true });
    await db.cleanup();
  });

  it('finishes or cleanly cuts what is in flight, releases jobs, checkpoints the WAL, exits 0', async (t) => {
    const page = await (await fetch(`${baseUrl}/en/works/big-manual/en`)).text();
    const href = /href="(\/download\/[^"]+)"/.exec(page)?.[1];
    assert.ok(href, 'the work page links its file');
    const client = new StaffClient(baseUrl);
    assert.equal((await client.signIn('shut-admin')).response.status, 303);
    await client.get(`/en/workspace/editions/${editionId}`);
    const extra = fs.readFileSync(path.join(CORPUS_DIR, 'manuals-pdf/lshort-fr.pdf'));

    let signalled = false;
    let serverGone = false;
    // Readers that pause until the signal, then read at full speed: in flight, done within grace.
    const fast = Array.from({ length: 5 }, () =>
      download(`${baseUrl}${href}`, (_received, response) => {
        if (!signalled) {
          response.pause();
          const wait = setInterval(() => {
            if (signalled) {
              clearInterval(wait);
              response.resume();
            }
          }, 50);
        }
      }),
    );
    // Readers far too slow to finish within the grace period: they must see an error.
    const slow = Array.from({ length: 5 }, () =>
      download(`${baseUrl}${href}`, (_received, response) => {
        // Once the server is gone, read what the kernel still holds at once, up to the error.
        if (serverGone) return;
        response.pause();
        setTimeout(() => response.resume(), 200);
      }),
    );
    const uploads = Array.from({ length: 3 }, () => slowUpload(client, editionId, extra, 2000));
    // Every download answered and every upload's headers read: all of them are in flight.
    await Promise.all([...fast, ...slow].map((d) => d.answered));
    await new Promise((r) => setTimeout(r, 300));

    const started = Date.now();
    let exitSeconds = 0;
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        exitSeconds = (Date.now() - started) / 1000;
        serverGone = true;
        resolve(code);
      }),
    );
    child.kill('SIGTERM');
    signalled = true;
    await new Promise((r) => setTimeout(r, 300));
    // No new connections once shutdown has begun.
    await assert.rejects(fetch(`${baseUrl}/healthz`));

    const [fastOutcomes, slowOutcomes, uploadOutcomes, code] = await Promise.all([
      Promise.all(fast.map((d) => d.done)),
      Promise.all(slow.map((d) => d.done)),
      Promise.all(uploads),
      exited,
    ]);
    assert.equal(code, 0, stdout);
    assert.ok(exitSeconds < GRACE_SECONDS + 5, `shutdown took ${exitSeconds} s`);
    assert.match(stdout, /Stopped cleanly/);
    t.diagnostic(`exited ${exitSeconds} s after SIGTERM (grace ${GRACE_SECONDS} s)`);

    for (const o of [...fastOutcomes, ...slowOutcomes]) {
      assert.equal(o.status, 200);
      // Never a short body that looks complete: either all of it, or an error.
      if (o.error === undefined) assert.equal(o.received, o.declared, JSON.stringify(o));
      else assert.ok(o.received < o.declared!, JSON.stringify(o));
    }
    for (const o of fastOutcomes) assert.equal(o.error, undefined, 'in flight and finished');
    for (const o of slowOutcomes) assert.ok(o.error, 'cut off at the end of the grace period');
    for (const o of uploadOutcomes) assert.equal(o.status, 303, JSON.stringify(o));

    const wal = path.join(db.dataDir, `${SQLITE_FILE_NAME}-wal`);
    assert.ok(!fs.existsSync(wal) || fs.statSync(wal).size === 0, 'the WAL was checkpointed');

    const database = openDatabase(loadConfig(env(db)));
    try {
      const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
        database.db,
      );
      assert.equal(check.rows[0]?.integrity_check, 'ok');
      const running = await database.db
        .selectFrom('jobs')
        .select('id')
        .where('state', '=', 'running')
        .execute();
      assert.deepEqual(running, [], 'no job left claimed by the stopped instance');
      const files = await database.db
        .selectFrom('edition_files')
        .select('blob_sha256')
        .where('edition_id', '=', editionId)
        .execute();
      assert.equal(files.length, 1 + uploadOutcomes.length);
      for (const { blob_sha256 } of files) {
        const file = path.join(
          db.dataDir,
          'blobs',
          blob_sha256.slice(0, 2),
          blob_sha256.slice(2, 4),
          blob_sha256,
        );
        assert.ok(fs.existsSync(file), `blob ${blob_sha256} is in place`);
      }
    } finally {
      await database.close();
    }
  });
});
