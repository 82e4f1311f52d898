/**
 * npm run bench:scale: in one run, through the shipped nginx configuration on PostgreSQL with
 * local files,
 *  1. library pages with one instance, then with two (same connections and duration): req/s,
 *     p50, p95 and the 2/1 ratio;
 *  2. a 100 MB file downloaded through the app (authorised and counted, then X-Accel-Redirect)
 *     against the same file served by nginx directly, alternating, several times: MB/s and the
 *     ratio (target >= 0.9);
 * and the resident memory of each instance afterwards. The figures go into docs/operations.md.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { CORPUS_DIR, CORPUS_MANIFEST } from '../test/helpers/app.js';
import { freePort, runLoad, startCluster, type LoadSummary } from '../test/helpers/cluster.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DOWNLOAD_MB = 100;
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 9);
const PAGES = [
  '/en/library',
  '/ar/library',
  '/en/',
  '/fa/',
  '/en/works/universal-declaration-of-human-rights/en',
  '/ar/works/universal-declaration-of-human-rights/ar',
  '/ru/works/not-so-short-introduction-to-latex',
];

const mb = (bytes: number) => bytes / (1024 * 1024);

/** Download speed in MB/s and time to first byte in ms, measured by curl (same client both ways). */
function curlSpeed(url: string): { mbps: number; ttfbMs: number } {
  const out = execFileSync(
    'curl',
    [
      '-s',
      '-f',
      '-o',
      '/dev/null',
      '-w',
      '%{speed_download} %{size_download} %{time_starttransfer}',
      url,
    ],
    { encoding: 'utf8' },
  );
  const [speed, size, ttfb] = out.trim().split(' ').map(Number);
  if (size !== DOWNLOAD_MB * 1024 * 1024) throw new Error(`${url}: got ${size} bytes`);
  return { mbps: mb(speed!), ttfbMs: ttfb! * 1000 };
}

/** Aggregate MB/s of `parallel` simultaneous downloads of `url` (several readers at once). */
async function parallelSpeed(url: string, parallel: number): Promise<number> {
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: parallel }, () =>
      promisify(execFile)('curl', ['-s', '-f', '-o', '/dev/null', url]),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return (DOWNLOAD_MB * parallel) / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const directPort = await freePort();
const cluster = await startCluster({
  instances: 2,
  // Conversions would compete with the measurement for the CPU.
  env: { RUN_JOBS: 'false', LOG_LEVEL: 'error' },
  // The same blob folder served by nginx itself, with the same sendfile settings.
  nginxExtra: ({ dataDir }) => `server {
    listen 127.0.0.1:${directPort};
    access_log off;
    sendfile on;
    tcp_nopush on;
    location /direct/ { alias ${dataDir}/blobs/; }
  }`,
  prepare: async (c) => {
    c.cli(['import', CORPUS_DIR, '--manifest', CORPUS_MANIFEST]);
    // A 100 MB "PDF" (the magic bytes, then random data): big enough to measure streaming.
    const dir = path.join(c.dir, 'big');
    fs.mkdirSync(dir);
    const file = fs.openSync(path.join(dir, 'big.pdf'), 'w');
    fs.writeSync(file, '%PDF-1.4\n%\n');
    const chunk = randomBytes(1024 * 1024);
    for (let i = 0; i < DOWNLOAD_MB; i++) fs.writeSync(file, chunk);
    fs.ftruncateSync(file, DOWNLOAD_MB * 1024 * 1024);
    fs.closeSync(file);
    fs.writeFileSync(
      path.join(dir, 'manifest.yaml'),
      `organisations:
  - { slug: bench, name: Bench, kind: partner }
works:
  - slug: big-file
    type: manual
    publisher: bench
    original_language: en
    editions:
      - language: en
        title: A big file
        files: [{ path: big.pdf }]
`,
    );
    c.cli(['import', dir]);
    const client = new pg.Client({ connectionString: c.databaseUrl });
    await client.connect();
    await client.query('delete from jobs');
    await client.end();
  },
});

