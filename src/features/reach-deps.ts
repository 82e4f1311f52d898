import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/database.js';
import type { DB } from '../platform/db/schema.js';
import type { PageRenderer } from '../platform/http/pages.js';
import type { BlobStore } from '../platform/storage/blob-store.js';
import type { LibraryData } from './library/cached-repository.js';

/** What the machine-readable routes (OPDS, OAI-PMH, sitemaps and feeds, the JSON API) use. */
export interface ReachDeps {
  db: Kysely<DB>;
  database: Database;
  pages: PageRenderer;
  data: LibraryData;
  blobs: BlobStore;
  /** PUBLIC_URL, if configured: see platform/http/public-url.ts. */
  publicUrl: string | undefined;
  /** ADMIN_EMAIL, if configured. */
  adminEmail: string | undefined;
}
