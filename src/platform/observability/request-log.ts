/**
 * Request ids and the one log line per request. A request id ties the proxy's access log, this
 * log and the error page a person reports together: nginx sends its $request_id, which is
 * honoured when it looks like one; otherwise one is made here. The line records method, route
 * template, status and time only: never a client address, a query string (search terms, codes),
 * a cookie or a body.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routeLabel } from './metrics.js';

const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;
export const REQUEST_ID_HEADER = 'x-request-id';
/** Probes come every few seconds: at info level they would drown the requests that matter. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/** For Fastify's `genReqId`: the proxy's id when well-formed, else a fresh one. */
export function requestIdFor(raw: IncomingMessage): string {
  const given = raw.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Log serializers that keep only what may be logged. */
export const logSerializers = {
  req: (req: { method: string; routeOptions?: { url?: string } }) => ({
    method: req.method,
    route: req.routeOptions?.url,
  }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
};

export function registerRequestLog(
  app: FastifyInstance,
  onAnswered: (request: FastifyRequest, reply: FastifyReply) => void,
): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    onAnswered(request, reply);
    const route = routeLabel(request);
    const line = {
      method: request.method,
      route,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (QUIET_ROUTES.has(route)) request.log.debug(line, 'request');
    else request.log.info(line, 'request');
  });
}
