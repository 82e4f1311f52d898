/**
 * A minimal, valid EPUB 3: `mimetype` first and stored, META-INF/container.xml, a package document
 * with dc:identifier/title/language and dcterms:modified, a navigation document and XHTML chapters
 * carrying lang and dir. Output is deterministic (fixed timestamps and identifier).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export interface EpubChapter {
  title: string;
  /** Paragraphs of plain text; the first heading is the chapter title. */
  paragraphs: string[];
}

export interface EpubBook {
  /** Stable seed for the identifier (the same book always gets the same urn:uuid). */
  key: string;
  language: string;
  direction: 'ltr' | 'rtl';
  title: string;
  publisher: string;
  rights: string;
  chapters: EpubChapter[];
}

const FIXED_DATE = new Date('2024-12-10T00:00:00Z');
const MODIFIED = '2024-12-10T00:00:00Z';

function xml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
  );
}

function uuidOf(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  // Shaped as a version 5 (name-based) UUID.
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function xhtmlPage(book: EpubBook, title: string, body: string, extraNs = ''): string {
  const lang = xml(book.language);
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml"${extraNs} xml:lang="${lang}" lang="${lang}" dir="${book.direction}">
<head>
<meta charset="UTF-8"/>
<title>${xml(title)}</title>
<link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body>
${body}
</body>
</html>
`;
}

export function buildEpubEntries(book: EpubBook): { name: string; data: Buffer }[] {
  const id = `urn:uuid:${uuidOf(`learning-center-demo:${book.key}`)}`;
  const chapters = book.chapters.map((c, i) => ({
    ...c,
    file: `chapter-${String(i + 1).padStart(3, '0')}.xhtml`,
  }));

  const container = `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
`;

  const opf = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="${xml(book.language)}" dir="${book.direction}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="pub-id">${id}</dc:identifier>
    <dc:title>${xml(book.title)}</dc:title>
    <dc:language>${xml(book.language)}</dc:language>
    <dc:publisher>${xml(book.publisher)}</dc:publisher>
    <dc:rights>${xml(book.rights)}</dc:rights>
    <meta property="dcterms:modified">${MODIFIED}</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="css" href="style.css" media-type="text/css"/>
${chapters.map((c, i) => `    <item id="c${i + 1}" href="${c.file}" media-type="application/xhtml+xml"/>`).join('\n')}
  </manifest>
  <spine page-progression-direction="${book.direction}">
${chapters.map((_c, i) => `    <itemref idref="c${i + 1}"/>`).join('\n')}
  </spine>
</package>
`;

  const nav = xhtmlPage(
    book,
    book.title,
    `<nav epub:type="toc" id="toc">
<h1>${xml(book.title)}</h1>
<ol>
${chapters.map((c) => `<li><a href="${c.file}">${xml(c.title)}</a></li>`).join('\n')}
</ol>
</nav>`,
    ' xmlns:epub="http://www.idpf.org/2007/ops"',
  );

  const css = `body { font-family: serif; line-height: 1.5; margin: 0 5%; }
h1, h2 { font-family: sans-serif; line-height: 1.2; }
`;

  const entries: { name: string; data: Buffer }[] = [
    { name: 'mimetype', data: Buffer.from('application/epub+zip', 'ascii') },
    { name: 'META-INF/container.xml', data: Buffer.from(container) },
    { name: 'EPUB/package.opf', data: Buffer.from(opf) },
    { name: 'EPUB/nav.xhtml', data: Buffer.from(nav) },
    { name: 'EPUB/style.css', data: Buffer.from(css) },
  ];
  chapters.forEach((c, i) => {
    const heading =
      i === 0
        ? `<h1>${xml(book.title)}</h1>\n<h2>${xml(c.title)}</h2>`
        : `<h2>${xml(c.title)}</h2>`;
    const body = `<section>\n${heading}\n${c.paragraphs.map((p) => `<p>${xml(p)}</p>`).join('\n')}\n</section>`;
    entries.push({ name: `EPUB/${c.file}`, data: Buffer.from(xhtmlPage(book, c.title, body)) });
  });
  return entries;
}

/** Writes the EPUB; `mimetype` is the first entry, stored uncompressed with no extra field. */
export async function writeEpub(book: EpubBook, file: string): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const entry of buildEpubEntries(book)) {
    const first = entry.name === 'mimetype';
    zip.addBuffer(entry.data, entry.name, {
      mtime: FIXED_DATE,
      compress: !first,
      forceDosTimestamp: true,
    });
  }
  zip.end();
  await pipeline(zip.outputStream, fs.createWriteStream(file));
}
