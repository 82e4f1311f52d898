/**
 * `learning-center serve` on a bad setup refuses to start and says exactly what is wrong, one
 * line each, without a stack: an unreachable database, a read-only data folder, bad settings.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/app.js';
import { cliEntry } from '../helpers/cli.js';

function serve(
  env: Record<string, string>,
  wrap: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const args = [...wrap, process.execPath, ...cliEntry(), 'serve'];
  const child = spawn(args[0]!, args.slice(1), {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', SEED_DEMO: 'false', RUN_JOBS: 'false', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // A process that started after all would run forever: stop it, and the test fails on its code.
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function noStack(text: string) {
  assert.ok(!/^\s+at /m.test(text), `a stack trace was printed:\n${text}`);
}

const unshareWorks =
  spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'true']).status === 0;

describe('serve refuses a bad setup and says why', () => {
  let dataDir: string;
  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-startup-'));
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('names the database host, port and cause when PostgreSQL cannot be reached', async () => {
    const port = await closedPort();
    const result = await serve({
      DATA_DIR: dataDir,
      DATABASE_URL: `postgres://lc:secret-password@127.0.0.1:${port}/learning_center`,
    });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, new RegExp(`127\\.0\\.0\\.1:${port}/learning_center`));
    assert.match(result.stderr, /connection refused/);
    assert.ok(!result.stderr.includes('secret-password'), 'the password is never printed');
    assert.ok(!result.stdout.includes('running at'));
    noStack(result.stderr);
  });

  it('says the object storage cannot be used, without printing its secret', async () => {
    const port = await closedPort();
    const result = await serve({
      DATA_DIR: dataDir,
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_BUCKET: 'library',
      S3_ACCESS_KEY_ID: 'test:tester',
      S3_SECRET_ACCESS_KEY: 'not-to-be-printed',
    });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /The file storage is not usable: /);
    assert.ok(!result.stderr.includes('not-to-be-printed'));
    assert.ok(!result.stdout.includes('running at'));
    noStack(result.stderr);
  });

  it('names each bad setting', async () => {
    const result = await serve({
      DATA_DIR: dataDir,
      SHUTDOWN_GRACE_SECONDS: 'soon',
      BUSY_TIMEOUT_MS: '-5',
      METRICS_TOKEN: 'short',
    });
    assert.notEqual(result.code, 0);
    for (const name of ['SHUTDOWN_GRACE_SECONDS', 'BUSY_TIMEOUT_MS', 'METRICS_TOKEN'])
      assert.match(result.stderr, new RegExp(name));
    noStack(result.stderr);
  });

  it(
    'says the data folder is read-only',
    {
      skip:
        !unshareWorks && process.env.CI !== 'true'
          ? 'unshare --user --mount is not permitted here'
          : false,
    },
    async () => {
      // Root ignores file modes, so the folder is made read-only by a read-only bind mount in a
      // private mount namespace (as an unprivileged user namespace's root).
      const result = await serve({ DATA_DIR: dataDir, RO_DIR: dataDir }, [
        'unshare',
        '--user',
        '--map-root-user',
        '--mount',
        'sh',
        '-c',
        'mount --bind "$RO_DIR" "$RO_DIR" && mount -o remount,ro,bind "$RO_DIR" && exec "$@"',
        'sh',
      ]);
      assert.notEqual(result.code, 0);
      assert.ok(result.stderr.includes(`DATA_DIR ${dataDir} is not writable`), result.stderr);
      assert.match(result.stderr, /read-only/);
      noStack(result.stderr);
    },
  );
});
