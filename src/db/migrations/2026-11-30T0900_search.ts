import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Migrations never import today's schema types: they describe the database as it was then.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * The search index: one row per public edition, holding terms already analysed by our own text
 * analysis (src/features/search/analysis.ts), so both engines only split on spaces. SQLite:
 * an FTS5 table; PostgreSQL: a tsvector ('simple' configuration) with a GIN index.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`create table search_index (
      edition_id text primary key references editions(id) on delete cascade,
      title text not null,
      body text not null,
      tsv tsvector generated always as (
        setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')
      ) stored
    )`.execute(db);
    await sql`create index search_index_tsv_idx on search_index using gin (tsv)`.execute(db);
  } else {
    // FTS5 rows are found by rowid: search_docs gives each indexed edition one.
    await sql`create table search_docs (
      rowid integer primary key,
      edition_id text not null unique references editions(id) on delete cascade
    )`.execute(db);
    await sql`create virtual table search_fts using fts5(
      title, body, tokenize = 'unicode61 remove_diacritics 0'
    )`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop table search_index`.execute(db);
  } else {
    await sql`drop table search_fts`.execute(db);
    await sql`drop table search_docs`.execute(db);
  }
}
