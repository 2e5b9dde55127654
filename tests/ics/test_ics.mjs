// The .ics calendars of meetings, parsed by a real iCalendar parser
// (Mozilla's ical.js), against the API's own answers and the zone rules of
// the server (PostgreSQL's): the next occurrence is the API's next start,
// and every weekly occurrence for more than a year, across daylight-saving
// changes, falls on the meeting's weekday and local time. The stack is the
// one scripts/stack.sh reaches with the environment's VAR_DIR, DB_PORT and
// DB_NAME (tests/run.sh sets them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';

const BASE = process.env.BASE_URL || 'http://127.0.0.1:8080';
const STACK = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'stack.sh');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

async function json(path) {
  const r = await fetch(BASE + path);
  assert.equal(r.status, 200, path);
  return r.json();
}

async function calendar(id) {
  const r = await fetch(`${BASE}/api/v1/meetings/${id}.ics`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/calendar/);
  const text = await r.text();
  assert.ok(text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'lines folded at 75 octets');
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(tz);
  }
  return { cal, event: new ICAL.Event(cal.getFirstSubcomponent('vevent')) };
}

// Weekday and HH:MM of an instant on the wall clocks of zone, by Node's
// ICU zone data.
function wallClock(date, zone) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('weekday')} ${get('hour')}:${get('minute')}`;
}

// The same for each [date, zone] of pairs, by the server's zone data:
// PostgreSQL's, which the API's times and the calendar's VTIMEZONE come
// from. Node's ICU may be older (Debian 12's node uses the system's ICU 72.1
// with tzdata 2022e, before Mexico ended daylight saving time in October
// 2022), and a test that trusted it would blame the server for its clock.
function serverWallClocks(pairs) {
  for (const [, zone] of pairs) assert.match(zone, /^[A-Za-z0-9_+\/-]+$/);
  const instants = pairs.map(([d]) => d.toISOString()).join(',');
  const zones = pairs.map(([, z]) => z).join(',');
  const out = execFileSync(STACK, ['psql', '-tA', '-c',
    `SELECT to_char(t AT TIME ZONE z, 'Dy HH24:MI')
     FROM unnest('{${instants}}'::timestamptz[], '{${zones}}'::text[]) WITH ORDINALITY AS u(t, z, n)
     ORDER BY n`], { encoding: 'utf8' });
  const clocks = out.split('\n').filter((l) => l);
  assert.equal(clocks.length, pairs.length, 'a wall clock for each instant');
  return clocks;
}

// A sample of meetings in as many zones as the data has.
async function sample() {
  const seen = new Map();
  for (let offset = 0; offset < 1000 && seen.size < 25; offset += 100) {
    const body = await json(`/api/v1/meetings?limit=100&offset=${offset}`);
    for (const m of body.meetings) {
      if (m.day !== null && !seen.has(m.timezone) && !m.time.startsWith('02:')) {
        seen.set(m.timezone, m);
      }
    }
    if (offset + 100 >= body.count) break;
  }
  return [...seen.values()];
}

test('each calendar parses, with a stable UID and the meeting\'s name', async () => {
  const meetings = await sample();
  assert.ok(meetings.length >= 5, `meetings in ${meetings.length} zones`);
  for (const m of meetings) {
    const { cal, event } = await calendar(m.id);
    assert.equal(cal.getFirstPropertyValue('version'), '2.0');
    assert.equal(event.uid, `meeting-${m.id}@recovery-finder`);
    assert.equal(event.summary, m.name);
    assert.equal((await calendar(m.id)).event.uid, event.uid);
    assert.equal(event.startDate.zone.tzid, m.timezone);
    const rule = cal.getFirstSubcomponent('vevent').getFirstPropertyValue('rrule');
    assert.equal(rule.freq, 'WEEKLY');
  }
});

test('the first occurrence is the API\'s next start', async () => {
  for (const m of await sample()) {
    const one = await json(`/api/v1/meetings/${m.id}`);
    const { event } = await calendar(m.id);
    assert.equal(event.startDate.toJSDate().getTime(), Date.parse(one.local_time),
      `meeting ${m.id} in ${m.timezone}`);
  }
});

test('every weekly occurrence for 60 weeks keeps the local day and time', async (t) => {
  const seen = [];
  for (const m of await sample()) {
    const { event } = await calendar(m.id);
    const it = event.iterator();
    for (let i = 0; i < 60; i++) {
      const at = it.next();
      seen.push({ m, i, at: at.toString(), date: at.toJSDate() });
    }
  }
  const clocks = serverWallClocks(seen.map((o) => [o.date, o.m.timezone]));
  const older = [];
  seen.forEach((o, k) => {
    assert.equal(clocks[k], `${DAYS[o.m.day]} ${o.m.time}`,
      `meeting ${o.m.id} (${o.m.timezone}), occurrence ${o.i}: ${o.at}`);
    const node = wallClock(o.date, o.m.timezone);
    if (node !== clocks[k]) older.push(`${o.m.timezone} at ${o.date.toISOString()}: ${node}, not ${clocks[k]}`);
  });
  // Said, not failed: the server is right by its own rules.
  if (older.length) {
    t.diagnostic(`Node's zone data (ICU ${process.versions.icu}, tz ${process.versions.tz}) disagrees with ` +
      `PostgreSQL's for ${older.length} of ${seen.length} occurrences, compared by PostgreSQL's: ${older[0]}`);
  }
});

test('duration, place and escaping survive the round trip', async () => {
  const body = await json('/api/v1/meetings?attendance=in_person&limit=50');
  const m = body.meetings.find((x) => x.location && x.location.address);
  const { event } = await calendar(m.id);
  const l = m.location;
  const place = [l.name, l.address, l.city, l.region, l.postal_code, l.country]
    .filter((x) => x).join(', ');
  assert.equal(event.location, place);
  const minutes = event.duration.toSeconds() / 60;
  assert.ok(minutes >= 1 && minutes <= 1440);
  if (m.end_time) {
    const [sh, sm] = m.time.split(':').map(Number);
    const [eh, em] = m.end_time.split(':').map(Number);
    assert.equal(minutes, (((eh * 60 + em) - (sh * 60 + sm)) + 1440) % 1440 || 60);
  }
});

test('an online meeting\'s place is its link, never a street address', async () => {
  // Some feeds give online meetings the group's address: the calendar must
  // not send anyone there.
  const body = await json('/api/v1/meetings?attendance=online&limit=100');
  const m = body.meetings.find((x) => x.location?.address && x.conference_url)
    || body.meetings.find((x) => x.conference_url);
  assert.ok(m, 'an online meeting with a link');
  const { event } = await calendar(m.id);
  assert.equal(event.location, m.conference_url);
  if (m.location?.address) assert.ok(!event.location.includes(m.location.address));
});

test('an unknown meeting is a JSON 404', async () => {
  for (const path of ['999999999.ics', 'abc.ics', '.ics', '1.ics.ics']) {
    const r = await fetch(`${BASE}/api/v1/meetings/${path}`);
    assert.equal(r.status, 404, path);
    assert.equal((await r.json()).error.code, 'not_found');
  }
});
