import type { FastifyInstance } from 'fastify';
import type { ProgrammeDeps } from '../programmes/deps.js';

/** Public pages (no account). */
export function registerSurveyPublicRoutes(_app: FastifyInstance, _deps: ProgrammeDeps) {}
