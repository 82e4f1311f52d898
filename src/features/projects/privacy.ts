/**
 * Export and erase of a participant's place in advocacy project teams. The projects themselves
 * are the team's published work and stay; she is no longer named in them.
 */
import type { PrivacyProvider } from '../privacy/registry.js';

export const projectPrivacy: PrivacyProvider = {
  name: 'projects',
  tables: ['project_members'],

  async export(db, participantId, { organisations }) {
    return db
      .selectFrom('project_members')
      .innerJoin('registrations', 'registrations.id', 'project_members.registration_id')
      .innerJoin('projects', 'projects.id', 'project_members.project_id')
      .innerJoin('events', 'events.id', 'projects.event_id')
      .select([
        'projects.slug',
        'projects.title',
        'projects.link',
        'projects.published_at as publishedAt',
      ])
      .where('registrations.participant_id', '=', participantId)
      .$if(organisations !== undefined, (q) =>
        q.where('events.organisation_id', 'in', [...organisations!, '']),
      )
      .orderBy('projects.created_at')
      .execute();
  },

  async erase(trx, participantId) {
    await trx
      .deleteFrom('project_members')
      .where(
        'registration_id',
        'in',
        trx.selectFrom('registrations').select('id').where('participant_id', '=', participantId),
      )
      .execute();
  },
};
