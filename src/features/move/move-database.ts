/**
 * Moving a library from the embedded SQLite database to PostgreSQL: the step from one small
 * server to several instances. Every table is copied in foreign-key order inside one PostgreSQL
 * transaction, so the target ends up holding the whole library or nothing. Row ids are kept, so
 * participants' encrypted fields (bound to table:column:id) still open with the same keys. The
 * search index is rebuilt rather than copied: each engine keeps its own kind.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import type { DB } from '../../platform/db/schema.js';
import { reindexAll } from '../search/indexer.js';

/** Tables that belong to one engine only, or to the migrator: never copied. */
const SKIPPED = /^(sqlite_|lc_migrations|search_docs$|search_fts|search_index$)/;
/** Tables whose rows mean the target already holds a library (seeded defaults do not count). */
const CONTENT_TABLES = ['works', 'users', 'events', 'participants'] as const;
/** PostgreSQL takes at most 65,535 parameters per statement. */
const MAX_PARAMETERS = 30_000;

export class MoveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoveError';
  }
}

export interface MoveResult {
  tables: { name: string; rows: number }[];
  indexed: number;
}

interface ForeignKey {
  table: string;
  from: string;
  to: string;
}

interface TablePlan {
  name: string;
  columns: string[];
  foreignKeys: ForeignKey[];
}

