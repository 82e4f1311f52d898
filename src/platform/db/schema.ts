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

/** The day's random salt of rate-limit client keys (one row per day, the same for every instance). */
export interface RateLimitSaltTable {
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** 32 random bytes, base64url. */
  salt: string;
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

// ---- Curricula, events, participants, surveys, projects, certificates (programmes migration).

/** Per-language texts of a curriculum, module, session or activity: fallback as for editions. */
interface Texts {
  language: string;
}

export interface CurriculumTable {
  id: string;
  slug: string;
  work_id: string;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}
export interface CurriculumTextTable extends Texts {
  curriculum_id: string;
  title: string;
  summary: string | null;
}
export interface CurriculumModuleTable {
  id: string;
  curriculum_id: string;
  position: number;
}
export interface CurriculumModuleTextTable extends Texts {
  module_id: string;
  title: string;
  summary: string | null;
}
export interface CurriculumSessionTable {
  id: string;
  module_id: string;
  slug: string;
  position: number;
  duration_minutes: number;
  version: Generated<number>;
  updated_at: string;
}
export interface CurriculumSessionTextTable extends Texts {
  session_id: string;
  title: string;
  /** One objective per line. */
  objectives: string;
  /** One material per line. */
  materials: string;
  facilitator_notes: string;
}
export interface SessionActivityTable {
  id: string;
  session_id: string;
  position: number;
  minutes: number;
}
export interface SessionActivityTextTable extends Texts {
  activity_id: string;
  title: string;
  /** Step-by-step instructions, one step per line. */
  steps: string;
}
export interface SessionHandoutTable {
  session_id: string;
  work_id: string;
  position: number;
}

export const SURVEY_ITEM_KINDS = ['likert', 'single', 'multiple', 'text'] as const;
export type SurveyItemKind = (typeof SURVEY_ITEM_KINDS)[number];
export const SURVEY_CONSTRUCTS = ['skills', 'confidence'] as const;
export type SurveyConstruct = (typeof SURVEY_CONSTRUCTS)[number];
export const SURVEY_PHASES = ['pre', 'post'] as const;
export type SurveyPhase = (typeof SURVEY_PHASES)[number];

export interface SurveyInstrumentTable {
  id: string;
  slug: string;
  /** Null: the network's instrument, usable by every organisation. */
  organisation_id: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}
export interface SurveyInstrumentTextTable extends Texts {
  instrument_id: string;
  title: string;
  introduction: string | null;
}
export interface SurveyItemTable {
  id: string;
  instrument_id: string;
  position: number;
  kind: SurveyItemKind;
  construct: SurveyConstruct | null;
  /** Number of choices of a single or multiple choice item (labels are per language). */
  option_count: Generated<number>;
  required: Generated<number>;
}
export interface SurveyItemTextTable extends Texts {
  item_id: string;
  prompt: string;
  /** JSON array of the choice labels in this language. */
  options: Generated<string>;
}

export const EVENT_KINDS = ['workshop', 'tot', 'festival', 'symposium', 'webinar'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface EventTable {
  id: string;
  slug: string;
  organisation_id: string;
  kind: EventKind;
  curriculum_id: string | null;
  /** UTC instants (ISO 8601); the event's own clock runs in `time_zone` (IANA). */
  starts_at: string;
  ends_at: string;
  time_zone: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string | null;
  place: string | null;
  online_url: string | null;
  capacity: number;
  /** Seats given; changed only by the guarded UPDATE in features/registration/seats.ts. */
  seats_taken: Generated<number>;
  visibility: 'public' | 'invite';
  invite_token_hash: string | null;
  attendance_by: Generated<'day' | 'session'>;
  pre_instrument_id: string | null;
  post_instrument_id: string | null;
  published_at: string | null;
  cancelled_at: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}
export interface EventTextTable extends Texts {
  event_id: string;
  title: string;
  description: string | null;
}
export interface EventLanguageTable {
  event_id: string;
  language: string;
}
export interface EventTrainerTable {
  event_id: string;
  user_id: string;
}
export interface EventAgendaItemTable {
  id: string;
  event_id: string;
  /** The event's local date, YYYY-MM-DD. */
  day: string;
  /** Local time HH:MM, or null for "then". */
  start_time: string | null;
  position: number;
  session_id: string | null;
  minutes: number;
  title: string | null;
}

/**
 * A participant. Every personal field is an AES-256-GCM ciphertext (`_enc`); the code that lets
 * her come back is stored only as an HMAC.
 */
export interface ParticipantTable {
  id: string;
  code_hmac: string;
  display_name_enc: string;
  contact_enc: string | null;
  age_band_enc: string | null;
  gender_enc: string | null;
  consent_contact: Generated<number>;
  created_at: string;
}

export const REGISTRATION_STATUSES = ['registered', 'waitlisted', 'cancelled'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export interface RegistrationTable {
  id: string;
  event_id: string;
  participant_id: string;
  status: RegistrationStatus;
  consent_listed: Generated<number>;
  consent_photos: Generated<number>;
  note_enc: string | null;
  /** The interface language she registered in. */
  language: string | null;
  created_at: string;
  updated_at: string;
}
export interface AttendanceTable {
  registration_id: string;
  /** `day:YYYY-MM-DD` or `item:<agenda item id>`. */
  slot: string;
  present: number;
  marked_by: string | null;
  marked_at: string;
}
export interface SurveyResponseTable {
  id: string;
  registration_id: string;
  phase: SurveyPhase;
  instrument_id: string;
  language: string;
  submitted_at: string;
}
export interface SurveyAnswerTable {
  response_id: string;
  item_id: string;
  /** Likert 1-5, or the index of the chosen option. */
  value: number | null;
  /** JSON array of chosen option indexes (multiple choice). */
  choices: string | null;
  text_enc: string | null;
}
export interface ProjectTable {
  id: string;
  slug: string;
  event_id: string;
  language: string;
  title: string;
  description: string;
  link: string | null;
  topic_id: string | null;
  consent_recorded_at: string | null;
  consent_recorded_by: string | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
}
export interface ProjectMemberTable {
  project_id: string;
  registration_id: string;
}
export interface CertificateTable {
  id: string;
  registration_id: string;
  verification_code: string;
  language: string;
  issued_at: string;
  issued_by: string | null;
  revoked_at: string | null;
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
  rate_limit_salts: RateLimitSaltTable;
  audit_log: AuditLogTable;
  jobs: JobTable;
  file_texts: FileTextTable;
  file_thumbnails: FileThumbnailTable;
  search_index: SearchIndexTable;
  search_docs: SearchDocsTable;
  search_fts: SearchFtsTable;
  curricula: CurriculumTable;
  curriculum_texts: CurriculumTextTable;
  curriculum_modules: CurriculumModuleTable;
  curriculum_module_texts: CurriculumModuleTextTable;
  curriculum_sessions: CurriculumSessionTable;
  curriculum_session_texts: CurriculumSessionTextTable;
  session_activities: SessionActivityTable;
  session_activity_texts: SessionActivityTextTable;
  session_handouts: SessionHandoutTable;
  survey_instruments: SurveyInstrumentTable;
  survey_instrument_texts: SurveyInstrumentTextTable;
  survey_items: SurveyItemTable;
  survey_item_texts: SurveyItemTextTable;
  events: EventTable;
  event_texts: EventTextTable;
  event_languages: EventLanguageTable;
  event_trainers: EventTrainerTable;
  event_agenda_items: EventAgendaItemTable;
  participants: ParticipantTable;
  registrations: RegistrationTable;
  attendance: AttendanceTable;
  survey_responses: SurveyResponseTable;
  survey_answers: SurveyAnswerTable;
  projects: ProjectTable;
  project_members: ProjectMemberTable;
  certificates: CertificateTable;
}
