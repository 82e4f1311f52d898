/** Validation of an edition of a work: its text (an HTML file) and its files. */
import path from 'node:path';
import {
  EDITION_STATUSES,
  FILE_ROLES,
  type EditionStatus,
  type FileRole,
} from '../../platform/db/schema.js';
import { cleanFilename, isMediaType, mediaTypeOf } from './file-metadata.js';
import type { ManifestChecker } from './manifest-checker.js';
import type { PathChecker } from './manifest-paths.js';
import type { ManifestEdition, ManifestFile, ManifestSource } from './manifest-types.js';

const EDITION_KEYS = ['language', 'title', 'summary', 'status', 'html', 'files'];
const FILE_KEYS = ['path', 'role', 'language', 'filename', 'media_type'];

export function checkEdition(
  c: ManifestChecker,
  checkPath: PathChecker,
  node: unknown,
  where0: string,
): ManifestEdition | undefined {
  const m = c.map(node, where0, EDITION_KEYS, ['language', 'title']);
  if (!m) return undefined;
  const line = c.line(node);
  const language = m.get('language')
    ? c.tag(m.get('language')!.value, `${where0}.language`, line)
    : undefined;
  const where = language ? `${where0} (${language})` : where0;
  const title = m.get('title')
    ? c.text(m.get('title')!.value, `${where}.title`, { max: 500, fallbackLine: line })
    : undefined;
  const summary = c.optionalText(m.get('summary'), `${where}.summary`, 5000);
  const statusEntry = m.get('status');
  const status: EditionStatus | undefined = c.given(statusEntry)
    ? c.oneOf(statusEntry.value, `${where}.status`, EDITION_STATUSES, line)
    : 'published';

  let html: ManifestSource | null | undefined = null;
  const htmlEntry = m.get('html');
  if (c.given(htmlEntry)) {
    html = checkPath(htmlEntry.value, `${where}.html`, c.line(htmlEntry.key));
  }

  const files: ManifestFile[] = [];
  let filesOk = true;
  const filesEntry = m.get('files');
  const fileItems = filesEntry
    ? c.seq(filesEntry.value, `${where}.files`, c.line(filesEntry.key))
    : [];
  if (fileItems === undefined) filesOk = false;
  const seenPaths = new Set<string>();
  (fileItems ?? []).forEach((fileNode, k) => {
    const file = checkFile(c, checkPath, fileNode, `${where}.files[${k}]`, language, seenPaths);
    if (file) files.push(file);
    else filesOk = false;
  });

  if (html === null && (fileItems ?? []).length === 0 && filesOk) {
    c.report(node, `${where} has neither html nor files: give at least one`);
    return undefined;
  }
  if (!language || !title || summary === undefined || !status || html === undefined || !filesOk)
    return undefined;
  return { language, title, summary, status, html, files, line };
}

/**
 * One file of an edition, or undefined after reporting. `language` is the edition's (subtitles
 * default to it); `seenPaths` holds the files already listed in the edition, so none is repeated.
 */
function checkFile(
  c: ManifestChecker,
  checkPath: PathChecker,
  fileNode: unknown,
  whereF: string,
  language: string | undefined,
  seenPaths: Set<string>,
): ManifestFile | undefined {
  const fm = c.map(fileNode, whereF, FILE_KEYS, ['path']);
  if (!fm) return undefined;
  const fline = c.line(fileNode);
  const source = fm.get('path')
    ? checkPath(fm.get('path')!.value, `${whereF}.path`, fline)
    : undefined;
  const roleEntry = fm.get('role');
  const role: FileRole | undefined = c.given(roleEntry)
    ? c.oneOf(roleEntry.value, `${whereF}.role`, FILE_ROLES, fline)
    : 'original';
  let fileLanguage: string | null | undefined = null;
  const langEntry = fm.get('language');
  if (c.given(langEntry)) {
    fileLanguage = c.tag(langEntry.value, `${whereF}.language`, fline);
    if (fileLanguage && role && role !== 'subtitles') {
      c.report(
        langEntry.key,
        `${whereF}.language is only for subtitles (this file's role is ${role})`,
      );
      fileLanguage = undefined;
    }
  }
  if (role === 'subtitles' && fileLanguage === null && language) fileLanguage = language;

  const filenameRaw = c.optionalText(fm.get('filename'), `${whereF}.filename`, 255);
  let filename: string | undefined;
  if (filenameRaw !== undefined) {
    const raw = filenameRaw ?? (source ? path.basename(source.path) : undefined);
    if (raw !== undefined) {
      filename = cleanFilename(raw);
      if (filename === '' || filename === '.' || filename === '..') {
        c.report(
          fm.get('filename')?.value ?? fileNode,
          `${whereF}.filename is not a usable file name`,
        );
        filename = undefined;
      }
    }
  }

  let mediaType: string | undefined;
  const mtEntry = fm.get('media_type');
  if (c.given(mtEntry)) {
    const raw = c.text(mtEntry.value, `${whereF}.media_type`, { max: 255, fallbackLine: fline });
    if (raw !== undefined) {
      if (isMediaType(raw.toLowerCase())) mediaType = raw.toLowerCase();
      else
        c.report(
          mtEntry.value,
          `${whereF}.media_type "${raw}" is not a media type such as application/pdf`,
        );
    }
  } else if (source) {
    mediaType = mediaTypeOf(source.path);
    if (!mediaType) {
      c.report(
        fm.get('path')!.value,
        `${whereF}: unknown file type "${path.extname(source.path) || source.path}"; give its media_type`,
      );
    }
  }
  if (source && seenPaths.has(source.absolutePath)) {
    c.report(fm.get('path')!.value, `${whereF}: "${source.path}" is listed twice in this edition`);
    return undefined;
  }
  if (source) seenPaths.add(source.absolutePath);

  if (source && role && fileLanguage !== undefined && filename && mediaType) {
    return { ...source, role, language: fileLanguage, filename, mediaType };
  }
  return undefined;
}
