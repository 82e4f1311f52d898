import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkTimeZone,
  eventWhenParts,
  formatEventWhen,
  localToUtc,
} from '../../src/features/events/dates.js';

describe('event dates', () => {
  it('accepts IANA zones (and their aliases) and refuses others', () => {
    assert.equal(checkTimeZone('Asia/Tehran'), 'Asia/Tehran');
    assert.equal(checkTimeZone('UTC'), 'UTC');
    assert.equal(checkTimeZone('Asia/Kolkata'), 'Asia/Kolkata');
    assert.equal(checkTimeZone('Asia/Calcutta'), 'Asia/Calcutta');
    for (const bad of ['Mars/Olympus', '', '../etc/passwd', 'Asia/Tehran;x', 'x'.repeat(80)])
      assert.equal(checkTimeZone(bad), undefined, bad);
  });

  it('turns a local time into UTC and refuses impossible or skipped times', () => {
    assert.deepEqual(localToUtc('2026-12-01T09:30', 'Asia/Tehran'), {
      ok: true,
      utc: '2026-12-01T06:00:00.000Z',
    });
    assert.deepEqual(localToUtc('2026-13-45T25:00', 'UTC'), {
      ok: false,
      error: 'event.error.dateFormat',
    });
    assert.deepEqual(localToUtc('2026-02-30T10:00', 'UTC'), {
      ok: false,
      error: 'event.error.dateFormat',
    });
    assert.deepEqual(localToUtc('tomorrow', 'UTC'), { ok: false, error: 'event.error.dateFormat' });
    // Clocks jump from 02:00 to 03:00 in Paris on 29 March 2026.
    assert.deepEqual(localToUtc('2026-03-29T02:30', 'Europe/Paris'), {
      ok: false,
      error: 'event.error.dateGap',
    });
  });

  it('formats in the reader’s calendar, in the event’s zone, naming it', () => {
    const start = '2026-12-01T06:00:00.000Z';
    const end = '2026-12-01T13:30:00.000Z';
    const fa = eventWhenParts('fa', start, end, 'Asia/Tehran');
    assert.match(fa.main, /۱۴۰۵/);
    assert.match(fa.main, /۹:۳۰/);
    assert.match(fa.gregorian ?? '', /دسامبر ۲۰۲۶/);
    assert.match(fa.zone, /Asia\/Tehran/);
    const en = eventWhenParts('en', start, end, 'Asia/Tehran');
    assert.equal(en.gregorian, undefined);
    assert.match(en.main, /December 1, 2026/);
    assert.match(en.main, /9:30/);
    assert.match(
      formatEventWhen('en', start, end, 'Asia/Tehran'),
      /Iran Standard Time \(Asia\/Tehran\)/,
    );
    assert.match(formatEventWhen('ar', start, end, 'Asia/Tehran'), /ديسمبر/);
  });
});
