/**
 * Imports a folder described by a manifest (docs/import-format.md) into the library.
 *
 * 1. The manifest is parsed and validated, and every HTML file is read and sanitised: any problem
 *    stops the import before anything is written (ManifestError lists them all).
 * 2. Files are hashed and copied into the content-addressed blob store (idempotent: a blob that is
 *    already there is not copied again).
 * 3. One database transaction writes everything. Each edition carries a fingerprint of its source
 *    (source_hash), so an unchanged edition is skipped and a re-import of the same folder changes
 *    nothing, not even the content version.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import { bumpContentVersion } from '../../platform/db/content-version.js';
import type {
  DB,
  EditionFileTable,
  EditionSectionTable,
  EditionTable,
} from '../../platform/db/schema.js';
import { LocalBlobStore, sha256OfFile } from '../../platform/storage/blob-store.js';
import { directionOf, endonymOf, englishNameOf, scriptOf } from '../../platform/i18n/languages.js';
import {
  ManifestError,
  loadManifest,
  type KnownSlugs,
  type Manifest,
  type ManifestEdition,
  type ManifestProblem,
} from './manifest.js';
import { SANITIZER_VERSION, prepareHtmlEdition, type Section } from './sanitize-html.js';
import { addWebVttVersions } from './subtitles.js';

export interface ImportProgress {
  done: number;
  total: number;
  label: string;
}

export interface ImportOptions {
  /** The manifest to use instead of DIR/manifest.yaml; file paths still resolve against DIR. */
  manifestPath?: string;
  onProgress?: (p: ImportProgress) => void;
}

/**
 * `works`, `editions` and `files` count what the manifest lists; `created`, `updated` and
 * `unchanged` count editions (created + updated + unchanged = editions).
 */
