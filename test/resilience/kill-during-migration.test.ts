/**
 * kill -9 of `learning-center migrate` in the middle of its work, several times in a row, on
 * every database: each kill leaves either the old schema or the new one (never half of a
 * migration: the batch is one transaction), the next run completes, and the result equals a
 * fresh migrate with every row kept. On PostgreSQL the migration lock is not left held.
 *
 * The databases being migrated hold thousands of rows, so that the migrations take measurable
 * time: "an early install" (only the first migration, so every later one runs under the kill)
 * and, once migrations newer than the previous release exist, that release's fixture.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { sql } from 'kysely';
import type { DialectName } from '../../src/platform/db/database.js';
import { describeSchema, type SchemaDescription } from '../../src/platform/db/introspect.js';
import {
  createMigrator,
  migrateToLatest,
  pendingMigrations,
} from '../../src/platform/db/migrate.js';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/databases.js';
import {
  appliedMigrations,
  createFixtureDatabase,
  open,
  rowCounts,
} from '../migrations/helpers.js';
import {
  assertNoMigrationLockLeft,
  copyable,
  exited,
  grow,
  GROWN_ROWS,
  holdMigrationRecords,
  migrateCommand,
  sleep,
  watch,
  type Copyable,
} from '../migrations/kill-tools.js';

// Each round starts the real CLI (about a second from dist/, several through tsx): few rounds by
// default, more with KILL_ROUNDS=10.
const ROUNDS = Number(process.env.KILL_ROUNDS ?? 3);

type Outcome = 'rolled back' | 'committed';

/** Schema and migration records are one or the other, never in between. */
async function stateOf(
  db: TestDatabase,
  start: { applied: string[]; schema: SchemaDescription },
  end: { applied: string[]; schema: SchemaDescription },
): Promise<Outcome> {
  const database = open(db);
  try {
    const applied = await appliedMigrations(database);
    const schema = await describeSchema(database);
    if (applied.length === start.applied.length) {
      assert.deepEqual(applied, start.applied);
      assert.deepEqual(schema, start.schema, 'schema changed although no migration is recorded');
      return 'rolled back';
    }
    assert.deepEqual(applied, end.applied, 'some migrations recorded, not all');
    assert.deepEqual(schema, end.schema, 'migrations recorded but the schema is not complete');
    return 'committed';
  } finally {
    await database.close();
  }
}

async function killRounds(
  t: TestContext,
  base: Copyable,
  start: { applied: string[]; schema: SchemaDescription },
  end: { applied: string[]; schema: SchemaDescription },
  counts: Record<string, number>,
  options: { rounds: number; requireMidway: boolean },
): Promise<void> {
  let db = await base.copy();
  const outcomes: string[] = [];
  // Kills land a random time after the migration's first write, within a window that narrows
  // whenever a migration finishes first (fast machines). On PostgreSQL every other round is
  // stopped at a lock instead (holdMigrationRecords).
  let window = db.dialect === 'sqlite' ? 60 : 250;
  try {
    for (let round = 0; round < options.rounds; round++) {
      const gated = db.dialect === 'postgres' && round % 2 === 0;
      const gate = gated ? await holdMigrationRecords(db) : undefined;
      const watcher = await watch(db);
      const child = migrateCommand(db);
      const done = exited(child);
      let finished = false;
      void done.then(() => (finished = true));
      let seen = false;
      let delay = 0;
      try {
        const deadline = Date.now() + 60_000;
        while (!finished && Date.now() < deadline) {
          if (gated ? await watcher.blocked() : await watcher.inTransaction()) {
            seen = true;
            break;
          }
          await sleep(1);
        }
        if (seen) {
          delay = gated ? 0 : Math.floor(Math.random() * window);
          await sleep(delay);
        }
        child.kill('SIGKILL');
      } finally {
        await done;
        await gate?.release();
        await watcher.close();
      }
      const { code, output } = await done;
      assert.ok(seen || code === 0, `migrate failed before it was killed: ${output}`);
      await assertNoMigrationLockLeft(db);
      const outcome = await stateOf(db, start, end);
      const killedMidway = seen && code === null && outcome === 'rolled back';
      outcomes.push(
        `${killedMidway ? 'killed mid-migration' : outcome} (${gated ? 'at the lock' : `+${delay} ms`})`,
      );
      if (outcome === 'committed') {
        // Too late: the next round needs the old schema again.
        window = Math.max(5, Math.floor(window / 2));
        await db.cleanup();
        db = await base.copy();
      }
    }
    t.diagnostic(`${db.dialect}: ${outcomes.join(', ')}`);
    assert.ok(
      !options.requireMidway || outcomes.some((o) => o.startsWith('killed mid-migration')),
      `no kill landed inside the migration: ${outcomes.join(', ')}`,
    );

    // The next run completes what the killed ones left.
    const rerun = await exited(migrateCommand(db));
    assert.equal(rerun.code, 0, rerun.output);
    assert.equal((await stateOf(db, start, end)) as string, 'committed');
    await assertNoMigrationLockLeft(db);
    const database = open(db);
    try {
      assert.deepEqual(await pendingMigrations(database), []);
      assert.deepEqual(await rowCounts(database, Object.keys(counts)), counts);
      if (db.dialect === 'sqlite') {
        const integrity = await sql`pragma integrity_check`.execute(database.db);
        assert.deepEqual(integrity.rows, [{ integrity_check: 'ok' }]);
        assert.deepEqual((await sql`pragma foreign_key_check`.execute(database.db)).rows, []);
      }
    } finally {
      await database.close();
    }
  } finally {
    await db.cleanup();
  }
}

