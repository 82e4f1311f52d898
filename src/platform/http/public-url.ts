import type { FastifyRequest } from 'fastify';

/**
 * The absolute address of the site, without a trailing slash: PUBLIC_URL when configured (behind
 * a proxy, or for links that must not depend on how a client reached us), else the request's
 * own protocol and Host.
 */
export function publicBaseUrl(request: FastifyRequest, configured: string | undefined): string {
  if (configured) return configured;
  return `${request.protocol}://${request.host}`;
}
