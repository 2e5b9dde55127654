// A meeting's or a service's detail: everything the API has about it, the
// actions a searcher wants (join, call, directions, add to calendar,
// share) and "Report a problem". Built into the detail section; main.js
// shows it, moves focus to its heading and back to the result on close.

import { calendarUrl } from './api.js';
import { h, phoneParts, telUrl, webUrl } from './dom.js';
import { clockTime, formatDate, languageName, localName, t, termName, weekdayName } from './i18n.js';
import {
  badgeList, categoryNames, fellowshipName, meetingBadges, meetingSchedule, meetingWhen, placeLines,
  serviceBadges, staleSince, termNames, typeName,
} from './describe.js';
import { reportForm } from './report.js';

// Directions open the phone's own maps app (a geo: link on Android, Apple
// Maps on iPhones and iPads) or, on a computer, the visitor's choice of map
// site, and only when they follow the link; the start is left for the app
// to fill in, so the visitor's position is not sent.
const MAP_SITES = [
  ['OpenStreetMap', (p, q) => (p ? `https://www.openstreetmap.org/directions?route=%3B${p.lat}%2C${p.lng}`
    : `https://www.openstreetmap.org/search?query=${q}`)],
  ['Google Maps', (p, q) => `https://www.google.com/maps/dir/?api=1&destination=${p ? `${p.lat}%2C${p.lng}` : q}`],
  ['Apple Maps', (p, q) => `https://maps.apple.com/?daddr=${p ? `${p.lat},${p.lng}` : q}`],
];

function platform() {
  const agent = navigator.userAgent || '';
  if (/Android/i.test(agent)) return 'android';
  if (/iPhone|iPad|iPod/i.test(agent) || (/Macintosh/.test(agent) && navigator.maxTouchPoints > 1)) return 'ios';
  return 'desktop';
}

// [label, href] of the ways to get directions to a place, or [] when it
// has neither a position nor an address.
function directionLinks(location) {
  if (!location) return [];
  const point = typeof location.lat === 'number' && typeof location.lng === 'number' ? location : null;
  const text = placeLines(location).slice(1).join(', ');
  if (!point && !text) return [];
  const q = encodeURIComponent(text);
  const os = platform();
  if (os === 'android') {
    const label = encodeURIComponent(location.name || text || '');
    return [[null, point ? `geo:${point.lat},${point.lng}?q=${point.lat},${point.lng}(${label})` : `geo:0,0?q=${q}`]];
  }
  if (os === 'ios') return [[null, MAP_SITES[2][1](point, q)]];
  return MAP_SITES.map(([name, url]) => [name, url(point, q)]);
}

// The Directions button: on a phone the maps app's link, on a computer a
// button that shows the choice of map sites.
function directions(location) {
  const links = directionLinks(location);
  if (links.length === 0) return null;
  if (links.length === 1) return external(links[0][1], t('detail.directions'), 'button');
  const list = h('ul', { class: 'maps-choice', hidden: true },
    links.map(([name, href]) => h('li', {}, external(href, name, 'button secondary'))));
  const button = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false' }, t('detail.directions'));
  button.addEventListener('click', () => {
    list.hidden = !list.hidden;
    button.setAttribute('aria-expanded', String(!list.hidden));
  });
  return [button, list];
}

// "Show on a map": a small map of the place, loaded (Leaflet and the tiles)
// only when the visitor asks for it.
function miniMap(item, kind) {
  const where = item.location;
  if (!where || typeof where.lat !== 'number' || typeof where.lng !== 'number') return null;
  const box = h('div', { class: 'mini-map', role: 'region', 'aria-label': t('map.label'), hidden: true });
  const note = h('p', { class: 'note', role: 'status' });
  const button = h('button', { type: 'button', class: 'secondary' }, t('detail.showMap'));
  button.addEventListener('click', async () => {
    button.hidden = true;
    box.hidden = false;
    try {
      const map = (await import('./map.js')).createMap(box);
      await map.show([item], kind, () => '#', null, () => { note.textContent = t('map.tilesFailed'); });
    } catch {
      note.textContent = t('map.failed');
    }
  });
  return [button, box, note];
}

