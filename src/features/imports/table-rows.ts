/**
 * Reading and writing rows in batches inside the import transaction, and comparing what is stored
 * with what the manifest wants.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.js';

/** Rows per INSERT: well under SQLite's and PostgreSQL's limits on bound parameters. */
export const BATCH_ROWS = 200;

/** Values per `IN (...)` list when reading rows. */
const SELECT_IN_VALUES = 500;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `query` for the distinct `values`, a few hundred at a time, and gathers the rows. */
export async function selectIn<T>(
  values: readonly string[],
  query: (chunk: string[]) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunk([...new Set(values)], SELECT_IN_VALUES)) {
    out.push(...(await query(part)));
  }
  return out;
}

type SluggedTable = 'organisations' | 'topics' | 'works' | 'collections';

/** The existing rows of `table` with these slugs, by slug. */
export async function rowsBySlug<T extends SluggedTable>(
  trx: Transaction<DB>,
  table: T,
  slugs: readonly string[],
): Promise<Map<string, DB[T]>> {
  const rows = await selectIn(slugs, (part) =>
    trx
      .selectFrom(table as SluggedTable)
      .selectAll()
      .where('slug', 'in', part)
      .execute(),
  );
  // Kysely types the rows of a table chosen at run time as any of them; they are rows of `table`.
  return new Map(rows.map((row) => [row.slug, row as DB[T]]));
}

export async function insertRows<T extends keyof DB>(
  trx: Transaction<DB>,
  table: T,
  rows: readonly object[],
): Promise<void> {
  // Kysely cannot type `values` for a table chosen at run time; callers pass rows of `table`.
  type Rows = Parameters<ReturnType<typeof trx.insertInto<T>>['values']>[0];
  for (const part of chunk(rows, BATCH_ROWS)) {
    await trx
      .insertInto(table)
      .values(part as Rows)
      .execute();
  }
}

/** Whether two `{ language: text }` records hold the same entries. */
export function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}
