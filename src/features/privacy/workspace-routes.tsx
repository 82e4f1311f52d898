/**
 * Staff acting on a participant's rights request (she gives them her code, e.g. by phone): an
 * org admin of an organisation whose events she registered for exports that organisation's part
 * of her data, or erases all of it. Both need the staff member's password again, and both are
 * written to the audit log (with the participant's random id, never her name).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formField } from '../accounts/csrf.js';
import { staffOf } from '../accounts/guard.js';
import { verifyPassword } from '../accounts/passwords.js';
import { findUserById } from '../accounts/users.js';
import { recordAudit } from '../audit/log.js';
import type { ProgrammeDeps } from '../programmes/deps.js';
import { canHandleRightsRequests } from '../programmes/policies.js';
import { signedInOf } from '../workspace/work-routes.js';
import { organisationsOfParticipant, participantIdByCode } from './participants.js';
import { eraseParticipant, exportParticipant } from './registry.js';
import { sendExport } from './export-response.js';
import { RightsRequestPage } from './views.js';

const LIMIT = { max: 20, windowMs: 15 * 60_000 };

export function registerPrivacyWorkspaceRoutes(scope: FastifyInstance, deps: ProgrammeDeps) {
  const { db, pages, cipher, limiter, clock } = deps;

  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { status?: number; error?: string; erased?: boolean } = {},
  ) =>
    pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('privacy.staff.heading'),
        body: (
          <RightsRequestPage
            ctx={ctx}
            csrfToken={staffOf(request).csrfToken}
            error={options.error}
            erased={options.erased ?? false}
          />
        ),
      }),
      { status: options.status ?? 200, signedIn: signedInOf(request) },
    );

  scope.get('/:lang/workspace/participant-rights', (request, reply) => page(request, reply));

  scope.post('/:lang/workspace/participant-rights', async (request, reply) => {
    const staff = staffOf(request);
    const state = await limiter.hit(`rights-staff:${staff.userId}`, LIMIT);
    if (!state.allowed) return page(request, reply, { status: 429, error: 'privacy.tooMany' });
    const action = formField(request, 'action');
    if (action !== 'export' && action !== 'erase') {
      return page(request, reply, { status: 400, error: 'privacy.chooseAction' });
    }
    if (action === 'erase' && formField(request, 'confirm') !== 'yes') {
      return page(request, reply, { status: 400, error: 'privacy.confirmNeeded' });
    }
    const user = await findUserById(db, staff.userId);
    if (!(await verifyPassword(user?.password_hash, formField(request, 'password') ?? ''))) {
      return page(request, reply, { status: 403, error: 'privacy.wrongPassword' });
    }
    const participantId = await participantIdByCode(db, cipher, formField(request, 'code') ?? '');
    const theirs = participantId
      ? (await organisationsOfParticipant(db, participantId)).filter((o) =>
          canHandleRightsRequests(staff, o),
        )
      : [];
    // Unknown code and "not one of yours" look the same: nothing about other organisations leaks.
    if (!participantId || theirs.length === 0) {
      return page(request, reply, { status: 404, error: 'privacy.unknownCode' });
    }
    const actor = { userId: staff.userId, name: staff.username };
    const now = clock();
    if (action === 'export') {
      const document = await exportParticipant(db, participantId, {
        cipher,
        now,
        organisations: theirs,
      });
      await recordAudit(
        db,
        actor,
        {
          action: 'participant.exported',
          entityType: 'participant',
          entityId: participantId,
          organisationId: theirs[0]!,
        },
        now,
      );
      return sendExport(reply, document);
    }
    await eraseParticipant(db, participantId, { cipher, now }, (trx) =>
      recordAudit(
        trx,
        actor,
        {
          action: 'participant.erased',
          entityType: 'participant',
          entityId: participantId,
          organisationId: theirs[0]!,
        },
        now,
      ),
    );
    return page(request, reply, { erased: true });
  });
}
