/** Checks a database copy against the manifest made in the same snapshot. */
import type SQLite from 'better-sqlite3';
import type { BackupManifest, BlobEntry } from './manifest.js';
import { describeSqlite, openSqlite } from './snapshot.js';

export interface Description {
  tables: Record<string, number>;
  migrations: string[];
  blobs: BlobEntry[];
}

/** Differences between what the manifest says and what the copy holds, in plain words. */
export function compareWithManifest(manifest: BackupManifest, found: Description): string[] {
  const problems: string[] = [];
  const names = new Set([...Object.keys(manifest.tables), ...Object.keys(found.tables)]);
  for (const name of [...names].sort()) {
    const want = manifest.tables[name];
    const got = found.tables[name];
    if (want !== got)
      problems.push(`table ${name}: ${got ?? 'missing'} rows, the manifest says ${want ?? 'none'}`);
  }
  if (manifest.migrations.join('\n') !== found.migrations.join('\n'))
    problems.push('the applied migrations differ from the manifest');
  const key = (b: BlobEntry) => `${b.sha256}:${b.size}`;
  if (manifest.blobs.map(key).join('\n') !== found.blobs.map(key).join('\n'))
    problems.push('the list of files differs from the manifest');
  return problems;
}

export interface SqliteCheck {
  integrity: string;
  foreignKeyViolations: number;
  problems: string[];
}

export function checkSqliteFile(file: string, manifest: BackupManifest): SqliteCheck {
  let db: SQLite.Database;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return {
      integrity: `cannot open: ${(error as Error).message}`,
      foreignKeyViolations: 0,
      problems: ['the database cannot be opened'],
    };
  }
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
    const violations = (db.pragma('foreign_key_check') as unknown[]).length;
    const problems: string[] = [];
    if (integrity !== 'ok') problems.push(`integrity_check: ${integrity.slice(0, 500)}`);
    if (violations) problems.push(`foreign_key_check: ${violations} rows point to missing rows`);
    if (integrity === 'ok') problems.push(...compareWithManifest(manifest, describeSqlite(db)));
    return { integrity, foreignKeyViolations: violations, problems };
  } finally {
    db.close();
  }
}
