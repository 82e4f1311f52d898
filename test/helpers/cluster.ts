/**
 * Several instances of the real program (`learning-center serve`, child processes) on one
 * throwaway PostgreSQL database, with local files shared between them or an S3 bucket on the
 * test Swift server, behind nginx running the shipped deploy/nginx/learning-center.conf (only
 * its ADJUST lines rewritten: listen address, instances, blob folder, log files). Instances can
 * be killed (-9 or SIGTERM) and started again on the same port.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { cliEntry } from './cli.js';
import { REPO_ROOT } from './app.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export const SHIPPED_NGINX_CONF = path.join(REPO_ROOT, 'deploy/nginx/learning-center.conf');
export const S3_TEST_ENDPOINT = process.env.S3_TEST_ENDPOINT ?? 'http://127.0.0.1:18080';

export interface ClusterOptions {
  instances: number;
  /** 'local' (default): one DATA_DIR shared by all, downloads by X-Accel-Redirect. */
  storage?: 'local' | 's3';
  /** Environment of every instance (after the cluster's own). */
  env?: Record<string, string>;
  /** Environment of instance i only (after `env`). */
  instanceEnv?: (index: number) => Record<string, string>;
  /** Runs once the database exists, before any instance starts (e.g. an import via `cli`). */
  prepare?: (cluster: Cluster) => Promise<void>;
  /** nginx worker processes (default 1). */
  nginxWorkers?: number;
  /** Extra text inside nginx's http block (e.g. a server for benchmarks). */
  nginxExtra?: (cluster: { dataDir: string }) => string;
}

export interface Instance {
  index: number;
  port: number;
  url: string;
  child: ChildProcess | undefined;
  /** Where its standard output and error go. */
  logFile: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** The shipped nginx file with its ADJUST lines pointed at this cluster. */
export function rewriteNginxConf(
  shipped: string,
  options: {
    listen: number;
    ports: number[];
    blobsDir: string;
    accessLog: string;
    errorLog: string;
  },
): string {
  // Each 3001 line is a template repeated for every instance; the 3002 lines go.
  if (!/^[ \t]*server 127\.0\.0\.1:3001 /m.test(shipped)) {
    throw new Error('the shipped nginx file no longer has its 127.0.0.1:3001 server lines');
  }
  const replaced = shipped
    .replace(/^[ \t]*server 127\.0\.0\.1:3002 [^;]*;\n/gm, '')
    .replace(
      /^([ \t]*)server 127\.0\.0\.1:3001( [^;]*);\n/gm,
      (_line, indent: string, params: string) =>
        options.ports.map((p) => `${indent}server 127.0.0.1:${p}${params};\n`).join(''),
    )
    .replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${options.listen};`)
    .replace('/var/lib/learning-center/blobs/', `${options.blobsDir}/`)
    .replace('/var/log/nginx/learning-center.access.log', options.accessLog)
    .replace('/var/log/nginx/learning-center.error.log', options.errorLog);
  for (const marker of ['listen 80;', '/var/lib/learning-center', '/var/log/nginx']) {
    if (replaced.includes(marker)) throw new Error(`nginx file: "${marker}" was not rewritten`);
  }
  return replaced;
}

export class Cluster {
  readonly instances: Instance[] = [];
  url = '';
  nginxPort = 0;
  readonly dir: string;
  readonly accessLog: string;
  readonly errorLog: string;
  private nginx: ChildProcess | undefined;
  private database: TestDatabase | undefined;
  readonly bucket: string | undefined;
  /** The same field keys everywhere: instances must read each other's encrypted fields. */
  private readonly keys = {
    FIELD_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    FIELD_INDEX_KEY: randomBytes(32).toString('base64'),
  };

  constructor(readonly options: ClusterOptions) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-cluster-'));
    this.accessLog = path.join(this.dir, 'nginx-access.log');
    this.errorLog = path.join(this.dir, 'nginx-error.log');
    if (options.storage === 's3') this.bucket = `lc-cluster-${randomBytes(5).toString('hex')}`;
  }

  get databaseUrl(): string {
    return this.database!.databaseUrl!;
  }

  /** DATA_DIR of instance i: shared with local storage, one each with S3 (nothing shared). */
  dataDirOf(index: number): string {
    const dir =
      this.options.storage === 's3' ? path.join(this.dir, `data-${index}`) : this.database!.dataDir;
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** The environment the program gets, as instance `index` (or as a command-line tool). */
  env(index = 0): NodeJS.ProcessEnv {
    const storage: Record<string, string> =
      this.options.storage === 's3'
        ? {
            S3_ENDPOINT: S3_TEST_ENDPOINT,
            S3_BUCKET: this.bucket!,
            S3_REGION: 'us-east-1',
            S3_ACCESS_KEY_ID: 'test:tester',
            S3_SECRET_ACCESS_KEY: 'testing',
            S3_FORCE_PATH_STYLE: 'true',
          }
        : { X_ACCEL_REDIRECT: '/_blobs/' };
    return {
      ...process.env,
      DATA_DIR: this.dataDirOf(index),
      DATABASE_URL: this.databaseUrl,
      HOST: '127.0.0.1',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      // nginx sets X-Forwarded-For to the client's address: rate limits name real clients.
      TRUST_PROXY: 'true',
      ...this.keys,
      ...storage,
      ...this.options.env,
      ...this.options.instanceEnv?.(index),
    };
  }

  /** Runs a `learning-center` command against the cluster's database and storage. */
  cli(args: string[], input?: string): string {
    const result = spawnSync(process.execPath, [...cliEntry(), ...args], {
      cwd: REPO_ROOT,
      env: this.env(0),
      input,
      encoding: 'utf8',
    });
    if (result.status !== 0) {
      throw new Error(
        `learning-center ${args.join(' ')} failed:\n${result.stderr}${result.stdout}`,
      );
    }
    return result.stdout;
  }

  async start(): Promise<this> {
    this.database = await createTestDatabase('postgres');
    if (this.bucket) await s3Bucket('create', this.bucket);
    for (let i = 0; i < this.options.instances; i++) {
      this.instances.push({
        index: i,
        port: await freePort(),
        url: '',
        child: undefined,
        logFile: path.join(this.dir, `instance-${i}.log`),
      });
    }
    await this.options.prepare?.(this);
    // The first instance migrates alone; the others then start side by side.
    await this.startInstance(0);
    await Promise.all(this.instances.slice(1).map((inst) => this.startInstance(inst.index)));
    await this.startNginx();
    return this;
  }

  async startInstance(index: number): Promise<void> {
    const inst = this.instances[index]!;
    if (inst.child && inst.child.exitCode === null && inst.child.signalCode === null) return;
    const log = fs.openSync(inst.logFile, 'a');
    const child = spawn(process.execPath, [...cliEntry(), 'serve'], {
      cwd: REPO_ROOT,
      env: { ...this.env(index), PORT: String(inst.port) },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    inst.child = child;
    inst.url = `http://127.0.0.1:${inst.port}`;
    await this.waitReady(inst);
  }

