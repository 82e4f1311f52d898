/**
 * Reading and checking the event form. Each problem is a message key next to its field, so the
 * form comes back filled in with every problem at once, in the organiser's language.
 */
import type { FastifyRequest } from 'fastify';
import { EVENT_KINDS, type EventKind } from '../../platform/db/schema.js';
import { canonicalTag } from '../../platform/i18n/languages.js';
import { formField } from '../accounts/csrf.js';
import { cleanText, type FieldErrors } from '../workspace/forms.js';
import { checkTimeZone, localToUtc } from './dates.js';

export const CAPACITY_MAX = 10_000;
const MAX_DAYS = 60;
const MAX_LANGUAGES = 20;

/** Every value of a repeated field (ticked checkboxes), as strings. */
export function formFields(request: FastifyRequest, name: string): string[] {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

const NOT_COUNTRIES = new Set(['EU', 'EZ', 'QO', 'UN', 'XA', 'XB', 'ZR', 'ZZ']);
let countries: string[] | undefined;

/** ISO 3166-1 alpha-2 codes that CLDR names (and Kosovo's XK, as used in practice). */
export function countryCodes(): string[] {
  if (!countries) {
    const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    countries = [];
    for (let a = 65; a < 91; a++)
      for (let b = 65; b < 91; b++) {
        const code = String.fromCharCode(a, b);
        if (!NOT_COUNTRIES.has(code) && names.of(code)) countries.push(code);
      }
  }
  return countries;
}

export function isCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && countryCodes().includes(code);
}

