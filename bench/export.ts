/**
 * npm run bench:export: seeds the demo library (the UDHR in 500+ languages and a few works
 * with files) into a temporary SQLite data folder, then times the export to a ZIM file
 * (zimwriterfs with its full-text index, then zimcheck -A) and to a bundle (a folder and a ZIP),
 * and prints seconds, pages, files and sizes. BENCH_LANGUAGES=ar,fa limits the editions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { seedDemo } from '../src/features/demo/seed.js';
import { exportBundle, exportZim, type ExportResult } from '../src/features/export/export.js';
import { parseLanguageList } from '../src/features/export/scope.js';
import { openDatabase } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { Catalogs } from '../src/platform/i18n/catalog.js';
import { LocalBlobStore } from '../src/platform/storage/blob-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-bench-export-'));
const languages = process.env.BENCH_LANGUAGES
  ? parseLanguageList(process.env.BENCH_LANGUAGES)
  : undefined;
process.env.XAPIAN_CJK_NGRAM = '1';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const line = (label: string, r: ExportResult) =>
  console.log(
    `${label.padEnd(16)} ${r.seconds.toFixed(1).padStart(6)} s  ${String(r.pages).padStart(6)} pages  ${String(r.files).padStart(4)} files  ${mb(r.size).padStart(9)}`,
  );

try {
  const config = loadConfig({
    DATA_DIR: path.join(dir, 'data'),
    LOG_LEVEL: 'silent',
    PAGE_CACHE_SECONDS: '0',
    SEED_DEMO: 'false',
  });
  fs.mkdirSync(config.dataDir, { recursive: true });
  const database = openDatabase(config);
  await migrateToLatest(database);
  const blobs = new LocalBlobStore(config.dataDir);
  const seeding = performance.now();
  const seeded = await seedDemo(database, blobs);
  console.log(
    `Demo library: ${seeded.works} works, ${seeded.editions} editions, ${seeded.files} files ` +
      `(seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s)` +
      `${languages ? `; exporting editions in ${languages.join(', ')}` : ''}.`,
  );
  const app = await buildApp({ config, database, blobs, catalogs: new Catalogs() });
  const common = { app, database, blobs, filters: { languages } };
  try {
    const zim = await exportZim({ ...common, out: path.join(dir, 'library.zim'), check: false });
    line('ZIM (no check)', zim);
    const checking = performance.now();
    const { spawnSync } = await import('node:child_process');
    const check = spawnSync('zimcheck', ['-A', zim.out], { encoding: 'utf8' });
    console.log(
      `zimcheck -A      ${((performance.now() - checking) / 1000).toFixed(1).padStart(6)} s  exit ${check.status}: ${/Overall Test Status: (\w+)/.exec(check.stdout)?.[1] ?? check.stdout.trim().split('\n').at(-1)}`,
    );
    line('bundle (folder)', await exportBundle({ ...common, out: path.join(dir, 'bundle') }));
    line('bundle (ZIP)', await exportBundle({ ...common, out: path.join(dir, 'bundle.zip') }));
  } finally {
    await app.close();
    await database.close();
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
