/**
 * Attendance slots of an event and what "completed" means, shared by attendance, certificates
 * and impact reports.
 *
 * An event takes attendance per day (each local calendar day from start to end, in the event's
 * time zone) or per session (each agenda item that is a curriculum session). A participant has
 * completed an event when she was present in at least COMPLETION_SHARE of its slots.
 */
import { DateTime } from 'luxon';

export const COMPLETION_SHARE = 0.75;

export interface SlotEvent {
  starts_at: string;
  ends_at: string;
  time_zone: string;
  attendance_by: 'day' | 'session';
}

export interface SlotAgendaItem {
  id: string;
  day: string;
  session_id: string | null;
}

/** The local days of an event, YYYY-MM-DD, at most 60 (a festival, not a semester). */
export function eventDays(event: Pick<SlotEvent, 'starts_at' | 'ends_at' | 'time_zone'>): string[] {
  let day = DateTime.fromISO(event.starts_at, { zone: event.time_zone }).startOf('day');
  const last = DateTime.fromISO(event.ends_at, { zone: event.time_zone }).startOf('day');
  const days: string[] = [];
  while (day <= last && days.length < 60) {
    days.push(day.toISODate()!);
    day = day.plus({ days: 1 });
  }
  return days;
}

export function attendanceSlots(event: SlotEvent, agenda: readonly SlotAgendaItem[]): string[] {
  if (event.attendance_by === 'session') {
    const sessions = agenda.filter((a) => a.session_id !== null).map((a) => `item:${a.id}`);
    if (sessions.length > 0) return sessions;
  }
  return eventDays(event).map((d) => `day:${d}`);
}

/** Whether `presentCount` of `slotCount` slots makes a completed participation. */
export function hasCompleted(presentCount: number, slotCount: number): boolean {
  return slotCount > 0 && presentCount / slotCount >= COMPLETION_SHARE;
}
