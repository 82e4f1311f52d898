/**
 * A participant's own rights, with nothing but her code: download everything held about her,
 * or erase it all. Rate-limited per client so that codes cannot be guessed here.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formField } from '../accounts/csrf.js';
import type { ProgrammeDeps } from '../programmes/deps.js';
import { publicFormToken, validPublicFormPost } from '../programmes/public-forms.js';
import { participantIdByCode } from './participants.js';
import { eraseParticipant, exportParticipant } from './registry.js';
import { sendExport } from './export-response.js';
import { MyDataPage } from './views.js';

const LIMIT = { max: 10, windowMs: 15 * 60_000 };

export function registerPrivacyPublicRoutes(app: FastifyInstance, deps: ProgrammeDeps) {
  const { db, pages, cipher, limiter, clock } = deps;

  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { status?: number; error?: string; erased?: boolean } = {},
  ) => {
    const csrfToken = publicFormToken(request, reply);
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('privacy.mine.heading'),
        body: (
          <MyDataPage
            ctx={ctx}
            csrfToken={csrfToken}
            error={options.error}
            erased={options.erased ?? false}
          />
        ),
      }),
      { status: options.status ?? 200 },
    );
  };

  app.get('/:lang/participant/my-data', (request, reply) => page(request, reply));

  app.post('/:lang/participant/my-data', async (request, reply) => {
    if (!validPublicFormPost(request)) {
      return page(request, reply, { status: 403, error: 'privacy.expired' });
    }
    const state = await limiter.hit(`rights-client:${await limiter.clientKey(request.ip)}`, LIMIT);
    if (!state.allowed) {
      reply.header('retry-after', String(state.retryAfterSeconds));
      return page(request, reply, { status: 429, error: 'privacy.tooMany' });
    }
    const action = formField(request, 'action');
    if (action !== 'export' && action !== 'erase') {
      return page(request, reply, { status: 400, error: 'privacy.chooseAction' });
    }
    if (action === 'erase' && formField(request, 'confirm') !== 'yes') {
      return page(request, reply, { status: 400, error: 'privacy.confirmNeeded' });
    }
    const participantId = await participantIdByCode(db, cipher, formField(request, 'code') ?? '');
    if (!participantId) return page(request, reply, { status: 404, error: 'privacy.unknownCode' });
    const context = { cipher, now: clock() };
    if (action === 'export') {
      return sendExport(reply, await exportParticipant(db, participantId, context));
    }
    await eraseParticipant(db, participantId, context);
    return page(request, reply, { erased: true });
  });
}
