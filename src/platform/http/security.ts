import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { CSS_HASH } from '../views/styles.js';

/**
 * Headers on every response. The CSP allows nothing from other origins: a regression that adds
 * a CDN, a font host or a tracker fails loudly in the browser and in the header tests. No
 * upgrade-insecure-requests: plain-HTTP installs on a workshop LAN must keep working.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: [CSS_HASH],
        imgSrc: ["'self'"],
        mediaSrc: ["'self'"],
        scriptSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    // HSTS only makes sense behind TLS, which the operator's proxy decides.
    strictTransportSecurity: false,
  });
}
