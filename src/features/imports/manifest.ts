/**
 * The import manifest (docs/import-format.md): parsing and validation. Everything is checked
 * before anything is written, and every problem is reported with the file and line it comes from,
 * so that an editor can fix a manifest in one pass.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
} from 'yaml';
import {
  EDITION_STATUSES,
  FILE_ROLES,
  WORK_TYPES,
  type EditionStatus,
  type FileRole,
  type WorkType,
} from '../../platform/db/schema.js';
import { canonicalTag, type Direction } from '../../platform/i18n/languages.js';

export interface ManifestProblem {
  file: string;
  /** 1-based line number. */
  line: number;
  message: string;
}

export class ManifestError extends Error {
  readonly problems: ManifestProblem[];
  constructor(problems: ManifestProblem[]) {
    const sorted = [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
    super(
      `The import manifest has ${count}:\n${sorted.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ManifestError';
    this.problems = sorted;
  }
}

export type OrganisationKind = 'hub' | 'partner';
export const ORGANISATION_KINDS: readonly OrganisationKind[] = ['hub', 'partner'];

export interface ManifestOrganisation {
  slug: string;
  name: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string | null;
  kind: OrganisationKind;
}

export interface ManifestLanguage {
  tag: string;
  endonym: string | null;
  englishName: string | null;
  direction: Direction | null;
}

export interface ManifestTopic {
  slug: string;
  /** Canonical language tag -> label; always has `en`. */
  labels: Record<string, string>;
}

export interface ManifestCollection {
  slug: string;
  titles: Record<string, string>;
  descriptions: Record<string, string>;
  works: string[];
}

/** A file named by the manifest: as written, and where it really is (symlinks resolved). */
export interface ManifestSource {
  path: string;
  absolutePath: string;
  /** Line of the path in the manifest, for problems found later (unreadable HTML...). */
  line: number;
}

export interface ManifestFile extends ManifestSource {
  role: FileRole;
  /** Subtitle language (defaults to the edition's); null for other roles. */
  language: string | null;
  filename: string;
  mediaType: string;
}

export interface ManifestEdition {
  language: string;
  title: string;
  summary: string | null;
  status: EditionStatus;
  html: ManifestSource | null;
  files: ManifestFile[];
  line: number;
}

export interface ManifestWork {
  slug: string;
  type: WorkType;
  publisher: string | null;
  licence: string | null;
  year: number | null;
  originalLanguage: string | null;
  topics: string[];
  editions: ManifestEdition[];
  line: number;
}

export interface Manifest {
  /** The manifest file, as it appears in problems. */
  file: string;
  /** The import folder (real path); every file path resolves against it. */
  dir: string;
  organisations: ManifestOrganisation[];
  languages: ManifestLanguage[];
  topics: ManifestTopic[];
  collections: ManifestCollection[];
  works: ManifestWork[];
}

/** The manifest as written (YAML or JSON), for code that generates one (the demo library). */
export interface ManifestInput {
  organisations?: { slug: string; name: string; country?: string; kind?: OrganisationKind }[];
  languages?: { tag: string; endonym?: string; english_name?: string; direction?: Direction }[];
  topics?: { slug: string; labels: Record<string, string> }[];
  collections?: {
    slug: string;
    titles: Record<string, string>;
    descriptions?: Record<string, string>;
    works?: string[];
  }[];
  works?: {
    slug: string;
    type: WorkType;
    publisher?: string;
    licence?: string;
    year?: number;
    original_language?: string;
    topics?: string[];
    editions: {
      language: string;
      title: string;
      summary?: string;
      status?: EditionStatus;
      html?: string;
      files?: {
        path: string;
        role?: FileRole;
        language?: string;
        filename?: string;
        media_type?: string;
      }[];
    }[];
  }[];
}

/** Slugs that already exist in the database, so a manifest may refer to them. */
export interface KnownSlugs {
  organisations: ReadonlySet<string>;
  topics: ReadonlySet<string>;
  works: ReadonlySet<string>;
}

const NO_KNOWN: KnownSlugs = { organisations: new Set(), topics: new Set(), works: new Set() };

export const SLUG_PATTERN = /^[a-z0-9-]{1,80}$/;

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
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** The manifest file names looked for in the import folder, in order. */
export const MANIFEST_NAMES = ['manifest.yaml', 'manifest.yml', 'manifest.json'];

// -----------------------------------------------------------------------------------------------

type Where = string;

/** Walks the YAML syntax tree, so that every value keeps its line number. */
class Checker {
  readonly problems: ManifestProblem[] = [];

  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    private readonly doc: Document.Parsed,
  ) {}

  line(node: unknown, fallback = 1): number {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return range ? this.lines.linePos(range[0]).line : fallback;
  }

  report(node: unknown, message: string, fallbackLine = 1): void {
    this.problems.push({ file: this.file, line: this.line(node, fallbackLine), message });
  }

  resolve(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  isNull(node: unknown): boolean {
    const n = this.resolve(node);
    return (
      n === null || n === undefined || (isScalar(n) && (n.value === null || n.value === undefined))
    );
  }

  /**
   * A mapping's entries by key. Unknown keys and missing required keys are reported. Returns
   * undefined (after reporting) when the node is not a mapping.
   */
  map(
    node: unknown,
    where: Where,
    allowed: readonly string[],
    required: readonly string[] = [],
    fallbackLine = 1,
  ): Map<string, { key: unknown; value: unknown }> | undefined {
    const n = this.resolve(node);
    if (!isMap(n)) {
      this.report(n, `${where} must be a mapping (key: value)`, fallbackLine);
      return undefined;
    }
    const out = new Map<string, { key: unknown; value: unknown }>();
    for (const pair of n.items) {
      if (!isPair(pair)) continue;
      const key = this.resolve(pair.key);
      const name = isScalar(key) ? key.value : undefined;
      if (typeof name !== 'string') {
        this.report(key, `${where}: keys must be text`, this.line(n));
        continue;
      }
      if (!allowed.includes(name)) {
        this.report(
          key,
          `${where}: unknown key "${name}" (expected one of: ${allowed.join(', ')})`,
        );
        continue;
      }
      out.set(name, { key, value: pair.value });
    }
    for (const name of required) {
      const entry = out.get(name);
      if (!entry) this.report(n, `${where}: "${name}" is required`);
      else if (this.isNull(entry.value))
        this.report(entry.key, `${where}: "${name}" must not be empty`);
    }
    return out;
  }

  /** The items of a sequence, or undefined (after reporting) when it is not one. */
  seq(node: unknown, where: Where, fallbackLine: number): unknown[] | undefined {
    const n = this.resolve(node);
    if (this.isNull(n)) return [];
    if (!isSeq(n)) {
      this.report(n, `${where} must be a list`, fallbackLine);
      return undefined;
    }
    return n.items;
  }

  text(
    node: unknown,
    where: Where,
    options: { max: number; fallbackLine: number; allowEmpty?: boolean },
  ): string | undefined {
    const n = this.resolve(node);
    const value = isScalar(n) ? n.value : undefined;
    if (typeof value !== 'string' && typeof value !== 'number') {
      this.report(n, `${where} must be text`, options.fallbackLine);
      return undefined;
    }
    const text = String(value).normalize('NFC').trim();
    if (text === '' && !options.allowEmpty) {
      this.report(n, `${where} must not be empty`, options.fallbackLine);
      return undefined;
    }
    if (text.length > options.max) {
      this.report(n, `${where} is too long (${text.length} characters, at most ${options.max})`);
      return undefined;
    }
    return text;
  }

  /** Optional text: undefined when absent, null when explicitly empty, else the text. */
  optionalText(
    entry: { key: unknown; value: unknown } | undefined,
    where: Where,
    max: number,
  ): string | null | undefined {
    if (!entry || this.isNull(entry.value)) return null;
    const text = this.text(entry.value, where, {
      max,
      fallbackLine: this.line(entry.key),
      allowEmpty: true,
    });
    if (text === undefined) return undefined;
    return text === '' ? null : text;
  }

  oneOf<T extends string>(
    node: unknown,
    where: Where,
    values: readonly T[],
    fallbackLine: number,
  ): T | undefined {
    const n = this.resolve(node);
    const value = isScalar(n) ? n.value : undefined;
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      this.report(
        n,
        `${where} must be one of ${values.join(', ')}, got ${describe(value)}`,
        fallbackLine,
      );
      return undefined;
    }
    return value as T;
  }

  slug(node: unknown, where: Where, fallbackLine: number): string | undefined {
    const n = this.resolve(node);
    const value = isScalar(n) ? n.value : undefined;
    if (typeof value !== 'string' || !SLUG_PATTERN.test(value)) {
      this.report(
        n,
        `${where} must be a slug of 1 to 80 characters a-z, 0-9 and "-", got ${describe(value)}`,
        fallbackLine,
      );
      return undefined;
    }
    return value;
  }

  tag(node: unknown, where: Where, fallbackLine: number): string | undefined {
    const n = this.resolve(node);
    const value = isScalar(n) ? n.value : undefined;
    const tag = typeof value === 'string' ? canonicalTag(value.trim()) : undefined;
    if (!tag) {
      this.report(
        n,
        `${where} must be a well-formed BCP 47 language tag, got ${describe(value)}`,
        fallbackLine,
      );
      return undefined;
    }
    return tag;
  }

  /** `{ <tag>: text }` with canonical, unique tags. */
  labels(
    node: unknown,
    where: Where,
    max: number,
    fallbackLine: number,
  ): Record<string, string> | undefined {
    const n = this.resolve(node);
    if (!isMap(n)) {
      this.report(n, `${where} must be a mapping of language tag to text`, fallbackLine);
      return undefined;
    }
    const out: Record<string, string> = {};
    let ok = true;
    for (const pair of n.items) {
      if (!isPair(pair)) continue;
      const tag = this.tag(pair.key, `${where}: key`, this.line(n));
      const text = this.text(pair.value, `${where}.${tag ?? '?'}`, {
        max,
        fallbackLine: this.line(pair.key),
      });
      if (!tag || text === undefined) {
        ok = false;
        continue;
      }
      if (tag in out) {
        this.report(pair.key, `${where}: language ${tag} appears twice`);
        ok = false;
        continue;
      }
      out[tag] = text;
    }
    return ok ? out : undefined;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'object') return 'a list or mapping';
  return JSON.stringify(value);
}

/** A display file name: no folders, no control or bidi characters. */
export function cleanFilename(name: string): string {
  return path.posix
    .basename(name.replace(/\\/g, '/'))
    .replace(CONTROL_CHARACTERS, '')
    .replace(BIDI_CONTROLS, '')
    .normalize('NFC')
    .trim();
}

interface PathChecker {
  (node: unknown, where: Where, fallbackLine: number): ManifestSource | undefined;
}

function pathChecker(checker: Checker, dir: string, realDir: string): PathChecker {
  return (node, where, fallbackLine) => {
    const n = checker.resolve(node);
    const raw = isScalar(n) ? n.value : undefined;
    if (typeof raw !== 'string' || raw.trim() === '') {
      checker.report(n, `${where} must be a relative file path`, fallbackLine);
      return undefined;
    }
    const line = checker.line(n, fallbackLine);
    if (raw.includes('\0')) {
      checker.report(n, `${where}: the path contains a NUL character`);
      return undefined;
    }
    if (path.isAbsolute(raw) || /^[A-Za-z]:[\\/]/.test(raw) || raw.startsWith('\\\\')) {
      checker.report(
        n,
        `${where}: "${raw}" is an absolute path; paths must be relative to the import folder`,
      );
      return undefined;
    }
    const lexical = path.resolve(dir, raw);
    const lexicalRel = path.relative(path.resolve(dir), lexical);
    if (lexicalRel === '' || lexicalRel.startsWith('..') || path.isAbsolute(lexicalRel)) {
      checker.report(n, `${where}: "${raw}" is outside the import folder`);
      return undefined;
    }
    let real: string;
    try {
      real = fs.realpathSync(lexical);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      checker.report(
        n,
        code === 'ENOENT' || code === 'ENOTDIR'
          ? `${where}: file not found: "${raw}"`
          : `${where}: cannot read "${raw}" (${code ?? String(error)})`,
      );
      return undefined;
    }
    const rel = path.relative(realDir, real);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
      checker.report(
        n,
        `${where}: "${raw}" leads outside the import folder (through a symbolic link)`,
      );
      return undefined;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(real);
    } catch (error) {
      checker.report(
        n,
        `${where}: cannot read "${raw}" (${(error as NodeJS.ErrnoException).code ?? ''})`,
      );
      return undefined;
    }
    if (!stat.isFile()) {
      checker.report(n, `${where}: "${raw}" is not a regular file`);
      return undefined;
    }
    if (stat.size === 0) {
      checker.report(n, `${where}: "${raw}" is empty`);
      return undefined;
    }
    try {
      fs.accessSync(real, fs.constants.R_OK);
    } catch {
      checker.report(n, `${where}: "${raw}" is not readable`);
      return undefined;
    }
    return { path: raw, absolutePath: real, line };
  };
}

const TOP_KEYS = ['organisations', 'languages', 'topics', 'collections', 'works'];
const ORG_KEYS = ['slug', 'name', 'country', 'kind'];
const LANGUAGE_KEYS = ['tag', 'endonym', 'english_name', 'direction'];
const TOPIC_KEYS = ['slug', 'labels'];
const COLLECTION_KEYS = ['slug', 'titles', 'descriptions', 'works'];
const WORK_KEYS = [
  'slug',
  'type',
  'publisher',
  'licence',
  'year',
  'original_language',
  'topics',
  'editions',
];
const EDITION_KEYS = ['language', 'title', 'summary', 'status', 'html', 'files'];
const FILE_KEYS = ['path', 'role', 'language', 'filename', 'media_type'];

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** CLDR names these, but they are not countries (unknown region, EU, eurozone, UN, Oceania). */
const NOT_COUNTRIES = new Set(['ZZ', 'EU', 'EZ', 'UN', 'QO']);

function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code)) return false;
  try {
    return regionNames.of(code) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Parses and validates manifest text. `file` names the manifest in problems; file paths resolve
 * against `dir`. Throws ManifestError listing every problem.
 */
export function parseManifest(
  text: string,
  file: string,
  dir: string,
  known: KnownSlugs = NO_KNOWN,
): Manifest {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), {
    lineCounter: lines,
    prettyErrors: true,
    uniqueKeys: true,
    strict: true,
  });
  const syntax: ManifestProblem[] = doc.errors.map((error) => ({
    file,
    line: error.linePos?.[0].line ?? 1,
    message: `YAML syntax error: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
  }));
  if (syntax.length) throw new ManifestError(syntax);

