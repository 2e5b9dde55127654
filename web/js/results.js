// The result list: one item per meeting or service, each with a link that
// opens its detail (a real link: it can be opened in a new tab or shared).

import { h, telUrl } from './dom.js';
import { formatDistance, t } from './i18n.js';
import {
  badgeList, categoryNames, fellowshipName, meetingBadges, meetingWhen, placeLines, serviceBadges,
} from './describe.js';

// hrefFor(kind, id) gives the link of a detail; refs the reference lists.
function meetingItem(meeting, refs, hrefFor) {
  const when = meetingWhen(meeting);
  const headingId = `result-meeting-${meeting.id}`;
  const place = meeting.attendance === 'online' ? [] : placeLines(meeting.location);
  const showDistance = typeof meeting.distance_km === 'number' && meeting.attendance !== 'online';
  return h('li', { class: 'result', dataset: { kind: 'meeting', id: String(meeting.id) } },
    h('article', { 'aria-labelledby': headingId },
      h('h3', { id: headingId },
        h('a', { href: hrefFor('meeting', meeting.id), class: 'open', dataset: { kind: 'meeting', id: String(meeting.id) } },
          meeting.name)),
      h('p', { class: `when${when.status ? ` when-${when.status}` : ''}` }, when.text,
        when.local ? h('span', { class: 'local-time' }, ` (${when.local})`) : null),
      h('p', { class: 'fellowship' }, fellowshipName(meeting, refs)),
      place.length ? h('p', { class: 'where' }, place.join(', ')) : h('p', { class: 'where' }, t('attendance.online')),
      showDistance ? h('p', { class: 'distance' }, formatDistance(meeting.distance_km)) : null,
      badgeList(meetingBadges(meeting, refs))));
}

function serviceItem(service, refs, hrefFor) {
  const headingId = `result-service-${service.id}`;
  const tel = telUrl(service.phone);
  const place = placeLines(service.location);
  let reach = null;
  if (typeof service.distance_km === 'number') reach = formatDistance(service.distance_km);
  else if (service.service_area) reach = t('services.serves', { area: service.service_area });
  return h('li', { class: 'result', dataset: { kind: 'service', id: service.id } },
    h('article', { 'aria-labelledby': headingId },
      h('h3', { id: headingId },
        h('a', { href: hrefFor('service', service.id), class: 'open', dataset: { kind: 'service', id: service.id } },
          service.name)),
      service.organization?.name && service.organization.name !== service.name
        ? h('p', { class: 'organization' }, service.organization.name) : null,
      h('p', { class: 'categories' }, categoryNames(service.categories, refs).join(' · ')),
      place.length ? h('p', { class: 'where' }, place.join(', ')) : null,
      reach ? h('p', { class: 'distance' }, reach) : null,
      badgeList(serviceBadges(service, refs)),
      tel ? h('p', { class: 'actions' },
        h('a', { href: tel, class: 'button call', 'aria-describedby': headingId }, t('detail.callNumber', { number: service.phone })))
        : null));
}

// Appends the items and returns the first new link (focus goes there after
// "Show more"), or null when there were none.
export function appendResults(list, kind, items, refs, hrefFor) {
  const nodes = items.map((item) => (kind === 'meeting'
    ? meetingItem(item, refs, hrefFor) : serviceItem(item, refs, hrefFor)));
  list.append(...nodes);
  return nodes.length ? nodes[0].querySelector('a.open') : null;
}
