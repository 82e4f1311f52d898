/**
 * Health, readiness, metrics and request logs over real loopback sockets, on every database.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { after, before, describe, it } from 'node:test';
import { Readiness } from '../../src/platform/observability/health.js';
import { StorageUnavailableError } from '../../src/platform/storage/blob-store.js';
import { buildTestApp, get, type TestApp } from '../helpers/app.js';
import { dialects, POSTGRES_ADMIN_URL } from '../helpers/databases.js';

const TOKEN = 'metrics-token-for-tests-0123456789';

for (const dialect of dialects()) {
  describe(`health, readiness and metrics (${dialect})`, () => {
    let t: TestApp;
    let guarded: TestApp;
    const logs: string[] = [];
    before(async () => {
      const stream = new PassThrough();
      stream.on('data', (chunk: Buffer) => logs.push(...chunk.toString().split('\n')));
      t = await buildTestApp(dialect, {
        library: 'empty',
        env: { LOG_LEVEL: 'info' },
        logStream: stream,
      });
      guarded = await buildTestApp(dialect, { shareWith: t, env: { METRICS_TOKEN: TOKEN } });
    });
    after(async () => {
      await guarded.close();
      await t.close();
    });

    it('answers /healthz without touching anything, never cached', async () => {
      const response = await get(t.baseUrl, '/healthz');
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'ok\n');
      assert.equal(response.headers.get('cache-control'), 'no-store');
    });

    it('answers /readyz with each check when the database, storage and migrations are fine', async () => {
      const response = await get(t.baseUrl, '/readyz');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await response.json(), {
        status: 'ready',
        checks: { database: 'ok', storage: 'ok', migrations: 'ok' },
      });
    });

    it('says in plain words what is wrong when storage fails or migrations are pending', async () => {
      const failing = {
        check: async () => {
          throw new StorageUnavailableError('the bucket "library" does not exist');
        },
      };
      const storage = await new Readiness(t.database, failing, 0).report();
      assert.equal(storage.ready, false);
      assert.equal(storage.checks.database, 'ok');
      assert.match(storage.checks.storage, /not usable: the bucket "library" does not exist/);

      const last = await t.database.db
        .selectFrom('lc_migrations' as never)
        .select('name' as never)
        .orderBy('name' as never, 'desc')
        .executeTakeFirstOrThrow();
      const name = (last as { name: string }).name;
      await t.database.db
        .deleteFrom('lc_migrations' as never)
        .where('name' as never, '=', name as never)
        .execute();
      try {
        const pending = await new Readiness(t.database, t.blobs, 0).report();
        assert.equal(pending.ready, false);
        assert.equal(pending.checks.migrations, `migrations not applied yet: ${name}`);
      } finally {
        await t.database.db
          .insertInto('lc_migrations' as never)
          .values({ name, timestamp: new Date().toISOString() } as never)
          .execute();
      }
    });

    it(
      'answers /readyz 503 naming the database when PostgreSQL refuses connections',
      { skip: dialect !== 'postgres' && 'PostgreSQL only' },
      async () => {
        const name = new URL(t.databaseUrl!).pathname.slice(1);
        const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
        await admin.connect();
        const probe = await buildTestApp(dialect, { shareWith: t });
        try {
          await admin.query(`alter database ${name} allow_connections false`);
          await admin.query(
            'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1',
            [name],
          );
          const response = await get(probe.baseUrl, '/readyz');
          assert.equal(response.status, 503);
          assert.ok(Number(response.headers.get('retry-after')) > 0);
          const body = (await response.json()) as { status: string; checks: { database: string } };
          assert.equal(body.status, 'not ready');
          assert.match(
            body.checks.database,
            // Refused at connect, or a pooled connection cut by the server: both name the cause.
            /^cannot reach the database: .*(not currently accepting connections|shutting down \(57P01\))/,
          );
          assert.ok(!JSON.stringify(body).includes('postgres@'), 'no connection string');
        } finally {
          await admin.query(`alter database ${name} allow_connections true`);
          await admin.end();
          await probe.close();
        }
        // Once the database is back, a fresh check passes again.
        assert.equal((await new Readiness(t.database, t.blobs, 0).report()).ready, true);
      },
    );

    it('counts requests by route template and status class, with no URL, query or address', async () => {
      await get(t.baseUrl, '/en/works/amina-secret-slug?q=private+words');
      await get(t.baseUrl, '/no/such/place?code=ABCD-1234');
      const response = await get(t.baseUrl, '/metrics');
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0.0.4/);
      const text = await response.text();
      assert.match(
        text,
        /http_requests_total\{method="GET",route="\/:lang\/works\/:slug",status_class="4xx"\} 1/,
      );
      assert.match(
        text,
        /http_requests_total\{method="GET",route="unmatched",status_class="4xx"\} 1/,
      );
      assert.match(
        text,
        /http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/healthz"/,
      );
      assert.match(text, /learning_center_jobs\{state="queued"\} 0/);
      assert.match(text, /learning_center_jobs_oldest_queued_age_seconds 0/);
      assert.match(text, /learning_center_ready 1/);
      assert.match(text, /process_resident_memory_bytes/);
      for (const leak of ['amina', 'private', 'ABCD', 'such/place', '127.0.0.1'])
        assert.ok(!text.includes(leak), `metrics mention ${leak}`);
    });

    it('reports the queue depth and the age of the oldest runnable job', async () => {
      const at = new Date(Date.now() - 120_000).toISOString();
      await t.database.db
        .insertInto('jobs')
        .values({
          id: `metrics-test-${dialect}`,
          kind: 'thumbnail',
          file_id: null,
          state: 'queued',
          attempts: 0,
          run_after: at,
          locked_until: null,
          last_error: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      try {
        const text = await (await get(t.baseUrl, '/metrics')).text();
        assert.match(text, /learning_center_jobs\{state="queued"\} 1/);
        const age = Number(
          /^learning_center_jobs_oldest_queued_age_seconds (\S+)$/m.exec(text)?.[1],
        );
        assert.ok(age >= 120 && age < 600, `age ${age}`);
      } finally {
        await t.database.db
          .deleteFrom('jobs')
          .where('id', '=', `metrics-test-${dialect}`)
          .execute();
      }
    });

    it('keeps /metrics from the public: relayed by a proxy, or without the token when one is set', async () => {
      const relayed = await get(t.baseUrl, '/metrics', { 'x-forwarded-proto': 'https' });
      assert.equal(relayed.status, 403);
      assert.equal((await get(guarded.baseUrl, '/metrics')).status, 403);
      const wrong = await get(guarded.baseUrl, '/metrics', { authorization: `Bearer ${TOKEN}x` });
      assert.equal(wrong.status, 403);
      const right = await get(guarded.baseUrl, '/metrics', { authorization: `Bearer ${TOKEN}` });
      assert.equal(right.status, 200);
      assert.match(await right.text(), /http_requests_total/);
    });

    it('turns /readyz to 503 with Retry-After once shutdown begins, while /healthz stays 200', async () => {
      guarded.app.readiness.markShuttingDown();
      const response = await get(guarded.baseUrl, '/readyz');
      assert.equal(response.status, 503);
      assert.ok(Number(response.headers.get('retry-after')) > 0);
      assert.equal(((await response.json()) as { status: string }).status, 'shutting down');
      assert.equal((await get(guarded.baseUrl, '/healthz')).status, 200);
    });

    it('honours a well-formed X-Request-Id, replaces a bad one, and logs no address or query', async () => {
      const id = 'nginx-3f2a9c0d1e';
      const echoed = await get(t.baseUrl, '/en/search?q=secret+search', { 'x-request-id': id });
      assert.equal(echoed.headers.get('x-request-id'), id);
      const bad = await get(t.baseUrl, '/en/library', { 'x-request-id': 'bad id<script>' });
      const made = bad.headers.get('x-request-id') ?? '';
      assert.match(made, /^[0-9a-f-]{36}$/);
      await get(t.baseUrl, '/healthz');
      await new Promise((r) => setTimeout(r, 50));
      const lines = logs.filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      const line = lines.find((l) => l.reqId === id);
      assert.ok(line, 'the request is logged with its id');
      assert.equal(line.route, '/:lang/search');
      assert.equal(line.status, 200);
      assert.equal(line.method, 'GET');
      assert.ok(lines.some((l) => l.reqId === made));
      assert.ok(!lines.some((l) => l.route === '/healthz'), 'probes are not logged at info');
      // Fastify's own "Server listening at http://127.0.0.1:port" names the server, not a client.
      const all = logs.filter((l) => !l.includes('Server listening at')).join('\n');
      for (const leak of ['secret', '127.0.0.1', 'bad id', 'cookie', 'remoteAddress'])
        assert.ok(!all.includes(leak), `log mentions ${leak}`);
    });
  });
}
