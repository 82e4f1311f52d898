/**
 * Two instances behind the shipped nginx configuration, on one PostgreSQL database and one S3
 * bucket (OpenStack Swift), with nothing shared on disk and no stickiness: a signed-in person's
 * session, form tokens and rate limits hold whichever instance answers; a resumable upload
 * started on one instance is finished on the other; 200 concurrent readers for 60 s see no
 * error while one instance is killed with -9 and restarted; a job whose instance died is taken
 * over by the survivor once its lease lapses. Part of `npm run test:resilience`.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { CORPUS_DIR, CORPUS_MANIFEST, REPO_ROOT } from '../helpers/app.js';
import { runLoad, startCluster, type Cluster } from '../helpers/cluster.js';
import { PASSWORD, StaffClient } from '../helpers/staff.js';

const LOAD_SECONDS = Number(process.env.RESILIENCE_LOAD_SECONDS ?? 60);
const CONNECTIONS = 200;
const LEASE_SECONDS = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** PIDs of the processes whose parent is `pid`, with their command names. */
function childrenOf(pid: number): { pid: number; comm: string }[] {
  const out = spawnSync('ps', ['-o', 'pid=,comm=', '--ppid', String(pid)], { encoding: 'utf8' });
  return out.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [p, comm] = line.trim().split(/\s+/);
      return { pid: Number(p), comm: comm ?? '' };
    });
}

