/**
 * Imports a folder described by a manifest (docs/import-format.md) into the library.
 *
 * 1. The manifest is parsed and validated, and every HTML file is read and sanitised: any problem
 *    stops the import before anything is written (ManifestError lists them all).
 * 2. Files are hashed and copied into the content-addressed blob store (idempotent: a blob that is
 *    already there is not copied again).
 * 3. One database transaction writes everything, only where it differs from what is stored, so
 *    that a re-import of the same folder changes nothing, not even the content version.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import { bumpContentVersion } from '../../platform/db/content-version.js';
import type { DB } from '../../platform/db/schema.js';
import type { BlobStore } from '../../platform/storage/blob-store.js';
import { Progress, type ImportProgress } from './import-progress.js';
import {
  loadManifest,
  ManifestError,
  type KnownSlugs,
  type Manifest,
  type ManifestProblem,
} from './manifest.js';
import { prepareHtmlFiles } from './prepare-html.js';
import { commitStoredFiles, discardStoredFiles, storeFiles } from './store-files.js';
import { addWebVttVersions } from './subtitles.js';
import { writeCollections } from './write-collections.js';
import { writeLanguages, writeOrganisations, writeTopics } from './write-catalogue.js';
import { EditionWriter, type EditionCounts } from './write-editions.js';
import { writeWorks } from './write-works.js';
import { reindexEditions } from '../search/indexer.js';

export type { ImportProgress } from './import-progress.js';

export interface ImportOptions {
  /** The manifest to use instead of DIR/manifest.yaml; file paths still resolve against DIR. */
  manifestPath?: string;
  onProgress?: (p: ImportProgress) => void;
  /**
   * Checks the parsed manifest against what the importing person may change (the workspace);
   * any problem returned stops the import before anything is written, like a manifest error.
   */
  authorise?: (manifest: Manifest) => Promise<ManifestProblem[]>;
}

/**
 * `works`, `editions` and `files` count what the manifest lists; `created`, `updated` and
 * `unchanged` count editions (created + updated + unchanged = editions).
 */
export interface ImportResult extends EditionCounts {
  works: number;
  editions: number;
  files: number;
}

/**
 * Imports the folder `dir` as its manifest describes. Throws ManifestError (and writes nothing)
 * when the manifest or any file it names has a problem.
 */
export async function importDirectory(
  database: Database,
  blobs: BlobStore,
  dir: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const root = path.resolve(dir);
  const known = await knownSlugs(database.db);
  const manifest = await loadManifest(root, { manifestPath: options.manifestPath, known });
  const refused = options.authorise ? await options.authorise(manifest) : [];
  if (refused.length) throw new ManifestError(refused);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-import-'));
  try {
    addWebVttVersions(manifest, tmpDir);
    return await importManifest(database, blobs, manifest, options);
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

/** The slugs already in the library, which a manifest may refer to without defining them. */
async function knownSlugs(db: Kysely<DB>): Promise<KnownSlugs> {
  const [organisations, topics, works] = await Promise.all([
    db.selectFrom('organisations').select('slug').execute(),
    db.selectFrom('topics').select('slug').execute(),
    db.selectFrom('works').select('slug').execute(),
  ]);
  return {
    organisations: new Set(organisations.map((r) => r.slug)),
    topics: new Set(topics.map((r) => r.slug)),
    works: new Set(works.map((r) => r.slug)),
  };
}

async function importManifest(
  database: Database,
  blobs: BlobStore,
  manifest: Manifest,
  options: ImportOptions,
): Promise<ImportResult> {
  const editions = manifest.works.flatMap((w) => w.editions);
  const htmlCount = new Set(editions.flatMap((e) => (e.html ? [e.html.absolutePath] : []))).size;
  const fileCount = new Set(editions.flatMap((e) => e.files.map((f) => f.absolutePath))).size;
  const progress = new Progress(htmlCount + fileCount + editions.length, options.onProgress);

  const html = await prepareHtmlFiles(manifest, progress);
  const stored = await storeFiles(manifest, blobs, progress);
  const files = stored.blobs;

  const result: ImportResult = {
    works: manifest.works.length,
    editions: editions.length,
    files: editions.reduce((n, e) => n + e.files.length, 0),
    created: 0,
    updated: 0,
    unchanged: 0,
  };

  try {
    await database.db.transaction().execute(async (trx) => {
      const now = new Date().toISOString();
      const languagesChanged = await writeLanguages(trx, manifest);
      const organisations = await writeOrganisations(trx, manifest, now);
      const topics = await writeTopics(trx, manifest);
      const editionWriter = new EditionWriter(trx, now, html, files, progress, result);
      const works = await writeWorks(
        {
          trx,
          now,
          organisationIds: organisations.ids,
          topicIds: topics.ids,
          editions: editionWriter,
        },
        manifest,
      );
      const collectionsChanged = await writeCollections(trx, manifest, works.ids, now);
      // In the same transaction: search never shows what the library does not.
      await reindexEditions(trx, editionWriter.changedIds);
      if (
        languagesChanged ||
        organisations.changed ||
        topics.changed ||
        works.changed ||
        collectionsChanged
      ) {
        await bumpContentVersion(trx);
      }
    });
  } catch (error) {
    await discardStoredFiles(blobs, stored.staged);
    throw error;
  }
  // Only now, with the rows committed, do the new blobs become visible.
  await commitStoredFiles(blobs, stored.staged);
  return result;
}
