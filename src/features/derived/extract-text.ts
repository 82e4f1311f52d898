/**
 * Text of PDFs, EPUBs and subtitles, for search. Text that is mostly not letters (a PDF with no
 * usable text layer yields noise) is kept but marked unusable, for editors to see.
 */
import sanitizeHtml from 'sanitize-html';
import fs from 'node:fs/promises';
import { readAll, readZip } from '../../platform/archives/zip-reader.js';
import { runTool } from './tools.js';

/** pdftotext wraps right-to-left lines in embedding controls: they only get in search's way. */
const BIDI_EMBEDDING = /[\u202a-\u202e\u2066-\u2069]/g;
const MAX_TEXT_CHARS = 5_000_000;

const EPUB_LIMITS = {
  maxEntries: 5000,
  maxEntryBytes: 20 * 1024 * 1024,
  maxTotalBytes: 200 * 1024 * 1024,
  maxRatio: 200,
};

async function pdfText(file: string): Promise<string> {
  return runTool('pdftotext', ['-enc', 'UTF-8', '-q', file, '-']);
}

async function epubText(file: string): Promise<string> {
  const parts: string[] = [];
  await readZip(file, EPUB_LIMITS, async (entry, open) => {
    if (!/\.x?html?$/i.test(entry.name)) return;
    const html = (await readAll(await open())).toString('utf8');
    parts.push(sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }));
  });
  return parts.join('\n');
}

/** Subtitles without their numbers, timings and the WEBVTT header. */
async function subtitleText(file: string): Promise<string> {
  const text = await fs.readFile(file, 'utf8');
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => !/^(WEBVTT|\d+$|\d\d:\d\d[:.,\d]* --> )/.test(line.trim()))
    .join('\n');
}

/** Whether extracted text looks like language: mostly letters, and enough of them. */
export function looksUsable(text: string): boolean {
  const visible = text.replace(/\s+/g, '');
  if (visible.length < 20) return false;
  const letters = visible.match(/\p{L}|\p{M}/gu)?.length ?? 0;
  return letters / visible.length >= 0.6;
}

export async function extractText(file: string, mediaType: string): Promise<string | undefined> {
  let text: string;
  if (mediaType === 'application/pdf') text = await pdfText(file);
  else if (mediaType === 'application/epub+zip') text = await epubText(file);
  else if (mediaType === 'application/x-subrip' || mediaType === 'text/vtt')
    text = await subtitleText(file);
  else if (mediaType === 'text/plain') text = await fs.readFile(file, 'utf8');
  else return undefined;
  // NFKC: PDFs often carry Arabic and Persian as presentation forms (U+FB50-FEFF), which only
  // compatibility normalisation turns back into the letters people type.
  return text.replace(BIDI_EMBEDDING, '').normalize('NFKC').slice(0, MAX_TEXT_CHARS);
}
