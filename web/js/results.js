// The result list: a compact schedule, one row per meeting or service,
// each with a link that opens its detail (a real link: it can be opened in
// a new tab or shared). Meetings in start order are grouped by day.

import { h, telUrl } from './dom.js';
import { dayKey, formatDistance, formatTime, relativeDay, t, visitorZone } from './i18n.js';
import {
  badgeList, categoryNames, fellowshipName, meetingBadges, meetingWhen, placeLines, serviceBadges, staleSince,
} from './describe.js';

// The calendar day of an instant in the visitor's zone, "YYYY-MM-DD".
export function dayOf(date) {
  return dayKey(date, visitorZone());
}

// When a meeting is next, for its row: { day (its day's key, '' by
// appointment), heading (that day's words: Today, Tuesday, …), time, note,
// status, local } where note is the status ("Now", "In 20 min") or, outside
// day groups, the day.
function slot(meeting, grouped, now) {
  const when = meetingWhen(meeting, now);
  if (!when.start) return { day: '', heading: t('time.byAppointment'), time: '—', note: t('time.byAppointment'), status: null };
  const zone = visitorZone();
  const time = formatTime(when.start, zone);
  let note = null;
  if (when.status === 'now') note = t('time.now');
  else if (when.status === 'soon') note = t('time.inMinutes', { count: Math.max(1, Math.round((when.start - now) / 60000)) });
  if (!grouped && !note) note = relativeDay(when.start, zone, now).split(',')[0];
  const day = when.status === 'now' ? dayOf(now) : dayOf(when.start);
  return { day, heading: relativeDay(when.status === 'now' ? now : when.start, zone, now), time, note, status: when.status, local: when.local };
}

// "Not confirmed since Mar 1, 2026", quietly, for a stale listing: still
// listed, with the detail saying what to do about it.
function staleLine(item) {
  const since = staleSince(item, 'short');
  return since ? h('p', { class: 'stale' }, t('results.notConfirmedSince', { date: since })) : null;
}

function meetingItem(meeting, when, refs, hrefFor, grouped) {
  const headingId = `result-meeting-${meeting.id}`;
  const online = meeting.attendance === 'online';
  const place = online ? [] : placeLines(meeting.location);
  // Where: the venue and its city (a phone's row shows the city alone), or
  // "Online".
  const city = meeting.location?.city || '';
  const venue = place.length && place[0] !== city ? place[0] : '';
  const where = place.length
    ? [venue ? h('span', { class: city ? 'venue' : '' }, venue) : null, venue && city ? h('span', { class: 'venue' }, ', ') : null, city]
    : t('attendance.online');
  const distance = typeof meeting.distance_km === 'number' && !online ? formatDistance(meeting.distance_km) : null;
  const name = h(grouped ? 'h4' : 'h3', { id: headingId },
    h('a', { href: hrefFor('meeting', meeting.id), class: 'open', dataset: { kind: 'meeting', id: String(meeting.id) } },
      meeting.name));
  return h('li', { class: 'result', dataset: { kind: 'meeting', id: String(meeting.id) } },
    h('article', { 'aria-labelledby': headingId },
      h('p', { class: `time when${when.status ? ` when-${when.status}` : ''}` }, when.time,
        when.note ? h('small', {}, when.note) : null),
      h('div', { class: 'body' },
        name,
        h('p', { class: 'meta' },
          h('span', { class: 'fellowship' }, fellowshipName(meeting, refs)),
          h('span', { class: 'where' }, where),
          distance ? h('span', { class: 'distance' }, distance) : null,
          when.local ? h('span', { class: 'local-time' }, when.local) : null),
        staleLine(meeting)),
      // (The row says "Online" where the place would be: no badge for it.)
      badgeList(meetingBadges(meeting, refs).filter((b) => b.kind !== 'online'))));
}

function serviceItem(service, refs, hrefFor) {
  const headingId = `result-service-${service.id}`;
  const tel = telUrl(service.phone);
  const place = placeLines(service.location);
  let reach = null;
  if (typeof service.distance_km === 'number') reach = formatDistance(service.distance_km);
  else if (service.service_area) reach = t('services.serves', { area: service.service_area });
  const organization = service.organization?.name && service.organization.name !== service.name ? service.organization.name : null;
  return h('li', { class: 'result service-result', dataset: { kind: 'service', id: service.id } },
    h('article', { 'aria-labelledby': headingId },
      h('div', { class: 'body' },
        h('h3', { id: headingId },
          h('a', { href: hrefFor('service', service.id), class: 'open', dataset: { kind: 'service', id: service.id } },
            service.name)),
        h('p', { class: 'meta' },
          organization ? h('span', { class: 'organization' }, organization) : null,
          h('span', { class: 'categories' }, categoryNames(service.categories, refs).join(', '))),
        h('p', { class: 'meta' },
          place.length ? h('span', { class: 'where' }, place.slice(-2).join(', ')) : null,
          reach ? h('span', { class: 'distance' }, reach) : null),
        staleLine(service),
        h('div', { class: 'row-end' },
          tel ? h('a', { href: tel, class: 'button call', 'aria-describedby': headingId },
            t('detail.callNumber', { number: service.phone })) : null,
          badgeList(serviceBadges(service, refs))))));
}

// Appends the items to the list (the #results container) and returns the
// first new link (focus goes there after "Show more"), or null when there
// were none. grouped: meetings in start order, under a heading per day.
export function appendResults(container, kind, items, refs, hrefFor, { grouped = false, now = new Date() } = {}) {
  const rows = items.map((item) => {
    if (kind !== 'meeting') return { node: serviceItem(item, refs, hrefFor), day: '' };
    const when = slot(item, grouped, now);
    return { node: meetingItem(item, when, refs, hrefFor, grouped), day: when.day, heading: when.heading };
  });
  for (const { node, day, heading } of rows) {
    let group = container.lastElementChild;
    if (!group || !group.matches('ol') || (grouped && group.dataset.day !== day)) {
      if (grouped) container.append(h('h3', { class: 'day-head' }, heading));
      group = h('ol', { class: 'result-group', dataset: { day } });
      container.append(group);
    }
    group.append(node);
  }
  return rows.length ? rows[0].node.querySelector('a.open') : null;
}

// How many of the items are on today (in progress or still to start).
export function leftToday(items, now = new Date()) {
  const today = dayOf(now);
  return items.filter((m) => {
    const when = meetingWhen(m, now);
    return when.start && (when.status === 'now' || dayOf(when.start) === today);
  }).length;
}
