/** Which background jobs a file needs, by its media type and role. */
import type { FileRole } from '../../platform/db/schema.js';

export const JOB_KINDS = ['text', 'thumbnail', 'video-low', 'video-audio'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** The jobs a newly added file needs, by its media type and role. */
export function jobsFor(mediaType: string, role: FileRole): JobKind[] {
  if (mediaType === 'application/pdf') return ['text', 'thumbnail'];
  if (
    ['application/epub+zip', 'application/x-subrip', 'text/vtt', 'text/plain'].includes(mediaType)
  ) {
    return ['text'];
  }
  if (mediaType.startsWith('video/') && role === 'original')
    return ['thumbnail', 'video-low', 'video-audio'];
  return [];
}

/**
 * For imported files: text for search and a thumbnail. Smaller video versions are listed in the
 * manifest itself when wanted (roles low and audio), so none are made for imports.
 */
export function importJobsFor(mediaType: string, role: FileRole): JobKind[] {
  return jobsFor(mediaType, role).filter((kind) => kind === 'text' || kind === 'thumbnail');
}
