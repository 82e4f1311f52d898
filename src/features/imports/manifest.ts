/**
 * The import manifest (docs/import-format.md): parsing and validation. Everything is checked
 * before anything is written, and every problem is reported with the file and line it comes from,
 * so that an editor can fix a manifest in one pass.
 *
 * This module finds, reads and validates a manifest, section by section (check-*.ts), and is the
 * entry point for code outside the import: the types and helpers it uses are re-exported here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkLanguages, checkOrganisations, checkTopics } from './check-catalogue.js';
import { checkCollections } from './check-collections.js';
import { checkWorks, listedWorkSlugs } from './check-works.js';
import { readManifestDocument } from './manifest-checker.js';
import { ManifestError } from './manifest-error.js';
import { pathChecker, resolveImportFolder } from './manifest-paths.js';
import type { KnownSlugs, Manifest } from './manifest-types.js';

export { ManifestError, type ManifestProblem } from './manifest-error.js';
export {
  ORGANISATION_KINDS,
  type KnownSlugs,
  type Manifest,
  type ManifestCollection,
  type ManifestEdition,
  type ManifestFile,
  type ManifestInput,
  type ManifestLanguage,
  type ManifestOrganisation,
  type ManifestSource,
  type ManifestTopic,
  type ManifestWork,
  type OrganisationKind,
} from './manifest-types.js';
export { SLUG_PATTERN } from './manifest-checker.js';
export { MEDIA_TYPES, cleanFilename, mediaTypeOf } from './file-metadata.js';

/** The manifest file names looked for in the import folder, in order. */
export const MANIFEST_NAMES = ['manifest.yaml', 'manifest.yml', 'manifest.json'];

const NO_KNOWN: KnownSlugs = { organisations: new Set(), topics: new Set(), works: new Set() };

const TOP_KEYS = ['organisations', 'languages', 'topics', 'collections', 'works'];

/**
 * Parses and validates manifest text. `file` names the manifest in problems; file paths resolve
 * against `dir`. Throws ManifestError listing every problem.
 */
export function parseManifest(
  text: string,
  file: string,
  dir: string,
  known: KnownSlugs = NO_KNOWN,
): Manifest {
  const c = readManifestDocument(text, file);
  const realDir = resolveImportFolder(c, dir);
  const checkPath = pathChecker(c, dir, realDir);

  if (c.isNull(c.contents)) {
    c.report(c.contents, 'the manifest is empty');
    throw new ManifestError(c.problems);
  }
  const top = c.map(c.contents, 'manifest', TOP_KEYS);
  if (!top) throw new ManifestError(c.problems);

  const list = (name: string): unknown[] => {
    const entry = top.get(name);
    if (!entry) return [];
    return c.seq(entry.value, name, c.line(entry.key)) ?? [];
  };

  // Sections in the order they may refer to each other; collections may also name works listed
  // after them, hence the slugs of every work as written.
  const organisations = checkOrganisations(c, list('organisations'));
  const languages = checkLanguages(c, list('languages'));
  const topics = checkTopics(c, list('topics'));
  const workNodes = list('works');
  const workSlugs = listedWorkSlugs(c, workNodes);
  const works = checkWorks(c, workNodes, checkPath, {
    isOrganisation: (slug) => organisations.slugs.has(slug) || known.organisations.has(slug),
    isTopic: (slug) => topics.slugs.has(slug) || known.topics.has(slug),
  });
  const collections = checkCollections(
    c,
    list('collections'),
    (slug) => workSlugs.has(slug) || known.works.has(slug),
  );

  if (c.problems.length) throw new ManifestError(c.problems);
  return {
    file,
    dir: realDir,
    organisations: organisations.items,
    languages,
    topics: topics.items,
    collections,
    works,
  };
}

/** The manifest file of an import folder (or the one given), and how problems should name it. */
export function locateManifest(dir: string, manifestPath?: string): string {
  if (manifestPath) return path.resolve(manifestPath);
  for (const name of MANIFEST_NAMES) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new ManifestError([
    {
      file: path.join(dir, MANIFEST_NAMES[0]!),
      line: 1,
      message: `no ${MANIFEST_NAMES.join(' or ')} in ${dir}`,
    },
  ]);
}

/** Reads and validates the manifest of `dir` (or `manifestPath`). Throws ManifestError. */
export async function loadManifest(
  dir: string,
  options: { manifestPath?: string | undefined; known?: KnownSlugs } = {},
): Promise<Manifest> {
  const file = locateManifest(dir, options.manifestPath);
  let text: string;
  try {
    const bytes = await fs.promises.readFile(file);
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ManifestError([
      {
        file,
        line: 1,
        message:
          code === 'ENOENT'
            ? 'manifest not found'
            : code
              ? `cannot read the manifest (${code})`
              : 'the manifest is not valid UTF-8 text',
      },
    ]);
  }
  return parseManifest(text, file, dir, options.known);
}
