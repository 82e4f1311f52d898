import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { DB } from '../../platform/db/schema.js';
import type { FieldCipher } from '../../platform/crypto/field-encryption.js';
import type { PageRenderer } from '../../platform/http/pages.js';
import type { RateLimiter } from '../../platform/http/rate-limit.js';
import type { BlobStore } from '../../platform/storage/blob-store.js';

/** What the curriculum, event, participant, survey, project and report routes work with. */
export interface ProgrammeDeps {
  db: Kysely<DB>;
  database: Database;
  pages: PageRenderer;
  blobs: BlobStore;
  /** Encrypts and decrypts participants' personal fields; computes code blind indexes. */
  cipher: FieldCipher;
  /** Limits guessing of participant codes and certificate verification codes. */
  limiter: RateLimiter;
  clock: () => Date;
}
