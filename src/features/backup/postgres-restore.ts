/** Loading a pg_dump archive into a database, all or nothing. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { postgresEnv, runTool } from './postgres-tools.js';
import { describePostgres } from './snapshot.js';
import type { Description } from './checks.js';

export async function postgresTableCount(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      "select count(*) as n from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/**
 * Restores in one transaction that stops at the first error, so a failure leaves the target as
 * it was. `replace` empties the schema first, in the same transaction (psql runs the script
 * pg_restore writes, after DROP SCHEMA, between one BEGIN and COMMIT).
 */
export async function restorePostgresDump(
  databaseUrl: string,
  dumpFile: string,
  scriptFile: string,
  options: { replace?: boolean } = {},
): Promise<void> {
  const env = postgresEnv(databaseUrl);
  const common = ['--no-owner', '--no-privileges', '--exit-on-error'];
  if (!options.replace) {
    await runTool(
      'pg_restore',
      [...common, '--single-transaction', `--dbname=${env.PGDATABASE}`, dumpFile],
      env,
    );
    return;
  }
  await runTool('pg_restore', [...common, `--file=${scriptFile}`, dumpFile], env);
  await runTool(
    'psql',
    [
      '--no-psqlrc',
      '--quiet',
      '--single-transaction',
      '--set=ON_ERROR_STOP=1',
      '--command=DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;',
      `--file=${scriptFile}`,
    ],
    env,
  );
}

export async function describePostgresDatabase(databaseUrl: string): Promise<Description> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await describePostgres(client);
  } finally {
    await client.end();
  }
}

/** Restores a dump into a throwaway database on the same server, describes it, drops it. */
export async function describeDumpInScratchDatabase(
  serverUrl: string,
  dumpFile: string,
  scriptFile: string,
): Promise<Description> {
  const name = `lc_verify_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    try {
      await restorePostgresDump(url.toString(), dumpFile, scriptFile);
      return await describePostgresDatabase(url.toString());
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
    }
  } finally {
    await admin.end();
  }
}
