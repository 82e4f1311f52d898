import type { Kysely } from 'kysely';

// Migrations never import today's schema types: they describe the database as it was then.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The day's random salt that names a client in rate-limit keys, shared by every instance so
  // that they count one client together. Rows older than yesterday are deleted as days pass.
  await db.schema
    .createTable('rate_limit_salts')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('salt', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limit_salts').execute();
}
