/**
 * npm run bench: requests/s and p99 latency of the home, library and work pages at 32
 * connections, with the page cache on and off, against a minimal node:http server sending a
 * static 10 KB file from memory (the baseline). Prints the ratios and the server's peak RSS.
 * Targets: cached >= 0.5 x baseline, uncached >= 0.2 x baseline, RSS < 200 MB.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA_DIR = process.env.BENCH_DATA_DIR ?? path.join(ROOT, '.bench-data');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const PAGES = {
  home: '/en/',
  library: '/en/library',
  work: '/en/works/universal-declaration-of-human-rights/en',
};

interface Result {
  rps: number;
  p99: number;
  errors: number;
}

async function load(url: string, headers: Record<string, string> = {}): Promise<Result> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

function startBaseline(): Promise<{ server: http.Server; url: string }> {
  const body = Buffer.alloc(10 * 1024, 'Learning Center baseline. ');
  const server = http.createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': body.length,
    });
    res.end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${address.port}/` });
    });
  });
}

async function startApp(port: number, pageCacheSeconds: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/learning-center.js'), 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR,
      LOG_LEVEL: 'warn',
      PAGE_CACHE_SECONDS: String(pageCacheSeconds),
      SEED_DEMO: 'false',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/en/`);
      if (r.ok) return child;
    } catch {
      // not listening yet (the first start seeds the demo library)
    }
    if (child.exitCode !== null) throw new Error('the app exited during start-up');
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the app did not start');
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const fmt = (n: number, d = 0) => n.toFixed(d).padStart(8);

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist/cli/main.js'))) {
    throw new Error('Run `npm run build` first (bench measures the compiled app).');
  }
  // Seed in a separate process, so that the server's peak memory is that of serving.
  execFileSync(process.execPath, [path.join(ROOT, 'bin/learning-center.js'), 'seed-demo'], {
    env: { ...process.env, DATA_DIR, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  const baseline = await startBaseline();
  const base = await load(baseline.url);
  baseline.server.close();

  const rows: string[] = [];
  let peak = 0;
  for (const [mode, cacheSeconds] of [
    ['cached', 3600],
    ['uncached', 0],
  ] as const) {
    const port = 3900 + (mode === 'cached' ? 1 : 2);
    const app = await startApp(port, cacheSeconds);
    for (const [name, pagePath] of Object.entries(PAGES)) {
      const url = `http://127.0.0.1:${port}${pagePath}`;
      await load(url, { 'accept-encoding': 'br, gzip' }); // warm-up is measured too: it is short
      const r = await load(url, { 'accept-encoding': 'br, gzip' });
      rows.push(
        `${name.padEnd(8)} ${mode.padEnd(9)} ${fmt(r.rps)} req/s  p99 ${fmt(r.p99, 1)} ms  ratio ${fmt(r.rps / base.rps, 2)}  errors ${r.errors}`,
      );
    }
    peak = Math.max(peak, peakRssMb(app.pid!));
    await stop(app);
  }

  console.log(
    `\nLearning Center page benchmark (${CONNECTIONS} connections, ${DURATION} s per run, brotli)`,
  );
  console.log(
    `baseline (node:http, static 10 KB): ${fmt(base.rps)} req/s  p99 ${fmt(base.p99, 1)} ms`,
  );
  for (const row of rows) console.log(row);
  console.log(`server peak RSS: ${peak.toFixed(0)} MB`);
  console.log('targets: cached ratio >= 0.5, uncached ratio >= 0.2, RSS < 200 MB');
}

await main();
