/**
 * The import manifest (docs/import-format.md) once validated, and as written (ManifestInput).
 */
import type { EditionStatus, FileRole, WorkType } from '../../platform/db/schema.js';
import type { Direction } from '../../platform/i18n/languages.js';

export type OrganisationKind = 'hub' | 'partner';
export const ORGANISATION_KINDS: readonly OrganisationKind[] = ['hub', 'partner'];

export interface ManifestOrganisation {
  slug: string;
  name: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string | null;
  kind: OrganisationKind;
}

export interface ManifestLanguage {
  tag: string;
  endonym: string | null;
  englishName: string | null;
  direction: Direction | null;
}

export interface ManifestTopic {
  slug: string;
  /** Canonical language tag -> label; always has `en`. */
  labels: Record<string, string>;
}

export interface ManifestCollection {
  slug: string;
  titles: Record<string, string>;
  descriptions: Record<string, string>;
  works: string[];
}

/** A file named by the manifest: as written, and where it really is (symlinks resolved). */
export interface ManifestSource {
  path: string;
  absolutePath: string;
  /** Line of the path in the manifest, for problems found later (unreadable HTML...). */
  line: number;
}

export interface ManifestFile extends ManifestSource {
  role: FileRole;
  /** Subtitle language (defaults to the edition's); null for other roles. */
  language: string | null;
  filename: string;
  mediaType: string;
}

export interface ManifestEdition {
  language: string;
  title: string;
  summary: string | null;
  status: EditionStatus;
  html: ManifestSource | null;
  files: ManifestFile[];
  line: number;
}

export interface ManifestWork {
  slug: string;
  type: WorkType;
  publisher: string | null;
  licence: string | null;
  year: number | null;
  originalLanguage: string | null;
  topics: string[];
  editions: ManifestEdition[];
  line: number;
}

export interface Manifest {
  /** The manifest file, as it appears in problems. */
  file: string;
  /** The import folder (real path); every file path resolves against it. */
  dir: string;
  organisations: ManifestOrganisation[];
  languages: ManifestLanguage[];
  topics: ManifestTopic[];
  collections: ManifestCollection[];
  works: ManifestWork[];
}

/** The manifest as written (YAML or JSON), for code that generates one (the demo library). */
export interface ManifestInput {
  organisations?: { slug: string; name: string; country?: string; kind?: OrganisationKind }[];
  languages?: { tag: string; endonym?: string; english_name?: string; direction?: Direction }[];
  topics?: { slug: string; labels: Record<string, string> }[];
  collections?: {
    slug: string;
    titles: Record<string, string>;
    descriptions?: Record<string, string>;
    works?: string[];
  }[];
  works?: {
    slug: string;
    type: WorkType;
    publisher?: string;
    licence?: string;
    year?: number;
    original_language?: string;
    topics?: string[];
    editions: {
      language: string;
      title: string;
      summary?: string;
      status?: EditionStatus;
      html?: string;
      files?: {
        path: string;
        role?: FileRole;
        language?: string;
        filename?: string;
        media_type?: string;
      }[];
    }[];
  }[];
}

/** Slugs that already exist in the database, so a manifest may refer to them. */
export interface KnownSlugs {
  organisations: ReadonlySet<string>;
  topics: ReadonlySet<string>;
  works: ReadonlySet<string>;
}
