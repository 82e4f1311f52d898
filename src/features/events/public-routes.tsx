import type { FastifyInstance } from 'fastify';
import type { ProgrammeDeps } from '../programmes/deps.js';

/** Public pages (no account). */
export function registerEventPublicRoutes(_app: FastifyInstance, _deps: ProgrammeDeps) {}
