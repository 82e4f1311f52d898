import contentDisposition from 'content-disposition';

/**
 * File names come from uploaders and are metadata only. Before one goes into a header it is
 * normalised (NFC) and stripped of control characters (CR/LF would split headers), bidi
 * controls (U+202E turns "gpj.exe" into "exe.jpg" on screen), quotes and path separators.
 */
/* eslint-disable no-control-regex -- matching control characters is the point */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"\\/:*?<>|]/gu;
/* eslint-enable no-control-regex */

export function cleanFilename(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(UNSAFE, '')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'download';
}

/** RFC 6266: an ASCII fallback plus filename* (RFC 8187) so Arabic and Persian names survive. */
export function attachmentHeader(name: string, inline = false): string {
  return contentDisposition(cleanFilename(name), { type: inline ? 'inline' : 'attachment' });
}
