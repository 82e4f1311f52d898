import type { FastifyInstance } from 'fastify';
import type { ProgrammeDeps } from '../programmes/deps.js';

/** Signed-in pages, registered inside the workspace guard. */
export function registerImpactWorkspaceRoutes(_scope: FastifyInstance, _deps: ProgrammeDeps) {}
