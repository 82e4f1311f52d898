/**
 * Row types of the database, shared by SQLite and PostgreSQL. Timestamps are ISO 8601 UTC text
 * on both, so that comparisons and results are identical; ids are random UUID text.
 */
import type { Generated } from 'kysely';

export const WORK_TYPES = [
  'manual',
  'toolkit',
  'guide',
  'video',
  'documentary',
  'audio',
  'poster',
  'other',
] as const;
export type WorkType = (typeof WORK_TYPES)[number];

export const EDITION_STATUSES = ['draft', 'in_review', 'published'] as const;
export type EditionStatus = (typeof EDITION_STATUSES)[number];

/** What a file is to its edition: the main download, a lighter version, or subtitles. */
export const FILE_ROLES = ['original', 'low', 'audio', 'subtitles'] as const;
export type FileRole = (typeof FILE_ROLES)[number];

export interface OrganisationTable {
  id: string;
  slug: string;
  name: string;
  country: string | null;
  kind: 'hub' | 'partner';
  created_at: string;
}

export interface LanguageTable {
  tag: string;
  endonym: string | null;
  english_name: string | null;
  script: string | null;
  direction: 'ltr' | 'rtl';
}

export interface WorkTable {
  id: string;
  slug: string;
  type: WorkType;
  publisher_id: string | null;
  licence: string | null;
  year: number | null;
  original_language: string | null;
  /** Null while the work is unpublished: none of its editions is public then. */
  published_at: string | null;
  /** Incremented by every edit in the workspace, for optimistic locking. */
  version: number;
  created_at: string;
  updated_at: string;
}

export interface EditionTable {
  id: string;
  work_id: string;
  language: string;
  title: string;
  summary: string | null;
  status: EditionStatus;
  version: number;
  /** Fingerprint of the imported source, so that a re-import of unchanged content is a no-op. */
  source_hash: string | null;
  /** The edition this one was translated from, and that edition's version at the time. */
  translated_from_id: string | null;
  translated_from_version: number | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
}

/** An HTML edition split into pages small enough to arrive in one round trip. */
export interface EditionSectionTable {
  edition_id: string;
  position: number;
  heading: string | null;
  html: string;
}

export interface BlobTable {
  sha256: string;
  size: number;
  media_type: string;
  created_at: string;
}

export interface EditionFileTable {
  id: string;
  edition_id: string;
  blob_sha256: string;
  filename: string;
  role: FileRole;
  /** Language of a subtitle track; null for other files (they are in the edition's language). */
  language: string | null;
  position: number;
  created_at: string;
  /** The file this one was made from by a background job, if any. */
  derived_from_id?: string | null;
}

export interface TopicTable {
  id: string;
  slug: string;
}

export interface TopicLabelTable {
  topic_id: string;
  language: string;
  label: string;
}

export interface WorkTopicTable {
  work_id: string;
  topic_id: string;
}

export interface CollectionTable {
  id: string;
  slug: string;
  created_at: string;
  updated_at: string;
}

export interface CollectionLabelTable {
  collection_id: string;
  language: string;
  title: string;
  description: string | null;
}

export interface CollectionWorkTable {
  collection_id: string;
  work_id: string;
  position: number;
}

export interface DownloadCountTable {
  edition_id: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  count: Generated<number>;
}

export interface AppStateTable {
  key: string;
  value: string;
}

export const ROLES = ['network_admin', 'org_admin', 'editor', 'translator', 'trainer'] as const;
export type Role = (typeof ROLES)[number];

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  totp_secret: string | null;
  totp_enabled_at: string | null;
  disabled_at: string | null;
  password_changed_at: string;
  created_at: string;
}

export interface MembershipTable {
  user_id: string;
  organisation_id: string;
  role: Role;
  created_at: string;
}

export interface SessionTable {
  /** SHA-256 of the cookie's token: a leaked table does not give working sessions. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  /** 1 between the password and the TOTP code of a two-factor sign-in. */
  second_factor_pending: Generated<number>;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface RateLimitTable {
  key: string;
  window_start: string;
  count: number;
}

export interface AuditLogTable {
  id: string;
  at: string;
  user_id: string | null;
  /** Username at the time, or "cli": the log stays readable after a user is deleted. */
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  organisation_id: string | null;
  /** JSON: the fields that changed, never personal data of participants. */
  detail: string | null;
}

export const JOB_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobTable {
  id: string;
  kind: string;
  file_id: string | null;
  state: JobState;
  attempts: number;
  run_after: string;
  /** While running: when the claim lapses and another instance may take the job over. */
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface FileTextTable {
  file_id: string;
  text: string;
  usable: number;
  created_at: string;
}

export interface FileThumbnailTable {
  file_id: string;
  blob_sha256: string;
  created_at: string;
}

/**
 * The search index differs by engine (see the search migration and features/search/engines):
 * PostgreSQL has search_index with a generated tsvector; SQLite has search_docs + search_fts.
 */
export interface SearchIndexTable {
  edition_id: string;
  title: string;
  body: string;
}

export interface SearchDocsTable {
  rowid: Generated<number>;
  edition_id: string;
}

export interface SearchFtsTable {
  rowid: number;
  title: string;
  body: string;
}

export interface DB {
  organisations: OrganisationTable;
  languages: LanguageTable;
  works: WorkTable;
  editions: EditionTable;
  edition_sections: EditionSectionTable;
  blobs: BlobTable;
  edition_files: EditionFileTable;
  topics: TopicTable;
  topic_labels: TopicLabelTable;
  work_topics: WorkTopicTable;
  collections: CollectionTable;
  collection_labels: CollectionLabelTable;
  collection_works: CollectionWorkTable;
  download_counts: DownloadCountTable;
  app_state: AppStateTable;
  users: UserTable;
  memberships: MembershipTable;
  sessions: SessionTable;
  rate_limits: RateLimitTable;
  audit_log: AuditLogTable;
  jobs: JobTable;
  file_texts: FileTextTable;
  file_thumbnails: FileThumbnailTable;
  search_index: SearchIndexTable;
  search_docs: SearchDocsTable;
  search_fts: SearchFtsTable;
}
