/**
 * POST /:lang/workspace/editions/:id/files: a file streamed to disk (never held in memory),
 * checked against the allow-list by extension and content, then added to the edition.
 * The form works without JavaScript: the CSRF token comes first, then role, language, file.
 */
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../platform/db/database.js';
import { FILE_ROLES, type FileRole } from '../../platform/db/schema.js';
import { AppError, forbidden } from '../../platform/http/errors.js';
import type { PageRenderer } from '../../platform/http/pages.js';
import { canonicalTag } from '../../platform/i18n/languages.js';
import {
  BlobTooLargeError,
  type LocalBlobStore,
  type StagedBlob,
} from '../../platform/storage/blob-store.js';
import { sameToken } from '../accounts/csrf.js';
import { staffOf } from '../accounts/guard.js';
import { cleanFilename } from '../downloads/filename.js';
import { loadEdition, scopeOf } from '../workspace/access.js';
import { actorOf, IdParams } from '../workspace/work-routes.js';
import { canEditEdition } from '../workspace/workflow.js';
import { contentProblem, kindForFilename, MAX_UPLOAD_BYTES, type FileKind } from './file-kinds.js';
import { addFileToEdition } from './store-upload.js';

export interface UploadDeps {
  database: Database;
  blobs: LocalBlobStore;
  pages: PageRenderer;
}

/** What the form sent, read part by part; the file is staged as it streams in. */
interface ReadForm {
  csrf: boolean;
  role: string;
  language: string;
  file?: { staged: StagedBlob; kind: FileKind; filename: string };
  problem?: string;
}

async function drain(file: MultipartFile) {
  if (file.file.readableEnded || file.file.destroyed) return;
  file.file.resume();
  await new Promise((resolve) => file.file.once('end', resolve).once('error', resolve));
}

async function readUploadForm(
  request: FastifyRequest,
  blobs: LocalBlobStore,
  csrfToken: string,
): Promise<ReadForm> {
  const form: ReadForm = { csrf: false, role: 'original', language: '' };
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      const value = typeof part.value === 'string' ? part.value.slice(0, 100) : '';
      if (part.fieldname === '_csrf') form.csrf = sameToken(value, csrfToken);
      else if (part.fieldname === 'role') form.role = value;
      else if (part.fieldname === 'language') form.language = value.trim();
      continue;
    }
    // Nothing is written for a form without its token first, nor for a second file.
    if (!form.csrf || form.file || form.problem) {
      await drain(part);
      continue;
    }
    const filename = cleanFilename(part.filename ?? '');
    const kind = kindForFilename(filename);
    if (!kind || !part.filename) {
      form.problem = part.filename ? 'upload.error.type' : 'upload.error.noFile';
      await drain(part);
      continue;
    }
    try {
      const staged = await blobs.stage(part.file, kind.maxBytes);
      if (part.file.truncated) {
        await blobs.discardStaged(staged);
        form.problem = 'upload.error.tooLarge';
      } else if (staged.size === 0) {
        await blobs.discardStaged(staged);
        form.problem = 'upload.error.noFile';
      } else {
        form.file = { staged, kind, filename };
      }
    } catch (error) {
      if (
        !(error instanceof BlobTooLargeError) &&
        (error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE'
      ) {
        throw error;
      }
      form.problem = 'upload.error.tooLarge';
      await drain(part);
    }
  }
  return form;
}

/** The role and language of the file, checked against its kind; a message key when wrong. */
function roleProblem(
  form: ReadForm,
  kind: FileKind,
): { role: FileRole; language: string | null } | string {
  if (!(FILE_ROLES as readonly string[]).includes(form.role)) return 'upload.error.role';
  const role = form.role as FileRole;
  const subtitles = kind.name === 'srt' || kind.name === 'vtt';
  if ((role === 'subtitles') !== subtitles) return 'upload.error.role';
  if (role === 'low' && !kind.mediaType.startsWith('video/')) return 'upload.error.role';
  if (role === 'audio' && !kind.mediaType.startsWith('audio/')) return 'upload.error.role';
  if (!subtitles) return { role, language: null };
  const language = canonicalTag(form.language);
  return language ? { role, language } : 'upload.error.language';
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
      const form = await readUploadForm(request, blobs, staff.csrfToken);
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
      const problem =
        (await contentProblem(form.file.kind, form.file.staged.path)) ??
        roleProblem(form, form.file.kind);
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
        { ...form.file, ...problem },
      );
      return reply.redirect(`/${lang}/workspace/editions/${id}?saved=1`, 303);
    },
  );
}