  const c = new Checker(file, lines, doc);
  let realDir = dir;
  try {
    realDir = fs.realpathSync(dir);
    if (!fs.statSync(realDir).isDirectory())
      c.report(null, `the import folder "${dir}" is not a folder`);
  } catch {
    c.report(null, `the import folder "${dir}" does not exist`);
    throw new ManifestError(c.problems);
  }
  const checkPath = pathChecker(c, dir, realDir);

  const manifest: Manifest = {
    file,
    dir: realDir,
    organisations: [],
    languages: [],
    topics: [],
    collections: [],
    works: [],
  };

  if (c.isNull(doc.contents)) {
    c.report(doc.contents, 'the manifest is empty');
    throw new ManifestError(c.problems);
  }
  const top = c.map(doc.contents, 'manifest', TOP_KEYS);
  if (!top) throw new ManifestError(c.problems);

  const list = (name: string): unknown[] => {
    const entry = top.get(name);
    if (!entry) return [];
    return c.seq(entry.value, name, c.line(entry.key)) ?? [];
  };

  // Organisations --------------------------------------------------------------------------------
  const orgSlugs = new Set<string>();
  list('organisations').forEach((node, i) => {
    const where = `organisations[${i}]`;
    const m = c.map(node, where, ORG_KEYS, ['slug', 'name']);
    if (!m) return;
    const line = c.line(node);
    const slug = m.get('slug') ? c.slug(m.get('slug')!.value, `${where}.slug`, line) : undefined;
    if (slug && orgSlugs.has(slug))
      c.report(m.get('slug')!.value, `${where}: organisation "${slug}" is listed twice`);
    const name = m.get('name')
      ? c.text(m.get('name')!.value, `${where}.name`, { max: 300, fallbackLine: line })
      : undefined;
    let country: string | null | undefined = null;
    const countryEntry = m.get('country');
    if (countryEntry && !c.isNull(countryEntry.value)) {
      const raw = c.text(countryEntry.value, `${where}.country`, { max: 2, fallbackLine: line });
      country = raw?.toUpperCase();
      if (raw !== undefined && !isCountryCode(raw.toUpperCase())) {
        c.report(
          countryEntry.value,
          `${where}.country must be an ISO 3166-1 alpha-2 code such as KE or FR, got "${raw}"`,
        );
        country = undefined;
      }
    }
    const kindEntry = m.get('kind');
    const kind: OrganisationKind | undefined =
      kindEntry && !c.isNull(kindEntry.value)
        ? c.oneOf(kindEntry.value, `${where}.kind`, ORGANISATION_KINDS, line)
        : 'partner';
    if (slug && !orgSlugs.has(slug) && name && country !== undefined && kind) {
      manifest.organisations.push({ slug, name, country, kind });
    }
    if (slug) orgSlugs.add(slug);
  });

