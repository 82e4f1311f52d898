/**
 * Event dates: what organisers type (a local date and time in the event's own IANA time zone)
 * becomes a UTC instant for storage; what readers see is the event's own clock, with the zone
 * named, in their calendar conventions. Persian readers get the Solar Hijri calendar (CLDR's
 * default for fa) with the Gregorian date alongside, because partners abroad and calendar apps
 * speak Gregorian; Arabic gets the digits Intl gives; everyone else the Gregorian calendar.
 */
import { DateTime, IANAZone } from 'luxon';

/** What `<input type="datetime-local">` sends: 2026-12-01T09:30 (seconds optional). */
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/;
const ZONE_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;

let zones: Set<string> | undefined;
function knownZones(): Set<string> {
  zones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  return zones;
}

/**
 * The zone's canonical IANA name, or undefined when it is not one this runtime knows. Aliases
 * (Asia/Calcutta, Asia/Kolkata) are accepted as the runtime resolves them, so that a zone chosen
 * on Node 20 stays valid on Node 24.
 */
export function checkTimeZone(raw: string): string | undefined {
  const zone = raw.trim();
  if (zone.length === 0 || zone.length > 64 || !ZONE_SHAPE.test(zone)) return undefined;
  if (knownZones().has(zone)) return zone;
  if (!IANAZone.isValidZone(zone)) return undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
    return knownZones().has(resolved) ? zone : undefined;
  } catch {
    return undefined;
  }
}

/** Every time zone the form offers, sorted. */
export function timeZoneChoices(): string[] {
  return [...knownZones()].sort();
}

export type LocalParse =
  | { ok: true; utc: string }
  | { ok: false; error: 'event.error.dateFormat' | 'event.error.dateGap' };

/**
 * A local date-time in `zone` (already checked with checkTimeZone) as an ISO UTC instant.
 * Refuses impossible dates (2026-13-45T25:00) and local times that do not exist because the
 * clocks jump forward that night.
 */
export function localToUtc(local: string, zone: string): LocalParse {
  const match = LOCAL_DATE_TIME.exec(local.trim());
  if (!match) return { ok: false, error: 'event.error.dateFormat' };
  const dt = DateTime.fromISO(local.trim(), { zone });
  if (!dt.isValid) return { ok: false, error: 'event.error.dateFormat' };
  // Luxon moves a non-existent local time (a DST gap) forward: say so instead of guessing.
  if (
    dt.toFormat("yyyy-MM-dd'T'HH:mm") !==
    `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}`
  )
    return { ok: false, error: 'event.error.dateGap' };
  return { ok: true, utc: dt.toUTC().toISO()! };
}

/** A stored UTC instant as the value of a datetime-local input in the event's zone. */
export function utcToLocalInput(utc: string, zone: string): string {
  const dt = DateTime.fromISO(utc, { zone });
  return dt.isValid ? dt.toFormat("yyyy-MM-dd'T'HH:mm") : '';
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDay(utc: string, zone: string): string {
  return DateTime.fromISO(utc, { zone }).toISODate() ?? '';
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    if (formats.size < 2000) formats.set(key, f);
  }
  return f;
}

function range(locale: string, zone: string, start: Date, end: Date, withWeekday: boolean) {
  return format(locale, {
    dateStyle: withWeekday ? 'full' : 'long',
    timeStyle: 'short',
    timeZone: zone,
  }).formatRange(start, end);
}

/** "Iran Standard Time (Asia/Tehran)" in the reader's language. */
export function zoneLabel(lang: string, zone: string, at: Date): string {
  const name = format(lang, { timeZone: zone, timeZoneName: 'long' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  return name ? `${name} (${zone})` : zone;
}

export interface EventWhen {
  /** Dates and times in the reader's calendar, in the event's zone. */
  main: string;
  /** The same in the Gregorian calendar, for readers whose calendar is another (fa). */
  gregorian: string | undefined;
  /** The event's zone, named in the reader's language. */
  zone: string;
}

/** Whether the reader's default calendar is not the Gregorian one. */
function otherCalendar(lang: string): boolean {
  try {
    return new Intl.DateTimeFormat(lang).resolvedOptions().calendar !== 'gregory';
  } catch {
    return false;
  }
}

export function eventWhenParts(
  lang: string,
  startsAt: string,
  endsAt: string,
  timeZone: string,
): EventWhen {
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  const zone = checkTimeZone(timeZone) ?? 'UTC';
  const main = range(lang, zone, start, end, true);
  const gregorian = otherCalendar(lang)
    ? range(`${lang}-u-ca-gregory`, zone, start, end, false)
    : undefined;
  return { main, gregorian, zone: zoneLabel(lang, zone, start) };
}

/**
 * When an event takes place, as one line for the reader: "Tuesday, December 1, 2026, 9:30 AM –
 * 5:00 PM · Iran Standard Time (Asia/Tehran)"; for Persian readers the Solar Hijri dates with
 * the Gregorian ones in parentheses.
 */
export function formatEventWhen(
  lang: string,
  startsAt: string,
  endsAt: string,
  timeZone: string,
): string {
  const when = eventWhenParts(lang, startsAt, endsAt, timeZone);
  return `${when.main}${when.gregorian ? ` (${when.gregorian})` : ''} · ${when.zone}`;
}

/** A local day (YYYY-MM-DD) as the reader writes it, e.g. the heading of an agenda day. */
export function formatEventDay(lang: string, day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  const main = format(lang, { dateStyle: 'full', timeZone: 'UTC' }).format(date);
  if (!otherCalendar(lang)) return main;
  const gregorian = format(`${lang}-u-ca-gregory`, { dateStyle: 'long', timeZone: 'UTC' }).format(
    date,
  );
  return `${main} (${gregorian})`;
}

/** A local time HH:MM in the reader's digits and clock (9:30 AM, ۹:۳۰, 09:30). */
export function formatLocalTime(lang: string, time: string): string {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) return time;
  const date = new Date(Date.UTC(2000, 0, 1, Number(match[1]), Number(match[2])));
  return format(lang, { timeStyle: 'short', timeZone: 'UTC' }).format(date);
}
