/**
 * THE ONE AUDITED PLACE THAT EMITS SANITISED HTML.
 *
 * Every piece of imported HTML that the application will later render without escaping
 * (edition_sections.html) passes through `sanitizeDocument` below, and nothing else in the code
 * base produces HTML from untrusted input. Review any change here as a security change, keep the
 * XSS tests in test/imports/sanitize-html.test.ts passing, and bump SANITIZER_VERSION so that the
 * next import re-processes every HTML edition (the version is part of each edition's source hash).
 *
 * The allow-list is for text documents: headings, paragraphs, lists, quotations, emphasis, links
 * (http, https and mailto only), line breaks, rules and simple tables. `lang` and `dir` are kept on
 * every element because multilingual documents need them. Scripts, styles, event handlers, images,
 * embedded objects, forms and SVG/MathML are removed together with their content; ids, classes and
 * inline styles are dropped.
 */
import sanitizeHtml from 'sanitize-html';

/** Bump whenever the output of `sanitizeDocument` or `splitSections` can change. */
export const SANITIZER_VERSION = 1;

/** The largest section we aim for, in UTF-8 bytes. A single bigger block becomes a section alone. */
export const MAX_SECTION_BYTES = 12_000;

const BLOCK_TAGS = [
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote',
  'pre', 'hr', 'div', 'section', 'article', 'figure', 'figcaption', 'address',
  'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
]; // prettier-ignore

const INLINE_TAGS = [
  'a', 'em', 'strong', 'b', 'i', 'u', 's', 'span', 'br', 'code', 'kbd', 'samp', 'sub', 'sup',
  'small', 'abbr', 'cite', 'q', 'dfn', 'mark', 'bdi', 'bdo', 'time', 'del', 'ins', 'wbr',
]; // prettier-ignore

const ALLOWED_TAGS = [...BLOCK_TAGS, ...INLINE_TAGS];

/** Structural elements of a page that become plain containers inside an edition. */
const MAPPED_TO_DIV = new Set(['header', 'footer', 'main', 'aside', 'nav', 'hgroup', 'center']);

/** Disallowed elements whose text must not leak into the output either. */
const NON_TEXT_TAGS = [
  'script', 'style', 'title', 'head', 'template', 'noscript', 'textarea', 'option', 'select',
  'svg', 'math', 'iframe', 'object', 'embed', 'canvas', 'audio', 'video', 'button', 'noembed',
  'noframes', 'xmp', 'plaintext',
]; // prettier-ignore

const VOID_TAGS = new Set(['br', 'hr', 'col', 'wbr']);

