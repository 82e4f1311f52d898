/**
 * Reading a multipart form whose file is streamed to a staged blob as it arrives, never held in
 * memory. The CSRF token must come first (the forms put it first): a file that arrives before
 * a valid token is drained unread, so a forged request writes nothing.
 */
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import {
  BlobTooLargeError,
  type BlobStore,
  type StagedBlob,
} from '../../platform/storage/blob-store.js';
import { sameToken } from '../accounts/csrf.js';
import { cleanFilename } from '../downloads/filename.js';

export interface StreamedForm<T> {
  csrf: boolean;
  fields: Record<string, string>;
  file?: { staged: StagedBlob; filename: string; accepted: T };
  /** A message key: what was wrong with the file. */
  problem?: string;
}

async function drain(file: MultipartFile) {
  if (file.file.readableEnded || file.file.destroyed) return;
  file.file.resume();
  await new Promise((resolve) => file.file.once('end', resolve).once('error', resolve));
}

/**
 * `accept` looks at the file's name and returns what it is (with its size limit), or a message
 * key when such a file is not accepted here.
 */
export async function readStreamedForm<T extends { maxBytes: number }>(
  request: FastifyRequest,
  blobs: BlobStore,
  csrfToken: string,
  accept: (filename: string) => T | string,
): Promise<StreamedForm<T>> {
  const form: StreamedForm<T> = { csrf: false, fields: {} };
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      const value = typeof part.value === 'string' ? part.value.slice(0, 200) : '';
      if (part.fieldname === '_csrf') form.csrf = sameToken(value, csrfToken);
      else form.fields[part.fieldname] = value;
      continue;
    }
    if (!form.csrf || form.file || form.problem) {
      await drain(part);
      continue;
    }
    const filename = cleanFilename(part.filename ?? '');
    const accepted = part.filename ? accept(filename) : 'upload.error.noFile';
    if (typeof accepted === 'string') {
      form.problem = accepted;
      await drain(part);
      continue;
    }
    try {
      const staged = await blobs.stage(part.file, accepted.maxBytes);
      if (part.file.truncated || staged.size === 0) {
        await blobs.discardStaged(staged);
        form.problem = staged.size === 0 ? 'upload.error.noFile' : 'upload.error.tooLarge';
      } else {
        form.file = { staged, filename, accepted };
      }
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!(error instanceof BlobTooLargeError) && code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
      form.problem = 'upload.error.tooLarge';
      await drain(part);
    }
  }
  return form;
}
