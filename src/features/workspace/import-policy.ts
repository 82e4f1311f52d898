/**
 * What a manifest imported from the workspace may touch: a network admin anything; anyone else
 * only works of organisations where they may create works, and no shared lists (organisations,
 * topics, collections, language names), which belong to the whole network.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { Staff } from '../accounts/sessions.js';
import type { Manifest, ManifestProblem } from '../imports/manifest.js';
import { canCreateWork, canEditWork, isNetworkAdmin } from './policies.js';

export async function importProblems(
  db: Kysely<DB>,
  staff: Staff,
  manifest: Manifest,
): Promise<ManifestProblem[]> {
  if (isNetworkAdmin(staff)) return [];
  const problems: ManifestProblem[] = [];
  const at = (line: number, message: string) =>
    problems.push({ file: manifest.file, line, message });
  for (const [section, items] of [
    ['organisations', manifest.organisations],
    ['topics', manifest.topics],
    ['collections', manifest.collections],
    ['languages', manifest.languages],
  ] as const) {
    if (items.length)
      at(1, `only network administrators may import ${section}; remove that section`);
  }
  const organisations = new Map(
    (await db.selectFrom('organisations').select(['id', 'slug']).execute()).map((o) => [
      o.slug,
      o.id,
    ]),
  );
  const slugs = manifest.works.map((w) => w.slug);
  const existing = new Map(
    slugs.length
      ? (
          await db
            .selectFrom('works')
            .select(['slug', 'publisher_id', 'published_at'])
            .where('slug', 'in', slugs)
            .execute()
        ).map((w) => [w.slug, w])
      : [],
  );
  for (const work of manifest.works) {
    const publisherId = work.publisher ? organisations.get(work.publisher) : undefined;
    if (!publisherId || !canCreateWork(staff, publisherId)) {
      at(work.line, `work "${work.slug}": its publisher must be one of your organisations`);
      continue;
    }
    const stored = existing.get(work.slug);
    if (
      stored &&
      !canEditWork(staff, {
        organisationId: stored.publisher_id,
        published: stored.published_at !== null,
      })
    ) {
      at(work.line, `work "${work.slug}" already exists and belongs to another organisation`);
    }
  }
  return problems;
}