  // Languages ------------------------------------------------------------------------------------
  const languageTags = new Set<string>();
  list('languages').forEach((node, i) => {
    const where = `languages[${i}]`;
    const m = c.map(node, where, LANGUAGE_KEYS, ['tag']);
    if (!m) return;
    const line = c.line(node);
    const tag = m.get('tag') ? c.tag(m.get('tag')!.value, `${where}.tag`, line) : undefined;
    if (tag && languageTags.has(tag))
      c.report(m.get('tag')!.value, `${where}: language ${tag} is listed twice`);
    const endonym = c.optionalText(m.get('endonym'), `${where}.endonym`, 200);
    const englishName = c.optionalText(m.get('english_name'), `${where}.english_name`, 200);
    const dirEntry = m.get('direction');
    const direction: Direction | null | undefined =
      dirEntry && !c.isNull(dirEntry.value)
        ? c.oneOf(dirEntry.value, `${where}.direction`, ['ltr', 'rtl'] as const, line)
        : null;
    if (
      tag &&
      !languageTags.has(tag) &&
      endonym !== undefined &&
      englishName !== undefined &&
      direction !== undefined
    ) {
      manifest.languages.push({ tag, endonym, englishName, direction });
    }
    if (tag) languageTags.add(tag);
  });

  // Topics ---------------------------------------------------------------------------------------
  const topicSlugs = new Set<string>();
  list('topics').forEach((node, i) => {
    const where = `topics[${i}]`;
    const m = c.map(node, where, TOPIC_KEYS, ['slug', 'labels']);
    if (!m) return;
    const line = c.line(node);
    const slug = m.get('slug') ? c.slug(m.get('slug')!.value, `${where}.slug`, line) : undefined;
    if (slug && topicSlugs.has(slug))
      c.report(m.get('slug')!.value, `${where}: topic "${slug}" is listed twice`);
    const labelsEntry = m.get('labels');
    const labels =
      labelsEntry && !c.isNull(labelsEntry.value)
        ? c.labels(labelsEntry.value, `${where}.labels`, 200, c.line(labelsEntry.key))
        : undefined;
    if (labels && !labels.en)
      c.report(labelsEntry!.value, `${where}.labels must include an English label (en)`);
    if (slug && !topicSlugs.has(slug) && labels?.en) manifest.topics.push({ slug, labels });
    if (slug) topicSlugs.add(slug);
  });

