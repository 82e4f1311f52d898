/** Organisations of the network: the hub and its partners. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { recordAudit, type Actor } from '../audit/log.js';
import { SLUG_PATTERN } from '../imports/manifest.js';

export class OrganisationError extends Error {}

export async function addOrganisation(
  db: Kysely<DB>,
  actor: Actor,
  input: { slug: string; name: string; kind: string; country?: string | undefined },
): Promise<string> {
  if (!SLUG_PATTERN.test(input.slug)) {
    throw new OrganisationError('the slug must be lower-case letters, digits and dashes');
  }
  if (input.kind !== 'hub' && input.kind !== 'partner') {
    throw new OrganisationError('the kind must be hub or partner');
  }
  const country = input.country?.trim().toUpperCase() || null;
  if (country !== null && !/^[A-Z]{2}$/.test(country)) {
    throw new OrganisationError('the country must be a two-letter ISO 3166 code');
  }
  const name = input.name.trim();
  if (!name) throw new OrganisationError('the name is empty');
  const id = randomUUID();
  const kind = input.kind;
  await db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', input.slug)
      .executeTakeFirst();
    if (taken) throw new OrganisationError(`the slug "${input.slug}" is taken`);
    await trx
      .insertInto('organisations')
      .values({ id, slug: input.slug, name, country, kind, created_at: new Date().toISOString() })
      .execute();
    await recordAudit(trx, actor, {
      action: 'organisation.create',
      entityType: 'organisation',
      entityId: id,
      organisationId: id,
      detail: { slug: input.slug, name, kind },
    });
  });
  return id;
}