const EXTRA_ATTRIBUTES: Record<string, string[]> = {
  a: ['href'],
  abbr: ['title'],
  dfn: ['title'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  col: ['span'],
  colgroup: ['span'],
  ol: ['start', 'reversed'],
  li: ['value'],
  time: ['datetime'],
  q: ['cite'],
  blockquote: [],
};

const ALLOWED_ATTRIBUTES: Record<string, string[]> = Object.fromEntries(
  ALLOWED_TAGS.map((tag) => [tag, ['lang', 'dir', ...(EXTRA_ATTRIBUTES[tag] ?? [])]]),
);

const SAFE_HREF = /^(?:https?:\/\/[^\s]+|mailto:[^\s]+)$/i;
const LANG_VALUE = /^[A-Za-z0-9-]{1,64}$/;
const NUMBER_VALUE = /^\d{1,4}$/;

/** Validates attribute values and maps page structure to containers; runs on every element. */
function transformElement(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const name = MAPPED_TO_DIV.has(tagName) ? 'div' : tagName;
  const out: sanitizeHtml.Attributes = {};
  for (const [key, rawValue] of Object.entries(attribs)) {
    const value = rawValue.trim();
    switch (key) {
      case 'lang':
        if (LANG_VALUE.test(value)) out.lang = value;
        break;
      case 'dir':
        if (value === 'ltr' || value === 'rtl' || value === 'auto') out.dir = value;
        break;
      case 'href':
        // Only absolute web and mail links: no javascript:, data:, relative or protocol-relative.
        if (name === 'a' && SAFE_HREF.test(value)) out.href = value;
        break;
      case 'colspan':
      case 'rowspan':
      case 'span':
      case 'start':
      case 'value':
        if (NUMBER_VALUE.test(value)) out[key] = value;
        break;
      case 'scope':
        if (['row', 'col', 'rowgroup', 'colgroup'].includes(value)) out.scope = value;
        break;
      case 'reversed':
        out.reversed = 'reversed';
        break;
      case 'cite':
        if (SAFE_HREF.test(value)) out.cite = value;
        break;
      case 'title':
      case 'datetime':
        out[key] = rawValue;
        break;
      default:
      // everything else (ids, classes, styles, event handlers, data-*) is dropped
    }
  }
  return { tagName: name, attribs: out };
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: ALLOWED_ATTRIBUTES,
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href', 'cite'],
  allowProtocolRelative: false,
  allowedStyles: {},
  allowVulnerableTags: false,
  disallowedTagsMode: 'discard',
  nonTextTags: NON_TEXT_TAGS,
  selfClosing: ['br', 'hr', 'col', 'wbr'],
  enforceHtmlBoundary: false,
  parseStyleAttributes: false,
  transformTags: { '*': transformElement },
};

/**
 * Sanitises an HTML document or fragment: Unicode NFC, byte order mark removed, only the allow-list
 * above kept. The result is an HTML fragment (the content of <body>).
 */
export function sanitizeDocument(html: string): string {
  const text = html.replace(/^\uFEFF/, '').normalize('NFC');
  return sanitizeHtml(text, OPTIONS).trim();
}

// ---------------------------------------------------------------------------------------------
// Reading the sanitised output. These helpers only ever see `sanitizeDocument` output, in which
// every `<` and `>` outside tags and attribute values is escaped, so a tag scanner is exact.

interface Token {
  kind: 'open' | 'close' | 'text';
  name: string;
  raw: string;
  selfClosing: boolean;
}

function* tokens(fragment: string): Generator<Token> {
  const re = /<(\/?)([a-z][a-z0-9]*)\b[^>]*?(\/?)>/g;
  let last = 0;
  for (let m = re.exec(fragment); m; m = re.exec(fragment)) {
    if (m.index > last)
      yield { kind: 'text', name: '', raw: fragment.slice(last, m.index), selfClosing: false };
    const name = m[2]!;
    yield {
      kind: m[1] ? 'close' : 'open',
      name,
      raw: m[0],
      selfClosing: m[3] === '/' || VOID_TAGS.has(name),
    };
    last = re.lastIndex;
  }
  if (last < fragment.length)
    yield { kind: 'text', name: '', raw: fragment.slice(last), selfClosing: false };
}

export interface Block {
  /** The element name of a top-level element, or '#inline' for a run of text and inline elements. */
  tag: string;
  html: string;
}

const BLOCK_SET = new Set(BLOCK_TAGS);
const BLOCK_TAG_PATTERN = new RegExp(`<(?:${BLOCK_TAGS.join('|')})\\b`);

/** Splits a sanitised fragment into its top-level blocks. Whitespace between blocks is dropped. */
export function topLevelBlocks(fragment: string): Block[] {
  const blocks: Block[] = [];
  const stack: string[] = [];
  let current: { tag: string; parts: string[] } | undefined;
  let inline: string[] = [];

  const flushInline = () => {
    const html = inline.join('').trim();
    if (html !== '') {
      // A run of text at the top level reads as a paragraph, unless it wraps blocks itself.
      const wrapper = BLOCK_TAG_PATTERN.test(html) ? 'div' : 'p';
      blocks.push({ tag: '#inline', html: `<${wrapper}>${html}</${wrapper}>` });
    }
    inline = [];
  };

  for (const token of tokens(fragment)) {
    if (stack.length === 0 && !current) {
      if (token.kind === 'open' && BLOCK_SET.has(token.name)) {
        flushInline();
        if (token.selfClosing) {
          blocks.push({ tag: token.name, html: token.raw });
        } else {
          current = { tag: token.name, parts: [token.raw] };
          stack.push(token.name);
        }
        continue;
      }
      if (token.kind === 'close') continue; // stray close tag at top level
      // text or inline element at the top level: gather into an inline run
      if (token.kind === 'open' && !token.selfClosing) {
        inline.push(token.raw);
        stack.push(token.name);
        current = { tag: '#inline', parts: [] };
        continue;
      }
      inline.push(token.raw);
      continue;
    }
    const target = current!.tag === '#inline' ? inline : current!.parts;
    target.push(token.raw);
    if (token.kind === 'open' && !token.selfClosing) stack.push(token.name);
    else if (token.kind === 'close') {
      const at = stack.lastIndexOf(token.name);
      if (at >= 0) stack.length = at;
    }
    if (stack.length === 0) {
      if (current!.tag !== '#inline')
        blocks.push({ tag: current!.tag, html: current!.parts.join('') });
      current = undefined;
    }
  }
  if (current && current.tag !== '#inline')
    blocks.push({ tag: current.tag, html: current.parts.join('') });
  flushInline();
  return blocks;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes the character references that sanitize-html emits (and numeric ones). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** Plain text of a sanitised fragment, whitespace collapsed. */
export function textOf(fragment: string): string {
  return decodeEntities(fragment.replace(/<br\s*\/?>/g, ' ').replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}

/** Text of each element named `tag` in a sanitised fragment (not nested in another of the same). */
export function elementTexts(
  fragment: string,
  tags: readonly string[],
): { tag: string; text: string }[] {
  const out: { tag: string; text: string }[] = [];
  let open: { tag: string; depth: number; parts: string[] } | undefined;
  for (const token of tokens(fragment)) {
    if (open) {
      if (token.kind === 'open' && token.name === open.tag && !token.selfClosing) open.depth += 1;
      if (token.kind === 'close' && token.name === open.tag) {
        open.depth -= 1;
        if (open.depth === 0) {
          out.push({ tag: open.tag, text: textOf(open.parts.join('')) });
          open = undefined;
          continue;
        }
      }
      open.parts.push(token.raw);
    } else if (token.kind === 'open' && tags.includes(token.name) && !token.selfClosing) {
      open = { tag: token.name, depth: 1, parts: [] };
    }
  }
  return out;
}

export interface Section {
  heading: string | null;
  html: string;
}

export interface PreparedHtml {
  /** Text of the dropped top-level <h1>, if there was one. */
  title: string | null;
  sections: Section[];
}

function headingOf(html: string): string | null {
  const first = elementTexts(html, ['h1', 'h2', 'h3']).find((h) => h.text !== '');
  return first ? first.text.slice(0, 500) : null;
}

/**
 * Groups top-level blocks into sections of at most `maxBytes` UTF-8 bytes, in order. A block is
 * never split: a block larger than the limit becomes a section of its own. Sections are balanced:
 * when a run of blocks needs n sections, each aims at 1/n of the run rather than filling up
 * greedily and leaving a small remainder.
 */
export function splitSections(blocks: readonly Block[], maxBytes = MAX_SECTION_BYTES): Section[] {
  const sizes = blocks.map((b) => Buffer.byteLength(b.html, 'utf8'));
  // Greedy grouping with a capacity (blocks are joined with a newline).
  const group = (run: number[], capacity: number): number[][] => {
    const out: number[][] = [];
    let current: number[] = [];
    let size = 0;
    for (const i of run) {
      const bytes = sizes[i]!;
      if (current.length > 0 && size + 1 + bytes > capacity) {
        out.push(current);
        current = [];
      }
      size = current.length === 0 ? bytes : size + 1 + bytes;
      current.push(i);
    }
    if (current.length > 0) out.push(current);
    return out;
  };
  // The fewest sections a run needs, with the smallest capacity that still gives that many.
  const balance = (run: number[]): number[][] => {
    if (run.length === 0) return [];
    const count = group(run, maxBytes).length;
    let lo = Math.max(...run.map((i) => sizes[i]!));
    let hi = maxBytes;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (group(run, mid).length <= count) hi = mid;
      else lo = mid + 1;
    }
    return group(run, lo);
  };
  // Runs of blocks between oversized ones, each balanced on its own.
  const groups: number[][] = [];
  let run: number[] = [];
  sizes.forEach((bytes, i) => {
    if (bytes > maxBytes) {
      groups.push(...balance(run), [i]);
      run = [];
    } else run.push(i);
  });
  groups.push(...balance(run));
  return groups.map((indexes) => {
    const html = indexes.map((i) => blocks[i]!.html).join('\n');
    return { heading: headingOf(html), html };
  });
}

/**
 * Turns an imported HTML document into edition sections: sanitised, the top-level <h1> (the
 * title, shown by the page itself) removed, split at top-level block boundaries.
 */
export function prepareHtmlEdition(html: string, maxBytes = MAX_SECTION_BYTES): PreparedHtml {
  const blocks = topLevelBlocks(sanitizeDocument(html));
  let title: string | null = null;
  const h1 = blocks.findIndex((b) => b.tag === 'h1');
  if (h1 >= 0) {
    title = textOf(blocks[h1]!.html) || null;
    blocks.splice(h1, 1);
  }
  return { title, sections: splitSections(blocks, maxBytes) };
}
