/**
 * The shipped nginx configuration (deploy/nginx/learning-center.conf) on loopback, in front of
 * two instances on one PostgreSQL database with local files: downloads handed to nginx by
 * X-Accel-Redirect (Range, max_ranges 1, counted once), compression, body limits, a log without
 * client addresses or query strings, and requests still served while an instance is killed.
 */
import { settledValue } from '../helpers/eventually.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { CORPUS_DIR } from '../helpers/app.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';

const PDF = path.join(CORPUS_DIR, 'manuals-pdf/lshort-en.pdf');

/** Sends only the head of a request and returns the status nginx answers with. */
function statusOfHead(url: string, head: string): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(head));
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(data)?.[1];
      if (status) {
        socket.destroy();
        resolve(Number(status));
      }
    });
    socket.on('error', reject);
  });
}

describe('nginx in front of two instances (shipped configuration)', () => {
  let cluster: Cluster;
  let db: pg.Client;
  let file: { id: string; filename: string; edition_id: string; sha256: string; size: number };
  let downloadPath: string;

  const downloads = async () => {
    const { rows } = await db.query<{ n: string | null }>(
      'select sum(count) as n from download_counts where edition_id = $1',
      [file.edition_id],
    );
    return Number(rows[0]?.n ?? 0);
  };

  before(async () => {
    cluster = await startCluster({
      instances: 2,
      // No conversions: this test is about HTTP, and the jobs would only take CPU.
      // Info level: the test follows a request from nginx's log into the app's.
      env: { RUN_JOBS: 'false', LOG_LEVEL: 'info' },
      prepare: async (c) => {
        const manifest = path.join(c.dir, 'manifest.yaml');
        fs.writeFileSync(
          manifest,
          `organisations:
  - { slug: ctan, name: Comprehensive TeX Archive Network, kind: partner }
works:
  - slug: lshort
    type: manual
    publisher: ctan
    original_language: en
    editions:
      - language: en
        title: The Not So Short Introduction
        files: [{ path: manuals-pdf/lshort-en.pdf }]
`,
        );
        c.cli(['import', CORPUS_DIR, '--manifest', manifest]);
      },
    });
    db = new pg.Client({ connectionString: cluster.databaseUrl });
    await db.connect();
    const { rows } = await db.query<typeof file>(
      `select f.id, f.filename, f.edition_id, b.sha256, b.size
         from edition_files f join blobs b on b.sha256 = f.blob_sha256`,
    );
    assert.equal(rows.length, 1);
    file = { ...rows[0]!, size: Number(rows[0]!.size) };
    downloadPath = `/download/${file.id}/${encodeURIComponent(file.filename)}`;
  });

  after(async () => {
    await db?.end();
    await cluster?.stop();
  });

  it('hands downloads to nginx with X-Accel-Redirect and counts each once', async () => {
    const initial = await downloads();
    const direct = await fetch(`${cluster.instances[0]!.url}${downloadPath}`);
    assert.equal(direct.status, 200);
    assert.equal(
      direct.headers.get('x-accel-redirect'),
      `/_blobs/${file.sha256.slice(0, 2)}/${file.sha256.slice(2, 4)}/${file.sha256}`,
    );
    assert.equal((await direct.arrayBuffer()).byteLength, 0, 'the app sends no body');

    // The app counts once its answer has left: wait for that count before the next one.
    const before = await settledValue(downloads, initial + 1);
    assert.equal(before, initial + 1);
    const response = await fetch(`${cluster.url}${downloadPath}`);
    assert.equal(response.status, 200);
    assert.equal(
      response.headers.get('x-accel-redirect'),
      null,
      'nginx keeps the header to itself',
    );
    assert.equal(response.headers.get('etag'), `"${file.sha256}"`);
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment/);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.match(response.headers.get('content-security-policy') ?? '', /sandbox/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('content-encoding'), null);
    const body = Buffer.from(await response.arrayBuffer());
    assert.ok(body.equals(fs.readFileSync(PDF)), 'nginx sent the file itself');
    assert.equal(await settledValue(downloads, before + 1), before + 1, 'counted');
    // ...and only once.
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await downloads(), before + 1, 'counted once');
  });

  it('answers one range with 206 and several ranges with the whole file (max_ranges 1)', async () => {
    const pdf = fs.readFileSync(PDF);
    const before = await downloads();
    const partial = await fetch(`${cluster.url}${downloadPath}`, {
      headers: { range: 'bytes=100-199', 'if-range': `"${file.sha256}"` },
    });
    assert.equal(partial.status, 206);
    assert.equal(partial.headers.get('content-range'), `bytes 100-199/${file.size}`);
    assert.ok(Buffer.from(await partial.arrayBuffer()).equals(pdf.subarray(100, 200)));
    assert.equal(await downloads(), before, 'a resumed download is not a new download');

    const staleIfRange = await fetch(`${cluster.url}${downloadPath}`, {
      headers: { range: 'bytes=100-199', 'if-range': '"0000"' },
    });
    assert.equal(staleIfRange.status, 200, 'If-Range with another validator: the whole file');
    assert.equal((await staleIfRange.arrayBuffer()).byteLength, file.size);

    const multi = await fetch(`${cluster.url}${downloadPath}`, {
      headers: { range: 'bytes=0-9,20-29,40-49' },
    });
    assert.equal(multi.status, 200);
    assert.equal(multi.headers.get('content-range'), null);
    assert.equal((await multi.arrayBuffer()).byteLength, file.size);
  });

  it('never serves the blob folder, metrics or readiness details by URL', async () => {
    const sha = file.sha256;
    for (const p of [
      `/_blobs/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`,
      '/_blobs/',
      '/_blobs../',
      '/metrics',
      '/readyz',
    ]) {
      const response = await fetch(`${cluster.url}${p}`);
      await response.arrayBuffer();
      assert.equal(response.status, 404, p);
    }
  });

  it('compresses pages: the app its own (brotli too), nginx what the app leaves plain', async () => {
    const gz = await fetch(`${cluster.url}/en/`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.status, 200);
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    const br = await fetch(`${cluster.url}/en/`, { headers: { 'accept-encoding': 'br' } });
    assert.equal(br.headers.get('content-encoding'), 'br', "the app's brotli passes through");
    await br.arrayBuffer();
    // fetch decodes on its own; read the raw bytes with a plain socket-level request instead.
    const raw = await rawGet(`${cluster.url}/en/`, { 'accept-encoding': 'gzip' });
    assert.match(gunzipSync(raw.body).toString('utf8'), /<html[^>]* lang="en"/);
    await gz.arrayBuffer();

    // The browser scripts leave the app uncompressed; nginx gzips them.
    const script = await rawGet(`${cluster.url}/assets/upload.js`, { 'accept-encoding': 'gzip' });
    assert.equal(script.status, 200);
    assert.equal(script.headers['content-encoding'], 'gzip');
    assert.ok(gunzipSync(script.body).length > script.body.length);
  });

  it('keeps plain-named scripts revalidated and never caches an error for a year', async () => {
    const plain = await fetch(`${cluster.url}/assets/offline.js`);
    await plain.arrayBuffer();
    assert.equal(plain.status, 200);
    assert.doesNotMatch(plain.headers.get('cache-control') ?? '', /immutable/);
    const missing = await fetch(`${cluster.url}/assets/offline.0123456789abcdef.js`);
    await missing.arrayBuffer();
    assert.equal(missing.status, 404);
    assert.doesNotMatch(missing.headers.get('cache-control') ?? '', /immutable|31536000/);
  });

  it('serves fingerprinted scripts with a year-long immutable Cache-Control', async () => {
    const page = await (await fetch(`${cluster.url}/en/works/lshort`)).text();
    const src = /<script src="(\/assets\/[^"]+)"/.exec(page)?.[1];
    assert.ok(src, 'the page links a script');
    assert.match(src, /\.[0-9a-f]{8,}\.js$/, 'its name carries its hash');
    const response = await fetch(`${cluster.url}${src}`);
    await response.arrayBuffer();
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  });

  it('refuses bodies over the limits with 413 before reading them', async () => {
    const host = new URL(cluster.url).host;
    // Forms: 1 MB.
    assert.equal(
      await statusOfHead(
        cluster.url,
        `POST /en/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n\r\n`,
      ),
      413,
    );
    // Uploads: up to 1100 MB, streamed to the app; more is refused by nginx.
    assert.equal(
      await statusOfHead(
        cluster.url,
        `POST /en/workspace/editions/${file.edition_id}/files HTTP/1.1\r\nHost: ${host}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${1200 * 1024 * 1024}\r\n\r\n`,
      ),
      413,
    );
    assert.equal(
      await statusOfHead(
        cluster.url,
        `PATCH /tus/uploads/0123 HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: ${1200 * 1024 * 1024}\r\n\r\n`,
      ),
      413,
    );
  });

  it('keeps serving while an instance is killed, and uses it again once it is back', async () => {
    await cluster.kill(1, 'SIGKILL');
    for (let i = 0; i < 20; i++) {
      const page = await fetch(`${cluster.url}/en/works/lshort`);
      await page.arrayBuffer();
      assert.equal(page.status, 200, `page ${i}`);
      const download = await fetch(`${cluster.url}${downloadPath}`, { method: 'HEAD' });
      assert.equal(download.status, 200, `download ${i}`);
    }
    const log = fs.readFileSync(cluster.accessLog, 'utf8');
    assert.match(log, /"upstream_status":"502, 200"/, 'a refused request was retried');

    await cluster.startInstance(1);
    // Passive health checks: nginx tries a failed instance again after fail_timeout (5 s).
    await new Promise((r) => setTimeout(r, 5500));
    await cluster.kill(0, 'SIGKILL');
    for (let i = 0; i < 10; i++) {
      const page = await fetch(`${cluster.url}/en/`);
      await page.arrayBuffer();
      assert.equal(page.status, 200, `page ${i} with only the restarted instance`);
    }
    await cluster.startInstance(0);
  });

  it('logs no client address and no query string', async () => {
    const search = await fetch(`${cluster.url}/en/search?q=needle-in-the-log`);
    await search.arrayBuffer();
    const lines = fs.readFileSync(cluster.accessLog, 'utf8').trim().split('\n');
    assert.ok(lines.length > 20);
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      assert.match(String(entry.request_id), /^[0-9a-f]{32}$/);
      assert.doesNotMatch(line, /127\.0\.0\.1|needle-in-the-log|\?/);
    }
    const searchLine = lines.find((l) => l.includes('"uri":"/en/search"'));
    assert.ok(searchLine);
    // nginx's request id is the app's: one request can be followed from one log into the other.
    const id = (JSON.parse(searchLine) as { request_id: string }).request_id;
    const appLogs = cluster.instances.map((i) => fs.readFileSync(i.logFile, 'utf8')).join('\n');
    assert.ok(appLogs.includes(id), 'the app logged the request under the same id');
    const errors = fs.existsSync(cluster.errorLog) ? fs.readFileSync(cluster.errorLog, 'utf8') : '';
    assert.doesNotMatch(errors, /client: |127\.0\.0\.1|needle-in-the-log/);
  });
});

/** A GET without fetch's automatic decompression: the bytes as sent. */
async function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers as Record<string, string>,
            body: Buffer.concat(chunks),
          }),
        );
      })
      .on('error', reject);
  });
}
