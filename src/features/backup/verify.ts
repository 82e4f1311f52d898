/**
 * `learning-center backup verify FILE`: decrypts and reads the whole backup, checks every
 * checksum, and checks the database copy itself (SQLite: integrity, foreign keys, row counts;
 * PostgreSQL: pg_restore reads its table of contents, and with --deep restores it into a
 * throwaway database to count its rows).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkSqliteFile, compareWithManifest } from './checks.js';
import type { BackupManifest } from './manifest.js';
import { describeDumpInScratchDatabase } from './postgres-restore.js';
import { runTool } from './postgres-tools.js';
import { hashOnly, walkBackup } from './walk.js';

export interface VerifyResult {
  manifest: BackupManifest;
  problems: string[];
  checks: string[];
  blobsRead: number;
  blobBytes: number;
}

export async function verifyBackup(options: {
  file: string;
  identity: string;
  /** PostgreSQL server for --deep (any database on it; a throwaway one is created there). */
  deepWith?: string | undefined;
}): Promise<VerifyResult> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-verify-'));
  try {
    const databaseFile = path.join(workDir, 'database');
    const walked = await walkBackup(options.file, options.identity, databaseFile, {
      onBlob: hashOnly,
    });
    const { manifest } = walked;
    const checks = ['every checksum matches the manifest'];
    const problems: string[] = [];
    if (manifest.dialect === 'sqlite') {
      const result = checkSqliteFile(databaseFile, manifest);
      problems.push(...result.problems);
      if (!result.problems.length)
        checks.push('SQLite integrity_check ok, foreign_key_check clean, row counts match');
    } else {
      // Reads the dump's table of contents: a dump pg_restore cannot parse fails here.
      await runTool('pg_restore', ['--list', databaseFile], process.env);
      checks.push('pg_restore reads the dump');
      if (options.deepWith) {
        const found = await describeDumpInScratchDatabase(
          options.deepWith,
          databaseFile,
          path.join(workDir, 'restore.sql'),
        );
        const differences = compareWithManifest(manifest, found);
        problems.push(...differences);
        if (!differences.length)
          checks.push('restored into a throwaway database: row counts match');
      }
    }
    return { manifest, problems, checks, blobsRead: walked.blobsRead, blobBytes: walked.blobBytes };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