  // Works ----------------------------------------------------------------------------------------
  const workSlugs = new Set<string>();
  const workNodes = list('works');
  // First pass: the slugs, so that collections may refer to works listed after them.
  for (const node of workNodes) {
    const n = c.resolve(node);
    if (!isMap(n)) continue;
    const slug = n.get('slug');
    if (typeof slug === 'string') workSlugs.add(slug);
  }
  const seenWorks = new Set<string>();
  workNodes.forEach((node, i) => {
    const where0 = `works[${i}]`;
    const m = c.map(node, where0, WORK_KEYS, ['slug', 'type', 'editions']);
    if (!m) return;
    const line = c.line(node);
    const slug = m.get('slug') ? c.slug(m.get('slug')!.value, `${where0}.slug`, line) : undefined;
    const where = slug ? `work "${slug}"` : where0;
    if (slug && seenWorks.has(slug)) c.report(m.get('slug')!.value, `${where} is listed twice`);
    const type = m.get('type')
      ? c.oneOf(m.get('type')!.value, `${where}.type`, WORK_TYPES, line)
      : undefined;

    let publisher: string | null | undefined = null;
    const pubEntry = m.get('publisher');
    if (pubEntry && !c.isNull(pubEntry.value)) {
      publisher = c.slug(pubEntry.value, `${where}.publisher`, c.line(pubEntry.key));
      if (publisher && !orgSlugs.has(publisher) && !known.organisations.has(publisher)) {
        c.report(pubEntry.value, `${where}.publisher: unknown organisation "${publisher}"`);
        publisher = undefined;
      }
    }
    const licence = c.optionalText(m.get('licence'), `${where}.licence`, 1000);

    let year: number | null | undefined = null;
    const yearEntry = m.get('year');
    if (yearEntry && !c.isNull(yearEntry.value)) {
      const n = c.resolve(yearEntry.value);
      const value = isScalar(n) ? n.value : undefined;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1000 || value > 2100) {
        c.report(
          n,
          `${where}.year must be a whole number from 1000 to 2100, got ${describe(value)}`,
        );
        year = undefined;
      } else year = value;
    }

    let originalLanguage: string | null | undefined = null;
    const olEntry = m.get('original_language');
    if (olEntry && !c.isNull(olEntry.value)) {
      originalLanguage = c.tag(olEntry.value, `${where}.original_language`, c.line(olEntry.key));
    }

    const topics: string[] = [];
    const topicsEntry = m.get('topics');
    if (topicsEntry) {
      const items = c.seq(topicsEntry.value, `${where}.topics`, c.line(topicsEntry.key)) ?? [];
      items.forEach((item, j) => {
        const t = c.slug(item, `${where}.topics[${j}]`, c.line(topicsEntry.key));
        if (!t) return;
        if (!topicSlugs.has(t) && !known.topics.has(t))
          c.report(item, `${where}.topics: unknown topic "${t}"`);
        else if (topics.includes(t))
          c.report(item, `${where}.topics: topic "${t}" is listed twice`);
        else topics.push(t);
      });
    }

    const editions: ManifestEdition[] = [];
    const editionLanguages = new Map<string, number>();
    const edEntry = m.get('editions');
    const edItems = edEntry
      ? (c.seq(edEntry.value, `${where}.editions`, c.line(edEntry.key)) ?? [])
      : [];
    if (edEntry && !c.isNull(edEntry.value) && edItems.length === 0) {
      c.report(edEntry.value, `${where}.editions must list at least one edition`);
    }
    edItems.forEach((edNode, j) => {
      const edition = parseEdition(c, checkPath, edNode, `${where}.editions[${j}]`);
      if (!edition) return;
      const first = editionLanguages.get(edition.language);
      if (first !== undefined) {
        c.report(
          edNode,
          `${where}: two editions in language ${edition.language} (the other is on line ${first}); a work has one edition per language`,
        );
        return;
      }
      editionLanguages.set(edition.language, edition.line);
      editions.push(edition);
    });

    if (
      slug &&
      !seenWorks.has(slug) &&
      type &&
      publisher !== undefined &&
      licence !== undefined &&
      year !== undefined &&
      originalLanguage !== undefined
    ) {
      manifest.works.push({
        slug,
        type,
        publisher,
        licence,
        year,
        originalLanguage,
        topics,
        editions,
        line,
      });
    }
    if (slug) seenWorks.add(slug);
  });

  // Collections ----------------------------------------------------------------------------------
  const collectionSlugs = new Set<string>();
  list('collections').forEach((node, i) => {
    const where0 = `collections[${i}]`;
    const m = c.map(node, where0, COLLECTION_KEYS, ['slug', 'titles']);
    if (!m) return;
    const line = c.line(node);
    const slug = m.get('slug') ? c.slug(m.get('slug')!.value, `${where0}.slug`, line) : undefined;
    const where = slug ? `collection "${slug}"` : where0;
    if (slug && collectionSlugs.has(slug))
      c.report(m.get('slug')!.value, `${where} is listed twice`);
    const titlesEntry = m.get('titles');
    const titles =
      titlesEntry && !c.isNull(titlesEntry.value)
        ? c.labels(titlesEntry.value, `${where}.titles`, 500, c.line(titlesEntry.key))
        : undefined;
    if (titles && !titles.en)
      c.report(titlesEntry!.value, `${where}.titles must include an English title (en)`);
    let descriptions: Record<string, string> | undefined = {};
    const descEntry = m.get('descriptions');
    if (descEntry && !c.isNull(descEntry.value)) {
      descriptions = c.labels(
        descEntry.value,
        `${where}.descriptions`,
        5000,
        c.line(descEntry.key),
      );
      for (const tag of Object.keys(descriptions ?? {})) {
        if (titles && !titles[tag]) {
          c.report(descEntry.value, `${where}.descriptions.${tag} has no title in that language`);
          descriptions = undefined;
          break;
        }
      }
    }
    const works: string[] = [];
    const worksEntry = m.get('works');
    if (worksEntry) {
      const items = c.seq(worksEntry.value, `${where}.works`, c.line(worksEntry.key)) ?? [];
      items.forEach((item, j) => {
        const w = c.slug(item, `${where}.works[${j}]`, c.line(worksEntry.key));
        if (!w) return;
        if (!workSlugs.has(w) && !known.works.has(w))
          c.report(item, `${where}.works: unknown work "${w}"`);
        else if (works.includes(w)) c.report(item, `${where}.works: work "${w}" is listed twice`);
        else works.push(w);
      });
    }
    if (slug && !collectionSlugs.has(slug) && titles?.en && descriptions) {
      manifest.collections.push({ slug, titles, descriptions, works });
    }
    if (slug) collectionSlugs.add(slug);
  });

  if (c.problems.length) throw new ManifestError(c.problems);
  return manifest;
}

