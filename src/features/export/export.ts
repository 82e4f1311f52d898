import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import yazl from 'yazl';
import type { Database } from '../../platform/db/database.js';
import type { BlobStore } from '../../platform/storage/blob-store.js';
import { libraryIcon } from './png.js';
import { writeStaticSite, type ExportProgress, type StaticExportResult } from './renderer.js';
import { exportScope, type ExportFilters } from './scope.js';
import type { ExportScope } from './urls.js';

/** The output cannot be written (permissions, missing folder, full disk): a clear message. */
export class ExportOutputError extends Error {}

export interface ExportOptions {
  /** The application whose pages are exported (see buildApp). */
  app: FastifyInstance;
  database: Database;
  blobs: BlobStore;
  publicUrl?: string | undefined;
  /** A folder, a .zip file (bundle) or a .zim file. */
  out: string;
  filters?: ExportFilters;
  onProgress?: (p: ExportProgress) => void;
  /** One line per step, for the terminal (stderr). */
  log?: (message: string) => void;
}

export interface ExportResult extends StaticExportResult {
  out: string;
  /** Size of the output file, or of the folder's files. */
  size: number;
  seconds: number;
}

/** A friendly sentence for the file-system errors an export can meet. */
export function describeFsError(error: unknown, target: string): string {
  const e = error as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
      return `Cannot write ${target}: permission denied.`;
    case 'ENOENT':
      return `Cannot write ${target}: the folder ${path.dirname(target)} does not exist.`;
    case 'ENOTDIR':
      return `Cannot write ${target}: part of the path is not a folder.`;
    case 'EROFS':
      return `Cannot write ${target}: the disk is read-only.`;
    case 'ENOSPC':
      return `Cannot write ${target}: the disk is full.`;
    case 'EDQUOT':
      return `Cannot write ${target}: the disk quota is exceeded.`;
    case 'EISDIR':
      return `Cannot write ${target}: it is a folder.`;
    default:
      return `Cannot write ${target}: ${e instanceof Error ? e.message : String(error)}`;
  }
}

function asOutputError(error: unknown, target: string): Error {
  if (error instanceof ExportOutputError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code && /^E[A-Z]+$/.test(code)) return new ExportOutputError(describeFsError(error, target));
  return error as Error;
}

/** Fails fast (before any rendering) when `file` cannot be created; leaves nothing behind. */
async function probeWritable(file: string): Promise<void> {
  try {
    const handle = await fs.promises.open(file, 'w');
    await handle.close();
    await fs.promises.rm(file, { force: true });
  } catch (error) {
    throw new ExportOutputError(describeFsError(error, file));
  }
}