export async function moveSqliteToPostgres(
  source: Database,
  target: Database,
  options: {
    force?: boolean;
    onProgress?: (p: { done: number; total: number; label: string }) => void;
  } = {},
): Promise<MoveResult> {
  if (source.dialect !== 'sqlite') throw new MoveError('The source must be the SQLite database.');
  if (target.dialect !== 'postgres')
    throw new MoveError('The target must be a PostgreSQL database.');
  // Both at the same schema: the copy is then column for column.
  await migrateToLatest(source);
  await migrateToLatest(target);

  const plans = sortByDependencies(await readTables(source.db));
  await checkTargetHasTables(target.db, plans);
  const total = await countAll(source.db, plans);
  let done = 0;

  const tables = await target.db.transaction().execute(async (trx) => {
    const occupied = await firstOccupied(trx);
    if (occupied && !options.force) {
      throw new MoveError(
        `The PostgreSQL database already holds a library (its "${occupied}" table has rows). Use an empty database, or --force to replace its contents.`,
      );
    }
    // Defaults seeded at start (the survey instrument, languages, counters) are replaced by the
    // source's own rows: children first.
    for (const plan of [...plans].reverse()) {
      await sql`delete from ${sql.table(plan.name)}`.execute(trx);
    }
    const copied: { name: string; rows: number }[] = [];
    for (const plan of plans) {
      let rows = 0;
      for await (const batch of readInInsertOrder(source.db, plan)) {
        await trx
          .insertInto(plan.name as keyof DB)
          .values(batch as never)
          .execute()
          .catch((error: unknown) => {
            // A row SQLite let through that PostgreSQL refuses (a dangling reference written
            // while foreign keys were off): name the table, roll everything back.
            throw new MoveError(`Copying ${plan.name} failed: ${(error as Error).message}`);
          });
        rows += batch.length;
        done += batch.length;
        options.onProgress?.({ done, total, label: plan.name });
      }
      copied.push({ name: plan.name, rows });
    }
    for (const { name, rows } of copied) {
      const result = await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(name)}`.execute(trx);
      if (result.rows[0]?.n !== rows) {
        throw new MoveError(
          `Table ${name}: ${rows} rows read but ${result.rows[0]?.n} in PostgreSQL.`,
        );
      }
    }
    return copied;
  });
  const indexed = await target.db.transaction().execute((trx) => reindexAll(trx));
  return { tables, indexed };
}

async function readTables(db: Kysely<DB>): Promise<TablePlan[]> {
  const names = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' order by name`.execute(db);
  const plans: TablePlan[] = [];
  for (const { name } of names.rows) {
    if (SKIPPED.test(name)) continue;
    const columns = await sql<{ name: string }>`
      select name from pragma_table_info(${name}) order by cid`.execute(db);
    const foreignKeys = await sql<ForeignKey>`
      select "table", "from", "to" from pragma_foreign_key_list(${name})`.execute(db);
    plans.push({
      name,
      columns: columns.rows.map((c) => c.name),
      foreignKeys: foreignKeys.rows,
    });
  }
  return plans;
}

/** Parents before children; a table's references to itself are handled row by row. */
function sortByDependencies(plans: TablePlan[]): TablePlan[] {
  const byName = new Map(plans.map((p) => [p.name, p]));
  const sorted: TablePlan[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (plan: TablePlan) => {
    if (state.get(plan.name) === 'done') return;
    if (state.get(plan.name) === 'visiting')
      throw new MoveError(`Tables refer to each other in a cycle through ${plan.name}.`);
    state.set(plan.name, 'visiting');
    for (const fk of plan.foreignKeys) {
      const parent = byName.get(fk.table);
      if (parent && parent.name !== plan.name) visit(parent);
    }
    state.set(plan.name, 'done');
    sorted.push(plan);
  };
  for (const plan of plans) visit(plan);
  return sorted;
}

async function checkTargetHasTables(db: Kysely<DB>, plans: TablePlan[]): Promise<void> {
  const result = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema()`.execute(db);
  const columns = new Set(result.rows.map((r) => `${r.table_name}.${r.column_name}`));
  for (const plan of plans) {
    const missing = plan.columns.filter((c) => !columns.has(`${plan.name}.${c}`));
    if (missing.length) {
      throw new MoveError(
        `PostgreSQL has no ${missing.map((c) => `${plan.name}.${c}`).join(', ')}: the two databases are at different versions.`,
      );
    }
  }
}

async function firstOccupied(db: Kysely<DB>): Promise<string | undefined> {
  for (const table of CONTENT_TABLES) {
    const row = await db
      .selectFrom(table)
      .select(sql`1`.as('one'))
      .limit(1)
      .executeTakeFirst();
    if (row) return table;
  }
  return undefined;
}

async function countAll(db: Kysely<DB>, plans: TablePlan[]): Promise<number> {
  let total = 0;
  for (const plan of plans) {
    const result = await sql<{
      n: number;
    }>`select count(*) as n from ${sql.table(plan.name)}`.execute(db);
    total += Number(result.rows[0]?.n ?? 0);
  }
  return total;
}

/**
 * The table's rows in batches. Rows that refer to another row of the same table (an edition
 * translated from another, a file derived from another) come after the row they refer to.
 */
async function* readInInsertOrder(
  db: Kysely<DB>,
  plan: TablePlan,
): AsyncGenerator<Record<string, unknown>[]> {
  const batchSize = Math.max(1, Math.floor(MAX_PARAMETERS / plan.columns.length));
  const selfRefs = plan.foreignKeys.filter((fk) => fk.table === plan.name);
  const all = await sql<Record<string, unknown>>`
    select ${sql.join(plan.columns.map((c) => sql.ref(c)))} from ${sql.table(plan.name)}
    order by rowid`.execute(db);
  let pending = all.rows;
  if (selfRefs.length) {
    const ordered: Record<string, unknown>[] = [];
    const placed = new Map<string, Set<unknown>>(selfRefs.map((fk) => [fk.to, new Set()]));
    while (pending.length) {
      const ready = pending.filter((row) =>
        selfRefs.every((fk) => row[fk.from] === null || placed.get(fk.to)!.has(row[fk.from])),
      );
      if (!ready.length)
        throw new MoveError(`Rows of ${plan.name} refer to rows that do not exist.`);
      for (const row of ready) {
        ordered.push(row);
        for (const fk of selfRefs) placed.get(fk.to)!.add(row[fk.to]);
      }
      const readySet = new Set(ready);
      pending = pending.filter((row) => !readySet.has(row));
    }
    pending = ordered;
  }
  for (let i = 0; i < pending.length; i += batchSize) yield pending.slice(i, i + batchSize);
}
