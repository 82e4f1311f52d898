/**
 * pg_dump, pg_restore and psql, run with the connection taken from DATABASE_URL and passed as
 * PG* environment variables: a password never appears on a command line (visible in `ps`).
 */
import { spawn } from 'node:child_process';

export function postgresEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const url = new URL(databaseUrl);
  const env: NodeJS.ProcessEnv = { ...process.env };
  const host = decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1');
  env.PGHOST = url.searchParams.get('host') ?? (host || 'localhost');
  env.PGPORT = url.port || '5432';
  if (url.username) env.PGUSER = decodeURIComponent(url.username);
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
  env.PGDATABASE = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

export class PostgresToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresToolError';
  }
}

/**
 * Runs a client program; resolves with its standard output, or rejects with the last lines
 * of its standard error (which name the problem: role, database, version mismatch...).
 */
export function runTool(
  program: 'pg_dump' | 'pg_restore' | 'psql',
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString()).slice(-4000);
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new PostgresToolError(
          error.code === 'ENOENT'
            ? `${program} is not installed: install the PostgreSQL client programs (Debian: apt-get install postgresql-client).`
            : `${program} could not start: ${error.message}`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString());
      else
        reject(
          new PostgresToolError(
            `${program} failed (exit ${code}): ${err.trim().split('\n').slice(-5).join(' / ')}`,
          ),
        );
    });
  });
}
