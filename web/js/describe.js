// What a meeting or a service says about itself, as the page shows it in a
// result and in a detail: when (in the visitor's zone, and the meeting's
// own when that differs), where, and its badges. Pure functions of the
// API's objects, the reference lists and the clock.

import { h } from './dom.js';
import { clockTime, formatDate, formatTime, languageName, localName, relativeDay, t, termName, visitorZone, weekdayName, zoneCity } from './i18n.js';

const WEEK_MS = 7 * 86400000;

// A meeting's length in minutes, from its start and end ("23:00"-"00:30"
// runs past midnight); an hour when the end is unknown.
export function durationMinutes(meeting) {
  const minutes = (text) => {
    const m = /^(\d{1,2}):(\d{2})/.exec(text || '');
    return m ? Number(m[1]) * 60 + Number(m[2]) : null;
  };
  const start = minutes(meeting.time);
  const end = minutes(meeting.end_time);
  if (start === null || end === null) return 60;
  const length = (end - start + 1440) % 1440;
  return length === 0 ? 60 : length;
}

// When a meeting is next (or now), as the visitor reads it:
// { text, local, status } where text is "Today, 6:00 PM – 7:00 PM" in the
// visitor's zone, local the same start in the meeting's own zone when it
// reads differently ("5:00 PM Chicago time"), status 'now' (in progress),
// 'soon' (within the hour) or null. A meeting by appointment has text only.
export function meetingWhen(meeting, now = new Date()) {
  if (meeting.day === null || meeting.day === undefined || !meeting.next_start) {
    return { text: t('time.byAppointment'), local: null, status: null, start: null };
  }
  const zone = visitorZone();
  let start = new Date(meeting.next_start);
  const length = durationMinutes(meeting) * 60000;
  let status = null;
  // In progress: the occurrence before next_start has begun and not ended.
  const previous = new Date(start.getTime() - WEEK_MS);
  if (previous <= now && now < new Date(previous.getTime() + length)) {
    start = previous;
    status = 'now';
  } else if (start - now <= 3600000) {
    status = 'soon';
  }
  const end = new Date(start.getTime() + length);
  const range = t('time.range', { start: formatTime(start, zone), end: formatTime(end, zone) });
  let text;
  if (status === 'now') text = t('time.nowUntil', { end: formatTime(end, zone) });
  else if (status === 'soon') text = t('time.startsIn', { count: Math.max(1, Math.round((start - now) / 60000)), time: formatTime(start, zone) });
  else text = t('time.dayAndTime', { day: relativeDay(start, zone, now), time: range });
  let local = null;
  const own = meeting.timezone;
  if (own && own !== zone && formatTime(start, own) !== formatTime(start, zone)) {
    local = t('time.localTime', { time: formatTime(start, own), place: zoneCity(own) });
  }
  return { text, local, status, start };
}

// "Tuesdays, 7:00 PM – 8:00 PM (Chicago time)": the weekly schedule in the
// meeting's own zone.
export function meetingSchedule(meeting) {
  if (meeting.day === null || meeting.day === undefined) return t('time.byAppointment');
  const start = clockTime(meeting.time);
  const end = clockTime(meeting.end_time);
  const time = end ? t('time.range', { start, end }) : start;
  return t('time.weekly', { day: weekdayName(meeting.day), time, place: zoneCity(meeting.timezone) });
}

export function placeLines(location) {
  if (!location) return [];
  const region = [location.region, location.postal_code].filter(Boolean).join(' ');
  const city = [location.city, region].filter(Boolean).join(', ');
  return [location.name, location.address, city].filter(Boolean);
}

export function fellowshipOf(meeting, refs) {
  const slug = typeof meeting.fellowship === 'string' ? meeting.fellowship : meeting.fellowship?.slug;
  return refs.fellowships.find((f) => f.slug === slug) || null;
}

export function fellowshipName(meeting, refs) {
  const f = fellowshipOf(meeting, refs);
  if (f) return localName(f.name, f.slug);
  return (typeof meeting.fellowship === 'object' && meeting.fellowship?.name) || '';
}

export function typeName(code, refs) {
  return localName(refs.types.find((x) => x.code === code)?.label, code);
}

// The badges of a meeting: [{ kind, text }].
export function meetingBadges(meeting, refs) {
  const types = meeting.types || [];
  const fellowship = fellowshipOf(meeting, refs);
  const badges = [];
  if (meeting.attendance === 'online') badges.push({ kind: 'online', text: t('attendance.online') });
  if (meeting.attendance === 'hybrid') badges.push({ kind: 'hybrid', text: t('badges.hybrid') });
  if (types.includes('X')) badges.push({ kind: 'access', text: t('badges.wheelchair') });
  if (fellowship?.audience === 'family' || types.includes('AL') || types.includes('AL-AN')) {
    badges.push({ kind: 'family', text: t('badges.family') });
  }
  if (fellowship?.moud || types.includes('MOUD')) badges.push({ kind: 'moud', text: t('badges.moud') });
  for (const code of meeting.languages || []) {
    if (code !== 'en') badges.push({ kind: 'language', text: languageName(code) });
  }
  if (types.includes('TC')) badges.push({ kind: 'warning', text: typeName('TC', refs) });
  return badges;
}

export function serviceBadges(service, refs) {
  const badges = [];
  if (service.open_now === true) badges.push({ kind: 'open', text: t('badges.openNow') });
  if (service.open_now === false) badges.push({ kind: 'closed', text: t('badges.closedNow') });
  if ((service.costs || []).includes('free')) badges.push({ kind: 'free', text: t('badges.free') });
  if (service.moud === true) badges.push({ kind: 'moud', text: t('badges.moud') });
  if ((service.accessibility || []).includes('wheelchair')) badges.push({ kind: 'access', text: t('badges.wheelchair') });
  for (const code of service.languages || []) {
    if (code !== 'en') badges.push({ kind: 'language', text: languageName(code) });
  }
  const housing = service.recovery_housing;
  if (housing?.narr_level) badges.push({ kind: 'housing', text: t('services.narrLevel', { level: housing.narr_level }) });
  return badges;
}

// When the source of a stale meeting or service last confirmed it, as the
// language writes a date ("March 1, 2026"; month 'short': "Mar 1, 2026"),
// or null when it is not stale.
export function staleSince(item, month = 'long') {
  if (item.stale !== true || !item.confirmed_at) return null;
  return formatDate(new Date(item.confirmed_at), undefined, { year: 'numeric', month, day: 'numeric' });
}

export function badgeList(badges) {
  if (badges.length === 0) return null;
  return h('ul', { class: 'badges', 'aria-label': t('badges.label') },
    badges.map((b) => h('li', { class: `badge badge-${b.kind}` }, b.text)));
}

export function categoryNames(codes, refs) {
  return termNames(codes, refs.categories.categories);
}

export function termNames(codes, list) {
  return (codes || []).map((code) => termName((list || []).find((c) => c.code === code)) || code);
}
