/**
 * Reading and checking the workspace's forms. Each problem is a message key next to its field,
 * so the form comes back filled in, with every problem shown at once, in the user's language.
 */
import type { FastifyRequest } from 'fastify';
import { WORK_TYPES, type WorkType } from '../../platform/db/schema.js';
import { canonicalTag } from '../../platform/i18n/languages.js';
import { formField } from '../accounts/csrf.js';
import { SLUG_PATTERN } from '../imports/manifest.js';

export type FieldErrors = Record<string, string>;

const TITLE_MAX = 300;
const SUMMARY_MAX = 4000;

/** Text as a person typed it: NFC, no control characters but newlines, trimmed. */
export function cleanText(raw: string | undefined, max: number): string {
  return (
    (raw ?? '')
      .normalize('NFC')
      // Control characters but newline; bidi marks stay (right-to-left text needs them).
      .replace(/\p{Cc}/gu, (c) => (c === '\n' ? c : ''))
      .trim()
      .slice(0, max)
  );
}

export interface WorkForm {
  slug: string;
  type: string;
  publisher: string;
  licence: string;
  year: string;
  originalLanguage: string;
  version: string;
}

export function readWorkForm(request: FastifyRequest): WorkForm {
  const f = (name: string, max = 200) => cleanText(formField(request, name), max);
  return {
    slug: f('slug', 80).toLowerCase(),
    type: f('type'),
    publisher: f('publisher'),
    licence: f('licence'),
    year: f('year', 4),
    originalLanguage: f('original_language', 64),
    version: f('version', 12),
  };
}

export function checkWorkForm(form: WorkForm, isNew: boolean, publishers: readonly string[]) {
  const errors: FieldErrors = {};
  if (isNew && !SLUG_PATTERN.test(form.slug)) errors.slug = 'workspace.error.slug';
  if (!(WORK_TYPES as readonly string[]).includes(form.type)) errors.type = 'workspace.error.type';
  if (!publishers.includes(form.publisher)) errors.publisher = 'workspace.error.publisher';
  let year: number | null = null;
  if (form.year) {
    year = Number(form.year);
    if (!/^\d{4}$/.test(form.year) || year < 1900 || year > 2100)
      errors.year = 'workspace.error.year';
  }
  let originalLanguage: string | null = null;
  if (form.originalLanguage) {
    originalLanguage = canonicalTag(form.originalLanguage) ?? null;
    if (!originalLanguage) errors.original_language = 'workspace.error.language';
  }
  return {
    errors,
    fields: {
      type: form.type as WorkType,
      publisher_id: form.publisher,
      licence: form.licence || null,
      year,
      original_language: originalLanguage,
    },
  };
}

export interface EditionForm {
  language: string;
  title: string;
  summary: string;
  translatedFrom: string;
  version: string;
}

export function readEditionForm(request: FastifyRequest): EditionForm {
  return {
    language: cleanText(formField(request, 'language'), 64),
    title: cleanText(formField(request, 'title'), TITLE_MAX),
    summary: cleanText(formField(request, 'summary'), SUMMARY_MAX),
    translatedFrom: cleanText(formField(request, 'translated_from'), 64),
    version: cleanText(formField(request, 'version'), 12),
  };
}

export function checkEditionForm(form: EditionForm, isNew: boolean) {
  const errors: FieldErrors = {};
  let language: string | undefined;
  if (isNew) {
    language = canonicalTag(form.language);
    if (!language) errors.language = 'workspace.error.language';
  }
  if (!form.title) errors.title = 'workspace.error.title';
  return { errors, language, fields: { title: form.title, summary: form.summary || null } };
}

/** The version number a form was loaded at; NaN (a conflict) when missing or forged. */
export function formVersion(raw: string): number {
  return /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
}
