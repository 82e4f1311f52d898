import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { PageRenderer } from '../../platform/http/pages.js';
import { registerBrowseRoutes } from './browse-routes.js';
import type { LibraryData } from './cached-repository.js';
import { registerSavingRoutes } from './saving-routes.js';
import { registerWorkRoutes } from './work-routes.js';

/** The public library: every page a reader can reach without an account. */
export function registerLibraryRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<DB>; pages: PageRenderer; data: LibraryData },
) {
  registerBrowseRoutes(app, deps);
  registerWorkRoutes(app, deps);
  registerSavingRoutes(app, deps);
}
