import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DialectName } from '../../src/platform/db/database.js';

/**
 * The database matrix every database test runs over: DIALECTS=sqlite,postgres (the default).
 * PostgreSQL comes from TEST_POSTGRES_URL (default: the local server's `test` database); each
 * test gets a database of its own, created here and dropped afterwards.
 */
export const POSTGRES_ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function dialects(): DialectName[] {
  const wanted = (process.env.DIALECTS ?? 'sqlite,postgres')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  for (const d of wanted) {
    if (d !== 'sqlite' && d !== 'postgres') throw new Error(`Unknown dialect in DIALECTS: ${d}`);
  }
  // In CI the PostgreSQL run is mandatory: a CI that quietly tested SQLite only would lie.
  if (process.env.CI === 'true' && !wanted.includes('postgres')) {
    throw new Error('CI=true requires DIALECTS to include postgres');
  }
  return wanted as DialectName[];
}

export interface TestDatabase {
  dialect: DialectName;
  dataDir: string;
  databaseUrl: string | undefined;
  cleanup(): Promise<void>;
}

export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-test-'));
  if (dialect === 'sqlite') {
    return {
      dialect,
      dataDir,
      databaseUrl: undefined,
      cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `lc_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dialect,
    dataDir,
    databaseUrl: url.toString(),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      try {
        // The app's pool may still be closing its last connections: wait for them to go.
        for (let attempt = 0; ; attempt++) {
          const { rows } = await client.query<{ n: number }>(
            'select count(*)::int as n from pg_stat_activity where datname = $1',
            [name],
          );
          if (rows[0]?.n === 0 || attempt >= 50) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
