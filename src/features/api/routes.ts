import type { FastifyInstance } from 'fastify';
import type { ReachDeps } from '../reach-deps.js';

export function registerApiRoutes(_app: FastifyInstance, _deps: ReachDeps) {}