async function sizeOf(target: string): Promise<number> {
  const stat = await fs.promises.stat(target);
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const entry of await fs.promises.readdir(target, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      total += (await fs.promises.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.promises.readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Renders the static site into `dir` (created, must not exist). */
async function renderInto(
  options: ExportOptions,
  dir: string,
): Promise<{ result: StaticExportResult; scope: ExportScope }> {
  const scope = await exportScope(options.database.db, options.filters ?? {});
  const log = options.log ?? (() => {});
  log(
    `Exporting ${scope.works.size} works, interface ${scope.uiLanguages.join(', ')}` +
      `${scope.languages ? `, editions in ${scope.languages.join(', ')}` : ''}` +
      `${scope.collection ? `, collection ${scope.collection}` : ''}...`,
  );
  await fs.promises.mkdir(dir, { recursive: false });
  const result = await writeStaticSite({
    app: options.app,
    db: options.database.db,
    blobs: options.blobs,
    scope,
    outDir: dir,
    publicUrl: options.publicUrl,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { result, scope };
}

/** A ZIP of a folder, streamed to `file`. */
export async function writeZip(dir: string, file: string): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const name of await listFiles(dir)) {
    // Pages compress well; media files are already compressed.
    const compress = /\.(html|css|svg|vtt|srt|txt|json|xml)$/i.test(name);
    zip.addFile(path.join(dir, name), name, { compress });
  }
  zip.end();
  await pipeline(zip.outputStream, fs.createWriteStream(file, { flags: 'w' }));
  const handle = await fs.promises.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes what a failed export left; never throws. */
async function cleanUp(...targets: (string | undefined)[]) {
  for (const target of targets) {
    if (target) await fs.promises.rm(target, { recursive: true, force: true }).catch(() => {});
  }
}

async function assertFreeTarget(out: string, kind: 'folder' | 'file') {
  const stat = await fs.promises.stat(out).catch(() => undefined);
  if (!stat) return;
  if (kind === 'folder') {
    if (!stat.isDirectory()) throw new ExportOutputError(`${out} exists and is not a folder.`);
    if ((await fs.promises.readdir(out)).length > 0)
      throw new ExportOutputError(`${out} exists and is not empty: choose a new folder.`);
  } else if (stat.isDirectory()) {
    throw new ExportOutputError(`${out} is a folder: give a file name.`);
  }
}

/**
 * `export bundle`: static pages plus files for file:// (a USB stick). To a folder, or to a ZIP
 * when `out` ends in .zip. The output appears (by rename) only once it is complete.
 */
export async function exportBundle(options: ExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const out = path.resolve(options.out);
  const tmp = `${out}.tmp`;
  const zip = /\.zip$/i.test(out);
  await assertFreeTarget(out, zip ? 'file' : 'folder');
  let workDir: string | undefined;
  try {
    if (zip) {
      await probeWritable(tmp);
      workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lc-export-'));
      const site = path.join(workDir, 'site');
      const { result } = await renderInto(options, site);
      options.log?.(`Writing ${path.basename(out)}...`);
      await writeZip(site, tmp).catch((error: unknown) => {
        throw asOutputError(error, out);
      });
      await fs.promises.rename(tmp, out);
      await cleanUp(workDir);
      return { ...result, out, size: await sizeOf(out), seconds: seconds(started) };
    }
    await cleanUp(tmp);
    await probeWritable(tmp);
    workDir = tmp;
    const { result } = await renderInto(options, tmp);
    await fs.promises.rm(out, { recursive: true, force: true }); // an empty folder, if any
    await fs.promises.rename(tmp, out);
    return { ...result, out, size: await sizeOf(out), seconds: seconds(started) };
  } catch (error) {
    await cleanUp(workDir, tmp);
    throw asOutputError(error, out);
  }
}

/** ISO 639-3 codes of the interface languages, for the ZIM's Language metadata. */
const ISO_639_3: Record<string, string> = {
  en: 'eng',
  ar: 'ara',
  fa: 'fas',
  fr: 'fra',
  ru: 'rus',
  es: 'spa',
  zh: 'zho',
};

export interface ZimOptions extends ExportOptions {
  /** The zimwriterfs and zimcheck programs (default: from PATH). */
  zimwriterfs?: string;
  zimcheck?: string;
  /** Run `zimcheck -A` on the result before declaring it complete (default true). */
  check?: boolean;
  title?: string;
  description?: string;
  creator?: string;
  publisher?: string;
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new ExportOutputError(
              `${command} is not installed (Debian: apt-get install zim-tools).`,
            )
          : error,
      ),
    );
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * `export zim`: the static site packed by Debian's zimwriterfs (with a full-text index; CJK
 * split into n-grams), then checked with `zimcheck -A`. Written to `<out>.tmp`, renamed when
 * complete; on failure nothing is left.
 */
export async function exportZim(options: ZimOptions): Promise<ExportResult & { zimcheck: string }> {
  const started = performance.now();
  const out = path.resolve(options.out);
  const tmp = `${out}.tmp`;
  await assertFreeTarget(out, 'file');
  await probeWritable(tmp);
  let workDir: string | undefined;
  try {
    workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lc-zim-'));
    const site = path.join(workDir, 'site');
    const { scope, result } = await renderInto(options, site);
    await fs.promises.writeFile(path.join(site, 'illustration-48x48.png'), libraryIcon(48));

    const name = [
      'learning-center',
      options.filters?.collection ?? 'all',
      options.filters?.languages?.join('-') ?? 'mul',
    ]
      .join('_')
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '-');
    // libzim 9 (Debian 12/13) writes no full-text index when Language lists more than three
    // codes: the interface languages are listed first-chosen first, at most three.
    const languages = [
      ...new Set(scope.uiLanguages.map((l) => ISO_639_3[l]).filter(Boolean)),
    ].slice(0, 3);
    const env = { ...process.env, XAPIAN_CJK_NGRAM: '1' };
    const args = [
      `--welcome=${result.welcome}`,
      '--illustration=illustration-48x48.png',
      `--language=${languages.join(',') || 'eng'}`,
      `--title=${(options.title ?? (options.filters?.collection ? `Learning Center: ${options.filters.collection}` : 'Learning Center')).slice(0, 30)}`,
      `--description=${(options.description ?? 'Works of the Learning Center library for offline reading').slice(0, 80)}`,
      `--creator=${options.creator ?? 'Learning Center'}`,
      `--publisher=${options.publisher ?? 'Learning Center'}`,
      `--name=${name}`,
      '--scraper=learning-center export',
      site,
      tmp,
    ];
    options.log?.(`Packing ${result.pages} pages and ${result.files} files with zimwriterfs...`);
    const written = await run(options.zimwriterfs ?? 'zimwriterfs', args, env);
    if (written.code !== 0) {
      const free = await fs.promises.statfs(path.dirname(out)).catch(() => undefined);
      if (/No space left|ENOSPC/i.test(written.output) || (free && free.bavail === 0)) {
        throw new ExportOutputError(`Cannot write ${out}: the disk is full.`);
      }
      throw new ExportOutputError(
        `zimwriterfs failed (exit ${written.code}):\n${written.output.trim().split('\n').slice(-10).join('\n')}`,
      );
    }
    let zimcheck = '';
    if (options.check !== false) {
      options.log?.('Checking the ZIM file with zimcheck -A...');
      const checked = await run(options.zimcheck ?? 'zimcheck', ['-A', tmp], env);
      zimcheck = checked.output;
      if (checked.code !== 0) {
        throw new ExportOutputError(`zimcheck found problems:\n${checked.output.trim()}`);
      }
    }
    await fs.promises.rename(tmp, out);
    await cleanUp(workDir);
    return { ...result, out, size: await sizeOf(out), seconds: seconds(started), zimcheck };
  } catch (error) {
    await cleanUp(workDir, tmp);
    throw asOutputError(error, out);
  }
}

function seconds(started: number) {
  return (performance.now() - started) / 1000;
}
