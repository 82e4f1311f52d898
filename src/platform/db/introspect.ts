/**
 * Reads the schema of the open database into one shape for both dialects, so that two databases
 * can be compared: a fresh migrate against an upgraded one, a restored backup against what the
 * code expects, SQLite against PostgreSQL. Types are reduced to families (SQLite stores a date as
 * text, PostgreSQL could say varchar(255): both are `text`), indexes and constraints to their
 * column lists (their names differ between dialects: sqlite_autoindex_x_1 vs x_slug_key).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

export type TypeFamily =
  'text' | 'integer' | 'real' | 'numeric' | 'bool' | 'blob' | 'timestamp' | 'json' | (string & {});

export interface ColumnDescription {
  type: TypeFamily;
  /** The type as the database declares it (lower case), for same-dialect comparisons. */
  declared: string;
  nullable: boolean;
  /** The default as an SQL literal without casts (`'day'`, `0`), or null. */
  default: string | null;
  generated: boolean;
}

export interface TableDescription {
  columns: Record<string, ColumnDescription>;
  primaryKey: string[];
  /** `unique(a,b)` or `index(a,b)`, sorted; a primary key's own index is not listed. */
  indexes: string[];
  /** `(a,b) -> table(x,y) on delete cascade`, sorted. */
  foreignKeys: string[];
  /** `column in (v1,v2)` for the value lists migrations declare; anything else as written. */
  checks: string[];
}

export interface SchemaDescription {
  dialect: Database['dialect'];
  tables: Record<string, TableDescription>;
  /**
   * Tables only one engine has, described by name: SQLite's FTS5 virtual tables (with their
   * shadow tables); the search table of PostgreSQL appears in `tables` like any other.
   */
  virtualTables: string[];
}

export function typeFamily(declared: string): TypeFamily {
  const t = declared
    .toLowerCase()
    .replace(/\(.*\)/, '')
    .trim();
  if (/^(text|varchar|character varying|char|character|nvarchar|clob|citext|uuid)$/.test(t))
    return 'text';
  if (/^(integer|int|int2|int4|int8|bigint|smallint|serial|bigserial)$/.test(t)) return 'integer';
  if (/^(real|double precision|double|float|float4|float8)$/.test(t)) return 'real';
  if (/^(numeric|decimal)$/.test(t)) return 'numeric';
  if (/^(boolean|bool)$/.test(t)) return 'bool';
  if (/^(blob|bytea)$/.test(t)) return 'blob';
  if (/^(timestamp|timestamptz|date|time)\b/.test(t) || t.startsWith('timestamp'))
    return 'timestamp';
  if (/^(json|jsonb)$/.test(t)) return 'json';
  return t;
}

/** `'day'::text` -> `'day'`; `(0)` -> `0`; null stays null. */
function normaliseDefault(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  let v = value.trim();
  while (/^\(.*\)$/.test(v)) v = v.slice(1, -1).trim();
  v = v.replace(/::[a-z ]+(\[\])?$/i, '');
  return v;
}

