/**
 * Reads manifest text (YAML, or JSON, which is YAML) into a syntax tree rather than plain values,
 * so that every value keeps its line number, and checks values one at a time. A check that fails
 * records a problem and returns undefined, so that validation carries on and reports everything.
 */
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
import { canonicalTag } from '../../platform/i18n/languages.js';
import { ManifestError, type ManifestProblem } from './manifest-error.js';

export const SLUG_PATTERN = /^[a-z0-9-]{1,80}$/;

/** Where a value is in the manifest, as problems name it: `works[2].editions[0].title`. */
export type Where = string;

/** A key of a mapping and its value (both syntax nodes). */
export interface Entry {
  key: unknown;
  value: unknown;
}

/** Parses manifest text; throws ManifestError listing the syntax errors, if any. */
export function readManifestDocument(text: string, file: string): ManifestChecker {
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
  return new ManifestChecker(file, lines, doc);
}

/** Walks the YAML syntax tree, so that every value keeps its line number. */
export class ManifestChecker {
  readonly problems: ManifestProblem[] = [];

  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    private readonly doc: Document.Parsed,
  ) {}

  /** The top-level node of the document. */
  get contents(): unknown {
    return this.doc.contents;
  }

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

  /** Whether an optional key is present with a value (an empty value counts as absent). */
  given(entry: Entry | undefined): entry is Entry {
    return entry !== undefined && !this.isNull(entry.value);
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
  ): Map<string, Entry> | undefined {
    const n = this.resolve(node);
    if (!isMap(n)) {
      this.report(n, `${where} must be a mapping (key: value)`, fallbackLine);
      return undefined;
    }
    const out = new Map<string, Entry>();
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
  optionalText(entry: Entry | undefined, where: Where, max: number): string | null | undefined {
    if (!this.given(entry)) return null;
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

  /**
   * An optional list of slugs that refer to `noun`s (topics of a work, works of a collection):
   * each must exist, and none may be listed twice. `where` names the list itself.
   */
  slugList(
    entry: Entry | undefined,
    where: Where,
    noun: string,
    exists: (slug: string) => boolean,
  ): string[] {
    const slugs: string[] = [];
    if (!entry) return slugs;
    const items = this.seq(entry.value, where, this.line(entry.key)) ?? [];
    items.forEach((item, i) => {
      const slug = this.slug(item, `${where}[${i}]`, this.line(entry.key));
      if (!slug) return;
      if (!exists(slug)) this.report(item, `${where}: unknown ${noun} "${slug}"`);
      else if (slugs.includes(slug))
        this.report(item, `${where}: ${noun} "${slug}" is listed twice`);
      else slugs.push(slug);
    });
    return slugs;
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

/** A value as problems quote it: short, and readable when it is missing or not text. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'object') return 'a list or mapping';
  return JSON.stringify(value);
}