async function describeState(db: TestDatabase) {
  const database = open(db);
  try {
    return { applied: await appliedMigrations(database), schema: await describeSchema(database) };
  } finally {
    await database.close();
  }
}

async function countsOf(db: TestDatabase): Promise<Record<string, number>> {
  const database = open(db);
  try {
    const schema = await describeSchema(database);
    const tables = Object.keys(schema.tables).filter((t) => !t.startsWith('lc_migrations'));
    return await rowCounts(database, tables);
  } finally {
    await database.close();
  }
}

for (const dialect of dialects() as DialectName[]) {
  describe(`kill -9 during migration on ${dialect}`, () => {
    const cleanups: TestDatabase[] = [];
    let end: { applied: string[]; schema: SchemaDescription };

    before(async () => {
      const fresh = await createTestDatabase(dialect);
      cleanups.push(fresh);
      const database = open(fresh);
      try {
        await migrateToLatest(database);
      } finally {
        await database.close();
      }
      end = await describeState(fresh);
    });
    after(async () => {
      for (const db of cleanups) await db.cleanup();
    });

    it(`an early install (first migration only, ${GROWN_ROWS} works): ${ROUNDS} kills, then it completes`, async (t) => {
      const template = await createTestDatabase(dialect);
      cleanups.push(template);
      const database = open(template);
      try {
        const migrator = createMigrator(database);
        const [first] = (await migrator.getMigrations()).map((m) => m.name);
        const result = await migrator.migrateTo(first!);
        assert.equal(result.error, undefined);
      } finally {
        await database.close();
      }
      await grow(template);
      const start = await describeState(template);
      await killRounds(t, copyable(template), start, end, await countsOf(template), {
        rounds: ROUNDS,
        requireMidway: true,
      });
    });

    it('the previous release, grown: a kill, then it completes', async (t) => {
      const template = await createFixtureDatabase(dialect);
      cleanups.push(template);
      const database = open(template);
      let pending: string[];
      try {
        pending = await pendingMigrations(database);
      } finally {
        await database.close();
      }
      if (pending.length === 0) {
        t.skip('no migration is newer than the previous release yet');
        return;
      }
      await grow(template);
      const start = await describeState(template);
      // On SQLite the kills land at random; what the release lacks may take too little time to
      // be hit (the early install above proves the rollback). PostgreSQL's lock makes it certain.
      await killRounds(t, copyable(template), start, end, await countsOf(template), {
        rounds: Math.max(1, Math.floor(ROUNDS / 2)),
        requireMidway: dialect === 'postgres',
      });
    });
  });
}
