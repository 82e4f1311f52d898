/**
 * File paths in a manifest are relative to the import folder and must stay inside it, even through
 * symbolic links: an import must never read (and publish) a file from elsewhere on the server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isScalar } from 'yaml';
import type { ManifestChecker, Where } from './manifest-checker.js';
import { ManifestError } from './manifest-error.js';
import type { ManifestSource } from './manifest-types.js';

/** Checks one path node of the manifest: the file it names, or undefined after reporting. */
export interface PathChecker {
  (node: unknown, where: Where, fallbackLine: number): ManifestSource | undefined;
}

/** Whether `target` is strictly inside the folder `base` (both resolved). */
function isInside(base: string, target: string): boolean {
  const rel = path.relative(base, target);
  return !(rel === '' || rel.startsWith('..') || path.isAbsolute(rel));
}

/**
 * The real path of the import folder. Throws ManifestError when it does not exist; reports (and
 * carries on) when it is not a folder.
 */
export function resolveImportFolder(c: ManifestChecker, dir: string): string {
  let realDir = dir;
  try {
    realDir = fs.realpathSync(dir);
    if (!fs.statSync(realDir).isDirectory())
      c.report(null, `the import folder "${dir}" is not a folder`);
  } catch {
    c.report(null, `the import folder "${dir}" does not exist`);
    throw new ManifestError(c.problems);
  }
  return realDir;
}

/** A PathChecker for paths relative to `dir`, whose real path is `realDir`. */
export function pathChecker(checker: ManifestChecker, dir: string, realDir: string): PathChecker {
  return (node, where, fallbackLine) => {
    const n = checker.resolve(node);
    const raw = isScalar(n) ? n.value : undefined;
    if (typeof raw !== 'string' || raw.trim() === '') {
      checker.report(n, `${where} must be a relative file path`, fallbackLine);
      return undefined;
    }
    const line = checker.line(n, fallbackLine);
    if (raw.includes('\0')) {
      checker.report(n, `${where}: the path contains a NUL character`);
      return undefined;
    }
    if (path.isAbsolute(raw) || /^[A-Za-z]:[\\/]/.test(raw) || raw.startsWith('\\\\')) {
      checker.report(
        n,
        `${where}: "${raw}" is an absolute path; paths must be relative to the import folder`,
      );
      return undefined;
    }
    // First as written, then again once symbolic links are resolved.
    const lexical = path.resolve(dir, raw);
    if (!isInside(path.resolve(dir), lexical)) {
      checker.report(n, `${where}: "${raw}" is outside the import folder`);
      return undefined;
    }
    let real: string;
    try {
      real = fs.realpathSync(lexical);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      checker.report(
        n,
        code === 'ENOENT' || code === 'ENOTDIR'
          ? `${where}: file not found: "${raw}"`
          : `${where}: cannot read "${raw}" (${code ?? String(error)})`,
      );
      return undefined;
    }
    if (!isInside(realDir, real)) {
      checker.report(
        n,
        `${where}: "${raw}" leads outside the import folder (through a symbolic link)`,
      );
      return undefined;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(real);
    } catch (error) {
      checker.report(
        n,
        `${where}: cannot read "${raw}" (${(error as NodeJS.ErrnoException).code ?? ''})`,
      );
      return undefined;
    }
    if (!stat.isFile()) {
      checker.report(n, `${where}: "${raw}" is not a regular file`);
      return undefined;
    }
    if (stat.size === 0) {
      checker.report(n, `${where}: "${raw}" is empty`);
      return undefined;
    }
    try {
      fs.accessSync(real, fs.constants.R_OK);
    } catch {
      checker.report(n, `${where}: "${raw}" is not readable`);
      return undefined;
    }
    return { path: raw, absolutePath: real, line };
  };
}