const CHECK_IN_SQLITE = /check\s*\(\s*"?(\w+)"?\s+in\s*\(([^)]*)\)\s*\)/gi;
const CHECK_IN_POSTGRES = /^CHECK \(\(\(?(\w+)\)?(?:::text)? = ANY \(\(?ARRAY\[(.*)\]/;

function valueList(list: string): string {
  return list
    .split(',')
    .map((v) =>
      v
        .trim()
        .replace(/::[a-z ]+$/i, '')
        .replace(/^'(.*)'$/, '$1'),
    )
    .join(',');
}

function sortTable(t: TableDescription): TableDescription {
  return {
    columns: Object.fromEntries(Object.entries(t.columns).sort(([a], [b]) => a.localeCompare(b))),
    primaryKey: t.primaryKey,
    indexes: [...t.indexes].sort(),
    foreignKeys: [...t.foreignKeys].sort(),
    checks: [...t.checks].sort(),
  };
}

function sortSchema(s: SchemaDescription): SchemaDescription {
  return {
    dialect: s.dialect,
    tables: Object.fromEntries(
      Object.entries(s.tables)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, t]) => [name, sortTable(t)]),
    ),
    virtualTables: [...s.virtualTables].sort(),
  };
}

export async function describeSchema(database: Database): Promise<SchemaDescription> {
  return sortSchema(
    database.dialect === 'sqlite'
      ? await describeSqlite(database.db)
      : await describePostgres(database.db),
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

async function rows<T>(db: AnyDb, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await query.execute(db)).rows as T[];
}

async function describeSqlite(db: AnyDb): Promise<SchemaDescription> {
  const list = await rows<{ name: string; type: string }>(
    db,
    sql`select name, type from pragma_table_list where schema = 'main' and name not like 'sqlite_%'`,
  );
  const tables: Record<string, TableDescription> = {};
  const virtualTables = list.filter((t) => t.type !== 'table').map((t) => t.name);
  for (const { name } of list.filter((t) => t.type === 'table')) {
    const columns = await rows<{
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
      hidden: number;
    }>(db, sql`select * from pragma_table_xinfo(${name})`);
    const primaryKey = columns
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    const indexes: string[] = [];
    const indexList = await rows<{ name: string; unique: number; origin: string }>(
      db,
      sql`select * from pragma_index_list(${name})`,
    );
    for (const index of indexList) {
      if (index.origin === 'pk') continue;
      const cols = await rows<{ seqno: number; name: string | null }>(
        db,
        sql`select seqno, name from pragma_index_info(${index.name})`,
      );
      const names = cols.sort((a, b) => a.seqno - b.seqno).map((c) => c.name ?? '<expression>');
      indexes.push(`${index.unique ? 'unique' : 'index'}(${names.join(',')})`);
    }
    const fks = await rows<{
      id: number;
      seq: number;
      table: string;
      from: string;
      to: string | null;
      on_delete: string;
    }>(db, sql`select * from pragma_foreign_key_list(${name})`);
    const foreignKeys: string[] = [];
    for (const id of [...new Set(fks.map((f) => f.id))]) {
      const parts = fks.filter((f) => f.id === id).sort((a, b) => a.seq - b.seq);
      let to = parts.map((p) => p.to);
      if (to.some((t) => t === null)) {
        // `references t` without columns means t's primary key.
        const target = await rows<{ name: string; pk: number }>(
          db,
          sql`select name, pk from pragma_table_info(${parts[0]!.table}) where pk > 0 order by pk`,
        );
        to = target.map((t) => t.name);
      }
      foreignKeys.push(
        `(${parts.map((p) => p.from).join(',')}) -> ${parts[0]!.table}(${to.join(',')}) on delete ${parts[0]!.on_delete.toLowerCase()}`,
      );
    }
    const [create] = await rows<{ sql: string }>(
      db,
      sql`select sql from sqlite_schema where type = 'table' and name = ${name}`,
    );
    const checks = [...(create?.sql ?? '').matchAll(CHECK_IN_SQLITE)].map(
      (m) => `${m[1]} in (${valueList(m[2]!)})`,
    );
    tables[name] = {
      columns: Object.fromEntries(
        columns.map((c) => [
          c.name,
          {
            type: typeFamily(c.type),
            declared: c.type.toLowerCase(),
            // SQLite lets a non-integer primary key hold NULL unless declared NOT NULL; the
            // application never stores one, and PostgreSQL forbids it: describe the intent.
            nullable: c.notnull === 0 && c.pk === 0,
            default: normaliseDefault(c.dflt_value),
            generated: c.hidden === 2 || c.hidden === 3,
          },
        ]),
      ),
      primaryKey,
      indexes,
      foreignKeys,
      checks,
    };
  }
  return { dialect: 'sqlite', tables, virtualTables };
}

const PG_ON_DELETE: Record<string, string> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

async function describePostgres(db: AnyDb): Promise<SchemaDescription> {
  const tableNames = await rows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE'`,
  );
  const columns = await rows<{
    table_name: string;
    column_name: string;
    data_type: string;
    udt_name: string;
    is_nullable: string;
    column_default: string | null;
    is_generated: string;
  }>(
    db,
    sql`select table_name, column_name, data_type, udt_name, is_nullable, column_default, is_generated
        from information_schema.columns where table_schema = current_schema()`,
  );
  // Every index with its columns in key order (0 = an expression).
  const indexRows = await rows<{
    table_name: string;
    is_unique: boolean;
    is_primary: boolean;
    method: string;
    columns: (string | null)[];
  }>(
    db,
    sql`select t.relname as table_name, i.indisunique as is_unique, i.indisprimary as is_primary,
          am.amname as method,
          array(select a.attname::text from unnest(i.indkey) with ordinality as k(attnum, ord)
                left join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
                order by k.ord) as columns
        from pg_index i
        join pg_class t on t.oid = i.indrelid
        join pg_class ic on ic.oid = i.indexrelid
        join pg_am am on am.oid = ic.relam
        join pg_namespace n on n.oid = t.relnamespace
        where n.nspname = current_schema()`,
  );
  const constraints = await rows<{
    table_name: string;
    contype: string;
    columns: string[];
    ref_table: string | null;
    ref_columns: string[] | null;
    on_delete: string;
    definition: string;
  }>(
    db,
    sql`select t.relname as table_name, c.contype,
          array(select a.attname::text from unnest(c.conkey) with ordinality as k(attnum, ord)
                join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
                order by k.ord) as columns,
          r.relname as ref_table,
          array(select a.attname::text from unnest(c.confkey) with ordinality as k(attnum, ord)
                join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum
                order by k.ord) as ref_columns,
          c.confdeltype as on_delete,
          pg_get_constraintdef(c.oid) as definition
        from pg_constraint c
        join pg_class t on t.oid = c.conrelid
        join pg_namespace n on n.oid = t.relnamespace
        left join pg_class r on r.oid = c.confrelid
        where n.nspname = current_schema() and c.contype in ('p', 'f', 'c')`,
  );
  const tables: Record<string, TableDescription> = {};
  for (const { table_name: name } of tableNames) {
    const own = constraints.filter((c) => c.table_name === name);
    tables[name] = {
      columns: Object.fromEntries(
        columns
          .filter((c) => c.table_name === name)
          .map((c) => {
            const declared = c.data_type === 'USER-DEFINED' ? c.udt_name : c.data_type;
            return [
              c.column_name,
              {
                type: typeFamily(declared),
                declared: declared.toLowerCase(),
                nullable: c.is_nullable === 'YES',
                default: normaliseDefault(c.column_default),
                generated: c.is_generated === 'ALWAYS',
              },
            ];
          }),
      ),
      primaryKey: own.find((c) => c.contype === 'p')?.columns ?? [],
      indexes: indexRows
        .filter((i) => i.table_name === name && !i.is_primary)
        .map(
          (i) =>
            `${i.is_unique ? 'unique' : 'index'}(${i.columns.map((c) => c ?? '<expression>').join(',')})` +
            (i.method === 'btree' ? '' : ` using ${i.method}`),
        ),
      foreignKeys: own
        .filter((c) => c.contype === 'f')
        .map(
          (c) =>
            `(${c.columns.join(',')}) -> ${c.ref_table}(${(c.ref_columns ?? []).join(',')}) on delete ${PG_ON_DELETE[c.on_delete] ?? c.on_delete}`,
        ),
      checks: own
        .filter((c) => c.contype === 'c')
        .map((c) => {
          const m = CHECK_IN_POSTGRES.exec(c.definition);
          return m ? `${m[1]} in (${valueList(m[2]!)})` : c.definition;
        }),
    };
  }
  return { dialect: 'postgres', tables, virtualTables: [] };
}
