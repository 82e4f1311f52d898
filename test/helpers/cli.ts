/**
 * How tests run the real command-line entry point: the build in dist/ (what `learning-center`
 * runs once installed; the test script builds before testing) when it is newer than every
 * source file, else the TypeScript sources through tsx. The build starts in a fraction of the
 * time, which matters for tests that start the program dozens of times.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './app.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

let chosen: string[] | undefined;

/** Arguments for `process.execPath` that run `learning-center`; append the command's own. */
export function cliEntry(): string[] {
  if (chosen) return chosen;
  const built = path.join(REPO_ROOT, 'dist/cli/main.js');
  const fresh =
    fs.existsSync(built) &&
    fs.statSync(built).mtimeMs >= newestMtime(path.join(REPO_ROOT, 'src')) &&
    fs.existsSync(path.join(REPO_ROOT, 'dist/db/migrations'));
  chosen = fresh ? [built] : ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts')];
  return chosen;
}

/** Runs `learning-center ARGS` to completion (quiet logs, the given environment on top). */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string) {
  const result = spawnSync(process.execPath, [...cliEntry(), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 120_000,
    ...(input !== undefined ? { input } : {}),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
