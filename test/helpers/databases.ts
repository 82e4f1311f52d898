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
  // In CI the PostgreSQL run is mandatory: a CI that quietly tested SQLite only would lie. The
  // one exception is declared, not quiet: scripts/test.sh's second pass on Node 24 LTS, which
  // checks the runtime (native SQLite addon included) after the full matrix passed on Node 20.
  if (
    process.env.CI === 'true' &&
    !wanted.includes('postgres') &&
    process.env.LC_RUNTIME_PASS !== 'sqlite-only'
  ) {
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

export async function createTestDatabase(
  dialect: DialectName,
  /** A PostgreSQL database to copy (see createPreparedDatabase). */
  template?: string,
): Promise<TestDatabase> {
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
    // Copies of one template made at the same moment by two processes can collide (55006).
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
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

/**
 * Prepared databases shared by the test processes of one run (scripts/run-tests.sh sets
 * LC_TEST_TEMPLATES to a fresh folder): the first test that needs, say, the imported corpus
 * builds it once; every later one gets a copy (PostgreSQL: CREATE DATABASE ... TEMPLATE; SQLite:
 * a copy of the data folder) in a fraction of the time. Without the variable, every test
 * prepares its own database as before.
 */
export interface TemplateRecipe {
  /** Names the prepared state, e.g. "corpus"; one template per dialect and name per run. */
  name: string;
  /** Brings a fresh database to that state, and closes every connection it opened. */
  prepare(db: TestDatabase): Promise<void>;
}

const TEMPLATES = process.env.LC_TEST_TEMPLATES;
const TEMPLATE_WAIT_MS = 5 * 60_000;

export async function createPreparedDatabase(
  dialect: DialectName,
  recipe: TemplateRecipe,
): Promise<TestDatabase & { prepared: boolean }> {
  if (!TEMPLATES) {
    const fresh = await createTestDatabase(dialect);
    await recipe.prepare(fresh);
    return { ...fresh, prepared: true };
  }
  const slot = path.join(TEMPLATES, `${dialect}-${recipe.name}`);
  const template = await ensureTemplate(dialect, recipe, slot);
  const copy = await createTestDatabase(dialect, template.databaseName);
  fs.cpSync(template.dataDir, copy.dataDir, { recursive: true });
  return { ...copy, prepared: true };
}

interface Template {
  dataDir: string;
  databaseName: string | undefined;
}

/** Builds the template once per run; concurrent test processes wait for the first one. */
async function ensureTemplate(
  dialect: DialectName,
  recipe: TemplateRecipe,
  slot: string,
): Promise<Template> {
  const readyFile = path.join(slot, 'ready.json');
  const started = Date.now();
  for (;;) {
    if (fs.existsSync(readyFile)) return JSON.parse(fs.readFileSync(readyFile, 'utf8')) as Template;
    try {
      fs.mkdirSync(slot); // atomic: whoever creates it builds the template
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() - started > TEMPLATE_WAIT_MS)
        throw new Error(`template ${slot} was never finished (did its builder crash?)`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const fresh = await createTestDatabase(dialect);
  await recipe.prepare(fresh);
  const dataDir = path.join(slot, 'data');
  fs.renameSync(fresh.dataDir, dataDir);
  let databaseName: string | undefined;
  if (fresh.databaseUrl) {
    databaseName = `lc_tpl_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    try {
      // The recipe's pool may still be closing its last connections.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(
            `alter database ${new URL(fresh.databaseUrl).pathname.slice(1)} rename to ${databaseName}`,
          );
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    } finally {
      await admin.end();
    }
  }
  const template: Template = { dataDir, databaseName };
  fs.writeFileSync(`${readyFile}.tmp`, JSON.stringify(template));
  fs.renameSync(`${readyFile}.tmp`, readyFile);
  return template;
}

/** Drops this run's PostgreSQL templates (called by scripts/run-tests.sh when the run ends). */
export async function dropTemplates(): Promise<void> {
  if (!TEMPLATES || !fs.existsSync(TEMPLATES)) return;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    for (const slot of fs.readdirSync(TEMPLATES)) {
      const readyFile = path.join(TEMPLATES, slot, 'ready.json');
      if (!fs.existsSync(readyFile)) continue;
      const { databaseName } = JSON.parse(fs.readFileSync(readyFile, 'utf8')) as Template;
      if (databaseName) await admin.query(`drop database if exists ${databaseName} with (force)`);
    }
  } finally {
    await admin.end();
  }
  fs.rmSync(TEMPLATES, { recursive: true, force: true });
}
