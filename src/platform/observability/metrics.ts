/**
 * Prometheus metrics in a registry of this app's own (tests run several apps in one process).
 * Labels are route templates ("/:lang/works/:slug"), methods and status classes: never a raw
 * URL, a query string, a client address or anything about a person.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/database.js';
import type { Readiness } from './health.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const JOB_STATES = ['queued', 'running', 'done', 'failed'] as const;

/** The route template of a request, or "unmatched" (404s: their URLs are anyone's input). */
export function routeLabel(request: FastifyRequest): string {
  return request.is404 ? 'unmatched' : (request.routeOptions?.url ?? 'unmatched');
}

export class AppMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status_class'>;
  private readonly duration: Histogram<'method' | 'route' | 'status_class'>;

  constructor(database: Database, readiness: Readiness) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route template and status class',
      labelNames: ['method', 'route', 'status_class'],
      registers,
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer HTTP requests (until the last byte was handed to the socket)',
      labelNames: ['method', 'route', 'status_class'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
      registers,
    });
    new Gauge({
      name: 'learning_center_jobs',
      help: 'Background jobs in the queue, by state (read from the database at scrape time)',
      labelNames: ['state'],
      registers,
      async collect() {
        const rows = await database.db
          .selectFrom('jobs')
          .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
          .groupBy('state')
          .execute()
          .catch(() => undefined);
        if (!rows) return; // the database is down: /readyz says so, keep the last values
        for (const state of JOB_STATES) {
          this.set({ state }, Number(rows.find((r) => r.state === state)?.n ?? 0));
        }
      },
    });
    new Gauge({
      name: 'learning_center_jobs_oldest_queued_age_seconds',
      help: 'How long the oldest runnable queued job has waited (0 when none waits)',
      registers,
      async collect() {
        const now = new Date();
        const row = await database.db
          .selectFrom('jobs')
          .select((eb) => eb.fn.min('run_after').as('oldest'))
          .where('state', '=', 'queued')
          .where('run_after', '<=', now.toISOString())
          .executeTakeFirst()
          .catch(() => undefined);
        if (!row) return;
        const oldest = row.oldest ? Date.parse(row.oldest) : NaN;
        this.set(Number.isNaN(oldest) ? 0 : Math.max(0, (now.getTime() - oldest) / 1000));
      },
    });
    new Gauge({
      name: 'learning_center_ready',
      help: '1 when this instance is ready for traffic (as /readyz), 0 otherwise',
      registers,
      async collect() {
        this.set((await readiness.report()).ready ? 1 : 0);
      },
    });
  }

  observe(request: FastifyRequest, reply: FastifyReply): void {
    const labels = {
      method: METHODS.has(request.method) ? request.method : 'OTHER',
      route: routeLabel(request),
      status_class: `${Math.floor(reply.statusCode / 100)}xx`,
    };
    this.requests.inc(labels);
    this.duration.observe(labels, reply.elapsedTime / 1000);
  }
}

/**
 * Who may read /metrics: with METRICS_TOKEN set, whoever sends it as a Bearer token; without it,
 * only a direct connection from this machine. A request relayed by a proxy on this machine (nginx)
 * also comes from loopback, so one that carries proxy headers is refused: the public must not
 * reach the metrics through the site's own proxy.
 */
export function mayReadMetrics(request: FastifyRequest, token: string | undefined): boolean {
  if (token) {
    const given = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
  const address = request.raw.socket.remoteAddress ?? '';
  const loopback = address === '::1' || /^(::ffff:)?127\./.test(address);
  const proxied = ['x-forwarded-for', 'x-forwarded-proto', 'x-real-ip', 'forwarded'].some(
    (h) => request.headers[h] !== undefined,
  );
  return loopback && !proxied;
}

export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: AppMetrics,
  token: string | undefined,
): void {
  app.get('/metrics', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!mayReadMetrics(request, token)) {
      return reply
        .code(403)
        .type('text/plain; charset=utf-8')
        .send('Metrics are served to this machine only, or with the METRICS_TOKEN.\n');
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
