/**
 * Liveness and readiness. /healthz says the process runs (it touches nothing); /readyz says
 * whether this instance should get traffic: the database answers, the file storage can be
 * written and read back, no migration is pending, and the process is not shutting down. A load
 * balancer or an orchestrator probes it every few seconds, so results are kept for a few seconds
 * and concurrent probes share one check.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { pendingMigrations } from '../db/migrate.js';
import type { BlobStore } from '../storage/blob-store.js';
import { describeDatabaseError, firstLine } from './describe-failure.js';

export interface ReadinessReport {
  ready: boolean;
  /** "ok", or what is wrong in plain words. */
  checks: { database: string; storage: string; migrations: string };
  shuttingDown: boolean;
}

const DATABASE_TIMEOUT_MS = 2000;
const STORAGE_TIMEOUT_MS = 5000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class Readiness {
  private shuttingDown = false;
  private last: { at: number; report: ReadinessReport } | undefined;
  private inFlight: Promise<ReadinessReport> | undefined;

  constructor(
    private readonly database: Database,
    private readonly blobs: Pick<BlobStore, 'check'>,
    private readonly cacheMs = 3000,
  ) {}

  /** From now on /readyz answers 503, so that balancers stop sending new requests here. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** The latest result without checking again (metrics); undefined before the first check. */
  get lastReport(): ReadinessReport | undefined {
    if (!this.last) return undefined;
    const { report } = this.last;
    return {
      ...report,
      ready: report.ready && !this.shuttingDown,
      shuttingDown: this.shuttingDown,
    };
  }

  async report(): Promise<ReadinessReport> {
    if (!this.last || Date.now() - this.last.at >= this.cacheMs) {
      this.inFlight ??= this.checkAll().finally(() => (this.inFlight = undefined));
      await this.inFlight;
    }
    return this.lastReport!;
  }

  private async checkAll(): Promise<ReadinessReport> {
    const [database, migrations, storage] = await Promise.all([
      withTimeout(sql`select 1`.execute(this.database.db), DATABASE_TIMEOUT_MS, 'the database')
        .then(() => 'ok')
        .catch((error: unknown) => `cannot reach the database: ${describeDatabaseError(error)}`),
      withTimeout(pendingMigrations(this.database), DATABASE_TIMEOUT_MS, 'the database')
        .then((pending) =>
          pending.length ? `migrations not applied yet: ${pending.join(', ')}` : 'ok',
        )
        .catch((error: unknown) => `cannot read the migrations: ${describeDatabaseError(error)}`),
      withTimeout(this.blobs.check(), STORAGE_TIMEOUT_MS, 'the file storage')
        .then(() => 'ok')
        .catch((error: unknown) => `file storage not usable: ${firstLine(error)}`),
    ]);
    const checks = { database, storage, migrations };
    const report: ReadinessReport = {
      ready: Object.values(checks).every((c) => c === 'ok'),
      checks,
      shuttingDown: false,
    };
    this.last = { at: Date.now(), report };
    return report;
  }
}

/** GET /healthz and GET /readyz: never cached, never rate-limited, not logged at info. */
export function registerHealthRoutes(app: FastifyInstance, readiness: Readiness): void {
  app.get('/healthz', async (_request, reply) =>
    reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('ok\n'),
  );
  app.get('/readyz', async (_request, reply) => {
    const report = await readiness.report();
    reply.header('cache-control', 'no-store').type('application/json; charset=utf-8');
    if (!report.ready) reply.code(503).header('retry-after', '5');
    return reply.send(
      JSON.stringify({
        status: report.ready ? 'ready' : report.shuttingDown ? 'shutting down' : 'not ready',
        checks: report.checks,
      }),
    );
  });
}
