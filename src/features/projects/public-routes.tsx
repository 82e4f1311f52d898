import type { FastifyInstance } from 'fastify';
import type { ProgrammeDeps } from '../programmes/deps.js';

/** Public pages (no account). */
export function registerProjectPublicRoutes(_app: FastifyInstance, _deps: ProgrammeDeps) {}