export interface ImportResult {
  works: number;
  editions: number;
  files: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** HTML files larger than this are refused: an edition is read in the browser, page by page. */
const MAX_HTML_BYTES = 32 * 1024 * 1024;
/** Rows per INSERT: well under SQLite's and PostgreSQL's limits on bound parameters. */
const BATCH_ROWS = 200;
/** Editions written between two progress reports. */
const EDITION_BATCH = 50;
const PROGRESS_INTERVAL_MS = 100;

interface PreparedHtml {
  sha256: string;
  sections: Section[];
}

interface StoredFile {
  sha256: string;
  size: number;
}

class Progress {
  private done = 0;
  private last = 0;
  constructor(
    private readonly total: number,
    private readonly report: ((p: ImportProgress) => void) | undefined,
  ) {
    this.emit('Starting', true);
  }
  tick(label: string, count = 1): void {
    this.done += count;
    this.emit(label, this.done >= this.total);
  }
  private emit(label: string, force: boolean): void {
    if (!this.report) return;
    const now = Date.now();
    if (!force && now - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = now;
    this.report({ done: Math.min(this.done, this.total), total: this.total, label });
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function selectIn<T>(
  values: readonly string[],
  query: (chunk: string[]) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunk([...new Set(values)], 500)) out.push(...(await query(part)));
  return out;
}

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

/** Reads, checks and sanitises every HTML file before anything is written. */
async function prepareHtmlFiles(
  manifest: Manifest,
  progress: Progress,
): Promise<Map<string, PreparedHtml>> {
  const prepared = new Map<string, PreparedHtml>();
  const problems: ManifestProblem[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const work of manifest.works) {
    for (const edition of work.editions) {
      const source = edition.html;
      if (!source || prepared.has(source.absolutePath)) continue;
      const problem = (message: string) =>
        problems.push({ file: manifest.file, line: source.line, message });
      const stat = await fs.promises.stat(source.absolutePath);
      if (stat.size > MAX_HTML_BYTES) {
        problem(`"${source.path}" is too large for an HTML edition (${stat.size} bytes)`);
        continue;
      }
      const bytes = await fs.promises.readFile(source.absolutePath);
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch {
        problem(`"${source.path}" is not valid UTF-8 text`);
        continue;
      }
      const { sections } = prepareHtmlEdition(text);
      if (sections.length === 0) {
        problem(`"${source.path}" has no readable content after sanitising`);
        continue;
      }
      prepared.set(source.absolutePath, {
        sha256: createHash('sha256').update(bytes).digest('hex'),
        sections,
      });
      progress.tick(`Reading ${source.path}`);
    }
  }
  if (problems.length) throw new ManifestError(problems);
  return prepared;
}

/** Hashes every file and copies the ones the blob store does not have yet. */
async function storeFiles(
  manifest: Manifest,
  blobs: LocalBlobStore,
  progress: Progress,
): Promise<Map<string, StoredFile>> {
  const stored = new Map<string, StoredFile>();
  for (const work of manifest.works) {
    for (const edition of work.editions) {
      for (const file of edition.files) {
        if (stored.has(file.absolutePath)) continue;
        let blob = await sha256OfFile(file.absolutePath);
        if (!(await blobs.has(blob.sha256))) {
          progress.tick(`Copying ${file.path}`, 0);
          // putFile hashes what it actually copied: trust that if the file changed meanwhile.
          blob = await blobs.putFile(file.absolutePath);
        }
        stored.set(file.absolutePath, blob);
        progress.tick(`Stored ${file.path}`);
      }
    }
  }
  return stored;
}

function sourceHash(
  edition: ManifestEdition,
  html: PreparedHtml | undefined,
  files: Map<string, StoredFile>,
): string {
  const normalised = {
    sanitizer: SANITIZER_VERSION,
    language: edition.language,
    title: edition.title,
    summary: edition.summary,
    status: edition.status,
    html: html?.sha256 ?? null,
    files: edition.files.map((f) => ({
      sha256: files.get(f.absolutePath)!.sha256,
      role: f.role,
      language: f.language,
      filename: f.filename,
      media_type: f.mediaType,
    })),
  };
  return createHash('sha256').update(JSON.stringify(normalised)).digest('hex');
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

async function insertRows<T extends keyof DB>(
  trx: Transaction<DB>,
  table: T,
  rows: readonly object[],
): Promise<void> {
  // Kysely cannot type `values` for a table chosen at run time; callers pass rows of `table`.
  type Rows = Parameters<ReturnType<typeof trx.insertInto<T>>['values']>[0];
  for (const part of chunk(rows, BATCH_ROWS)) {
    await trx
      .insertInto(table)
      .values(part as Rows)
      .execute();
  }
}

/**
 * Imports the folder `dir` as its manifest describes. Throws ManifestError (and writes nothing)
 * when the manifest or any file it names has a problem.
 */
export async function importDirectory(
  database: Database,
  blobs: LocalBlobStore,
  dir: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const root = path.resolve(dir);
  const known = await knownSlugs(database.db);
  const manifest = await loadManifest(root, { manifestPath: options.manifestPath, known });
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-import-'));
  try {
    addWebVttVersions(manifest, tmpDir);
    return await importManifest(database, blobs, manifest, options);
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

async function importManifest(
  database: Database,
  blobs: LocalBlobStore,
  manifest: Manifest,
  options: ImportOptions,
): Promise<ImportResult> {
  const editions = manifest.works.flatMap((w) => w.editions);
  const htmlCount = new Set(editions.flatMap((e) => (e.html ? [e.html.absolutePath] : []))).size;
  const fileCount = new Set(editions.flatMap((e) => e.files.map((f) => f.absolutePath))).size;
  const progress = new Progress(htmlCount + fileCount + editions.length, options.onProgress);

  const html = await prepareHtmlFiles(manifest, progress);
  const files = await storeFiles(manifest, blobs, progress);

  const result: ImportResult = {
    works: manifest.works.length,
    editions: editions.length,
    files: editions.reduce((n, e) => n + e.files.length, 0),
    created: 0,
    updated: 0,
    unchanged: 0,
  };

  await database.db.transaction().execute(async (trx) => {
    const changed = await writeLibrary(trx, manifest, html, files, progress, result);
    if (changed) await bumpContentVersion(trx);
  });
  return result;
}

/** Writes the manifest's content; returns whether anything changed. */
async function writeLibrary(
  trx: Transaction<DB>,
  manifest: Manifest,
  html: Map<string, PreparedHtml>,
  files: Map<string, StoredFile>,
  progress: Progress,
  result: ImportResult,
): Promise<boolean> {
  const now = new Date().toISOString();
  let changed = false;

  // Languages: the manifest's overrides, and every tag used, created from Intl data if missing.
  const overrides = new Map(manifest.languages.map((l) => [l.tag, l]));
  const used = new Set<string>(overrides.keys());
  for (const work of manifest.works) {
    if (work.originalLanguage) used.add(work.originalLanguage);
    for (const edition of work.editions) {
      used.add(edition.language);
      for (const file of edition.files) if (file.language) used.add(file.language);
    }
  }
  const existingLanguages = new Map(
    (
      await selectIn([...used], (tags) =>
        trx.selectFrom('languages').selectAll().where('tag', 'in', tags).execute(),
      )
    ).map((r) => [r.tag, r]),
  );
  const newLanguages = [];
  for (const tag of used) {
    const o = overrides.get(tag);
    const row = {
      tag,
      endonym: o?.endonym ?? endonymOf(tag) ?? null,
      english_name: o?.englishName ?? englishNameOf(tag) ?? null,
      script: scriptOf(tag) ?? null,
      direction: directionOf(tag, o?.direction ?? undefined),
    };
    const existing = existingLanguages.get(tag);
    if (!existing) newLanguages.push(row);
    else if (
      o &&
      (existing.endonym !== row.endonym ||
        existing.english_name !== row.english_name ||
        existing.script !== row.script ||
        existing.direction !== row.direction)
    ) {
      await trx.updateTable('languages').set(row).where('tag', '=', tag).execute();
      changed = true;
    }
  }
  if (newLanguages.length) {
    await insertRows(trx, 'languages', newLanguages);
    changed = true;
  }

  // Organisations.
  const orgSlugs = [
    ...manifest.organisations.map((o) => o.slug),
    ...manifest.works.flatMap((w) => (w.publisher ? [w.publisher] : [])),
  ];
  const orgs = new Map(
    (
      await selectIn(orgSlugs, (slugs) =>
        trx.selectFrom('organisations').selectAll().where('slug', 'in', slugs).execute(),
      )
    ).map((r) => [r.slug, r]),
  );
  for (const o of manifest.organisations) {
    const existing = orgs.get(o.slug);
    if (!existing) {
      const row = {
        id: randomUUID(),
        slug: o.slug,
        name: o.name,
        country: o.country,
        kind: o.kind,
        created_at: now,
      };
      await trx.insertInto('organisations').values(row).execute();
      orgs.set(o.slug, row);
      changed = true;
    } else if (
      existing.name !== o.name ||
      existing.country !== o.country ||
      existing.kind !== o.kind
    ) {
      await trx
        .updateTable('organisations')
        .set({ name: o.name, country: o.country, kind: o.kind })
        .where('id', '=', existing.id)
        .execute();
      changed = true;
    }
  }

  // Topics and their labels.
  const topicSlugs = [
    ...manifest.topics.map((t) => t.slug),
    ...manifest.works.flatMap((w) => w.topics),
  ];
  const topics = new Map(
    (
      await selectIn(topicSlugs, (slugs) =>
        trx.selectFrom('topics').selectAll().where('slug', 'in', slugs).execute(),
      )
    ).map((r) => [r.slug, r.id]),
  );
  const existingTopicIds = manifest.topics.flatMap((t) =>
    topics.has(t.slug) ? [topics.get(t.slug)!] : [],
  );
  const topicLabels = new Map<string, Record<string, string>>();
  for (const row of await selectIn(existingTopicIds, (ids) =>
    trx.selectFrom('topic_labels').selectAll().where('topic_id', 'in', ids).execute(),
  )) {
    const labels = topicLabels.get(row.topic_id) ?? {};
    labels[row.language] = row.label;
    topicLabels.set(row.topic_id, labels);
  }
  for (const t of manifest.topics) {
    let id = topics.get(t.slug);
    if (!id) {
      id = randomUUID();
      await trx.insertInto('topics').values({ id, slug: t.slug }).execute();
      topics.set(t.slug, id);
      changed = true;
    }
    if (!sameRecord(topicLabels.get(id) ?? {}, t.labels)) {
      await trx.deleteFrom('topic_labels').where('topic_id', '=', id).execute();
      const topicId = id;
      await insertRows(
        trx,
        'topic_labels',
        Object.entries(t.labels).map(([language, label]) => ({
          topic_id: topicId,
          language,
          label,
        })),
      );
      changed = true;
    }
  }

  // Works.
  const workSlugs = [
    ...manifest.works.map((w) => w.slug),
    ...manifest.collections.flatMap((c) => c.works),
  ];
  const works = new Map(
    (
      await selectIn(workSlugs, (slugs) =>
        trx.selectFrom('works').selectAll().where('slug', 'in', slugs).execute(),
      )
    ).map((r) => [r.slug, r]),
  );
  const existingWorkIds = manifest.works.flatMap((w) =>
    works.has(w.slug) ? [works.get(w.slug)!.id] : [],
  );
  const workTopics = new Map<string, Set<string>>();
  for (const row of await selectIn(existingWorkIds, (ids) =>
    trx.selectFrom('work_topics').selectAll().where('work_id', 'in', ids).execute(),
  )) {
    const set = workTopics.get(row.work_id) ?? new Set<string>();
    set.add(row.topic_id);
    workTopics.set(row.work_id, set);
  }
  const existingEditions = new Map(
    (
      await selectIn(existingWorkIds, (ids) =>
        trx
          .selectFrom('editions')
          .select(['id', 'work_id', 'language', 'source_hash', 'version', 'published_at'])
          .where('work_id', 'in', ids)
          .execute(),
      )
    ).map((r) => [`${r.work_id}\n${r.language}`, r]),
  );

  interface PendingEdition {
    row: EditionTable;
    files: EditionFileTable[];
    sections: EditionSectionTable[];
    isNew: boolean;
    label: string;
  }
  const pending: PendingEdition[] = [];
  const blobRows = new Map<
    string,
    { sha256: string; size: number; media_type: string; created_at: string }
  >();

  for (const w of manifest.works) {
    const fields = {
      type: w.type,
      publisher_id: w.publisher ? orgs.get(w.publisher)!.id : null,
      licence: w.licence,
      year: w.year,
      original_language: w.originalLanguage,
    };
    let work = works.get(w.slug);
    let workChanged = false;
    const workIsNew = !work;
    if (!work) {
      work = { id: randomUUID(), slug: w.slug, ...fields, created_at: now, updated_at: now };
      await trx.insertInto('works').values(work).execute();
      works.set(w.slug, work);
      changed = true;
    } else {
      workChanged =
        work.type !== fields.type ||
        work.publisher_id !== fields.publisher_id ||
        work.licence !== fields.licence ||
        work.year !== fields.year ||
        work.original_language !== fields.original_language;
    }
    const workId = work.id;

    const wantedTopics = new Set(w.topics.map((slug) => topics.get(slug)!));
    const haveTopics = workTopics.get(workId) ?? new Set<string>();
    if (
      wantedTopics.size !== haveTopics.size ||
      [...wantedTopics].some((t) => !haveTopics.has(t))
    ) {
      await trx.deleteFrom('work_topics').where('work_id', '=', workId).execute();
      await insertRows(
        trx,
        'work_topics',
        [...wantedTopics].map((topic_id) => ({ work_id: workId, topic_id })),
      );
      workChanged = true;
    }

    for (const e of w.editions) {
      const prepared = e.html ? html.get(e.html.absolutePath) : undefined;
      const hash = sourceHash(e, prepared, files);
      const existing = existingEditions.get(`${workId}\n${e.language}`);
      const label = `Writing ${w.slug} (${e.language})`;
      if (existing && existing.source_hash === hash) {
        result.unchanged += 1;
        progress.tick(label);
        continue;
      }
      const published = e.status === 'published';
      const editionId = existing?.id ?? randomUUID();
      const row: EditionTable = {
        id: editionId,
        work_id: workId,
        language: e.language,
        title: e.title,
        summary: e.summary,
        status: e.status,
        version: existing ? existing.version + 1 : 1,
        source_hash: hash,
        published_at: published ? (existing?.published_at ?? now) : null,
        created_at: now,
        updated_at: now,
      };
      const fileRows: EditionFileTable[] = e.files.map((f, position) => {
        const blob = files.get(f.absolutePath)!;
        if (!blobRows.has(blob.sha256)) {
          blobRows.set(blob.sha256, {
            sha256: blob.sha256,
            size: blob.size,
            media_type: f.mediaType,
            created_at: now,
          });
        }
        return {
          id: randomUUID(),
          edition_id: editionId,
          blob_sha256: blob.sha256,
          filename: f.filename,
          role: f.role,
          language: f.language,
          position,
          created_at: now,
        };
      });
      const sectionRows: EditionSectionTable[] = (prepared?.sections ?? []).map((s, position) => ({
        edition_id: editionId,
        position,
        heading: s.heading,
        html: s.html,
      }));
      if (existing) {
        await trx
          .updateTable('editions')
          .set({
            title: row.title,
            summary: row.summary,
            status: row.status,
            version: row.version,
            source_hash: row.source_hash,
            published_at: row.published_at,
            updated_at: now,
          })
          .where('id', '=', editionId)
          .execute();
        await trx.deleteFrom('edition_files').where('edition_id', '=', editionId).execute();
        await trx.deleteFrom('edition_sections').where('edition_id', '=', editionId).execute();
        pending.push({ row, files: fileRows, sections: sectionRows, isNew: false, label });
        result.updated += 1;
        progress.tick(label);
      } else {
        pending.push({ row, files: fileRows, sections: sectionRows, isNew: true, label });
        result.created += 1;
      }
      workChanged = true;
    }

    if (workChanged && !workIsNew) {
      await trx
        .updateTable('works')
        .set({ ...fields, updated_at: now })
        .where('id', '=', workId)
        .execute();
    }
    if (workChanged) changed = true;
  }

  // Blobs before the files that refer to them; an existing blob row is kept as it is.
  for (const part of chunk([...blobRows.values()], BATCH_ROWS)) {
    await trx
      .insertInto('blobs')
      .values(part)
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  }

  // New editions in batches, with their files and sections; updated ones only need those.
  for (const batch of chunk(pending, EDITION_BATCH)) {
    const created = batch.filter((p) => p.isNew);
    await insertRows(
      trx,
      'editions',
      created.map((p) => p.row),
    );
    await insertRows(
      trx,
      'edition_files',
      batch.flatMap((p) => p.files),
    );
    const sections = batch.flatMap((p) => p.sections);
    // Sections are up to ~12 KB each: smaller batches keep each statement a few hundred KB.
    for (const part of chunk(sections, 40)) {
      await trx.insertInto('edition_sections').values(part).execute();
    }
    if (created.length) progress.tick(created[created.length - 1]!.label, created.length);
  }

  // Collections.
  const collections = new Map(
    (
      await selectIn(
        manifest.collections.map((c) => c.slug),
        (slugs) => trx.selectFrom('collections').selectAll().where('slug', 'in', slugs).execute(),
      )
    ).map((r) => [r.slug, r]),
  );
  for (const c of manifest.collections) {
    let collection = collections.get(c.slug);
    let collectionChanged = false;
    const collectionIsNew = !collection;
    if (!collection) {
      collection = { id: randomUUID(), slug: c.slug, created_at: now, updated_at: now };
      await trx.insertInto('collections').values(collection).execute();
      changed = true;
    }
    const collectionId = collection.id;
    const labels = await trx
      .selectFrom('collection_labels')
      .selectAll()
      .where('collection_id', '=', collectionId)
      .execute();
    const haveTitles = Object.fromEntries(labels.map((l) => [l.language, l.title]));
    const haveDescriptions = Object.fromEntries(
      labels.flatMap((l) => (l.description === null ? [] : [[l.language, l.description]])),
    );
    if (!sameRecord(haveTitles, c.titles) || !sameRecord(haveDescriptions, c.descriptions)) {
      await trx.deleteFrom('collection_labels').where('collection_id', '=', collectionId).execute();
      await insertRows(
        trx,
        'collection_labels',
        Object.entries(c.titles).map(([language, title]) => ({
          collection_id: collectionId,
          language,
          title,
          description: c.descriptions[language] ?? null,
        })),
      );
      collectionChanged = true;
    }
    const members = await trx
      .selectFrom('collection_works')
      .select(['work_id', 'position'])
      .where('collection_id', '=', collectionId)
      .orderBy('position')
      .execute();
    const wanted = c.works.map((slug) => works.get(slug)!.id);
    if (
      members.length !== wanted.length ||
      members.some((m, i) => m.work_id !== wanted[i] || m.position !== i)
    ) {
      await trx.deleteFrom('collection_works').where('collection_id', '=', collectionId).execute();
      await insertRows(
        trx,
        'collection_works',
        wanted.map((work_id, position) => ({ collection_id: collectionId, work_id, position })),
      );
      collectionChanged = true;
    }
    if (collectionChanged) {
      changed = true;
      if (!collectionIsNew) {
        await trx
          .updateTable('collections')
          .set({ updated_at: now })
          .where('id', '=', collectionId)
          .execute();
      }
    }
  }

  return changed;
}