  /** /readyz answers 200 (or, on a build without it, the home page does). */
  private async waitReady(inst: Instance, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const child = inst.child!;
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `instance ${inst.index} exited (${child.exitCode ?? child.signalCode}):\n${this.tail(inst)}`,
        );
      }
      const ready = await fetch(`${inst.url}/readyz`)
        .then(async (r) => {
          await r.arrayBuffer();
          if (r.status === 404) {
            const home = await fetch(`${inst.url}/en/`);
            await home.arrayBuffer();
            return home.status === 200;
          }
          return r.status === 200;
        })
        .catch(() => false);
      if (ready) return;
      await sleep(200);
    }
    throw new Error(`instance ${inst.index} not ready in time:\n${this.tail(inst)}`);
  }

  tail(inst: Instance): string {
    return fs.readFileSync(inst.logFile, 'utf8').split('\n').slice(-30).join('\n');
  }

  /** kill -9 (default) or SIGTERM; resolves once the process is gone. */
  async kill(index: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    const child = this.instances[index]!.child;
    if (!child || child.exitCode !== null || child.signalCode !== null)
      return child?.exitCode ?? null;
    child.kill(signal);
    if (!(await exited(child, 30_000))) {
      child.kill('SIGKILL');
      await exited(child, 10_000);
    }
    return child.exitCode;
  }

  /** Resident memory of instance i in bytes (from /proc), or 0 when it is not running. */
  rss(index: number): number {
    const pid = this.instances[index]?.child?.pid;
    if (!pid) return 0;
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      return 0;
    }
  }

  /** Points nginx at the instances listed (all by default) and reloads it if it runs. */
  async startNginx(indexes = this.instances.map((i) => i.index)): Promise<void> {
    if (!this.nginxPort) this.nginxPort = await freePort();
    const site = rewriteNginxConf(fs.readFileSync(SHIPPED_NGINX_CONF, 'utf8'), {
      listen: this.nginxPort,
      ports: indexes.map((i) => this.instances[i]!.port),
      blobsDir: path.join(this.dataDirOf(0), 'blobs'),
      accessLog: this.accessLog,
      errorLog: this.errorLog,
    });
    fs.writeFileSync(path.join(this.dir, 'learning-center.conf'), site);
    for (const t of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
      fs.mkdirSync(path.join(this.dir, 'nginx-tmp', t), { recursive: true });
    }
    const tmp = (t: string) => path.join(this.dir, 'nginx-tmp', t);
    const mime = fs.existsSync('/etc/nginx/mime.types') ? 'include /etc/nginx/mime.types;' : '';
    fs.writeFileSync(
      path.join(this.dir, 'nginx.conf'),
      `# Generated by test/helpers/cluster.ts around the shipped file.
${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off;
worker_processes ${this.options.nginxWorkers ?? 1};
pid ${path.join(this.dir, 'nginx.pid')};
error_log ${path.join(this.dir, 'nginx-main-error.log')} warn;
events { worker_connections 4096; }
http {
  ${mime}
  default_type application/octet-stream;
  client_body_temp_path ${tmp('body')};
  proxy_temp_path ${tmp('proxy')};
  fastcgi_temp_path ${tmp('fastcgi')};
  uwsgi_temp_path ${tmp('uwsgi')};
  scgi_temp_path ${tmp('scgi')};
  include ${path.join(this.dir, 'learning-center.conf')};
  ${this.options.nginxExtra?.({ dataDir: this.dataDirOf(0) }) ?? ''}
}
`,
    );
    const args = ['-p', this.dir, '-c', path.join(this.dir, 'nginx.conf'), '-e', this.errorLog];
    const check = spawnSync('nginx', [...args, '-t'], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`nginx -t failed:\n${check.stderr}`);
    if (this.nginx && this.nginx.exitCode === null) {
      this.nginx.kill('SIGHUP');
      await sleep(300);
      return;
    }
    const out = fs.openSync(path.join(this.dir, 'nginx.out'), 'a');
    this.nginx = spawn('nginx', args, { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    this.url = `http://127.0.0.1:${this.nginxPort}`;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (this.nginx.exitCode !== null) {
        throw new Error(
          `nginx exited: ${fs.readFileSync(path.join(this.dir, 'nginx.out'), 'utf8')}`,
        );
      }
      const up = await fetch(`${this.url}/_nginx-probe`)
        .then((r) => r.arrayBuffer().then(() => true))
        .catch(() => false);
      if (up) return;
      await sleep(100);
    }
    throw new Error('nginx did not start');
  }

  /** Stops everything (instances gracefully), drops the database and bucket, removes files. */
  async stop(options: { keepFiles?: boolean } = {}): Promise<void> {
    await Promise.all(this.instances.map((i) => this.kill(i.index, 'SIGTERM')));
    if (this.nginx && this.nginx.exitCode === null) {
      this.nginx.kill('SIGTERM');
      await exited(this.nginx, 10_000);
    }
    if (this.bucket) await s3Bucket('delete', this.bucket).catch(() => {});
    await this.database?.cleanup();
    if (!options.keepFiles && !process.env.KEEP_CLUSTER) {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const cluster = new Cluster(options);
  try {
    return await cluster.start();
  } catch (error) {
    await cluster.stop({ keepFiles: true }).catch(() => {});
    throw error;
  }
}

/** Creates, or empties and deletes, a bucket on the test S3 server. */
async function s3Bucket(action: 'create' | 'delete', bucket: string): Promise<void> {
  const s3sdk = await import('@aws-sdk/client-s3');
  const client = new s3sdk.S3Client({
    endpoint: S3_TEST_ENDPOINT,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test:tester', secretAccessKey: 'testing' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    if (action === 'create') {
      await client.send(new s3sdk.CreateBucketCommand({ Bucket: bucket }));
      return;
    }
    // One object at a time: Swift's DeleteObjects wants Content-MD5, which the SDK does not send.
    for (;;) {
      const list = await client.send(new s3sdk.ListObjectsV2Command({ Bucket: bucket }));
      for (const o of list.Contents ?? []) {
        await client.send(new s3sdk.DeleteObjectCommand({ Bucket: bucket, Key: o.Key! }));
      }
      if (!list.IsTruncated) break;
    }
    await client.send(new s3sdk.DeleteBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
}

export interface LoadSummary {
  requests: number;
  reqPerSec: number;
  p50ms: number;
  p95ms: number;
  p99ms: number;
  errors: number;
  timeouts: number;
  /** Responses by status code. */
  statuses: Record<number, number>;
  bytesPerSec: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * autocannon over `paths` (each connection cycles through them), with latency percentiles from
 * every response (autocannon's own summary has no p95). `during` runs alongside the load.
 */
export async function runLoad(
  url: string,
  options: { paths: string[]; connections: number; seconds: number; timeoutSeconds?: number },
  during?: () => Promise<void>,
): Promise<LoadSummary> {
  const { default: autocannon } = await import('autocannon');
  const times: number[] = [];
  const statuses: Record<number, number> = {};
  let instance: import('autocannon').Instance | undefined;
  const done = new Promise<import('autocannon').Result>((resolve, reject) => {
    instance = autocannon(
      {
        url,
        connections: options.connections,
        duration: options.seconds,
        timeout: options.timeoutSeconds ?? 10,
        requests: options.paths.map((p) => ({ method: 'GET' as const, path: p })),
      },
      (error: unknown, result: import('autocannon').Result) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result),
    );
  });
  instance!.on('response', (_client, statusCode, _bytes, responseTime) => {
    times.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const [result] = await Promise.all([done, during?.()]);
  times.sort((x, y) => x - y);
  return {
    requests: result.requests.total,
    reqPerSec: Math.round(result.requests.average),
    p50ms: Math.round(percentile(times, 50) * 10) / 10,
    p95ms: Math.round(percentile(times, 95) * 10) / 10,
    p99ms: Math.round(percentile(times, 99) * 10) / 10,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
    bytesPerSec: Math.round(result.throughput.average),
  };
}
