import type { Kysely } from 'kysely';
import { sqlIn } from '../migration-helpers.js';

// Migrations never import today's schema types: they describe the database as it was then.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Background work (text extraction, thumbnails, small video versions), claimed by any instance.
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.references('edition_files.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sqlIn('state', ['queued', 'running', 'done', 'failed'])),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_after', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('jobs_state_idx')
    .on('jobs')
    .columns(['state', 'run_after'])
    .execute();
  await db.schema.createIndex('jobs_file_idx').on('jobs').column('file_id').execute();

  // A file made from another (a 240p video, an audio-only version, a WebVTT track).
  await db.schema
    .alterTable('edition_files')
    .addColumn('derived_from_id', 'text', (c) =>
      c.references('edition_files.id').onDelete('cascade'),
    )
    .execute();

  // Text extracted from a file, for search; `usable` is 0 when it looks like garbage.
  await db.schema
    .createTable('file_texts')
    .addColumn('file_id', 'text', (c) =>
      c.primaryKey().references('edition_files.id').onDelete('cascade'),
    )
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('usable', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('file_thumbnails')
    .addColumn('file_id', 'text', (c) =>
      c.primaryKey().references('edition_files.id').onDelete('cascade'),
    )
    .addColumn('blob_sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('file_thumbnails').execute();
  await db.schema.dropTable('file_texts').execute();
  await db.schema.alterTable('edition_files').dropColumn('derived_from_id').execute();
  await db.schema.dropTable('jobs').execute();
}
