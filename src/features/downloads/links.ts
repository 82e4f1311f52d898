import { cleanFilename } from './filename.js';

/** The public address of a file. The name part is cosmetic: the id alone selects the file. */
export function downloadHref(file: { id: string; filename: string }): string {
  return `/download/${file.id}/${encodeURIComponent(cleanFilename(file.filename))}`;
}
