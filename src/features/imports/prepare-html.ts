/**
 * Reads and sanitises the HTML editions before anything is written, so that an unreadable or
 * empty file stops the import like any other problem of the manifest.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { ManifestError, type ManifestProblem } from './manifest-error.js';
import type { Manifest } from './manifest-types.js';
import type { Progress } from './import-progress.js';
import { prepareHtmlEdition, type Section } from './sanitize-html.js';

/** HTML files larger than this are refused: an edition is read in the browser, page by page. */
const MAX_HTML_BYTES = 32 * 1024 * 1024;

export interface PreparedHtml {
  /** Of the file as read: part of the edition's source hash. */
  sha256: string;
  sections: Section[];
}

/** Reads, checks and sanitises every HTML file before anything is written. */
export async function prepareHtmlFiles(
  manifest: Manifest,
  progress: Progress,
): Promise<Map<string, PreparedHtml>> {
  const prepared = new Map<string, PreparedHtml>();
  const problems: ManifestProblem[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const work of manifest.works) {
    for (const edition of work.editions) {
      const source = edition.html;
      if (!source || prepared.has(source.absolutePath)) continue;
      const problem = (message: string) =>
        problems.push({ file: manifest.file, line: source.line, message });
      const stat = await fs.promises.stat(source.absolutePath);
      if (stat.size > MAX_HTML_BYTES) {
        problem(`"${source.path}" is too large for an HTML edition (${stat.size} bytes)`);
        continue;
      }
      const bytes = await fs.promises.readFile(source.absolutePath);
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch {
        problem(`"${source.path}" is not valid UTF-8 text`);
        continue;
      }
      const { sections } = prepareHtmlEdition(text);
      if (sections.length === 0) {
        problem(`"${source.path}" has no readable content after sanitising`);
        continue;
      }
      prepared.set(source.absolutePath, {
        sha256: createHash('sha256').update(bytes).digest('hex'),
        sections,
      });
      progress.tick(`Reading ${source.path}`);
    }
  }
  if (problems.length) throw new ManifestError(problems);
  return prepared;
}
