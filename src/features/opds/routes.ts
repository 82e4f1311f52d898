import type { FastifyInstance } from 'fastify';
import type { ReachDeps } from '../reach-deps.js';

export function registerOpdsRoutes(_app: FastifyInstance, _deps: ReachDeps) {}
