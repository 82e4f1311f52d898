/**
 * PDFs for the demo library, made with pdfkit and its built-in Helvetica. Helvetica only covers
 * Windows-1252 (Latin-1 and a few more), and pdfkit does no shaping or bidi, so these are made only
 * for Latin-script languages; anything else needs a real typesetter (see docs/stack.md: weasyprint).
 */
import fs from 'node:fs';
import PDFDocument from 'pdfkit';

const FIXED_DATE = new Date('2024-12-10T00:00:00Z');

/** Characters of Windows-1252 above Latin-1's control range, which Helvetica can show. */
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const REPLACEMENTS: Record<string, string> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2015': '—',
  '\u2032': "'",
  '\u2033': '"',
  '\u00ad': '',
  '\u200b': '',
  '\u2009': ' ',
  '\u202f': '\u00a0',
  '\u2007': ' ',
};

function encodable(ch: string): boolean {
  const code = ch.codePointAt(0)!;
  return (
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xff) ||
    CP1252_EXTRA.has(ch) ||
    ch === '\n'
  );
}

/**
 * Text Helvetica can draw: a few look-alikes replaced, other characters reduced to their base
 * letter when that is encodable. Returns the text and how many characters could not be kept.
 */
export function toWinAnsi(text: string): { text: string; lost: number } {
  let lost = 0;
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (encodable(ch)) out += ch;
    else if (ch in REPLACEMENTS) out += REPLACEMENTS[ch];
    else {
      const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
      if (base !== '' && [...base].every(encodable)) out += base;
      else {
        out += '?';
        lost += 1;
      }
    }
  }
  return { text: out, lost };
}

function newDocument(info: {
  title: string;
  language: string;
  author: string;
}): PDFKit.PDFDocument {
  return new PDFDocument({
    size: 'A4',
    margin: 56,
    lang: info.language,
    displayTitle: true,
    info: {
      Title: toWinAnsi(info.title).text,
      Author: info.author,
      Creator: 'Learning Center demo library',
      Producer: 'pdfkit',
      CreationDate: FIXED_DATE,
      ModDate: FIXED_DATE,
    },
  });
}

async function save(doc: PDFKit.PDFDocument, file: string): Promise<void> {
  const out = fs.createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    doc.on('error', reject);
  });
  doc.pipe(out);
  doc.end();
  await done;
}

export interface DeclarationText {
  title: string;
  preamble: string[];
  articles: { heading: string; paragraphs: string[] }[];
}

/** The whole declaration as a simple book. Returns the number of characters Helvetica lacked. */
export async function writeDeclarationPdf(
  declaration: DeclarationText,
  language: string,
  credit: string,
  file: string,
): Promise<number> {
  let lost = 0;
  const t = (s: string) => {
    const r = toWinAnsi(s);
    lost += r.lost;
    return r.text;
  };
  const doc = newDocument({ title: declaration.title, language, author: 'OHCHR' });
  doc.font('Helvetica-Bold').fontSize(20).text(t(declaration.title), { align: 'center' });
  doc.moveDown(1.5);
  doc.font('Helvetica').fontSize(10.5);
  for (const p of declaration.preamble) doc.text(t(p), { align: 'justify', paragraphGap: 5 });
  for (const article of declaration.articles) {
    doc.moveDown(0.8);
    doc.font('Helvetica-Bold').fontSize(12).text(t(article.heading), { paragraphGap: 4 });
    doc.font('Helvetica').fontSize(10.5);
    for (const p of article.paragraphs) doc.text(t(p), { align: 'justify', paragraphGap: 5 });
  }
  doc.moveDown(2);
  doc.font('Helvetica-Oblique').fontSize(8).fillColor('#555555').text(t(credit));
  await save(doc, file);
  return lost;
}

export interface PosterText {
  title: string;
  subtitle: string;
  credit: string;
  items: { heading: string; text: string }[];
}

/**
 * A one-page poster: the title, then the items in two columns. The font size shrinks until
 * everything fits on the page.
 */
export async function writePosterPdf(
  poster: PosterText,
  language: string,
  file: string,
): Promise<void> {
  const doc = newDocument({ title: poster.title, language, author: 'Learning Center Network' });
  const t = (s: string) => toWinAnsi(s).text;
  const margin = 40;
  const pageWidth = doc.page.width;
  const pageHeight = doc.page.height;
  doc.page.margins = { top: margin, bottom: margin, left: margin, right: margin };

  doc.rect(0, 0, pageWidth, 118).fill('#1d3557');
  doc.fillColor('#ffffff').font('Helvetica-Bold').fontSize(30);
  doc.text(t(poster.title), margin, 34, { width: pageWidth - 2 * margin, align: 'center' });
  doc
    .font('Helvetica')
    .fontSize(11)
    .text(t(poster.subtitle), { width: pageWidth - 2 * margin, align: 'center' });

  const top = 138;
  const bottom = pageHeight - margin - 24;
  const gutter = 22;
  const columnWidth = (pageWidth - 2 * margin - gutter) / 2;
  const half = Math.ceil(poster.items.length / 2);
  const columns = [poster.items.slice(0, half), poster.items.slice(half)];

  const heightAt = (size: number): number =>
    Math.max(
      ...columns.map((items) =>
        items.reduce((h, item) => {
          doc.font('Helvetica-Bold').fontSize(size);
          const hh = doc.heightOfString(t(item.heading), { width: columnWidth });
          doc.font('Helvetica').fontSize(size);
          return h + hh + doc.heightOfString(t(item.text), { width: columnWidth }) + size * 0.7;
        }, 0),
      ),
    );
  let size = 10;
  while (size > 5 && heightAt(size) > bottom - top) size -= 0.25;

  columns.forEach((items, c) => {
    const x = margin + c * (columnWidth + gutter);
    let y = top;
    for (const item of items) {
      doc.fillColor('#1d3557').font('Helvetica-Bold').fontSize(size);
      doc.text(t(item.heading), x, y, { width: columnWidth });
      y = doc.y;
      doc.fillColor('#111111').font('Helvetica').fontSize(size);
      doc.text(t(item.text), x, y, { width: columnWidth });
      y = doc.y + size * 0.7;
    }
  });

  // The credit sits in the bottom margin: without the margin, pdfkit does not start a new page.
  doc.page.margins.bottom = 0;
  doc.fillColor('#555555').font('Helvetica-Oblique').fontSize(7);
  doc.text(t(poster.credit), margin, pageHeight - margin - 6, {
    width: pageWidth - 2 * margin,
    align: 'center',
  });
  await save(doc, file);
}
