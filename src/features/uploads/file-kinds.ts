/**
 * What may be uploaded: an allow-list of kinds, each with its extensions, the types its magic
 * bytes may show, its media type and a size limit. The extension and the content must agree:
 * an HTML page named .pdf, an SVG named .png or report.pdf.html are refused.
 */
import fs from 'node:fs';
import { fileTypeFromFile } from 'file-type';
import { FILE_ROLES, type FileRole } from '../../platform/db/schema.js';
import { canonicalTag } from '../../platform/i18n/languages.js';

const MB = 1024 * 1024;

export interface FileKind {
  name: string;
  extensions: readonly string[];
  /** Extensions file-type reports for this content; empty for text formats (no magic bytes). */
  sniffed: readonly string[];
  /** For text formats file-type recognises by their first line (WebVTT): what it may report. */
  sniffedText?: readonly string[];
  mediaType: string;
  maxBytes: number;
  /** For text formats: whether the text is plausibly this format. */
  textCheck?: (text: string) => boolean;
}

export const FILE_KINDS: readonly FileKind[] = [
  {
    name: 'pdf',
    extensions: ['pdf'],
    sniffed: ['pdf'],
    mediaType: 'application/pdf',
    maxBytes: 200 * MB,
  },
  {
    name: 'epub',
    extensions: ['epub'],
    sniffed: ['epub'],
    mediaType: 'application/epub+zip',
    maxBytes: 100 * MB,
  },
  {
    name: 'mp4',
    extensions: ['mp4', 'm4v'],
    sniffed: ['mp4', 'm4v'],
    mediaType: 'video/mp4',
    maxBytes: 1024 * MB,
  },
  {
    name: 'webm',
    extensions: ['webm'],
    sniffed: ['webm'],
    mediaType: 'video/webm',
    maxBytes: 1024 * MB,
  },
  {
    name: 'mp3',
    extensions: ['mp3'],
    sniffed: ['mp3'],
    mediaType: 'audio/mpeg',
    maxBytes: 200 * MB,
  },
  {
    name: 'ogg',
    extensions: ['ogg', 'oga', 'opus'],
    sniffed: ['ogg', 'oga', 'opus'],
    mediaType: 'audio/ogg',
    maxBytes: 200 * MB,
  },
  {
    name: 'jpeg',
    extensions: ['jpg', 'jpeg'],
    sniffed: ['jpg'],
    mediaType: 'image/jpeg',
    maxBytes: 20 * MB,
  },
  { name: 'png', extensions: ['png'], sniffed: ['png'], mediaType: 'image/png', maxBytes: 20 * MB },
  {
    name: 'webp',
    extensions: ['webp'],
    sniffed: ['webp'],
    mediaType: 'image/webp',
    maxBytes: 20 * MB,
  },
  {
    name: 'srt',
    extensions: ['srt'],
    sniffed: [],
    mediaType: 'application/x-subrip',
    maxBytes: 2 * MB,
    textCheck: (t) => /^\d+[ \t]*\r?\n\d\d:\d\d:\d\d[,.]\d{3} --> /.test(t),
  },
  {
    name: 'vtt',
    extensions: ['vtt'],
    sniffed: [],
    sniffedText: ['vtt'],
    mediaType: 'text/vtt',
    maxBytes: 2 * MB,
    textCheck: (t) => /^WEBVTT(?:[ \t\r\n]|$)/.test(t),
  },
  {
    name: 'txt',
    extensions: ['txt'],
    sniffed: [],
    mediaType: 'text/plain',
    maxBytes: 10 * MB,
    textCheck: () => true,
  },
];

/** Every message an upload can end with, for pages that show one named in their address. */
export const UPLOAD_MESSAGES: ReadonlySet<string> = new Set([
  'upload.error.type',
  'upload.error.mismatch',
  'upload.error.notUtf8',
  'upload.error.tooLarge',
  'upload.error.noFile',
  'upload.error.role',
  'upload.error.language',
  'upload.error.failed',
  'error.forbidden.body',
]);

/** The largest upload any kind allows: the request body limit. */
export const MAX_UPLOAD_BYTES = Math.max(...FILE_KINDS.map((k) => k.maxBytes));

export function kindForFilename(filename: string): FileKind | undefined {
  const dot = filename.lastIndexOf('.');
  if (dot < 1) return undefined;
  const extension = filename.slice(dot + 1).toLowerCase();
  return FILE_KINDS.find((k) => k.extensions.includes(extension));
}

/** Markup where plain text is expected: an HTML or SVG page in disguise. */
const MARKUP = /^\s*<(?:!doctype|html|svg|\?xml|script|head|body|iframe|a |img )/i;

/**
 * Checks that the stored file's content is what its kind says. Returns a message key when not.
 * Reads only the first bytes (magic) or, for text, up to the kind's small limit.
 */
export async function contentProblem(kind: FileKind, file: string): Promise<string | undefined> {
  const sniffed = await fileTypeFromFile(file);
  if (kind.sniffed.length > 0) {
    return sniffed && kind.sniffed.includes(sniffed.ext) ? undefined : 'upload.error.mismatch';
  }
  if (sniffed && !kind.sniffedText?.includes(sniffed.ext)) return 'upload.error.mismatch';
  const bytes = await fs.promises.readFile(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return 'upload.error.notUtf8';
  }
  if (text.includes('\u0000') || MARKUP.test(text)) return 'upload.error.mismatch';
  return kind.textCheck && !kind.textCheck(text) ? 'upload.error.mismatch' : undefined;
}

/** The role and language of the file, checked against its kind; a message key when wrong. */
export function roleProblem(
  fields: Record<string, string>,
  kind: FileKind,
): { role: FileRole; language: string | null } | string {
  const requested = fields.role ?? 'original';
  if (!(FILE_ROLES as readonly string[]).includes(requested)) return 'upload.error.role';
  const role = requested as FileRole;
  const subtitles = kind.name === 'srt' || kind.name === 'vtt';
  if ((role === 'subtitles') !== subtitles) return 'upload.error.role';
  if (role === 'low' && !kind.mediaType.startsWith('video/')) return 'upload.error.role';
  if (role === 'audio' && !kind.mediaType.startsWith('audio/')) return 'upload.error.role';
  if (!subtitles) return { role, language: null };
  const language = canonicalTag((fields.language ?? '').trim());
  return language ? { role, language } : 'upload.error.language';
}
