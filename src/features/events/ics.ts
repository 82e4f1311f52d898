/**
 * iCalendar (RFC 5545) files of events: one VEVENT per event, its times in the event's own zone
 * (TZID) so that calendar apps show the organiser's clock, a link back to the event page, and
 * the place. The online meeting address is not put in: it is given to registered people only.
 */
import ical, { ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import type { EventRow } from './access.js';
import { checkTimeZone } from './dates.js';

export interface IcsEvent {
  event: Pick<
    EventRow,
    | 'id'
    | 'starts_at'
    | 'ends_at'
    | 'time_zone'
    | 'place'
    | 'online_url'
    | 'cancelled_at'
    | 'updated_at'
  >;
  title: string;
  description: string | null;
  url: string;
  /** "Online", in the reader's language, for events without a place. */
  onlineLabel: string;
}

export function eventsCalendar(name: string, events: readonly IcsEvent[]): string {
  const calendar = ical({ name, prodId: { company: 'learning-center', product: 'events' } });
  for (const e of events) {
    const zone = checkTimeZone(e.event.time_zone) ?? 'UTC';
    const place = [e.event.place, e.event.online_url ? e.onlineLabel : null]
      .filter(Boolean)
      .join(' · ');
    calendar.createEvent({
      id: `${e.event.id}@learning-center`,
      start: DateTime.fromISO(e.event.starts_at).setZone(zone),
      end: DateTime.fromISO(e.event.ends_at).setZone(zone),
      timezone: zone,
      stamp: new Date(e.event.updated_at),
      summary: e.title,
      description: e.description ?? null,
      location: place || null,
      url: e.url,
      ...(e.event.cancelled_at ? { status: ICalEventStatus.CANCELLED } : {}),
    });
  }
  return calendar.toString();
}
