// Renders meetings as DOM nodes. Every value from the API goes in through
// textContent or a checked attribute, never through innerHTML.

import { strings } from './strings.js';

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// A paragraph of text, or null when there is no text.
function line(className, text) {
  return text ? element('p', className, text) : null;
}

// "America/Argentina/Buenos_Aires" -> "Buenos Aires"
function zoneCity(timezone) {
  return timezone.split('/').pop().replace(/_/g, ' ');
}

// "19:00" (seconds allowed) -> "7:00 PM", or null when it is not a time.
function clockTime(text) {
  const match = /^(\d{1,2}):(\d{2})(:\d{2})?$/.exec(text || '');
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) return null;
  return strings.time(Number(match[1]), Number(match[2]));
}

function whenText(meeting) {
  const day = strings.days[meeting.day];
  if (meeting.day === null || day === undefined) return strings.byAppointment;
  const start = clockTime(meeting.time);
  if (!start) return day;
  const end = clockTime(meeting.end_time);
  let time = end ? strings.timeRange(start, end) : start;
  if (meeting.timezone) time = strings.zoneTime(time, zoneCity(meeting.timezone));
  return strings.dayAndTime(day, time);
}

function whereText(meeting) {
  const place = meeting.location;
  if (meeting.attendance === 'online' || !place) return strings.online;
  const regionLine = [place.region, place.postal_code].filter(Boolean).join(' ');
  const cityLine = [place.city, regionLine].filter(Boolean).join(', ');
  return [place.name, place.address, cityLine].filter(Boolean).join(', ');
}

// The URL as a string if it is http or https, else null.
function webUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function joinLine(meeting, headingId) {
  const join = element('p', 'join');
  const url = meeting.conference_url && webUrl(meeting.conference_url);
  if (url) {
    const link = element('a', null, strings.joinOnline);
    link.href = url;
    link.rel = 'noopener noreferrer';
    link.target = '_blank';
    link.setAttribute('aria-describedby', headingId);
    join.append(link);
  }
  const phone = meeting.conference_phone;
  if (phone) {
    const dialable = /^[0-9+,*#]+$/.test(phone);
    const number = element(dialable ? 'a' : 'span', null, strings.phone(phone));
    if (dialable) number.href = `tel:${phone.replace(/#/g, '%23')}`;
    join.append(number);
  }
  return join.childElementCount > 0 ? join : null;
}

function typeList(codes) {
  if (!Array.isArray(codes) || codes.length === 0) return null;
  const list = element('ul', 'types');
  list.setAttribute('aria-label', strings.meetingTypes);
  for (const code of codes) list.append(element('li', null, strings.types[code] || code));
  return list;
}

function meetingItem(meeting) {
  const item = element('li', 'meeting');
  item.dataset.id = String(meeting.id);
  const headingId = `meeting-${meeting.id}`;
  const article = element('article');
  article.setAttribute('aria-labelledby', headingId);
  const heading = element('h3', null, meeting.name);
  heading.id = headingId;
  const fellowship = meeting.fellowship || {};
  const parts = [
    heading,
    line('fellowship', strings.fellowships[fellowship.slug] || fellowship.name),
    line('when', whenText(meeting)),
    line('where', whereText(meeting)),
  ];
  // For an online meeting the line above already says "Online".
  if (meeting.attendance !== 'online') {
    parts.push(line('attendance', strings.attendanceNames[meeting.attendance]));
  }
  // An online meeting's place, if any, is only a hint of its time zone.
  if (typeof meeting.distance_km === 'number' && meeting.attendance !== 'online') {
    parts.push(line('distance', strings.distance(meeting.distance_km)));
  }
  parts.push(typeList(meeting.types), joinLine(meeting, headingId), line('notes', meeting.notes));
  article.append(...parts.filter(Boolean));
  item.append(article);
  return item;
}

// Appends the meetings to the list. Returns the first new article (for
// focus after "Show more"), or null when there were none.
export function appendMeetings(list, meetings) {
  const items = meetings.map(meetingItem);
  list.append(...items);
  return items.length > 0 ? items[0].firstElementChild : null;
}

export function clearMeetings(list) {
  list.replaceChildren();
}

export function showCount(node, count) {
  node.textContent = strings.count(count);
}
