/** Running the backup commands as an operator does, and reading archives with Debian's age. */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { generateKeyFile } from '../../src/features/backup/keys.js';
import type { DB } from '../../src/platform/db/schema.js';
import type { BlobStore } from '../../src/platform/storage/blob-store.js';
import { REPO_ROOT } from '../helpers/app.js';
import { cliEntry } from '../helpers/cli.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `learning-center ...` without blocking this process (the app under test keeps serving). */
export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliEntry(), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A backup key pair made by `learning-center backup keygen` (or its function, to save a start). */
export async function makeKeyPair(
  options: { viaCli?: boolean } = {},
): Promise<{ identityFile: string; recipient: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-backup-key-'));
  const identityFile = path.join(dir, 'identity.txt');
  if (options.viaCli === false)
    return { identityFile, recipient: await generateKeyFile(identityFile) };
  const result = await runCli(['backup', 'keygen', '--out', identityFile], {});
  if (result.status !== 0) throw new Error(`keygen failed: ${result.stderr}`);
  const recipient = /BACKUP_RECIPIENT=(age1\w+)/.exec(result.stdout)?.[1];
  if (!recipient) throw new Error(`keygen printed no recipient: ${result.stdout}`);
  return { identityFile, recipient };
}

/** The manifest, read with Debian's `age` and `tar`: the format needs no Learning Center. */
export function manifestWithAge(
  file: string,
  identityFile: string,
): { tables: Record<string, number>; blobs: { sha256: string }[]; dialect: string } {
  const json = execFileSync(
    'sh',
    ['-c', 'age -d -i "$1" "$2" | tar -xOf - manifest.json', 'sh', identityFile, file],
    { encoding: 'utf8' },
  );
  return JSON.parse(json) as ReturnType<typeof manifestWithAge>;
}

/** Stores a file the way uploads do: staged, its row committed, then put in place. */
export async function addBlob(db: Kysely<DB>, store: BlobStore, bytes: Buffer): Promise<string> {
  const staged = await store.stage(Readable.from([bytes]));
  await db
    .insertInto('blobs')
    .values({
      sha256: staged.sha256,
      size: staged.size,
      media_type: 'application/octet-stream',
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  await store.commitStaged(staged);
  return staged.sha256;
}
