/**
 * Health, readiness, metrics and request logs, registered on the app in one call. The returned
 * Readiness is what shutdown marks so that /readyz turns 503 before the server stops accepting.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import type { BlobStore } from '../storage/blob-store.js';
import { Readiness, registerHealthRoutes } from './health.js';
import { AppMetrics, registerMetricsRoute } from './metrics.js';
import { registerRequestLog } from './request-log.js';

export { Readiness } from './health.js';
export { logSerializers, requestIdFor } from './request-log.js';

export function registerObservability(
  app: FastifyInstance,
  deps: {
    database: Database;
    blobs: Pick<BlobStore, 'check'>;
    metricsToken: string | undefined;
  },
): Readiness {
  const readiness = new Readiness(deps.database, deps.blobs);
  const metrics = new AppMetrics(deps.database, readiness);
  registerRequestLog(app, (request, reply) => metrics.observe(request, reply));
  registerHealthRoutes(app, readiness);
  registerMetricsRoute(app, metrics, deps.metricsToken);
  return readiness;
}