try {
  const db = new pg.Client({ connectionString: cluster.databaseUrl });
  await db.connect();
  const { rows } = await db.query<{ id: string; filename: string; sha256: string }>(
    `select f.id, f.filename, b.sha256 from edition_files f join blobs b on b.sha256 = f.blob_sha256
      where f.filename = 'big.pdf'`,
  );
  await db.end();
  const big = rows[0]!;

  // Warm the page caches and the file into the OS cache, then measure.
  await runLoad(cluster.url, { paths: PAGES, connections: 8, seconds: 2 });
  console.log(
    `Library pages: ${CONNECTIONS} connections, ${SECONDS} s each, ${PAGES.length} pages in turn`,
  );
  await cluster.startNginx([0]);
  const one = await runLoad(cluster.url, {
    paths: PAGES,
    connections: CONNECTIONS,
    seconds: SECONDS,
  });
  await cluster.startNginx([0, 1]);
  await runLoad(cluster.url, { paths: PAGES, connections: 8, seconds: 2 });
  const two = await runLoad(cluster.url, {
    paths: PAGES,
    connections: CONNECTIONS,
    seconds: SECONDS,
  });

  const viaApp = `${cluster.url}/download/${big.id}/${encodeURIComponent(big.filename)}`;
  const direct = `http://127.0.0.1:${directPort}/direct/${big.sha256.slice(0, 2)}/${big.sha256.slice(2, 4)}/${big.sha256}`;
  // Warm-up: the file in the page cache, each instance's memo of public files and nginx's
  // connections to both instances (least_conn takes turns between idle instances).
  for (let i = 0; i < 2; i++) {
    curlSpeed(viaApp);
    curlSpeed(direct);
  }
  const app: number[] = [];
  const nginx: number[] = [];
  const appTtfb: number[] = [];
  const nginxTtfb: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    const a = curlSpeed(viaApp);
    const n = curlSpeed(direct);
    app.push(a.mbps);
    appTtfb.push(a.ttfbMs);
    nginx.push(n.mbps);
    nginxTtfb.push(n.ttfbMs);
  }

  const PARALLEL = 4;
  const appParallel: number[] = [];
  const nginxParallel: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    appParallel.push(await parallelSpeed(viaApp, PARALLEL));
    nginxParallel.push(await parallelSpeed(direct, PARALLEL));
  }

  const row = (name: string, r: LoadSummary) =>
    `${name.padEnd(14)} ${String(r.reqPerSec).padStart(7)} ${r.p50ms.toFixed(1).padStart(8)} ${r.p95ms.toFixed(1).padStart(8)} ${String(r.errors + r.timeouts).padStart(7)}  ${JSON.stringify(r.statuses)}`;
  console.log(
    `\n${'pages'.padEnd(14)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'errors'.padStart(7)}  statuses`,
  );
  console.log(row('1 instance', one));
  console.log(row('2 instances', two));
  console.log(`ratio 2/1: ${(two.reqPerSec / one.reqPerSec).toFixed(2)}`);

  const appMedian = median(app);
  const nginxMedian = median(nginx);
  const ratio = appMedian / nginxMedian;
  console.log(`\n${DOWNLOAD_MB} MB download, median of ${REPETITIONS} (MB/s)`);
  console.log(
    `via app + X-Accel-Redirect  ${appMedian.toFixed(0).padStart(7)}   (${app.map((v) => v.toFixed(0)).join(', ')}; first byte after ${median(appTtfb).toFixed(1)} ms)`,
  );
  console.log(
    `nginx directly              ${nginxMedian.toFixed(0).padStart(7)}   (${nginx.map((v) => v.toFixed(0)).join(', ')}; first byte after ${median(nginxTtfb).toFixed(1)} ms)`,
  );
  console.log(`ratio: ${ratio.toFixed(2)} (target >= 0.9) ${ratio >= 0.9 ? 'ok' : 'BELOW TARGET'}`);
  const parallelRatio = median(appParallel) / median(nginxParallel);
  console.log(`${PARALLEL} downloads at once, aggregate MB/s (median of ${REPETITIONS})`);
  console.log(`via app + X-Accel-Redirect  ${median(appParallel).toFixed(0).padStart(7)}`);
  console.log(`nginx directly              ${median(nginxParallel).toFixed(0).padStart(7)}`);
  console.log(
    `ratio: ${parallelRatio.toFixed(2)} (target >= 0.9) ${parallelRatio >= 0.9 ? 'ok' : 'BELOW TARGET'}`,
  );

  console.log(
    `\nRSS after the run: ${cluster.instances.map((i) => `instance ${i.index + 1} ${mb(cluster.rss(i.index)).toFixed(0)} MB`).join(', ')}`,
  );
  if (ratio < 0.9 || parallelRatio < 0.9 || one.errors + two.errors > 0) process.exitCode = 1;
} finally {
  await cluster.stop();
}
