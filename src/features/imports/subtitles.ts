import fs from 'node:fs';
import path from 'node:path';
import type { Manifest, ManifestFile } from './manifest.js';

/**
 * Browsers play WebVTT subtitles, not SRT. SRT and WebVTT cues differ in three ways that matter:
 * the WEBVTT header, a comma instead of a dot before milliseconds, and SRT files often start
 * with a UTF-8 byte order mark (the corpus one does), which must not reach the header line.
 */
export function srtToWebVtt(srt: string): string {
  const body = srt
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/(\d{2}:\d{2}:\d{2}),(\d{3})/g, '$1.$2')
    .trim();
  return `WEBVTT\n\n${body}\n`;
}

/**
 * Adds a WebVTT version next to every SRT subtitle file that has no WebVTT sibling in the same
 * language, written under `tmpDir` so the rest of the import stores it like any other file.
 */
export function addWebVttVersions(manifest: Manifest, tmpDir: string): void {
  let n = 0;
  for (const work of manifest.works) {
    for (const edition of work.editions) {
      const derived: ManifestFile[] = [];
      for (const file of edition.files) {
        if (file.mediaType !== 'application/x-subrip') continue;
        const hasVtt = edition.files.some(
          (f) => f.mediaType === 'text/vtt' && f.language === file.language,
        );
        if (hasVtt) continue;
        const absolutePath = path.join(tmpDir, `${n++}.vtt`);
        fs.writeFileSync(absolutePath, srtToWebVtt(fs.readFileSync(file.absolutePath, 'utf8')));
        derived.push({
          ...file,
          path: file.path.replace(/\.srt$/i, '') + '.vtt',
          absolutePath,
          filename: file.filename.replace(/\.srt$/i, '') + '.vtt',
          mediaType: 'text/vtt',
        });
      }
      edition.files.push(...derived);
    }
  }
}