// The name of the service an online meeting's link opens, for its Join
// button ("Join on Zoom"), or null.
const PROVIDERS = [
  [/(^|\.)zoom\.(us|com)$/, 'Zoom'], [/^meet\.google\.com$/, 'Google Meet'],
  [/(^|\.)teams\.(microsoft|live)\.com$/, 'Microsoft Teams'], [/(^|\.)webex\.com$/, 'Webex'],
  [/(^|\.)(gotomeeting|goto)\.com$/, 'GoTo Meeting'], [/^meet\.jit\.si$/, 'Jitsi Meet'],
  [/(^|\.)skype\.com$/, 'Skype'], [/(^|\.)whereby\.com$/, 'Whereby'], [/(^|\.)discord\.(gg|com)$/, 'Discord'],
  [/(^|\.)freeconferencecall\.com$/, 'FreeConferenceCall'],
];

export function providerName(url) {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return PROVIDERS.find(([pattern]) => pattern.test(host))?.[1] || null;
  } catch {
    return null;
  }
}

function external(href, text, className = 'button') {
  return h('a', { href, class: className, target: '_blank', rel: 'noopener noreferrer' }, text);
}

function section(title, ...content) {
  const body = content.flat().filter(Boolean);
  if (body.length === 0) return null;
  return h('section', { class: 'detail-part' }, h('h3', {}, title), body);
}

function para(text, className) {
  return text ? h('p', { class: className }, text) : null;
}

function facts(pairs) {
  const rows = pairs.filter(([, value]) => value !== null && value !== undefined && value !== '');
  if (rows.length === 0) return null;
  return h('dl', { class: 'facts' }, rows.map(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]));
}

// The share action: the Web Share sheet where the browser has one, else
// the link copied to the clipboard, else shown to copy by hand. What is
// shared is the link of this meeting or service only, never the search
// (which may hold the searcher's position).
function shareButton(title, url) {
  const status = h('span', { class: 'status', role: 'status' });
  const button = h('button', { type: 'button', class: 'secondary share' }, t('detail.share'));
  button.addEventListener('click', async () => {
    status.textContent = '';
    if (navigator.share) {
      try {
        await navigator.share({ title, url });
        return;
      } catch (err) {
        if (err.name === 'AbortError') return;
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = t('detail.copied');
    } catch {
      const field = h('input', { type: 'text', readonly: true, value: url, 'aria-label': t('detail.linkLabel') });
      status.replaceChildren(field);
      field.select();
    }
  });
  return [button, status];
}

function backButton(onClose) {
  return h('button', { type: 'button', class: 'secondary back', onclick: onClose }, t('detail.back'));
}

function heading(text) {
  return h('h2', { id: 'detail-heading', tabindex: '-1' }, text);
}

// ---- meetings ----

function joinActions(meeting) {
  const url = webUrl(meeting.conference_url);
  const tel = telUrl(meeting.conference_phone);
  if (!url && !tel) return null;
  const provider = url ? providerName(url) : null;
  // The button names the number; the codes dialled after it are said
  // below, for a phone that does not dial them itself.
  const phone = phoneParts(meeting.conference_phone);
  return h('div', { class: 'join' },
    h('p', { class: 'actions' },
      url ? external(url, provider ? t('detail.joinWith', { provider }) : t('detail.join'), 'button primary') : null,
      tel ? h('a', { href: tel, class: 'button' }, t('detail.callNumber', { number: phone.number })) : null),
    tel && phone.codes.length ? para(t('detail.phoneCodes', { codes: phone.codes.join(' · ') }), 'notes') : null,
    para(meeting.conference_url_notes, 'notes'),
    para(meeting.conference_phone_notes, 'notes'));
}

function otherMeetings(meeting, refs, hrefFor) {
  const others = meeting.attendance === 'online' ? [] : meeting.at_location || [];
  if (others.length === 0) return null;
  return section(t('detail.samePlace'),
    h('ul', { class: 'same-place' }, others.map((m) => h('li', {},
      h('a', { href: hrefFor('meeting', m.id), class: 'open', dataset: { kind: 'meeting', id: String(m.id) } }, m.name),
      ` — ${[fellowshipName(m, refs), m.day === null ? t('time.byAppointment') : `${weekdayName(m.day)} ${clockTime(m.time)}`]
        .filter(Boolean).join(', ')}`))));
}

function contacts(meeting) {
  if (!meeting.contacts || typeof meeting.contacts !== 'object') return null;
  const rows = Object.entries(meeting.contacts).filter(([, v]) => typeof v === 'string' && v);
  return rows.length ? section(t('detail.contacts'), facts(rows)) : null;
}

// Where a group takes contributions, as the feed gives its handles: each
// kind's name in the handle as published ("@Group", "paypal.me/Group",
// "https://cash.app/$Group"), its link, and the handle as the app shows it.
const CONTRIBUTIONS = [
  ['venmo', 'Venmo', /^(?:https?:\/\/)?(?:www\.|account\.)?(?:venmo\.com\/(?:u\/)?)?@?/i,
    (name) => [`https://venmo.com/u/${name}`, `@${name}`]],
  ['paypal', 'PayPal', /^(?:https?:\/\/)?(?:www\.)?(?:paypal\.me\/|paypal\.com\/paypalme\/)?@?/i,
    (name) => [`https://paypal.me/${name}`, `paypal.me/${name}`]],
  ['square', 'Cash App', /^(?:https?:\/\/)?(?:www\.)?(?:cash\.app\/)?\$?/i,
    (name) => [`https://cash.app/$${name}`, `$${name}`]],
];

// "Contribute: Venmo @Group · PayPal paypal.me/Group", or null.
function contribute(meeting) {
  const links = CONTRIBUTIONS.map(([key, label, prefix, link]) => {
    const name = typeof meeting[key] === 'string' ? meeting[key].trim().replace(prefix, '').replace(/\/$/, '') : '';
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) return null;
    const [href, shown] = link(name);
    return external(href, `${label} ${shown}`, 'link');
  }).filter(Boolean);
  if (links.length === 0) return null;
  return h('p', { class: 'contribute' }, `${t('detail.contribute')}: `,
    links.flatMap((a, i) => (i ? [' · ', a] : [a])));
}

