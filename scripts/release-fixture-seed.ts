/**
 * Seeds a small but representative database with the code of an EARLIER release, checked out in
 * a worktree: its own migrations, importer, user accounts, demo programme (events, participants
 * with encrypted fields, registrations, survey answers) and job queue. Run by
 * scripts/make-release-fixture.sh; never imported by the app or the tests.
 *
 *   node --import tsx scripts/release-fixture-seed.ts <worktree> <dataDir>
 *
 * DATABASE_URL selects PostgreSQL; FIELD_KEYS_FILE must name the fixture's (test-only) key file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [worktree, dataDir] = process.argv.slice(2);
if (!worktree || !dataDir || !process.env.FIELD_KEYS_FILE) {
  console.error('usage: FIELD_KEYS_FILE=... release-fixture-seed.ts <worktree> <dataDir>');
  process.exit(2);
}

// The release's modules are loaded from the worktree, so their types are not this checkout's.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function load(relative: string): Promise<any> {
  return import(pathToFileURL(path.join(worktree!, relative)).href);
}

const { loadConfig } = await load('src/config.ts');
const { openDatabase } = await load('src/platform/db/database.ts');
const { migrateToLatest } = await load('src/platform/db/migrate.ts');
const { LocalBlobStore } = await load('src/platform/storage/blob-store.ts');
const { importDirectory } = await load('src/features/imports/importer.ts');
const { createUser } = await load('src/features/accounts/users.ts');
const { CLI_ACTOR } = await load('src/features/audit/log.ts');
const { seedDefaultInstrument } = await load('src/features/surveys/default-instrument.ts');
const { seedDemoProgrammes } = await load('src/features/demo/programmes.ts');
const { loadKeyRing } = await load('src/platform/crypto/key-ring.ts');
const { FieldCipher } = await load('src/platform/crypto/field-encryption.ts');
const { enqueueJob } = await load('src/platform/jobs/queue.ts');

const config = loadConfig({
  DATA_DIR: dataDir,
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  SEED_DEMO: 'false',
  LOG_LEVEL: 'silent',
});
const database = openDatabase(config);
await migrateToLatest(database);
const blobs = new LocalBlobStore(config.dataDir);

// ---- A tiny library through the release's importer: works, editions, sections, files, blobs,
// topics, a collection, the search index and the text-extraction jobs.
const source = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-fixture-import-'));
const write = (name: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(source, name)), { recursive: true });
  fs.writeFileSync(path.join(source, name), text);
};
write(
  'dsb/en.html',
  '<h1>Digital safety basics</h1><h2>Passwords</h2><p>Use a <em>long</em> passphrase.</p>' +
    '<h2>Two-step sign-in</h2><p>Turn it on for e-mail first.</p>',
);
write(
  'dsb/ar.html',
  '<h1>أساسيات الأمان الرقمي</h1><h2>كلمات المرور</h2><p>استخدمي عبارة مرور طويلة.</p>',
);
write(
  'dsb/fa.html',
  '<h1>مبانی امنیت دیجیتال</h1><h2>گذرواژه‌ها</h2><p>از عبارت عبور بلند استفاده کنید.</p>',
);
write('dsb/checklist-en.txt', 'Checklist: passphrase, two-step sign-in, updates, backups.\n');
write('dsb/checklist-ar.txt', 'قائمة: عبارة مرور، تحقق بخطوتين، تحديثات، نسخ احتياطية.\n');
write(
  'rights/en.html',
  '<h1>Your rights in 30 articles</h1><article><h2>Article 1</h2><p>All human beings are born free and equal in dignity and rights.</p></article>' +
    '<article><h2>Article 2</h2><p>Everyone is entitled to all the rights and freedoms set forth in this Declaration.</p></article>',
);
write(
  'rights/fr.html',
  '<h1>Vos droits en 30 articles</h1><article><h2>Article premier</h2><p>Tous les êtres humains naissent libres et égaux en dignité et en droits.</p></article>',
);
write(
  'rights/rights.en.vtt',
  'WEBVTT\n\n00:00.000 --> 00:02.000\nAll human beings are born free.\n',
);
write(
  'notes/draft.html',
  '<h1>Field notes</h1><p>Notes from the Nairobi workshop, not yet reviewed.</p>',
);
const manifest = {
  organisations: [
    {
      slug: 'learning-center-network',
      name: 'Learning Center Network',
      country: 'KE',
      kind: 'hub',
    },
    { slug: 'demo-partner', name: 'Demo Partner', country: 'KE', kind: 'partner' },
    { slug: 'sawa-digital', name: 'Sawa Digital', country: 'JO', kind: 'partner' },
  ],
  topics: [
    {
      slug: 'digital-safety',
      labels: { en: 'Digital safety', ar: 'الأمان الرقمي', fr: 'Sécurité numérique' },
    },
    { slug: 'human-rights', labels: { en: 'Human rights', fa: 'حقوق بشر' } },
  ],
  collections: [
    {
      slug: 'start-here',
      titles: { en: 'Start here', fr: 'Pour commencer' },
      works: ['digital-safety-basics', 'your-rights-in-30-articles'],
    },
  ],
  works: [
    {
      slug: 'digital-safety-basics',
      type: 'guide',
      publisher: 'learning-center-network',
      licence: 'CC BY 4.0',
      year: 2026,
      original_language: 'en',
      topics: ['digital-safety'],
      editions: [
        {
          language: 'en',
          title: 'Digital safety basics',
          summary: 'Passwords, two-step sign-in and updates.',
          html: 'dsb/en.html',
          files: [{ path: 'dsb/checklist-en.txt', filename: 'Checklist.txt' }],
        },
        {
          language: 'ar',
          title: 'أساسيات الأمان الرقمي',
          html: 'dsb/ar.html',
          files: [{ path: 'dsb/checklist-ar.txt', filename: 'قائمة.txt' }],
        },
        { language: 'fa', title: 'مبانی امنیت دیجیتال', html: 'dsb/fa.html' },
      ],
    },
    {
      slug: 'your-rights-in-30-articles',
      type: 'manual',
      publisher: 'sawa-digital',
      year: 1948,
      original_language: 'en',
      topics: ['human-rights'],
      editions: [
        {
          language: 'en',
          title: 'Your rights in 30 articles',
          html: 'rights/en.html',
          files: [{ path: 'rights/rights.en.vtt', role: 'subtitles' }],
        },
        { language: 'fr', title: 'Vos droits en 30 articles', html: 'rights/fr.html' },
      ],
    },
    {
      slug: 'field-notes',
      type: 'other',
      publisher: 'demo-partner',
      editions: [
        { language: 'en', title: 'Field notes', status: 'in_review', html: 'notes/draft.html' },
      ],
    },
  ],
};
fs.writeFileSync(path.join(source, 'manifest.json'), JSON.stringify(manifest));
await importDirectory(database, blobs, source, {});
fs.rmSync(source, { recursive: true, force: true });

// ---- Staff accounts (argon2id hashes, memberships, audit entries) and a signed-in session.
const db = database.db;
const orgs: { id: string; slug: string }[] = await db
  .selectFrom('organisations')
  .select(['id', 'slug'])
  .execute();
const org = (slug: string) => orgs.find((o) => o.slug === slug)!.id;
const admin = await createUser(db, CLI_ACTOR, {
  username: 'amina',
  displayName: 'Amina (network admin)',
  password: 'fixture-password-1',
  organisationId: org('learning-center-network'),
  role: 'network_admin',
});
await createUser(db, CLI_ACTOR, {
  username: 'layla',
  displayName: 'ليلى',
  password: 'fixture-password-2',
  organisationId: org('sawa-digital'),
  role: 'editor',
});
await createUser(db, CLI_ACTOR, {
  username: 'wanjiru',
  displayName: 'Wanjiru',
  password: 'fixture-password-3',
  organisationId: org('demo-partner'),
  role: 'trainer',
});
const now = new Date('2026-11-30T09:00:00.000Z');
const at = now.toISOString();
await db
  .insertInto('sessions')
  .values({
    id_hash: 'f'.repeat(64),
    user_id: admin,
    csrf_token: 'fixture-csrf-token',
    second_factor_pending: 0,
    created_at: at,
    last_seen_at: at,
    expires_at: '2026-11-30T21:00:00.000Z',
  })
  .execute();
await db
  .insertInto('rate_limits')
  .values({ key: 'signin:fixture', window_start: at, count: 3 })
  .execute();

// ---- The programme through the release's demo seeding: a curriculum, events with agendas,
// participants (encrypted fields, codes as HMACs), registrations, attendance, survey answers,
// projects. The default instrument first, as the release's boot does.
await seedDefaultInstrument(db, now);
const cipher = new FieldCipher(loadKeyRing(process.env, config.dataDir));
const programme = await seedDemoProgrammes(db, cipher, now);
if (!programme.created) throw new Error('the release did not seed its demo programme');
// The committed fixture must stay small: four registrations per event (with their answers,
// attendance and certificates) are enough; seat counters follow the rows that remain.
const events: { id: string }[] = await db.selectFrom('events').select('id').execute();
for (const event of events) {
  const keep: { id: string }[] = await db
    .selectFrom('registrations')
    .select('id')
    .where('event_id', '=', event.id)
    .orderBy('created_at')
    .orderBy('id')
    .limit(4)
    .execute();
  await db
    .deleteFrom('registrations')
    .where('event_id', '=', event.id)
    .where(
      'id',
      'not in',
      keep.map((r) => r.id),
    )
    .execute();
}
await db
  .deleteFrom('participants')
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  .where(({ not, exists, selectFrom }: any) =>
    not(
      exists(
        selectFrom('registrations')
          .select('id')
          .whereRef('registrations.participant_id', '=', 'participants.id'),
      ),
    ),
  )
  .execute();
for (const event of events) {
  const { n } = await db
    .selectFrom('registrations')
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    .select(({ fn }: any) => fn.countAll().as('n'))
    .where('event_id', '=', event.id)
    .where('status', '=', 'registered')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('events')
    .set({ seats_taken: Number(n) })
    .where('id', '=', event.id)
    .execute();
}

// ---- Downloads counted, and jobs in every state the queue knows.
const editions: { id: string }[] = await db.selectFrom('editions').select('id').execute();
for (const [i, e] of editions.entries()) {
  await db
    .insertInto('download_counts')
    .values({ edition_id: e.id, day: '2026-11-29', count: i + 1 })
    .execute();
}
const failed = await enqueueJob(db, 'thumbnail', null, now);
await db
  .updateTable('jobs')
  .set({ state: 'failed', attempts: 3, last_error: 'fixture: tool missing' })
  .where('id', '=', failed)
  .execute();
const done = await enqueueJob(db, 'text', null, now);
await db.updateTable('jobs').set({ state: 'done', attempts: 1 }).where('id', '=', done).execute();

await database.close();
console.log('Seeded the release fixture.');
