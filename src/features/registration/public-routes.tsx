import type { FastifyInstance } from 'fastify';
import type { ProgrammeDeps } from '../programmes/deps.js';

/** Public pages (no account). */
export function registerRegistrationPublicRoutes(_app: FastifyInstance, _deps: ProgrammeDeps) {}