// "Suggest a change to {source}": the steward's own page for corrections,
// else a message to its address about this meeting; null when it has
// neither.
function stewardLink(meeting) {
  const steward = meeting.steward;
  if (!steward || typeof steward !== 'object') return null;
  const text = t('detail.suggestChange', { source: steward.name || meeting.source || '' });
  const url = webUrl(steward.url);
  if (url) return h('p', { class: 'steward' }, external(url, text, 'link'));
  const email = typeof steward.email === 'string' && /^[^\s@]+@[^\s@]+$/.test(steward.email) ? steward.email : null;
  if (!email) return null;
  return h('p', { class: 'steward' },
    h('a', { href: `mailto:${email}?subject=${encodeURIComponent(meeting.name || '')}`, class: 'link' }, text));
}

// Builds a meeting's detail into container. links: { share, hrefFor }.
// What a visitor must know first about a meeting that may not meet as
// listed: dropped by its source, or its place temporarily closed.
function stateNote(meeting) {
  if (meeting.active === false) {
    const since = meeting.inactive_since ? formatDate(new Date(meeting.inactive_since), undefined,
      { year: 'numeric', month: 'long', day: 'numeric' }) : null;
    return h('p', { class: 'state-note', role: 'note' }, since ? t('detail.inactiveSince', { date: since }) : t('detail.inactive'));
  }
  if ((meeting.types || []).includes('TC')) {
    const online = webUrl(meeting.conference_url) || telUrl(meeting.conference_phone);
    return h('p', { class: 'state-note', role: 'note' }, t(online ? 'detail.closedOnline' : 'detail.closed'));
  }
  return null;
}

// A meeting or service its source has not confirmed for a while: who and
// since when, and to check before going.
function staleNote(item, kind) {
  const since = staleSince(item);
  if (!since || item.active === false) return null;
  const vars = { source: item.source_name || item.source || '', date: since };
  return h('p', { class: 'state-note stale-note', role: 'note' },
    kind === 'service' ? t('services.stale', vars) : t('detail.stale', vars));
}

// One line per type: its name, and what it means when the legend says.
function typeLegend(codes, refs) {
  return codes.map((code) => {
    const explain = t(`legend.${code}`);
    return h('li', {}, h('strong', {}, typeName(code, refs)), explain === `legend.${code}` ? null : explain);
  });
}

