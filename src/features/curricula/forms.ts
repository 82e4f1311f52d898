/**
 * Reading and checking the curriculum forms. Each problem is a message key next to its field;
 * the form comes back filled in with a 400 and nothing is written.
 */
import type { FastifyRequest } from 'fastify';
import { canonicalTag } from '../../platform/i18n/languages.js';
import { formField } from '../accounts/csrf.js';
import { cleanText, type FieldErrors } from '../workspace/forms.js';

export type { FieldErrors };

export const TITLE_MAX = 300;
export const SUMMARY_MAX = 4000;
export const LIST_MAX = 4000;
export const NOTES_MAX = 8000;
/** A session or an activity lasts 1 minute to 24 hours. */
export const MINUTES_MAX = 1440;

export type Values = Record<string, string>;

/** The named fields of the posted form, cleaned, with their maximum lengths. */
export function readFields(request: FastifyRequest, fields: Record<string, number>): Values {
  const values: Values = {};
  for (const [name, max] of Object.entries(fields)) {
    values[name] = cleanText(formField(request, name), max).replace(/\r/g, '');
  }
  return values;
}

export function checkLanguage(values: Values, errors: FieldErrors): string {
  const tag = canonicalTag(values.language ?? '');
  if (!tag) errors.language = 'curriculum.error.language';
  return tag ?? '';
}

export function checkTitle(values: Values, errors: FieldErrors, field = 'title'): string {
  const title = (values[field] ?? '').replace(/\s+/g, ' ').trim();
  if (!title) errors[field] = 'curriculum.error.title';
  return title;
}

export function checkMinutes(values: Values, errors: FieldErrors, field: string): number {
  const raw = values[field] ?? '';
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= MINUTES_MAX)) errors[field] = 'curriculum.error.minutes';
  return n;
}

/** Text of one item per line: blank lines and surrounding spaces dropped. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

export function normaliseLines(text: string): string {
  return lines(text).join('\n');
}
