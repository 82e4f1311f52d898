/**
 * POST /:lang/workspace/editions/:id/files: a file streamed to disk (never held in memory),
 * checked against the allow-list by extension and content, then added to the edition.
 * The form works without JavaScript: the CSRF token comes first, then role, language, file.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../platform/db/database.js';
import { AppError, forbidden } from '../../platform/http/errors.js';
import type { PageRenderer } from '../../platform/http/pages.js';
import type { BlobStore } from '../../platform/storage/blob-store.js';
import { staffOf } from '../accounts/guard.js';
import { loadEdition, scopeOf } from '../workspace/access.js';
import { actorOf, IdParams } from '../workspace/work-routes.js';
import { canEditEdition } from '../workspace/workflow.js';
import { contentProblem, kindForFilename, MAX_UPLOAD_BYTES, roleProblem } from './file-kinds.js';
import { addFileToEdition } from './store-upload.js';
import { readStreamedForm } from './streamed-form.js';

export interface UploadDeps {
  database: Database;
  blobs: BlobStore;
  pages: PageRenderer;
}

export function registerUploadRoutes(
  scope: FastifyInstance,
  deps: UploadDeps,
  showUploadError: (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    error: string,
  ) => Promise<FastifyReply>,
) {
  const { database, blobs } = deps;

  scope.post(
    '/:lang/workspace/editions/:id/files',
    { schema: { params: IdParams }, config: { streamedForm: true }, bodyLimit: MAX_UPLOAD_BYTES },
    async (request, reply) => {
      const staff = staffOf(request);
      const { id, lang } = request.params as { id: string; lang: string };
      const { edition, work } = await loadEdition(database.db, staff, id);
      if (!canEditEdition(staff, scopeOf(work), edition.status))
        throw forbidden('may not add files');
      const form = await readStreamedForm(request, blobs, staff.csrfToken, (filename) => {
        return kindForFilename(filename) ?? 'upload.error.type';
      });
      const discard = async () => {
        if (form.file) await blobs.discardStaged(form.file.staged);
      };
      if (!form.csrf) {
        await discard();
        throw new AppError('BAD_FORM_TOKEN');
      }
      if (form.problem || !form.file) {
        await discard();
        return showUploadError(request, reply, 400, form.problem ?? 'upload.error.noFile');
      }
      const kind = form.file.accepted;
      const problem =
        (await contentProblem(kind, form.file.staged.path)) ?? roleProblem(form.fields, kind);
      if (typeof problem === 'string') {
        await discard();
        return showUploadError(request, reply, 400, problem);
      }
      await addFileToEdition(
        database,
        blobs,
        actorOf(staff),
        {
          editionId: id,
          organisationId: work.publisher_id,
          published: edition.status === 'published' && work.published_at !== null,
        },
        { staged: form.file.staged, filename: form.file.filename, kind, ...problem },
      );
      return reply.redirect(`/${lang}/workspace/editions/${id}?saved=1`, 303);
    },
  );
}