export function showMeeting(container, meeting, refs, { shareUrl, hrefFor, onClose }) {
  const listed = meeting.active !== false;
  const when = meetingWhen(meeting);
  const online = meeting.attendance === 'online';
  const place = online ? [] : placeLines(meeting.location);
  const closed = (meeting.types || []).includes('TC');
  const calendar = meeting.day === null || !listed || meeting.closed ? null
    : h('a', { href: calendarUrl(meeting.id), class: 'button secondary', download: `meeting-${meeting.id}.ics` }, t('detail.calendar'));
  container.replaceChildren(
    backButton(onClose),
    h('article', { class: 'detail-body', dataset: { kind: 'meeting', id: String(meeting.id) } },
      heading(meeting.name),
      stateNote(meeting),
      staleNote(meeting, 'meeting'),
      para(fellowshipName(meeting, refs), 'fellowship'),
      badgeList(meetingBadges(meeting, refs)),
      h('p', { class: `when${when.status ? ` when-${when.status}` : ''}` },
        h('strong', {}, when.text), when.local ? h('span', { class: 'local-time' }, ` (${when.local})`) : null),
      para(meetingSchedule(meeting), 'schedule'),
      listed ? joinActions(meeting) : null,
      place.length ? h('address', { class: 'where' }, place.map((line) => h('span', { class: 'line' }, line))) : null,
      meeting.approximate ? para(t('detail.approximate'), 'notes') : null,
      para(meeting.location_notes, 'notes'),
      h('p', { class: 'actions' },
        online || closed || !listed ? null : directions(meeting.location),
        online || !listed ? null : miniMap(meeting, 'meeting'),
        calendar,
        shareButton(meeting.name, shareUrl)),
      section(t('detail.about'),
        (meeting.types || []).length
          ? h('ul', { class: 'types', 'aria-label': t('detail.types') }, typeLegend(meeting.types, refs)) : null,
        para(meeting.notes, 'notes'),
        meeting.group ? para(t('detail.group', { group: meeting.group }), 'group') : null,
        para(meeting.group_notes, 'notes'),
        contribute(meeting),
        webUrl(meeting.url) ? h('p', {}, external(webUrl(meeting.url), t('detail.sourcePage'), 'link')) : null,
        (meeting.languages || []).length ? para(`${t('detail.languages')}: ${meeting.languages.map((c) => languageName(c)).join(', ')}`, 'languages') : null,
        meeting.source ? para(t('detail.source', { source: meeting.source_name || meeting.source }), 'source') : null,
        meeting.updated ? para(t('detail.updated', { date: formatDate(new Date(meeting.updated), undefined,
          { year: 'numeric', month: 'long', day: 'numeric' }) }), 'updated') : null),
      contacts(meeting),
      otherMeetings(meeting, refs, hrefFor),
      listed ? stewardLink(meeting) : null,
      listed ? reportForm('meeting', meeting.id) : null));
}

// ---- services ----

function schedules(list) {
  const rows = (list || []).filter((s) => s.opens_at || s.description);
  if (rows.length === 0) return null;
  const dayNames = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 };
  return h('ul', { class: 'hours' }, rows.map((s) => {
    const days = (s.byday || '').split(',').filter(Boolean).map((d) => {
      const m = /^(-?\d)?([A-Z]{2})$/.exec(d.trim());
      if (!m || !(m[2] in dayNames)) return d;
      const name = weekdayName(dayNames[m[2]]);
      return m[1] ? t('services.nthDay', { n: m[1], day: name }) : name;
    });
    const hours = s.opens_at && s.closes_at
      ? (s.opens_at === s.closes_at ? t('services.allDay') : t('time.range', { start: clockTime(s.opens_at), end: clockTime(s.closes_at) }))
      : '';
    const open = s.open_now === true ? ` — ${t('badges.openNow')}` : '';
    return h('li', {}, [days.join(', '), hours].filter(Boolean).join(': ') + open,
      s.description ? h('span', { class: 'notes' }, ` ${s.description}`) : null);
  }));
}

function phones(list) {
  const rows = (list || []).filter((p) => p.number);
  if (rows.length === 0) return null;
  return h('ul', { class: 'phones' }, rows.map((p) => {
    const tel = telUrl(p.number);
    const label = [p.number, p.extension ? t('services.extension', { ext: p.extension }) : null].filter(Boolean).join(' ');
    return h('li', {},
      tel ? h('a', { href: tel, class: 'button call' }, t('detail.callNumber', { number: label })) : label,
      p.description ? h('span', { class: 'notes' }, ` ${p.description}`) : null);
  }));
}

function locationBlock(location) {
  const address = (location.addresses || [])[0];
  const lines = address ? placeLines({ name: location.name, address: [address.address_1, address.address_2].filter(Boolean).join(', '),
    city: address.city, region: address.region, postal_code: address.postal_code }) : [location.name].filter(Boolean);
  const place = { ...(address ? { address: address.address_1, city: address.city, region: address.region } : {}),
    name: location.name, lat: location.lat, lng: location.lng };
  return h('div', { class: 'location' },
    lines.length ? h('address', { class: 'where' }, lines.map((line) => h('span', { class: 'line' }, line))) : null,
    para(location.description, 'notes'),
    location.transportation ? para(t('services.transportation', { text: location.transportation }), 'notes') : null,
    location.location_type === 'virtual' ? para(t('services.virtual'), 'notes') : null,
    location.location_type !== 'virtual' ? h('p', { class: 'actions' }, directions(place)) : null,
    phones(location.phones),
    schedules(location.schedules));
}

