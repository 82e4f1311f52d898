/**
 * Draining the HTTP server on shutdown. Fastify's close stops accepting and answers new requests
 * on kept-alive connections with 503 + Connection: close; requests in flight go on. Connections
 * that fall idle are closed as they do; whatever still runs when the grace period ends is cut off
 * by destroying its socket. A cut response has a Content-Length or is chunked, so the client sees
 * an incomplete body as an error, never as a complete short one.
 */
import type { FastifyInstance } from 'fastify';

export async function drainHttpServer(
  app: FastifyInstance,
  graceMs: number,
): Promise<{ cutOff: boolean }> {
  let cutOff = false;
  const idle = setInterval(() => app.server.closeIdleConnections(), 200);
  const deadline = setTimeout(() => {
    cutOff = true;
    app.server.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearInterval(idle);
    clearTimeout(deadline);
  }
  return { cutOff };
}