describe('two instances behind nginx on PostgreSQL and S3', { timeout: 240_000 }, () => {
  let cluster: Cluster;
  let db: pg.Client;

  before(async () => {
    execFileSync('bash', [path.join(REPO_ROOT, 'scripts/ensure-s3.sh')], { stdio: 'inherit' });
    cluster = await startCluster({
      instances: 2,
      storage: 's3',
      env: { JOB_LEASE_SECONDS: String(LEASE_SECONDS), SHUTDOWN_GRACE_SECONDS: '5' },
      prepare: async (c) => {
        c.cli(['import', CORPUS_DIR, '--manifest', CORPUS_MANIFEST]);
        c.cli(
          ['user', 'add', 'editor1', '--org', 'ctan', '--role', 'editor', '--password-stdin'],
          PASSWORD,
        );
        // The import's text and thumbnail jobs would compete with the load test for the two
        // cores; the job test below queues its own.
        const client = new pg.Client({ connectionString: c.databaseUrl });
        await client.connect();
        await client.query('delete from jobs');
        await client.end();
      },
    });
    db = new pg.Client({ connectionString: cluster.databaseUrl });
    await db.connect();
  });

  after(async () => {
    await db?.end();
    await cluster?.stop();
  });

  it('keeps sessions, form tokens and rate limits across instances (no stickiness)', async () => {
    const [a, b] = cluster.instances;
    // Failed sign-ins alternate between the instances: the limit (10 per account) is reached
    // only because both count in the same place.
    let limitedAt = 0;
    for (let i = 1; i <= 12 && !limitedAt; i++) {
      const client = new StaffClient(i % 2 ? a!.url : b!.url);
      const { response } = await client.signIn('editor1', 'not the password at all');
      if (response.status === 429) limitedAt = i;
      else assert.equal(response.status, 401, `attempt ${i}`);
    }
    assert.ok(limitedAt >= 10 && limitedAt <= 12, `limited at attempt ${limitedAt}`);
    await db.query("delete from rate_limits where key like 'login-account:%'");

    const person = new StaffClient(cluster.url);
    const signIn = await person.signIn('editor1');
    assert.equal(signIn.response.status, 303);
    // Only B is left: the session and its form token must be known there.
    await cluster.kill(0);
    const workspace = await person.get('/en/workspace');
    assert.equal(workspace.response.status, 200);
    const forged = await person.post('/en/logout', {}, { csrf: 'not-the-token' });
    assert.equal(forged.response.status, 403);
    // And only A: the same.
    await cluster.startInstance(0);
    await cluster.kill(1);
    const stillIn = await person.get('/en/workspace');
    assert.equal(stillIn.response.status, 200, 'the session survived the instance that made it');
    const out = await person.post('/en/logout', {});
    assert.equal(out.response.status, 303);
    const after = await person.get('/en/workspace');
    assert.equal(after.response.status, 303, 'signed out everywhere');
    await cluster.startInstance(1);
  });

  it('finishes on one instance a resumable upload begun on the other', async () => {
    const person = new StaffClient(cluster.url);
    assert.equal((await person.signIn('editor1')).response.status, 303);
    await person.get('/en/workspace');
    const { rows } = await db.query<{ id: string }>(
      `select e.id from editions e join works w on w.id = e.work_id
        where w.slug = 'not-so-short-introduction-to-latex' and e.language = 'es'`,
    );
    const editionId = rows[0]!.id;
    const pdf = fs.readFileSync(path.join(CORPUS_DIR, 'manuals-pdf/lshort-es.pdf'));
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const headers = (extra: Record<string, string>) => ({
      cookie: [...person.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'x-csrf-token': person.csrf,
      'tus-resumable': '1.0.0',
      origin: cluster.url,
      ...extra,
    });
    // Only A is up while the upload starts.
    await cluster.kill(1);
    const created = await fetch(`${cluster.url}/tus/uploads`, {
      method: 'POST',
      headers: headers({
        'upload-length': String(pdf.length),
        'upload-metadata': [
          `edition ${b64(editionId)}`,
          `filename ${b64('resumed.pdf')}`,
          `role ${b64('original')}`,
          `language ${b64('es')}`,
        ].join(','),
      }),
    });
    assert.equal(created.status, 201, await created.text());
    const location = new URL(created.headers.get('location')!, cluster.url).pathname;
    const half = 1024 * 1024;
    const first = await fetch(`${cluster.url}${location}`, {
      method: 'PATCH',
      headers: headers({ 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }),
      body: pdf.subarray(0, half),
    });
    assert.equal(first.status, 204, await first.text());

    // A goes, B comes: the rest of the upload can only reach B.
    await cluster.startInstance(1);
    await cluster.kill(0);
    const head = await fetch(`${cluster.url}${location}`, { method: 'HEAD', headers: headers({}) });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('upload-offset'), String(half));
    const rest = await fetch(`${cluster.url}${location}`, {
      method: 'PATCH',
      headers: headers({
        'upload-offset': String(half),
        'content-type': 'application/offset+octet-stream',
      }),
      body: pdf.subarray(half),
    });
    assert.equal(rest.status, 204, await rest.text());
    await cluster.startInstance(0);

    const file = await db.query<{ id: string; filename: string }>(
      `select id, filename from edition_files where edition_id = $1 and filename = 'resumed.pdf'`,
      [editionId],
    );
    assert.equal(file.rows.length, 1, 'the finished upload is in the edition');
    const download = await fetch(`${cluster.url}/download/${file.rows[0]!.id}/resumed.pdf`);
    assert.equal(download.status, 200);
    assert.ok(Buffer.from(await download.arrayBuffer()).equals(pdf), 'the same bytes');
  });

  it(`serves ${CONNECTIONS} concurrent readers for ${LOAD_SECONDS} s without an error while an instance is killed -9`, async (t) => {
    const { rows } = await db.query<{ id: string; filename: string; size: string }>(
      `select f.id, f.filename, b.size from edition_files f join blobs b on b.sha256 = f.blob_sha256
        order by b.size limit 1`,
    );
    const small = rows[0]!;
    const paths = [
      '/',
      '/en/',
      '/en/library',
      '/ar/works/universal-declaration-of-human-rights',
      `/ar/search?q=${encodeURIComponent('حقوق الإنسان')}`,
      `/en/search?q=${encodeURIComponent('human rights')}`,
      `/download/${small.id}/${encodeURIComponent(small.filename)}`,
      '/en/login',
    ];
    for (const p of paths) {
      const response = await fetch(`${cluster.url}${p}`, { redirect: 'manual' });
      await response.arrayBuffer();
      assert.ok(response.status < 400, `${p} answers ${response.status} before the load`);
    }

    const summary = await runLoad(
      cluster.url,
      { paths, connections: CONNECTIONS, seconds: LOAD_SECONDS, timeoutSeconds: 30 },
      async () => {
        await sleep((LOAD_SECONDS / 3) * 1000);
        await cluster.kill(0, 'SIGKILL');
        await sleep((LOAD_SECONDS / 6) * 1000);
        await cluster.startInstance(0);
      },
    );
    t.diagnostic(`load with kill -9: ${JSON.stringify(summary)}`);
    assert.equal(summary.errors, 0, 'no connection errors');
    assert.equal(summary.timeouts, 0, 'no timeouts');
    for (const code of Object.keys(summary.statuses)) {
      assert.ok(Number(code) < 400, `status ${code} seen`);
    }
    assert.ok(summary.requests > 1000, 'the load did run');
    const log = fs.readFileSync(cluster.accessLog, 'utf8');
    assert.match(log, /"upstream_status":"50[24], 200"/, 'nginx retried on the survivor');
  });

  it('lets the survivor finish a job whose instance was killed', async (t) => {
    const { rows } = await db.query<{ id: string }>(
      `select f.id from edition_files f join blobs b on b.sha256 = f.blob_sha256
        where b.media_type = 'video/mp4' order by f.id limit 1`,
    );
    const fileId = rows[0]!.id;
    const derivedBefore = await db.query(
      `select count(*)::int as n from edition_files where role = 'low'`,
    );
    const now = new Date().toISOString();
    const jobId = '00000000-0000-4000-8000-00000000c0de';
    await db.query(
      `insert into jobs (id, kind, file_id, state, attempts, run_after, locked_until, last_error, created_at, updated_at)
       values ($1, 'video-low', $2, 'queued', 0, $3, null, null, $3, $3)`,
      [jobId, fileId, now],
    );
    // The instance running it has ffmpeg as a child: kill that instance (and, as systemd would,
    // its conversion).
    let victim: number | undefined;
    for (let i = 0; i < 200 && victim === undefined; i++) {
      for (const inst of cluster.instances) {
        const pid = inst.child?.pid;
        const ffmpeg = pid ? childrenOf(pid).find((c) => c.comm === 'ffmpeg') : undefined;
        if (ffmpeg) {
          victim = inst.index;
          await cluster.kill(inst.index, 'SIGKILL');
          try {
            process.kill(ffmpeg.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      if (victim === undefined) await sleep(100);
    }
    assert.notEqual(victim, undefined, 'an instance started the conversion');
    const claimed = await db.query<{ state: string; attempts: number }>(
      'select state, attempts from jobs where id = $1',
      [jobId],
    );
    assert.deepEqual(claimed.rows[0], { state: 'running', attempts: 1 });

    // Both instances run again while the job waits for its lease to lapse: whichever takes it
    // over renews its lease while converting (longer than the 5 s lease), so the other never
    // takes it a third time.
    const restarted = cluster.startInstance(victim!);
    let job: { state: string; attempts: number } | undefined;
    let takenOverAt = 0;
    for (let i = 0; i < 360; i++) {
      job = (
        await db.query<{ state: string; attempts: number }>(
          'select state, attempts from jobs where id = $1',
          [jobId],
        )
      ).rows[0];
      if (job?.attempts === 2 && !takenOverAt) takenOverAt = Date.now();
      if (job?.state === 'done' || job?.state === 'failed') break;
      await sleep(250);
    }
    const convertedIn = ((Date.now() - takenOverAt) / 1000).toFixed(1);
    await restarted;
    t.diagnostic(`job taken over, then converted in ${convertedIn} s`);
    assert.deepEqual(job, { state: 'done', attempts: 2 }, 'taken over once, then finished');
    const derivedAfter = await db.query(
      `select count(*)::int as n from edition_files where role = 'low'`,
    );
    assert.equal(derivedAfter.rows[0].n, derivedBefore.rows[0].n + 1, 'one small version, once');
  });
});