function housing(rh, refs) {
  if (!rh) return null;
  const yes = (v) => (v === true ? t('detail.yes') : v === false ? t('detail.no') : null);
  return section(t('services.housing'), facts([
    [t('services.narr'), rh.narr_level ? t(`services.narrLevels.${rh.narr_level}`) : null],
    [t('services.certification'), [rh.certification_status ? t(`services.certStatus.${rh.certification_status}`) : null,
      rh.certifying_body].filter(Boolean).join(' — ')],
    [t('services.moudAllowed'), yes(rh.moud_allowed)],
    [t('services.genderServed'), rh.gender_served ? t(`services.gender.${rh.gender_served}`) : null],
    [t('services.populationServed'), rh.population_served],
    [t('services.beds'), rh.beds ?? null],
    [t('services.bedsAvailable'), rh.beds_available ?? null],
  ]));
}

export function showService(container, service, refs, { shareUrl, onClose }) {
  const web = webUrl(service.url);
  const email = typeof service.email === 'string' && /^[^\s@]+@[^\s@]+$/.test(service.email) ? service.email : null;
  const min = service.minimum_age;
  const max = service.maximum_age;
  let ages = null;
  if (min && max) ages = t('services.ages', { min, max });
  else if (min) ages = t('services.agesFrom', { min });
  else if (max) ages = t('services.agesTo', { max });
  const categoryList = (service.categories || []).map((c) => termName(c));
  container.replaceChildren(
    backButton(onClose),
    h('article', { class: 'detail-body', dataset: { kind: 'service', id: service.id } },
      heading(service.name),
      para(service.alternate_name, 'alternate'),
      service.organization?.name ? para(service.organization.name, 'organization') : null,
      para(categoryList.length ? categoryList.join(' · ') : categoryNames(service.categories, refs).join(' · '), 'categories'),
      badgeList(serviceBadges({ ...service, languages: (service.languages || []).map((l) => l.code) }, refs)),
      service.alert ? h('p', { class: 'alert-text' }, service.alert) : null,
      staleNote(service, 'service'),
      section(t('services.contact'), phones(service.phones),
        h('p', { class: 'actions' },
          web ? external(web, t('services.website')) : null,
          email ? h('a', { href: `mailto:${email}`, class: 'button secondary' }, t('services.email', { email })) : null,
          shareButton(service.name, shareUrl))),
      para(service.description, 'description'),
      section(t('services.hours'), schedules(service.schedules)),
      section(t('services.locations'), (service.locations || []).map(locationBlock)),
      section(t('services.details'), facts([
        [t('services.eligibility'), service.eligibility_description],
        [t('services.ageRange'), ages],
        [t('services.populations'), termNames(service.populations, refs.categories.populations).join(', ')],
        [t('services.languages'), (service.languages || []).map((l) => localName(l.name, l.code)).join(', ')],
        [t('services.costs'), termNames(service.costs, refs.categories.costs).join(', ')],
        [t('services.fees'), service.fees_description],
        [t('services.apply'), service.application_process],
        [t('services.wait'), service.wait_time],
        [t('services.accessibility'), termNames(service.accessibility, refs.categories.accessibility).join(', ')],
        [t('services.moud'), service.moud === true ? t('detail.yes') : service.moud === false ? t('detail.no') : null],
        [t('services.accreditations'), service.accreditations],
        [t('services.credential'), service.peer_support
          ? [service.peer_support.credential, service.peer_support.credentialing_body].filter(Boolean).join(' — ') : null],
        [t('services.areas'), (service.service_areas || []).map((a) => a.name || a.region || a.country).filter(Boolean).join(', ')],
        [t('services.verified'), service.last_verified ? formatDate(new Date(`${service.last_verified}T12:00:00Z`), 'UTC',
          { year: 'numeric', month: 'long', day: 'numeric' }) : null],
      ])),
      housing(service.recovery_housing, refs),
      service.organization?.description ? section(t('services.about', { name: service.organization.name }),
        para(service.organization.description),
        webUrl(service.organization.url) && webUrl(service.organization.url) !== web
          ? h('p', {}, external(webUrl(service.organization.url), t('services.orgWebsite'), 'link')) : null) : null,
      reportForm('service', service.id)));
}

export function showDetailError(container, message, onClose) {
  container.replaceChildren(backButton(onClose), heading(t('detail.notFound')), h('p', { class: 'error-text' }, message));
}
