/**
 * What the manifest may say about a file: its media type (given, or guessed from the extension)
 * and the file name shown to readers.
 */
import path from 'node:path';

export const MEDIA_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  epub: 'application/epub+zip',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  vtt: 'text/vtt',
  srt: 'application/x-subrip',
  txt: 'text/plain',
  html: 'text/html',
  htm: 'text/html',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

export function mediaTypeOf(file: string): string | undefined {
  return MEDIA_TYPES[path.extname(file).slice(1).toLowerCase()];
}

const MEDIA_TYPE_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** Whether `value` (lower case) has the shape type/subtype, such as application/pdf. */
export function isMediaType(value: string): boolean {
  return MEDIA_TYPE_PATTERN.test(value);
}

const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** A display file name: no folders, no control or bidi characters. */
export function cleanFilename(name: string): string {
  return path.posix
    .basename(name.replace(/\\/g, '/'))
    .replace(CONTROL_CHARACTERS, '')
    .replace(BIDI_CONTROLS, '')
    .normalize('NFC')
    .trim();
}
