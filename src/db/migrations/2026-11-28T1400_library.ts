import type { Kysely } from 'kysely';
import { sqlIn } from '../migration-helpers.js';

// Migrations never import today's schema types: they describe the database as it was then.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .addColumn('kind', 'text', (c) => c.notNull().check(sqlIn('kind', ['hub', 'partner'])))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('languages')
    .addColumn('tag', 'text', (c) => c.primaryKey())
    .addColumn('endonym', 'text')
    .addColumn('english_name', 'text')
    .addColumn('script', 'text')
    .addColumn('direction', 'text', (c) => c.notNull().check(sqlIn('direction', ['ltr', 'rtl'])))
    .execute();

  await db.schema
    .createTable('works')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) =>
      c
        .notNull()
        .check(
          sqlIn('type', [
            'manual',
            'toolkit',
            'guide',
            'video',
            'documentary',
            'audio',
            'poster',
            'other',
          ]),
        ),
    )
    .addColumn('publisher_id', 'text', (c) => c.references('organisations.id').onDelete('set null'))
    .addColumn('licence', 'text')
    .addColumn('year', 'integer')
    .addColumn('original_language', 'text', (c) => c.references('languages.tag'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('works_type_idx').on('works').column('type').execute();

  await db.schema
    .createTable('editions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('work_id', 'text', (c) => c.notNull().references('works.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull().references('languages.tag'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sqlIn('status', ['draft', 'in_review', 'published'])),
    )
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('source_hash', 'text')
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('editions_work_language_unique', ['work_id', 'language'])
    .execute();
  await db.schema
    .createIndex('editions_language_status_idx')
    .on('editions')
    .columns(['language', 'status'])
    .execute();

  await db.schema
    .createTable('edition_sections')
    .addColumn('edition_id', 'text', (c) =>
      c.notNull().references('editions.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('heading', 'text')
    .addColumn('html', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('edition_sections_pk', ['edition_id', 'position'])
    .execute();

  await db.schema
    .createTable('blobs')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('edition_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('edition_id', 'text', (c) =>
      c.notNull().references('editions.id').onDelete('cascade'),
    )
    .addColumn('blob_sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sqlIn('role', ['original', 'low', 'audio', 'subtitles'])),
    )
    .addColumn('language', 'text', (c) => c.references('languages.tag'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('edition_files_edition_idx')
    .on('edition_files')
    .column('edition_id')
    .execute();
  await db.schema
    .createIndex('edition_files_blob_idx')
    .on('edition_files')
    .column('blob_sha256')
    .execute();

  await db.schema
    .createTable('topics')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema
    .createTable('topic_labels')
    .addColumn('topic_id', 'text', (c) => c.notNull().references('topics.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('topic_labels_pk', ['topic_id', 'language'])
    .execute();
  await db.schema
    .createTable('work_topics')
    .addColumn('work_id', 'text', (c) => c.notNull().references('works.id').onDelete('cascade'))
    .addColumn('topic_id', 'text', (c) => c.notNull().references('topics.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('work_topics_pk', ['work_id', 'topic_id'])
    .execute();
  await db.schema
    .createIndex('work_topics_topic_idx')
    .on('work_topics')
    .column('topic_id')
    .execute();

  await db.schema
    .createTable('collections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('collection_labels')
    .addColumn('collection_id', 'text', (c) =>
      c.notNull().references('collections.id').onDelete('cascade'),
    )
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addPrimaryKeyConstraint('collection_labels_pk', ['collection_id', 'language'])
    .execute();
  await db.schema
    .createTable('collection_works')
    .addColumn('collection_id', 'text', (c) =>
      c.notNull().references('collections.id').onDelete('cascade'),
    )
    .addColumn('work_id', 'text', (c) => c.notNull().references('works.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('collection_works_pk', ['collection_id', 'work_id'])
    .execute();

  await db.schema
    .createTable('download_counts')
    .addColumn('edition_id', 'text', (c) =>
      c.notNull().references('editions.id').onDelete('cascade'),
    )
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('download_counts_pk', ['edition_id', 'day'])
    .execute();

  await db.schema
    .createTable('app_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'app_state',
    'download_counts',
    'collection_works',
    'collection_labels',
    'collections',
    'work_topics',
    'topic_labels',
    'topics',
    'edition_files',
    'blobs',
    'edition_sections',
    'editions',
    'works',
    'languages',
    'organisations',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
