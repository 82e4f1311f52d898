/**
 * npm run bench:search: 100,000 editions in 45 languages (25+ scripts), words drawn by a seeded
 * generator from the corpus UDHR texts; builds the search index and runs 2,000 one- and
 * two-word queries, on SQLite and PostgreSQL in one run. Prints build time, p50/p95/p99 query
 * latency and peak RSS. Targets (2 cores): SQLite p50 <= 2 ms, p99 <= 20 ms, build <= 60 s,
 * RSS <= 400 MB; PostgreSQL p99 <= 50 ms.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { queryTerms, stemLanguagesFor, words } from '../src/features/search/analysis.js';
import { searchEngine } from '../src/features/search/engine.js';
import { reindexAll } from '../src/features/search/indexer.js';
import { openDatabase, type Database, type DialectName } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { directionOf, endonymOf, scriptOf } from '../src/platform/i18n/languages.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = process.env.CORPUS_DIR ?? path.resolve(ROOT, '../shared/corpus');
const EDITIONS = Number(process.env.BENCH_EDITIONS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 2_000);
const PG_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A small seeded PRNG (mulberry32): the same library every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Vocabulary per language: the distinct words of each corpus UDHR translation. */
function vocabularies(): { tag: string; words: string[] }[] {
  const index = JSON.parse(fs.readFileSync(path.join(CORPUS, 'udhr/index.json'), 'utf8')) as {
    declarations: { file: string; bcp47: string }[];
  };
  const files = fs.readdirSync(path.join(CORPUS, 'udhr')).filter((f) => f.endsWith('.html'));
  const tagOf = (file: string) =>
    index.declarations.find((d) => d.file === file)?.bcp47 ?? file.replace(/\.html$/, '');
  return files.map((file) => {
    const tag = tagOf(file);
    const text = fs.readFileSync(path.join(CORPUS, 'udhr', file), 'utf8').replace(/<[^>]+>/g, ' ');
    // The original spellings (not folded): the generator writes what authors write.
    const list = [
      ...new Set(text.split(/[\s\p{P}]+/u).filter((w) => w.length >= 2 && !/\d/.test(w))),
    ];
    return { tag, words: list.length ? list : words(text, tag) };
  });
}

async function freshPostgres(): Promise<string> {
  const name = `lc_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropPostgres(url: string) {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

/** Works of 20 editions each, in as many languages, with titles and summaries from the vocabularies. */
async function generate(database: Database, vocab: { tag: string; words: string[] }[]) {
  const rand = prng(42);
  const pick = (list: string[]) => list[Math.floor(rand() * list.length)]!;
  const phrase = (list: string[], n: number) =>
    Array.from({ length: n }, () => pick(list)).join(' ');
  const now = new Date().toISOString();
  await database.db
    .insertInto('languages')
    .values(
      vocab.map((v) => ({
        tag: v.tag,
        endonym: endonymOf(v.tag) ?? null,
        english_name: null,
        script: scriptOf(v.tag) ?? null,
        direction: directionOf(v.tag),
      })),
    )
    .onConflict((oc) => oc.column('tag').doNothing())
    .execute();
  const perWork = 20;
  for (let done = 0; done < EDITIONS;) {
    await database.db.transaction().execute(async (trx) => {
      for (let w = 0; w < 25 && done < EDITIONS; w++) {
        const workId = randomUUID();
        await trx
          .insertInto('works')
          .values({
            id: workId,
            slug: `bench-${done}`,
            type: 'manual',
            publisher_id: null,
            licence: null,
            year: null,
            original_language: null,
            published_at: now,
            version: 1,
            created_at: now,
            updated_at: now,
          })
          .execute();
        const start = Math.floor(rand() * vocab.length);
        const rows = [];
        for (let e = 0; e < perWork && done < EDITIONS; e++, done++) {
          const v = vocab[(start + e) % vocab.length]!;
          rows.push({
            id: randomUUID(),
            work_id: workId,
            language: v.tag,
            title: phrase(v.words, 3 + Math.floor(rand() * 4)),
            summary: phrase(v.words, 40 + Math.floor(rand() * 40)),
            status: 'published' as const,
            version: 1,
            source_hash: null,
            translated_from_id: null,
            translated_from_version: null,
            published_at: now,
            created_at: now,
            updated_at: now,
          });
        }
        await trx.insertInto('editions').values(rows).execute();
      }
    });
  }
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(dialect: DialectName, vocab: { tag: string; words: string[] }[]) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-bench-search-'));
  const databaseUrl = dialect === 'postgres' ? await freshPostgres() : undefined;
  const database = openDatabase(
    loadConfig({
      DATA_DIR: dataDir,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      LOG_LEVEL: 'silent',
    }),
  );
  try {
    await migrateToLatest(database);
    const generated = performance.now();
    await generate(database, vocab);
    const generateSeconds = (performance.now() - generated) / 1000;
    const started = performance.now();
    await database.db.transaction().execute((trx) => reindexAll(trx));
    const buildSeconds = (performance.now() - started) / 1000;

    const rand = prng(7);
    const times: number[] = [];
    let found = 0;
    const engine = searchEngine(database.db);
    for (let i = 0; i < QUERIES; i++) {
      const v = vocab[Math.floor(rand() * vocab.length)]!;
      const n = rand() < 0.5 ? 1 : 2;
      const query = Array.from(
        { length: n },
        () => v.words[Math.floor(rand() * v.words.length)]!,
      ).join(' ');
      const t0 = performance.now();
      const hits = await engine.find(
        database.db,
        queryTerms(query, stemLanguagesFor(query, 'en')),
        20,
      );
      times.push(performance.now() - t0);
      if (hits.length) found += 1;
    }
    times.sort((a, b) => a - b);
    return { dialect, generateSeconds, buildSeconds, found, times };
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) await dropPostgres(databaseUrl);
  }
}

const vocab = vocabularies();
const scripts = new Set(vocab.map((v) => scriptOf(v.tag) ?? v.tag));
console.log(
  `Search benchmark: ${EDITIONS.toLocaleString('en')} editions in ${vocab.length} languages (${scripts.size} scripts), ${QUERIES} one- and two-word queries`,
);
for (const dialect of ['sqlite', 'postgres'] as const) {
  const r = await run(dialect, vocab);
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  console.log(
    `${dialect.padEnd(8)} generate ${r.generateSeconds.toFixed(1)} s, index build ${r.buildSeconds.toFixed(1)} s; ` +
      `p50 ${ms(percentile(r.times, 50))}, p95 ${ms(percentile(r.times, 95))}, p99 ${ms(percentile(r.times, 99))}; ` +
      `${r.found}/${QUERIES} queries found something`,
  );
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
console.log(
  'targets: SQLite p50 <= 2 ms, p99 <= 20 ms, build <= 60 s, RSS <= 400 MB; PostgreSQL p99 <= 50 ms',
);
