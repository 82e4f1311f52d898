/**
 * The search index on each engine, behind one interface: store analysed documents, remove them,
 * and find editions matching analysed query terms (each word: any of its alternatives).
 * SQLite: FTS5 ranked by bm25 with the title weighted; PostgreSQL: a GIN-indexed tsvector, a
 * capped candidate set ranked by ts_rank. Terms are bound as parameters, never spliced into
 * query syntax, so no input can cause a syntax error.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';

export interface IndexedDocument {
  editionId: string;
  title: string;
  body: string;
}

export interface Hit {
  editionId: string;
  rank: number;
}

/** How many matches are ranked at most: enough for every page a reader looks at. */
export const CANDIDATES = 500;

/** `"a" OR "b"` groups joined by AND: FTS5 strings with quotes doubled. */
function ftsQuery(terms: readonly string[][]): string {
  return terms
    .map(
      (alternatives) => `(${alternatives.map((a) => `"${a.replace(/"/g, '""')}"`).join(' OR ')})`,
    )
    .join(' AND ');
}

/** The same for to_tsquery: each lexeme quoted, quotes and backslashes escaped. */
function tsQuery(terms: readonly string[][]): string {
  const lexeme = (a: string) => `'${a.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  return terms.map((alternatives) => `(${alternatives.map(lexeme).join(' | ')})`).join(' & ');
}

export interface SearchEngine {
  remove(db: Kysely<DB>, editionIds: readonly string[]): Promise<void>;
  removeAll(db: Kysely<DB>): Promise<void>;
  store(db: Kysely<DB>, documents: readonly IndexedDocument[]): Promise<void>;
  /** Matching editions, best first, at most `limit`. */
  find(db: Kysely<DB>, terms: readonly string[][], limit?: number): Promise<Hit[]>;
}

const sqliteEngine: SearchEngine = {
  async remove(db, editionIds) {
    if (editionIds.length === 0) return;
    const rows = await db
      .selectFrom('search_docs')
      .select('rowid')
      .where('edition_id', 'in', [...editionIds])
      .execute();
    if (rows.length === 0) return;
    const rowids = rows.map((r) => Number(r.rowid));
    await db.deleteFrom('search_fts').where('rowid', 'in', rowids).execute();
    await db.deleteFrom('search_docs').where('rowid', 'in', rowids).execute();
  },
  async removeAll(db) {
    await db.deleteFrom('search_fts').execute();
    await db.deleteFrom('search_docs').execute();
  },
  async store(db, documents) {
    for (const d of documents) {
      const { rowid } = await db
        .insertInto('search_docs')
        .values({ edition_id: d.editionId })
        .returning('rowid')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('search_fts')
        .values({ rowid: Number(rowid), title: d.title, body: d.body })
        .execute();
    }
  },
  async find(db, terms, limit = CANDIDATES) {
    if (terms.length === 0) return [];
    const rows = await sql<{ edition_id: string; rank: number }>`
      select d.edition_id, bm25(search_fts, 5.0, 1.0) as rank
      from search_fts join search_docs d on d.rowid = search_fts.rowid
      where search_fts match ${ftsQuery(terms)}
      order by rank limit ${limit}`.execute(db);
    // bm25 is lower for better matches.
    return rows.rows.map((r) => ({ editionId: r.edition_id, rank: -Number(r.rank) }));
  },
};

const postgresEngine: SearchEngine = {
  async remove(db, editionIds) {
    if (editionIds.length === 0) return;
    await db
      .deleteFrom('search_index')
      .where('edition_id', 'in', [...editionIds])
      .execute();
  },
  async removeAll(db) {
    await db.deleteFrom('search_index').execute();
  },
  async store(db, documents) {
    if (documents.length === 0) return;
    await db
      .insertInto('search_index')
      .values(documents.map((d) => ({ edition_id: d.editionId, title: d.title, body: d.body })))
      .execute();
  },
  async find(db, terms, limit = CANDIDATES) {
    if (terms.length === 0) return [];
    const rows = await sql<{ edition_id: string; rank: number }>`
      with q as (select to_tsquery('simple', ${tsQuery(terms)}) as query),
      candidates as (
        select s.edition_id, s.tsv from search_index s, q where s.tsv @@ q.query limit ${CANDIDATES * 4}
      )
      select c.edition_id, ts_rank(c.tsv, q.query) as rank from candidates c, q
      order by rank desc, c.edition_id limit ${limit}`.execute(db);
    return rows.rows.map((r) => ({ editionId: r.edition_id, rank: Number(r.rank) }));
  },
};

/** The engine of a connection (or a transaction on it). */
export function searchEngine(db: Kysely<DB>): SearchEngine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? postgresEngine : sqliteEngine;
}
