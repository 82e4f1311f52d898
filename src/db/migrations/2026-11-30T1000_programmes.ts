import type { CreateTableBuilder, Kysely } from 'kysely';
import { sqlIn } from '../migration-helpers.js';

/*
 * Curricula, events, participants, attendance, surveys, advocacy projects and certificates.
 *
 * Personal data of participants lives only in columns ending in `_enc`: AES-256-GCM ciphertexts
 * (see platform/crypto/field-encryption.ts) bound to their table, column and row. The participant
 * code is stored only as an HMAC ("blind index"), so a copy of the database neither reveals nor
 * lets anyone use a code. Every table holding participant data has an export and erase provider
 * (features/privacy); a test checks that.
 */

// Migrations never import today's schema types: they describe the database as it was then.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // ---- Curricula: a work (e.g. a ToT manual) as modules -> sessions -> activities.
  await db.schema
    .createTable('curricula')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('work_id', 'text', (c) =>
      c.notNull().unique().references('works.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await textsTable(db, 'curriculum_texts', 'curriculum_id', 'curricula', (t) =>
    t.addColumn('title', 'text', (c) => c.notNull()).addColumn('summary', 'text'),
  );

  await db.schema
    .createTable('curriculum_modules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('curriculum_id', 'text', (c) =>
      c.notNull().references('curricula.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('curriculum_modules_curriculum_idx')
    .on('curriculum_modules')
    .columns(['curriculum_id', 'position'])
    .execute();
  await textsTable(db, 'curriculum_module_texts', 'module_id', 'curriculum_modules', (t) =>
    t.addColumn('title', 'text', (c) => c.notNull()).addColumn('summary', 'text'),
  );

  await db.schema
    .createTable('curriculum_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('module_id', 'text', (c) =>
      c.notNull().references('curriculum_modules.id').onDelete('cascade'),
    )
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('curriculum_sessions_module_idx')
    .on('curriculum_sessions')
    .columns(['module_id', 'position'])
    .execute();
  // Objectives and materials are one item per line; notes are for facilitators only.
  await textsTable(db, 'curriculum_session_texts', 'session_id', 'curriculum_sessions', (t) =>
    t
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('objectives', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('materials', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('facilitator_notes', 'text', (c) => c.notNull().defaultTo('')),
  );

  await db.schema
    .createTable('session_activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) =>
      c.notNull().references('curriculum_sessions.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('session_activities_session_idx')
    .on('session_activities')
    .columns(['session_id', 'position'])
    .execute();
  await textsTable(db, 'session_activity_texts', 'activity_id', 'session_activities', (t) =>
    t
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('steps', 'text', (c) => c.notNull().defaultTo('')),
  );

  // Handouts are library works: the reader gets the edition in her language by the fallback chain.
  await db.schema
    .createTable('session_handouts')
    .addColumn('session_id', 'text', (c) =>
      c.notNull().references('curriculum_sessions.id').onDelete('cascade'),
    )
    .addColumn('work_id', 'text', (c) => c.notNull().references('works.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('session_handouts_pk', ['session_id', 'work_id'])
    .execute();

  // ---- Surveys: instruments of items, translated; answered by participant code.
  await db.schema
    .createTable('survey_instruments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    // Null: the network's own instrument, usable by every organisation.
    .addColumn('organisation_id', 'text', (c) =>
      c.references('organisations.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await textsTable(db, 'survey_instrument_texts', 'instrument_id', 'survey_instruments', (t) =>
    t.addColumn('title', 'text', (c) => c.notNull()).addColumn('introduction', 'text'),
  );
  await db.schema
    .createTable('survey_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('instrument_id', 'text', (c) =>
      c.notNull().references('survey_instruments.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sqlIn('kind', ['likert', 'single', 'multiple', 'text'])),
    )
    // What a Likert item measures, for the paired pre -> post analysis.
    .addColumn('construct', 'text', (c) => c.check(sqlIn('construct', ['skills', 'confidence'])))
    .addColumn('option_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('survey_items_instrument_idx')
    .on('survey_items')
    .columns(['instrument_id', 'position'])
    .execute();
  // `options` is a JSON array of the choice labels in this language (choice items only).
  await textsTable(db, 'survey_item_texts', 'item_id', 'survey_items', (t) =>
    t
      .addColumn('prompt', 'text', (c) => c.notNull())
      .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]')),
  );

  // ---- Events run by an organisation.
  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sqlIn('kind', ['workshop', 'tot', 'festival', 'symposium', 'webinar'])),
    )
    .addColumn('curriculum_id', 'text', (c) => c.references('curricula.id').onDelete('set null'))
    // UTC instants, plus the IANA zone in which the event's own clock runs.
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .addColumn('place', 'text')
    .addColumn('online_url', 'text')
    .addColumn('capacity', 'integer', (c) => c.notNull())
    // Seats given so far; only ever changed by a guarded UPDATE (see registration/seats.ts).
    .addColumn('seats_taken', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('visibility', 'text', (c) =>
      c.notNull().check(sqlIn('visibility', ['public', 'invite'])),
    )
    // SHA-256 of the invitation token of an invite-only event.
    .addColumn('invite_token_hash', 'text')
    .addColumn('attendance_by', 'text', (c) =>
      c
        .notNull()
        .defaultTo('day')
        .check(sqlIn('attendance_by', ['day', 'session'])),
    )
    .addColumn('pre_instrument_id', 'text', (c) =>
      c.references('survey_instruments.id').onDelete('set null'),
    )
    .addColumn('post_instrument_id', 'text', (c) =>
      c.references('survey_instruments.id').onDelete('set null'),
    )
    .addColumn('published_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_starts_idx').on('events').column('starts_at').execute();
  await db.schema
    .createIndex('events_organisation_idx')
    .on('events')
    .column('organisation_id')
    .execute();
  await textsTable(db, 'event_texts', 'event_id', 'events', (t) =>
    t.addColumn('title', 'text', (c) => c.notNull()).addColumn('description', 'text'),
  );
  await db.schema
    .createTable('event_languages')
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_languages_pk', ['event_id', 'language'])
    .execute();
  await db.schema
    .createTable('event_trainers')
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('event_trainers_pk', ['event_id', 'user_id'])
    .execute();
  // The agenda: curriculum sessions and free items, by day (the event's local date) and time.
  await db.schema
    .createTable('event_agenda_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) =>
      c.references('curriculum_sessions.id').onDelete('set null'),
    )
    .addColumn('minutes', 'integer', (c) => c.notNull())
    // Free items (breaks, welcome, a talk) carry their own title, in the event's languages.
    .addColumn('title', 'text')
    .execute();
  await db.schema
    .createIndex('event_agenda_items_event_idx')
    .on('event_agenda_items')
    .columns(['event_id', 'day', 'position'])
    .execute();

  // ---- Participants: no account; a random code (stored as an HMAC) to come back.
  await db.schema
    .createTable('participants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code_hmac', 'text', (c) => c.notNull().unique())
    .addColumn('display_name_enc', 'text', (c) => c.notNull())
    .addColumn('contact_enc', 'text')
    // Age band and gender are optional and coarse, and still encrypted: reports decrypt them.
    .addColumn('age_band_enc', 'text')
    .addColumn('gender_enc', 'text')
    .addColumn('consent_contact', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('registrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('participant_id', 'text', (c) =>
      c.notNull().references('participants.id').onDelete('cascade'),
    )
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sqlIn('status', ['registered', 'waitlisted', 'cancelled'])),
    )
    .addColumn('consent_listed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consent_photos', 'integer', (c) => c.notNull().defaultTo(0))
    // Free text ("anything the trainers should know"): sensitive, encrypted.
    .addColumn('note_enc', 'text')
    // The interface language she registered in: her certificate's language by default.
    .addColumn('language', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('registrations_event_participant_uq', ['event_id', 'participant_id'])
    .execute();
  await db.schema
    .createIndex('registrations_participant_idx')
    .on('registrations')
    .column('participant_id')
    .execute();
  await db.schema
    .createIndex('registrations_event_status_idx')
    .on('registrations')
    .columns(['event_id', 'status', 'created_at'])
    .execute();

  // A slot is a day of the event (`day:2026-12-01`) or an agenda item (`item:<id>`).
  await db.schema
    .createTable('attendance')
    .addColumn('registration_id', 'text', (c) =>
      c.notNull().references('registrations.id').onDelete('cascade'),
    )
    .addColumn('slot', 'text', (c) => c.notNull())
    .addColumn('present', 'integer', (c) => c.notNull())
    .addColumn('marked_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('marked_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('attendance_pk', ['registration_id', 'slot'])
    .execute();

  await db.schema
    .createTable('survey_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('registration_id', 'text', (c) =>
      c.notNull().references('registrations.id').onDelete('cascade'),
    )
    .addColumn('phase', 'text', (c) => c.notNull().check(sqlIn('phase', ['pre', 'post'])))
    .addColumn('instrument_id', 'text', (c) =>
      c.notNull().references('survey_instruments.id').onDelete('restrict'),
    )
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('survey_responses_registration_phase_uq', ['registration_id', 'phase'])
    .execute();
  // One row per answered item: a number (Likert 1-5, single choice index), a JSON array of
  // indexes (multiple choice) or encrypted free text.
  await db.schema
    .createTable('survey_answers')
    .addColumn('response_id', 'text', (c) =>
      c.notNull().references('survey_responses.id').onDelete('cascade'),
    )
    .addColumn('item_id', 'text', (c) =>
      c.notNull().references('survey_items.id').onDelete('restrict'),
    )
    .addColumn('value', 'integer')
    .addColumn('choices', 'text')
    .addColumn('text_enc', 'text')
    .addPrimaryKeyConstraint('survey_answers_pk', ['response_id', 'item_id'])
    .execute();

  // ---- Advocacy projects built by participants; public only with the team's consent.
  await db.schema
    .createTable('projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('topic_id', 'text', (c) => c.references('topics.id').onDelete('set null'))
    // When and by whom the team's consent to publication was recorded.
    .addColumn('consent_recorded_at', 'text')
    .addColumn('consent_recorded_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('projects_event_idx').on('projects').column('event_id').execute();
  await db.schema
    .createTable('project_members')
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('registration_id', 'text', (c) =>
      c.notNull().references('registrations.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('project_members_pk', ['project_id', 'registration_id'])
    .execute();

  // ---- Certificates of participation, checkable by a public verification code.
  await db.schema
    .createTable('certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('registration_id', 'text', (c) =>
      c.notNull().unique().references('registrations.id').onDelete('cascade'),
    )
    .addColumn('verification_code', 'text', (c) => c.notNull().unique())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('revoked_at', 'text')
    .execute();
}

/** A per-language text table of `owner`: the same fallback rules as editions. */
async function textsTable(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  name: string,
  ownerColumn: string,
  ownerTable: string,
  columns: (t: CreateTableBuilder<string, string>) => CreateTableBuilder<string, string>,
): Promise<void> {
  const table = db.schema
    .createTable(name)
    .addColumn(ownerColumn, 'text', (c) =>
      c.notNull().references(`${ownerTable}.id`).onDelete('cascade'),
    )
    .addColumn('language', 'text', (c) => c.notNull());
  await columns(table).addPrimaryKeyConstraint(`${name}_pk`, [ownerColumn, 'language']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'certificates',
    'project_members',
    'projects',
    'survey_answers',
    'survey_responses',
    'attendance',
    'registrations',
    'participants',
    'event_agenda_items',
    'event_trainers',
    'event_languages',
    'event_texts',
    'events',
    'survey_item_texts',
    'survey_items',
    'survey_instrument_texts',
    'survey_instruments',
    'session_handouts',
    'session_activity_texts',
    'session_activities',
    'curriculum_session_texts',
    'curriculum_sessions',
    'curriculum_module_texts',
    'curriculum_modules',
    'curriculum_texts',
    'curricula',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
