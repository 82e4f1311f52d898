import type { Kysely } from 'kysely';
import type { VersionedMemo } from '../../platform/cache/content-version.js';
import type { DB } from '../../platform/db/schema.js';
import * as facets from './facets.js';
import * as works from './repository.js';
import * as taxonomy from './taxonomy.js';

const repo = { ...works, ...facets, ...taxonomy };

/**
 * The library's read queries with their results kept per content version: facet counts, work
 * lists and a work's editions are the same for every reader until content changes.
 */
export function cachedRepository(memo: VersionedMemo) {
  const cached =
    <A extends unknown[], R>(name: string, fn: (db: Kysely<DB>, ...args: A) => Promise<R>) =>
    (db: Kysely<DB>, ...args: A): Promise<R> =>
      memo.get(`${name}\u0000${JSON.stringify(args)}`, () => fn(db, ...args));
  return {
    ...repo,
    countWorks: cached('countWorks', repo.countWorks),
    listWorks: cached('listWorks', repo.listWorks),
    listCollectionWorks: cached('listCollectionWorks', repo.listCollectionWorks),
    findWorkBySlug: cached('findWorkBySlug', repo.findWorkBySlug),
    findWorksByIds: cached('findWorksByIds', repo.findWorksByIds),
    editionsByIds: cached('editionsByIds', repo.editionsByIds),
    workEditions: cached('workEditions', repo.workEditions),
    latestEditionsInLanguage: cached('latestEditionsInLanguage', repo.latestEditionsInLanguage),
    typeFacet: cached('typeFacet', repo.typeFacet),
    topicFacet: cached('topicFacet', repo.topicFacet),
    languageFacet: cached('languageFacet', repo.languageFacet),
    countLanguages: cached('countLanguages', repo.countLanguages),
    findLanguage: cached('findLanguage', repo.findLanguage),
    topicLabels: cached('topicLabels', repo.topicLabels),
    workTopics: cached('workTopics', repo.workTopics),
    findTopic: cached('findTopic', repo.findTopic),
    listCollections: cached('listCollections', repo.listCollections),
    findCollection: cached('findCollection', repo.findCollection),
    collectionLabels: cached('collectionLabels', repo.collectionLabels),
    editionFiles: cached('editionFiles', repo.editionFiles),
    sectionCount: cached('sectionCount', repo.sectionCount),
    findSection: cached('findSection', repo.findSection),
  };
}

export type LibraryData = ReturnType<typeof cachedRepository>;