function parseEdition(
  c: Checker,
  checkPath: PathChecker,
  node: unknown,
  where0: string,
): ManifestEdition | undefined {
  const m = c.map(node, where0, EDITION_KEYS, ['language', 'title']);
  if (!m) return undefined;
  const line = c.line(node);
  const language = m.get('language')
    ? c.tag(m.get('language')!.value, `${where0}.language`, line)
    : undefined;
  const where = language ? `${where0} (${language})` : where0;
  const title = m.get('title')
    ? c.text(m.get('title')!.value, `${where}.title`, { max: 500, fallbackLine: line })
    : undefined;
  const summary = c.optionalText(m.get('summary'), `${where}.summary`, 5000);
  const statusEntry = m.get('status');
  const status: EditionStatus | undefined =
    statusEntry && !c.isNull(statusEntry.value)
      ? c.oneOf(statusEntry.value, `${where}.status`, EDITION_STATUSES, line)
      : 'published';

  let html: ManifestSource | null | undefined = null;
  const htmlEntry = m.get('html');
  if (htmlEntry && !c.isNull(htmlEntry.value)) {
    html = checkPath(htmlEntry.value, `${where}.html`, c.line(htmlEntry.key));
  }

  const files: ManifestFile[] = [];
  let filesOk = true;
  const filesEntry = m.get('files');
  const fileItems = filesEntry
    ? c.seq(filesEntry.value, `${where}.files`, c.line(filesEntry.key))
    : [];
  if (fileItems === undefined) filesOk = false;
  const seenPaths = new Set<string>();
  (fileItems ?? []).forEach((fileNode, k) => {
    const whereF = `${where}.files[${k}]`;
    const fm = c.map(fileNode, whereF, FILE_KEYS, ['path']);
    if (!fm) {
      filesOk = false;
      return;
    }
    const fline = c.line(fileNode);
    const source = fm.get('path')
      ? checkPath(fm.get('path')!.value, `${whereF}.path`, fline)
      : undefined;
    const roleEntry = fm.get('role');
    const role: FileRole | undefined =
      roleEntry && !c.isNull(roleEntry.value)
        ? c.oneOf(roleEntry.value, `${whereF}.role`, FILE_ROLES, fline)
        : 'original';
    let fileLanguage: string | null | undefined = null;
    const langEntry = fm.get('language');
    if (langEntry && !c.isNull(langEntry.value)) {
      fileLanguage = c.tag(langEntry.value, `${whereF}.language`, fline);
      if (fileLanguage && role && role !== 'subtitles') {
        c.report(
          langEntry.key,
          `${whereF}.language is only for subtitles (this file's role is ${role})`,
        );
        fileLanguage = undefined;
      }
    }
    if (role === 'subtitles' && fileLanguage === null && language) fileLanguage = language;

    const filenameRaw = c.optionalText(fm.get('filename'), `${whereF}.filename`, 255);
    let filename: string | undefined;
    if (filenameRaw !== undefined) {
      const raw = filenameRaw ?? (source ? path.basename(source.path) : undefined);
      if (raw !== undefined) {
        filename = cleanFilename(raw);
        if (filename === '' || filename === '.' || filename === '..') {
          c.report(
            fm.get('filename')?.value ?? fileNode,
            `${whereF}.filename is not a usable file name`,
          );
          filename = undefined;
        }
      }
    }

    let mediaType: string | undefined;
    const mtEntry = fm.get('media_type');
    if (mtEntry && !c.isNull(mtEntry.value)) {
      const raw = c.text(mtEntry.value, `${whereF}.media_type`, { max: 255, fallbackLine: fline });
      if (raw !== undefined) {
        if (MEDIA_TYPE_PATTERN.test(raw.toLowerCase())) mediaType = raw.toLowerCase();
        else
          c.report(
            mtEntry.value,
            `${whereF}.media_type "${raw}" is not a media type such as application/pdf`,
          );
      }
    } else if (source) {
      mediaType = mediaTypeOf(source.path);
      if (!mediaType) {
        c.report(
          fm.get('path')!.value,
          `${whereF}: unknown file type "${path.extname(source.path) || source.path}"; give its media_type`,
        );
      }
    }
    if (source && seenPaths.has(source.absolutePath)) {
      c.report(
        fm.get('path')!.value,
        `${whereF}: "${source.path}" is listed twice in this edition`,
      );
      filesOk = false;
      return;
    }
    if (source) seenPaths.add(source.absolutePath);

    if (source && role && fileLanguage !== undefined && filename && mediaType) {
      files.push({ ...source, role, language: fileLanguage, filename, mediaType });
    } else filesOk = false;
  });

  if (html === null && (fileItems ?? []).length === 0 && filesOk) {
    c.report(node, `${where} has neither html nor files: give at least one`);
    return undefined;
  }
  if (!language || !title || summary === undefined || !status || html === undefined || !filesOk)
    return undefined;
  return { language, title, summary, status, html, files, line };
}

/** The manifest file of an import folder (or the one given), and how problems should name it. */
export function locateManifest(dir: string, manifestPath?: string): string {
  if (manifestPath) return path.resolve(manifestPath);
  for (const name of MANIFEST_NAMES) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new ManifestError([
    {
      file: path.join(dir, MANIFEST_NAMES[0]!),
      line: 1,
      message: `no ${MANIFEST_NAMES.join(' or ')} in ${dir}`,
    },
  ]);
}

/** Reads and validates the manifest of `dir` (or `manifestPath`). Throws ManifestError. */
export async function loadManifest(
  dir: string,
  options: { manifestPath?: string | undefined; known?: KnownSlugs } = {},
): Promise<Manifest> {
  const file = locateManifest(dir, options.manifestPath);
  let text: string;
  try {
    const bytes = await fs.promises.readFile(file);
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ManifestError([
      {
        file,
        line: 1,
        message:
          code === 'ENOENT'
            ? 'manifest not found'
            : code
              ? `cannot read the manifest (${code})`
              : 'the manifest is not valid UTF-8 text',
      },
    ]);
  }
  return parseManifest(text, file, dir, options.known);
}