/** An http(s) URL, or undefined: no javascript:, data:, or relative links. */
export function webUrl(raw: string): string | undefined {
  if (raw.length > 500) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

export interface EventForm {
  organisation: string;
  kind: string;
  curriculum: string;
  starts: string;
  ends: string;
  timeZone: string;
  country: string;
  place: string;
  onlineUrl: string;
  capacity: string;
  visibility: string;
  languages: string;
  attendanceBy: string;
  version: string;
  /** The first text (new events only): its language, title and description. */
  textLanguage: string;
  title: string;
  description: string;
}

export function emptyEventForm(lang: string): EventForm {
  return {
    organisation: '',
    kind: 'workshop',
    curriculum: '',
    starts: '',
    ends: '',
    timeZone: 'UTC',
    country: '',
    place: '',
    onlineUrl: '',
    capacity: '20',
    visibility: 'public',
    languages: lang,
    attendanceBy: 'day',
    version: '',
    textLanguage: lang,
    title: '',
    description: '',
  };
}

export function readEventForm(request: FastifyRequest): EventForm {
  const f = (name: string, max = 200) => cleanText(formField(request, name), max);
  return {
    organisation: f('organisation', 40),
    kind: f('kind', 20),
    curriculum: f('curriculum', 40),
    starts: f('starts', 30),
    ends: f('ends', 30),
    timeZone: f('time_zone', 64),
    country: f('country', 2).toUpperCase(),
    place: f('place', 300),
    onlineUrl: f('online_url', 600),
    capacity: f('capacity', 6),
    visibility: f('visibility', 10),
    languages: f('languages', 400),
    attendanceBy: f('attendance_by', 10),
    version: f('version', 12),
    textLanguage: f('text_language', 64),
    title: f('title', 300),
    description: cleanText(formField(request, 'description'), 4000),
  };
}

export interface EventFields {
  organisation_id: string;
  kind: EventKind;
  curriculum_id: string | null;
  starts_at: string;
  ends_at: string;
  time_zone: string;
  country: string | null;
  place: string | null;
  online_url: string | null;
  capacity: number;
  visibility: 'public' | 'invite';
  attendance_by: 'day' | 'session';
}

export interface CheckedEvent {
  errors: FieldErrors;
  fields: EventFields;
  languages: string[];
  text: { language: string; title: string; description: string | null } | undefined;
}

/** A list of BCP 47 tags separated by commas or spaces, canonical and without repeats. */
export function parseLanguages(raw: string): string[] | undefined {
  const tags = raw.split(/[\s,;]+/).filter(Boolean);
  const out: string[] = [];
  for (const tag of tags) {
    const canonical = canonicalTag(tag);
    if (!canonical) return undefined;
    if (!out.includes(canonical)) out.push(canonical);
  }
  return out.length <= MAX_LANGUAGES ? out : undefined;
}

export function checkEventForm(
  form: EventForm,
  options: { isNew: boolean; organisations: readonly string[]; curricula: readonly string[] },
): CheckedEvent {
  const errors: FieldErrors = {};
  if (!options.organisations.includes(form.organisation))
    errors.organisation = 'event.error.organisation';
  if (!(EVENT_KINDS as readonly string[]).includes(form.kind)) errors.kind = 'event.error.kind';
  if (form.curriculum && !options.curricula.includes(form.curriculum))
    errors.curriculum = 'event.error.curriculum';
  const zone = checkTimeZone(form.timeZone);
  let startsAt = '';
  let endsAt = '';
  if (!zone) errors.time_zone = 'event.error.timeZone';
  else {
    const starts = localToUtc(form.starts, zone);
    const ends = localToUtc(form.ends, zone);
    if (!starts.ok) errors.starts = starts.error;
    else startsAt = starts.utc;
    if (!ends.ok) errors.ends = ends.error;
    else endsAt = ends.utc;
    if (starts.ok && ends.ok) {
      const span = Date.parse(ends.utc) - Date.parse(starts.utc);
      if (span <= 0) errors.ends = 'event.error.endBeforeStart';
      else if (span > MAX_DAYS * 86_400_000) errors.ends = 'event.error.tooLong';
    }
  }
  if (form.country && !isCountry(form.country)) errors.country = 'event.error.country';
  let onlineUrl: string | null = null;
  if (form.onlineUrl) {
    onlineUrl = webUrl(form.onlineUrl) ?? null;
    if (!onlineUrl) errors.online_url = 'event.error.url';
  }
  const capacity = /^\d{1,5}$/.test(form.capacity) ? Number(form.capacity) : Number.NaN;
  if (!(capacity >= 1 && capacity <= CAPACITY_MAX)) errors.capacity = 'event.error.capacity';
  if (form.visibility !== 'public' && form.visibility !== 'invite')
    errors.visibility = 'event.error.visibility';
  if (form.attendanceBy !== 'day' && form.attendanceBy !== 'session')
    errors.attendance_by = 'event.error.attendanceBy';
  const languages = parseLanguages(form.languages);
  if (!languages) errors.languages = 'event.error.languages';
  let text: CheckedEvent['text'];
  if (options.isNew) {
    const language = canonicalTag(form.textLanguage);
    if (!language) errors.text_language = 'event.error.textLanguage';
    if (!form.title) errors.title = 'event.error.title';
    text = { language: language ?? '', title: form.title, description: form.description || null };
  }
  return {
    errors,
    languages: languages ?? [],
    text,
    fields: {
      organisation_id: form.organisation,
      kind: form.kind as EventKind,
      curriculum_id: form.curriculum || null,
      starts_at: startsAt,
      ends_at: endsAt,
      time_zone: zone ?? '',
      country: form.country || null,
      place: form.place || null,
      online_url: onlineUrl,
      capacity,
      visibility: form.visibility === 'invite' ? 'invite' : 'public',
      attendance_by: form.attendanceBy === 'session' ? 'session' : 'day',
    },
  };
}

export interface TextForm {
  language: string;
  title: string;
  description: string;
  version: string;
}

export function readTextForm(request: FastifyRequest): TextForm {
  return {
    language: cleanText(formField(request, 'language'), 64),
    title: cleanText(formField(request, 'title'), 300),
    description: cleanText(formField(request, 'description'), 4000),
    version: cleanText(formField(request, 'version'), 12),
  };
}
