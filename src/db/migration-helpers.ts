import { sql } from 'kysely';

/** A CHECK constraint that `column` holds one of `values`, the same on SQLite and PostgreSQL. */
export function sqlIn(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}
